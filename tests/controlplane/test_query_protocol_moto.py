"""The query protocol live on moto's server: botocore == Python == R for STS, IAM and SNS.

STS is the committed package (``python/pawssts``, ``r/pawssts``, from the pinned
model); IAM and SNS are generated for the test from the installed botocore
(``--service``, into a temporary folder). Each call is
made three ways on the same moto server and the answers compared whole (output
members with their types, or the error's code, class and HTTP status).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pawssts
import pytest
from parity import rconvert
from parity.generated import Generated
from rpy2 import robjects as ro

from .test_json_protocol_moto import Three

SERVICES = {
    "iam": (
        "iam",
        [
            "CreateUser",
            "GetUser",
            "ListUsers",
            "TagUser",
            "ListUserTags",
            "CreateRole",
            "ListRoles",
        ],
    ),
    "sns": (
        "sns",
        ["CreateTopic", "ListTopics", "Publish", "GetTopicAttributes", "SetTopicAttributes"],
    ),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    gen = Generated(tmp_path_factory.mktemp("query-protocol"), SERVICES)
    try:
        yield gen
    finally:
        gen.close()


# botocore customizes IAM (handlers.json_decode_policies, not the protocol): policy
# documents, URL-encoded JSON text on the wire, come back parsed. pawscore returns the
# text as the model types it (a string); the test decodes it the same way to compare.
_POLICY_MEMBERS = {"AssumeRolePolicyDocument", "PolicyDocument"}


def _decode_policies(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: json.loads(unquote(v)) if k in _POLICY_MEMBERS and isinstance(v, str)
            else _decode_policies(v)
            for k, v in value.items()
        }  # fmt: skip
    if isinstance(value, list):
        return [_decode_policies(v) for v in value]
    return value


class IamThree(Three):
    """IAM three ways, our policy documents decoded as botocore's handler does."""

    def python(self, method: str, **args: Any) -> dict[str, Any]:
        return _decode_policies(super().python(method, **args))

    def r(self, method: str, **args: Any) -> dict[str, Any]:
        return _decode_policies(super().r(method, **args))


def _three(name: str, gen: Generated, boto: dict[str, Any], paws: dict[str, Any]) -> Three:
    cls = IamThree if name == "iam" else Three
    return cls(name, gen.python[name], boto, paws)


@pytest.fixture(scope="module")
def sts(boto_kwargs: dict[str, Any], paws_config: dict[str, Any]) -> Three:
    return Three("sts", pawssts, boto_kwargs, paws_config)


@pytest.fixture(scope="module")
def iam(generated: Generated, boto_kwargs: dict[str, Any], paws_config: dict[str, Any]) -> Three:
    return _three("iam", generated, boto_kwargs, paws_config)


@pytest.fixture(scope="module")
def sns(generated: Generated, boto_kwargs: dict[str, Any], paws_config: dict[str, Any]) -> Three:
    return _three("sns", generated, boto_kwargs, paws_config)


def test_the_generated_clients_speak_query(sts: Three, iam: Three, sns: Three) -> None:
    for three, version, signing in ((sts, "2011-06-15", "sts"), (iam, "2010-05-08", "iam"),
                                    (sns, "2010-03-31", "sns")):  # fmt: skip
        meta = three.api["metadata"]
        assert (meta["protocol"], meta["api_version"], meta["signing_name"]) == (
            "query",
            version,
            signing,
        )
    assert iam.api["operations"]["ListUsers"]["result_wrapper"] == "ListUsersResult"


def test_sts_get_caller_identity(sts: Three) -> None:
    out = sts.all_agree("get_caller_identity")
    assert set(out["value"]) == {"UserId", "Account", "Arn"}


def test_sts_assume_role_credentials_and_timestamps(sts: Three) -> None:
    args = {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "session-1"}
    answers = {
        lang: getattr(sts, lang)("assume_role", **args) for lang in ("botocore", "python", "r")
    }
    # Fresh keys each call: compare the shape and types, not the values.
    shapes = {
        lang: {k: sorted(v) if isinstance(v, dict) else type(v).__name__
               for k, v in out["value"].items()}
        for lang, out in answers.items()
    }  # fmt: skip
    assert shapes["python"] == shapes["botocore"] == shapes["r"]
    expiry = {lang: out["value"]["Credentials"]["Expiration"] for lang, out in answers.items()}
    assert all(e.tzinfo is not None for e in expiry.values())


_POLICY = '{"Version": "2012-10-17", "Statement": []}'


