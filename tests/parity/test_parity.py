"""R == Python == botocore for InvokeWithResponseStream, on the same emulator.

For each scenario the same function is called with botocore's own client, with
pawslambda (Python) and with pawslambda (R, in-process through rpy2). The R value is
converted with DESIGN.md's type table (tests/parity/rconvert.py) and all three must be
equal; botocore's ResponseMetadata is the only thing set aside.
"""

from __future__ import annotations

from typing import Any

import boto3
import pawslocal
import pytest
from botocore.exceptions import ClientError
from pawslambda import client as pawslambda_client
from pawslambda.errors import ResourceNotFoundException
from rpy2 import robjects as ro

from . import rconvert
from .parity_functions import BIG_CHUNK, CHUNK_COUNT, UTF8_TEXT

CREDS = pawslocal.DEFAULT_CREDENTIALS
OPERATION_OUTPUT = "InvokeWithResponseStreamResponse"

# (scenario id, keyword arguments of the call)
SCENARIOS: list[tuple[str, dict[str, Any]]] = [
    ("one-chunk", {"FunctionName": "one", "Payload": b'{"k": 1}'}),
    ("1000-chunks", {"FunctionName": "many", "Payload": b"{}"}),
    ("empty-chunks", {"FunctionName": "empty_chunks", "Payload": b"{}"}),
    ("5MB-chunk", {"FunctionName": "big", "Payload": b"{}"}),
    ("all-256-bytes", {"FunctionName": "all_bytes", "Payload": b"{}"}),
    ("utf8-text", {"FunctionName": "utf8", "Payload": b"{}"}),
    ("no-payload", {"FunctionName": "echo"}),
    ("qualifier-latest", {"FunctionName": "one", "Qualifier": "$LATEST", "Payload": b"{}"}),
    ("dry-run", {"FunctionName": "one", "InvocationType": "DryRun"}),
]

_R_CALL = ro.r(
    """
    function(url, access_key_id, secret_access_key, args) {
      svc <- pawslambda::lambda(config = list(
        region = "us-east-1", endpoint = url,
        credentials = list(creds = list(
          access_key_id = access_key_id, secret_access_key = secret_access_key))))
      tryCatch(
        list(value = do.call(svc$invoke_with_response_stream, args)),
        paws_service_error = function(e) list(error = list(
          code = e$code, message = e$message, status_code = e$status_code,
          class = class(e)))
      )
    }
    """
)


def _botocore_call(url: str, args: dict[str, Any]) -> dict[str, Any]:
    svc = boto3.client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=CREDS.access_key_id,
        aws_secret_access_key=CREDS.secret_access_key,
    )
    try:
        resp = svc.invoke_with_response_stream(**args)
    except ClientError as err:
        return {
            "error": {
                "code": err.response["Error"]["Code"],
                "message": err.response["Error"]["Message"],
                "status_code": err.response["ResponseMetadata"]["HTTPStatusCode"],
            }
        }
    resp.pop("ResponseMetadata")
    if "EventStream" in resp:
        resp["EventStream"] = list(resp["EventStream"])
    return {"value": resp}


def _python_call(url: str, args: dict[str, Any]) -> dict[str, Any]:
    svc = pawslambda_client(
        config={
            "region": "us-east-1",
            "endpoint": url,
            "credentials": {
                "creds": {
                    "access_key_id": CREDS.access_key_id,
                    "secret_access_key": CREDS.secret_access_key,
                }
            },
        }
    )
    try:
        return {"value": svc.invoke_with_response_stream(**args)}
    except ResourceNotFoundException as err:
        return {"error": {"code": err.code, "message": err.message, "status_code": err.status_code}}


def _r_args(args: dict[str, Any]) -> Any:
    converted = {
        key: ro.vectors.ByteVector(value) if isinstance(value, bytes) else ro.StrVector([value])
        for key, value in args.items()
    }
    return ro.vectors.ListVector(converted)


def _r_call(url: str, api: dict, args: dict[str, Any]) -> dict[str, Any]:
    result = _R_CALL(url, CREDS.access_key_id, CREDS.secret_access_key, _r_args(args))
    names = list(result.names)
    if names == ["error"]:
        err = result.rx2("error")
        assert "paws_service_error" in list(err.rx2("class"))
        assert err.rx2("class")[0] == err.rx2("code")[0]
        return {
            "error": {
                "code": err.rx2("code")[0],
                "message": err.rx2("message")[0],
                "status_code": int(err.rx2("status_code")[0]),
            }
        }
    return {"value": rconvert.to_python(api, OPERATION_OUTPUT, result.rx2("value"))}


@pytest.mark.parametrize(("scenario", "args"), SCENARIOS, ids=[s for s, _ in SCENARIOS])
def test_r_python_botocore_agree(
    emulator_url: str, api: dict, scenario: str, args: dict[str, Any]
) -> None:
    expected = _botocore_call(emulator_url, args)
    assert "value" in expected, expected  # every scenario here is a success
    assert _python_call(emulator_url, args) == expected
    assert _r_call(emulator_url, api, args) == expected


def test_scenarios_return_what_the_functions_sent(emulator_url: str) -> None:
    """Guards the parity cases against all three clients agreeing on nothing."""

    def chunks(args: dict[str, Any]) -> list[bytes]:
        events = _botocore_call(emulator_url, args)["value"]["EventStream"]
        return [e["PayloadChunk"]["Payload"] for e in events if "PayloadChunk" in e]

    assert len(chunks({"FunctionName": "many"})) == CHUNK_COUNT
    assert b"".join(chunks({"FunctionName": "big"})) == BIG_CHUNK
    assert b"".join(chunks({"FunctionName": "all_bytes"})) == bytes(range(256)) + b"\x00"
    assert b"".join(chunks({"FunctionName": "utf8"})).decode().split() == UTF8_TEXT.split()


def test_unknown_function_same_error_everywhere(emulator_url: str, api: dict) -> None:
    args = {"FunctionName": "no-such-function", "Payload": b"{}"}
    expected = _botocore_call(emulator_url, args)
    assert expected["error"]["code"] == "ResourceNotFoundException"
    assert expected["error"]["status_code"] == 404
    assert expected["error"]["message"]
    assert _python_call(emulator_url, args) == expected
    assert _r_call(emulator_url, api, args) == expected
