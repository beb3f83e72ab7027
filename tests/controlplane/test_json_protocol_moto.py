"""The json protocol live on moto's server: botocore == Python == R for DynamoDB and SQS.

DynamoDB is the committed package (``python/pawsdynamodb``, ``r/pawsdynamodb``, from
the pinned model); SQS, which the repository does not commit, is generated for the test
from the installed botocore (``--service sqs``, into a temporary folder). DynamoDB
speaks awsJson 1.0 with ``X-Amz-Target: DynamoDB_20120810.<Op>``; SQS is
query-compatible, so its errors carry the old query code in ``x-amzn-query-error``.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import botocore
import pawsdynamodb
import pytest
from botocore.exceptions import ClientError
from parity import rconvert
from parity.generated import Generated, r_call
from parity.threeway import to_r
from pawscore import ServiceError
from rpy2 import robjects as ro

SERVICES = {
    # package suffix: (botocore service, operations the test uses)
    "sqs": ("sqs", ["CreateQueue", "GetQueueUrl", "SendMessage", "ReceiveMessage"]),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    gen = Generated(tmp_path_factory.mktemp("json-protocol"), SERVICES)
    try:
        yield gen
    finally:
        gen.close()


class Three:
    """One service called three ways: botocore, the generated Python, the generated R."""

    def __init__(
        self,
        name: str,
        module: ModuleType,
        boto_kwargs: dict[str, Any],
        paws_config: dict[str, Any],
    ) -> None:
        self.name = name
        self.module = module
        self.api = self.module._api.API
        self.boto = boto3.client(name, **boto_kwargs)
        self.paws = self.module.client(paws_config)
        self.config = paws_config

    def botocore(self, method: str, **args: Any) -> dict[str, Any]:
        try:
            out = getattr(self.boto, method)(**args)
        except ClientError as err:
            status = err.response["ResponseMetadata"]["HTTPStatusCode"]
            return _error(err.response["Error"]["Code"], type(err).__name__, status)
        out.pop("ResponseMetadata")
        return {"value": out}

    def python(self, method: str, **args: Any) -> dict[str, Any]:
        try:
            return {"value": getattr(self.paws, method)(**args)}
        except ServiceError as err:
            return _error(err.code, type(err).__name__, err.status_code)

    def r(self, method: str, **args: Any) -> dict[str, Any]:
        r_args = ro.vectors.ListVector({k: to_r(v) for k, v in args.items()})
        result = r_call(f"paws{self.name}", self.name, self.config, method, r_args)
        if list(result.names) == ["error"]:
            err = result.rx2("error")
            classes = list(err.rx2("class"))
            assert classes[0] == err.rx2("code")[0] and "paws_service_error" in classes
            # The class a handler names: the modeled shape (second when the code differs).
            shape = classes[1] if classes[1] != "paws_service_error" else classes[0]
            return _error(err.rx2("code")[0], shape, int(err.rx2("status_code")[0]))
        op = next(o for o in self.api["operations"].values() if _snake(o["name"]) == method)
        return {"value": rconvert.to_python(self.api, op["output"], result.rx2("value"))}

    def all_agree(self, method: str, **args: Any) -> dict[str, Any]:
        expected = self.botocore(method, **args)
        assert self.python(method, **args) == expected
        assert self.r(method, **args) == expected
        return expected


def _snake(name: str) -> str:
    return botocore.xform_name(name)


def _error(code: str, cls: str, status: int | None) -> dict[str, Any]:
    return {"error": {"code": code, "class": cls, "status_code": status}}


@pytest.fixture(scope="module")
def dynamodb(boto_kwargs: dict[str, Any], paws_config: dict[str, Any]) -> Three:
    return Three("dynamodb", pawsdynamodb, boto_kwargs, paws_config)


@pytest.fixture(scope="module")
def sqs(generated: Generated, boto_kwargs: dict[str, Any], paws_config: dict[str, Any]) -> Three:
    return Three("sqs", generated.python["sqs"], boto_kwargs, paws_config)


def _table(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def _shape_of_table(out: dict[str, Any]) -> dict[str, Any]:
    desc = out["value"]["TableDescription"]
    return {k: desc[k] for k in ("KeySchema", "AttributeDefinitions", "TableStatus")}


def test_dynamodb_create_put_get_query_scan(dynamodb: Three) -> None:
    made = {
        "botocore": dynamodb.botocore("create_table", **_table("t-botocore")),
        "python": dynamodb.python("create_table", **_table("t-python")),
        "r": dynamodb.r("create_table", **_table("t-r")),
    }
    assert _shape_of_table(made["python"]) == _shape_of_table(made["botocore"])
    assert _shape_of_table(made["r"]) == _shape_of_table(made["botocore"])
    assert made["r"]["value"]["TableDescription"]["TableName"] == "t-r"

    # Each language writes to the shared table; everyone then reads the same data.
    item = {"pk": {"S": "user"}, "sk": {"N": "1"}, "name": {"S": "caf\u00e9"},
            "tags": {"SS": ["a", "b"]}, "blob": {"B": b"\x00\xff"}, "n": {"NULL": True},
            "doc": {"M": {"deep": {"L": [{"N": "2.5"}, {"BOOL": False}]}}}}  # fmt: skip
    table = "t-botocore"
    assert dynamodb.botocore("put_item", TableName=table, Item=item) == {"value": {}}
    python_item = {**item, "sk": {"N": "2"}}
    assert dynamodb.python("put_item", TableName=table, Item=python_item) == {"value": {}}
    r_item = {**item, "sk": {"N": "3"}}
    assert dynamodb.r("put_item", TableName=table, Item=r_item) == {"value": {}}

    got = dynamodb.all_agree(
        "get_item", TableName=table, Key={"pk": {"S": "user"}, "sk": {"N": "3"}}
    )
    assert got["value"]["Item"]["blob"] == {"B": b"\x00\xff"}
    query = dynamodb.all_agree(
        "query",
        TableName=table,
        KeyConditionExpression="pk = :p AND sk >= :s",
        ExpressionAttributeValues={":p": {"S": "user"}, ":s": {"N": "2"}},
    )
    assert [i["sk"]["N"] for i in query["value"]["Items"]] == ["2", "3"]
    scan = dynamodb.all_agree("scan", TableName=table)
    assert scan["value"]["Count"] == 3
    page = dynamodb.all_agree("scan", TableName=table, Limit=2)
    assert "LastEvaluatedKey" in page["value"]
    rest = dynamodb.all_agree(
        "scan", TableName=table, Limit=2, ExclusiveStartKey=page["value"]["LastEvaluatedKey"]
    )
    assert rest["value"]["Count"] == 1
    dynamodb.all_agree("describe_table", TableName=table)


_R_SCAN_PAGES = ro.r(
    """
    function(endpoint, region, key, secret, table, page_size) {
      svc <- pawsdynamodb::dynamodb(config = list(region = region, endpoint = endpoint,
        credentials = list(creds = list(access_key_id = key, secret_access_key = secret))))
      pawscore::paginate(svc$scan(TableName = table), PageSize = page_size)
    }
    """
)


def test_dynamodb_scan_through_its_paginator(dynamodb: Three) -> None:
    table = "t-pages"
    dynamodb.botocore("create_table", **_table(table))
    for n in range(5):
        item = {"pk": {"S": "p"}, "sk": {"N": str(n)}}
        assert dynamodb.botocore("put_item", TableName=table, Item=item) == {"value": {}}
    config = {"PageSize": 2}
    expected = [
        {k: v for k, v in page.items() if k != "ResponseMetadata"}
        for page in dynamodb.boto.get_paginator("scan").paginate(
            TableName=table, PaginationConfig=config
        )
    ]
    assert [page["Count"] for page in expected] == [2, 2, 1]
    pages = dynamodb.paws.get_paginator("scan").paginate(TableName=table, PaginationConfig=config)
    assert list(pages) == expected
    creds = dynamodb.config["credentials"]["creds"]
    r_pages = _R_SCAN_PAGES(
        dynamodb.config["endpoint"], dynamodb.config["region"],
        creds["access_key_id"], creds["secret_access_key"], table, 2,
    )  # fmt: skip
    got = [rconvert.to_python(dynamodb.api, "ScanOutput", page) for page in r_pages]
    assert got == expected


def test_dynamodb_modeled_error(dynamodb: Three) -> None:
    out = dynamodb.all_agree("describe_table", TableName="no-such-table")
    assert out["error"] == {
        "code": "ResourceNotFoundException",
        "class": "ResourceNotFoundException",
        "status_code": 400,
    }


def test_sqs_create_send_receive(sqs: Three) -> None:
    urls = {
        lang: getattr(sqs, lang)("create_queue", QueueName=f"q-{lang}")["value"]["QueueUrl"]
        for lang in ("botocore", "python", "r")
    }
    assert urls["r"].endswith("/q-r") and urls["python"].endswith("/q-python")
    url = sqs.all_agree("get_queue_url", QueueName="q-botocore")["value"]["QueueUrl"]
    assert url == urls["botocore"]
    sent = {
        lang: getattr(sqs, lang)(
            "send_message",
            QueueUrl=url,
            MessageBody=f"from {lang} \u00e9",
            MessageAttributes={"lang": {"DataType": "String", "StringValue": lang}},
        )["value"]
        for lang in ("botocore", "python", "r")
    }
    assert {tuple(sorted(v)) for v in sent.values()} == {
        ("MD5OfMessageAttributes", "MD5OfMessageBody", "MessageId")
    }
    bodies = []
    for lang in ("python", "r", "botocore"):
        got = getattr(sqs, lang)(
            "receive_message", QueueUrl=url, MaxNumberOfMessages=1, MessageAttributeNames=["All"]
        )["value"]
        (message,) = got["Messages"]
        assert message["MessageAttributes"]["lang"]["DataType"] == "String"
        bodies.append(message["Body"])
    assert sorted(bodies) == sorted(f"from {lang} \u00e9" for lang in ("botocore", "python", "r"))


def test_sqs_missing_queue_error_code(sqs: Three) -> None:
    out = sqs.all_agree("get_queue_url", QueueName="no-such-queue")
    # botocore's code is the query protocol's; the class is the modeled shape's.
    assert out["error"] == {
        "code": "AWS.SimpleQueueService.NonExistentQueue",
        "class": "QueueDoesNotExist",
        "status_code": 400,
    }


def test_requests_carry_the_json_protocol_headers(dynamodb: Three, sqs: Three) -> None:
    dyn = dynamodb.module._api.API["metadata"]
    assert (dyn["protocol"], dyn["json_version"], dyn["target_prefix"]) == (
        "json",
        "1.0",
        "DynamoDB_20120810",
    )
    assert sqs.module._api.API["metadata"]["aws_query_compatible"] is True