def test_iam_create_get_list_and_missing_user(iam: Three) -> None:
    for lang in ("botocore", "python", "r"):
        made = getattr(iam, lang)("create_user", UserName=f"u-{lang}", Path="/team/")
        assert made["value"]["User"]["UserName"] == f"u-{lang}"
    iam.all_agree("get_user", UserName="u-r")
    listed = iam.all_agree("list_users", PathPrefix="/team/")
    assert {u["UserName"] for u in listed["value"]["Users"]} >= {"u-botocore", "u-python", "u-r"}
    for lang in ("botocore", "python", "r"):
        getattr(iam, lang)("create_role", RoleName=f"r-{lang}", AssumeRolePolicyDocument=_POLICY)
    first = iam.all_agree("list_roles", MaxItems=2)
    assert first["value"]["IsTruncated"] is True and len(first["value"]["Roles"]) == 2
    iam.all_agree("list_roles", MaxItems=2, Marker=first["value"]["Marker"])
    missing = iam.all_agree("get_user", UserName="nobody")
    assert missing["error"] == {"code": "NoSuchEntity", "class": "NoSuchEntityException",
                                "status_code": 404}  # fmt: skip


_R_LIST_ROLES_PAGES = ro.r(
    """
    function(endpoint, region, key, secret, page_size) {
      svc <- pawsiam::iam(config = list(region = region, endpoint = endpoint,
        credentials = list(creds = list(access_key_id = key, secret_access_key = secret))))
      pawscore::paginate(svc$list_roles(), PageSize = page_size)
    }
    """
)


def test_iam_list_roles_through_its_paginator(iam: Three) -> None:
    # moto pages ListRoles (not ListUsers) by MaxItems and Marker.
    for n in range(5):
        iam.botocore("create_role", RoleName=f"page-{n}", AssumeRolePolicyDocument=_POLICY)
    config = {"PageSize": 2}
    expected = [
        {k: v for k, v in page.items() if k != "ResponseMetadata"}
        for page in iam.boto.get_paginator("list_roles").paginate(PaginationConfig=config)
    ]
    assert len(expected) >= 3 and all(len(p["Roles"]) <= 2 for p in expected)
    pages = iam.paws.get_paginator("list_roles").paginate(PaginationConfig=config)
    assert _decode_policies(list(pages)) == expected
    creds = iam.config["credentials"]["creds"]
    r_pages = _R_LIST_ROLES_PAGES(
        iam.config["endpoint"], iam.config["region"],
        creds["access_key_id"], creds["secret_access_key"], 2,
    )  # fmt: skip
    got = [rconvert.to_python(iam.api, "ListRolesResponse", page) for page in r_pages]
    assert _decode_policies(got) == expected


def test_iam_tags_lists_of_structures(iam: Three) -> None:
    iam.botocore("create_user", UserName="tagged")
    tags = [{"Key": "team", "Value": "caf\u00e9 + co @x"}, {"Key": "empty", "Value": ""}]
    assert iam.python("tag_user", UserName="tagged", Tags=tags) == {"value": {}}
    out = iam.all_agree("list_user_tags", UserName="tagged")
    assert out["value"]["Tags"] == tags


def test_sns_create_list_publish_attributes(sns: Three) -> None:
    arns = {
        lang: getattr(sns, lang)(
            "create_topic", Name=f"t-{lang}", Tags=[{"Key": "k", "Value": lang}]
        )["value"]["TopicArn"]
        for lang in ("botocore", "python", "r")
    }
    assert arns["r"].endswith(":t-r")
    listed = sns.all_agree("list_topics")
    assert {t["TopicArn"] for t in listed["value"]["Topics"]} >= set(arns.values())
    for lang in ("botocore", "python", "r"):
        sent = getattr(sns, lang)(
            "publish",
            TopicArn=arns["botocore"],
            Message=f"from {lang} \u00e9 & <xml>",
            Subject="s",
            MessageAttributes={"lang": {"DataType": "String", "StringValue": lang}},
        )
        assert set(sent["value"]) == {"MessageId"}
    assert sns.python(
        "set_topic_attributes",
        TopicArn=arns["python"],
        AttributeName="DisplayName",
        AttributeValue="Shown \u00e9",
    ) == {"value": {}}
    attrs = sns.all_agree("get_topic_attributes", TopicArn=arns["python"])
    assert attrs["value"]["Attributes"]["DisplayName"] == "Shown \u00e9"
    missing = sns.all_agree("get_topic_attributes", TopicArn=arns["python"] + "-gone")
    assert missing["error"]["code"] == "NotFound"
    assert missing["error"]["class"] == "NotFoundException"
