"""pawscore against the pawslocal emulator (real SigV4 checks), compared with botocore."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pawslocal
import pytest
from pawscore import EventStream, ServiceError

from .support import ERRORS, ROOT, LambdaTestClient

CREDS = pawslocal.DEFAULT_CREDENTIALS
STREAM_OP = "InvokeWithResponseStream"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with pawslocal.serve(functions=str(ROOT / "examples" / "functions.py")) as base:
        yield base


def config(url: str, secret: str = CREDS.secret_access_key) -> dict[str, Any]:
    return {
        "region": "us-east-1",
        "endpoint": url,
        "credentials": {
            "creds": {"access_key_id": CREDS.access_key_id, "secret_access_key": secret}
        },
    }


def botocore_stream(url: str, **params: Any) -> dict[str, Any]:
    client = boto3.client(
        "lambda",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=CREDS.access_key_id,
        aws_secret_access_key=CREDS.secret_access_key,
    )
    response = client.invoke_with_response_stream(**params)
    response.pop("ResponseMetadata")
    response["EventStream"] = list(response["EventStream"])
    return response


def test_same_data_as_botocore(url: str) -> None:
    params = {"FunctionName": "stream", "Payload": json.dumps({"n": 4, "delay": 0})}
    ours = LambdaTestClient(config(url))._call(STREAM_OP, params)
    theirs = botocore_stream(url, **params)
    assert ours == theirs
    assert len(ours["EventStream"]) == 5
    assert ours["EventStream"][0] == {"PayloadChunk": {"Payload": b"chunk 1 of 4\n"}}
    assert ours["EventStream"][-1] == {"InvokeComplete": {}}


def test_three_modes_agree(url: str) -> None:
    client = LambdaTestClient(config(url))
    params = {"FunctionName": "chunks", "Payload": b'{"n": 5, "size": 300}'}
    default = client._call(STREAM_OP, params)["EventStream"]
    seen: list[dict] = []
    returned = client._call(STREAM_OP, params, on_event=lambda e: seen.append(e) or "ok")
    with client._call(STREAM_OP, params, stream=True)["EventStream"] as lazy:
        assert isinstance(lazy, EventStream)
        streamed = list(lazy)
    assert default == seen == streamed
    assert returned["EventStream"] == ["ok"] * len(default)
    payloads = [e["PayloadChunk"]["Payload"] for e in default if "PayloadChunk" in e]
    assert [len(p) for p in payloads] == [300] * 5


def test_dry_run(url: str) -> None:
    out = LambdaTestClient(config(url))._call(
        STREAM_OP, {"FunctionName": "stream", "InvocationType": "DryRun"}
    )
    assert out["StatusCode"] == 204
    assert out["EventStream"] == []


def test_missing_function_is_resource_not_found(url: str) -> None:
    with pytest.raises(ERRORS["ResourceNotFoundException"]) as info:
        LambdaTestClient(config(url))._call(STREAM_OP, {"FunctionName": "no-such-function"})
    assert info.value.status_code == 404
    assert "no-such-function" in info.value.message
    assert info.value.request_id


def test_wrong_secret_is_rejected(url: str) -> None:
    with pytest.raises(ServiceError) as info:
        LambdaTestClient(config(url, secret="wrong-secret"))._call(
            STREAM_OP, {"FunctionName": "stream"}
        )
    assert info.value.status_code == 403
    assert "wrong-secret" not in str(info.value)


def test_plain_invoke(url: str) -> None:
    out = LambdaTestClient(config(url))._call(
        "Invoke", {"FunctionName": "hello", "Payload": b'{"name": "pawscore"}'}
    )
    assert out["StatusCode"] == 200
    assert json.loads(out["Payload"])["message"] == "Hello, pawscore!"
