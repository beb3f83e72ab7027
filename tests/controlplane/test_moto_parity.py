"""Lambda's control plane against moto's server: botocore == pawslambda (Python) == (R).

These calls go through the generic rest-json path (JSON bodies with nested structures,
blobs, maps, longs, uri labels, query strings, 204 answers, service errors), the part
of the runtimes the streaming tests do not reach.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from parity import rconvert
from pawscore import ParamValidationError
from pawslambda import client as pawslambda_client
from pawslambda._api import API
from pawslambda.errors import ResourceNotFoundException
from rpy2 import robjects as ro

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY, zip_bytes

_R_CALL = ro.r(
    """
    function(url, access_key_id, secret_access_key, operation, args) {
      svc <- pawslambda::lambda(config = list(
        region = "us-east-1", endpoint = url,
        credentials = list(creds = list(
          access_key_id = access_key_id, secret_access_key = secret_access_key))))
      tryCatch(
        list(value = do.call(svc[[operation]], args)),
        paws_service_error = function(e) list(error = list(
          code = e$code, message = e$message, status_code = e$status_code))
      )
    }
    """
)


def _to_r(value: Any) -> Any:
    """A Python input value as the R value DESIGN.md's type table maps it to."""
    if isinstance(value, dict):
        return ro.vectors.ListVector({k: _to_r(v) for k, v in value.items()})
    if isinstance(value, list):
        return (
            ro.vectors.ListVector.from_length(len(value))
            if not value
            else ro.r.list(*[_to_r(v) for v in value])
        )
    if isinstance(value, bytes):
        return ro.vectors.ByteVector(value)
    if isinstance(value, bool):
        return ro.BoolVector([value])
    if isinstance(value, int):
        return ro.IntVector([value])
    return ro.StrVector([value])


_SNAKE = {
    "create_function": "CreateFunction",
    "get_function": "GetFunction",
    "get_function_configuration": "GetFunctionConfiguration",
    "list_functions": "ListFunctions",
    "list_tags": "ListTags",
    "delete_function": "DeleteFunction",
}


def _botocore(boto_kwargs: dict[str, Any], method: str, args: dict[str, Any]) -> dict[str, Any]:
    svc = boto3.client("lambda", **boto_kwargs)
    try:
        out = getattr(svc, method)(**args)
    except ClientError as err:
        return {
            "error": {
                "code": err.response["Error"]["Code"],
                "message": err.response["Error"]["Message"],
                "status_code": err.response["ResponseMetadata"]["HTTPStatusCode"],
            }
        }
    out.pop("ResponseMetadata")
    return {"value": out}


def _python(config: dict[str, Any], method: str, args: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"value": getattr(pawslambda_client(config), method)(**args)}
    except ResourceNotFoundException as err:
        return {"error": {"code": err.code, "message": err.message, "status_code": err.status_code}}


def _r(url: str, method: str, args: dict[str, Any]) -> dict[str, Any]:
    r_args = ro.vectors.ListVector({k: _to_r(v) for k, v in args.items()})
    result = _R_CALL(url, ACCESS_KEY_ID, SECRET_ACCESS_KEY, method, r_args)
    if list(result.names) == ["error"]:
        err = result.rx2("error")
        return {
            "error": {
                "code": err.rx2("code")[0],
                "message": err.rx2("message")[0],
                "status_code": int(err.rx2("status_code")[0]),
            }
        }
    output = API["operations"][_SNAKE[method]]["output"]
    return {"value": rconvert.to_python(API, output, result.rx2("value"))}


@pytest.fixture(scope="module")
def function_arn(boto_kwargs: dict[str, Any], role_arn: str) -> str:
    """A function created with botocore, for the read-only comparisons."""
    out = boto3.client("lambda", **boto_kwargs).create_function(
        FunctionName="made-by-botocore",
        Runtime="python3.11",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes()},
        Tags={"team": "pawsgen", "stage": "test"},
        Environment={"Variables": {"K": "v"}},
        MemorySize=256,
    )
    return out["FunctionArn"]


READS = [
    ("get_function", {"FunctionName": "made-by-botocore"}),
    ("get_function_configuration", {"FunctionName": "made-by-botocore"}),
    ("list_functions", {}),
    ("get_function", {"FunctionName": "no-such-function"}),
]


@pytest.mark.parametrize(
    ("method", "args"), READS, ids=[f"{m}-{i}" for i, (m, _) in enumerate(READS)]
)
def test_three_clients_agree(
    moto_url: str,
    boto_kwargs: dict[str, Any],
    paws_config: dict[str, Any],
    function_arn: str,
    method: str,
    args: dict[str, Any],
) -> None:
    expected = _botocore(boto_kwargs, method, args)
    assert _python(paws_config, method, args) == expected
    assert _r(moto_url, method, args) == expected


def test_maps_agree(
    moto_url: str, boto_kwargs: dict[str, Any], paws_config: dict[str, Any], function_arn: str
) -> None:
    args = {"Resource": function_arn}
    expected = _botocore(boto_kwargs, "list_tags", args)
    assert expected["value"]["Tags"] == {"team": "pawsgen", "stage": "test"}
    assert _python(paws_config, "list_tags", args) == expected
    assert _r(moto_url, "list_tags", args) == expected


@pytest.mark.parametrize("language", ["python", "r"])
def test_create_and_delete_from_each_language(
    moto_url: str,
    boto_kwargs: dict[str, Any],
    paws_config: dict[str, Any],
    role_arn: str,
    language: str,
) -> None:
    name = f"made-by-{language}"
    create = {
        "FunctionName": name,
        "Runtime": "python3.11",
        "Role": role_arn,
        "Handler": "app.handler",
        "Code": {"ZipFile": zip_bytes()},
        "Timeout": 7,
        "Tags": {"lang": language},
    }
    call = (
        (lambda m, a: _python(paws_config, m, a))
        if language == "python"
        else (lambda m, a: _r(moto_url, m, a))
    )
    created = call("create_function", create)["value"]
    assert created["FunctionName"] == name and created["Timeout"] == 7
    seen = _botocore(boto_kwargs, "get_function", {"FunctionName": name})["value"]
    assert seen["Configuration"]["CodeSize"] == len(zip_bytes())  # the blob arrived whole
    assert seen["Tags"] == {"lang": language}
    # botocore deletes a twin, so the expected answer comes from it too (204, no body)
    twin = {**create, "FunctionName": f"{name}-twin"}
    _botocore(boto_kwargs, "create_function", twin)
    expected = _botocore(boto_kwargs, "delete_function", {"FunctionName": twin["FunctionName"]})
    assert expected == {"value": {"StatusCode": 204}}
    assert call("delete_function", {"FunctionName": name}) == expected
    gone = _botocore(boto_kwargs, "get_function", {"FunctionName": name})
    assert gone["error"]["code"] == "ResourceNotFoundException"


def test_invalid_input_is_rejected_before_sending(
    boto_kwargs: dict[str, Any], paws_config: dict[str, Any]
) -> None:
    before = _botocore(boto_kwargs, "list_functions", {})["value"]["Functions"]
    with pytest.raises(ParamValidationError) as info:
        pawslambda_client(paws_config).create_function(
            FunctionName="never-created",
            Role=None,  # type: ignore[arg-type]
            Code={"ZipFile": "not bytes but a str is fine", "S3Bucket": 3},  # type: ignore[dict-item]
            Timeout="ten",  # type: ignore[arg-type]
            MemorySize=64,
        )
    problems = "\n".join(info.value.problems)
    for fragment in ("Role", "S3Bucket", "Timeout", "MemorySize"):
        assert fragment in problems, problems
    after = _botocore(boto_kwargs, "list_functions", {})["value"]["Functions"]
    assert after == before
