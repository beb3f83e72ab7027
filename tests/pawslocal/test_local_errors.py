"""Lambda's error responses and name/qualifier resolution, via boto3 and raw HTTP."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pawslocal
import pytest
import urllib3
from botocore.exceptions import ClientError
from local_helpers import boto_client, events, payload_chunks, signed_headers
from pawslocal import server


def _error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response


def test_unknown_function_is_404(lam: Any) -> None:
    resp = _error(lambda: lam.invoke_with_response_stream(FunctionName="nope"))
    assert resp["Error"]["Code"] == "ResourceNotFoundException"
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert resp["Error"]["Message"] == (
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"
    )
    assert resp["Type"] == "User"
    headers = resp["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"] == "ResourceNotFoundException"
    assert headers["content-type"] == "application/json"
    assert isinstance(
        _raises(lambda: lam.invoke(FunctionName="nope")), lam.exceptions.ResourceNotFoundException
    )


def _raises(call: Any) -> BaseException:
    try:
        call()
    except Exception as e:
        return e
    raise AssertionError("no exception")


def test_invalid_json_payload_is_400(lam: Any) -> None:
    for op in (lam.invoke, lam.invoke_with_response_stream):
        resp = _error(lambda op=op: op(FunctionName="echo", Payload=b"{not json"))
        assert resp["Error"]["Code"] == "InvalidRequestContentException"
        assert resp["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert resp["Error"]["Message"].startswith("Could not parse request body into json")


def test_payload_over_6mb_is_413(lam: Any) -> None:
    payload = json.dumps({"x": "a" * (6 * 1024 * 1024)}).encode()
    resp = _error(lambda: lam.invoke_with_response_stream(FunctionName="echo", Payload=payload))
    assert resp["Error"]["Code"] == "RequestTooLargeException"
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "6291456" in resp["Error"]["Message"]


def test_payload_just_under_6mb_is_accepted(lam: Any) -> None:
    payload = json.dumps({"x": "a" * (6 * 1024 * 1024 - 9)}).encode()
    assert len(payload) == 6 * 1024 * 1024
    resp = lam.invoke(FunctionName="echo", Payload=payload)
    assert json.loads(resp["Payload"].read()) == json.loads(payload)


@pytest.mark.parametrize(
    "name",
    [
        "hello",
        "123456789012:function:hello",
        "arn:aws:lambda:us-east-1:123456789012:function:hello",
        "function:hello",
    ],
)
def test_name_forms_resolve(lam: Any, name: str) -> None:
    evs = events(lam.invoke_with_response_stream(FunctionName=name))
    assert json.loads(payload_chunks(evs)[0])["function"] == "hello"


@pytest.mark.parametrize(
    "name",
    [
        "arn:aws:lambda:us-east-1:999999999999:function:hello",  # other account
        "arn:aws:lambda:eu-west-1:123456789012:function:hello",  # other region
    ],
)
def test_foreign_arns_are_not_found(lam: Any, name: str) -> None:
    resp = _error(lambda: lam.invoke_with_response_stream(FunctionName=name))
    assert resp["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize(
    ("kwargs", "version", "code"),
    [
        ({}, "$LATEST", None),
        ({"Qualifier": "$LATEST"}, "$LATEST", None),
        ({"Qualifier": "1"}, "1", None),
        ({"Qualifier": "2"}, "2", "v2"),
        ({"Qualifier": "live"}, "1", None),
        ({"Qualifier": "beta"}, "2", "v2"),
        ({"FunctionName": "hello:beta"}, "2", "v2"),
        ({"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:hello:1"}, "1", None),
    ],
)
def test_versions_and_aliases(lam: Any, kwargs: dict[str, str], version: str, code: str) -> None:
    args = {"FunctionName": "hello", **kwargs}
    resp = lam.invoke_with_response_stream(**args)
    assert resp["ExecutedVersion"] == version
    body = json.loads(payload_chunks(events(resp))[0])
    assert body["version"] == version
    if code:
        assert body["code"] == code
    assert lam.invoke(**args)["ExecutedVersion"] == version


def test_invoked_arn_keeps_the_qualifier(lam: Any) -> None:
    resp = lam.invoke(FunctionName="context_info", Qualifier="$LATEST")
    info = json.loads(resp["Payload"].read())
    assert info["invoked_function_arn"].endswith(":function:context_info:$LATEST")


@pytest.mark.parametrize("qualifier", ["7", "nosuchalias"])
def test_unknown_qualifier_is_404(lam: Any, qualifier: str) -> None:
    resp = _error(
        lambda: lam.invoke_with_response_stream(FunctionName="hello", Qualifier=qualifier)
    )
    assert resp["Error"]["Code"] == "ResourceNotFoundException"
    assert resp["Error"]["Message"].endswith(f":function:hello:{qualifier}")


def test_conflicting_qualifiers_are_400(lam: Any) -> None:
    resp = _error(lambda: lam.invoke(FunctionName="hello:1", Qualifier="2"))
    assert resp["Error"]["Code"] == "InvalidParameterValueException"


def test_bad_invocation_type_is_400(lam: Any) -> None:
    resp = _error(
        lambda: lam.invoke_with_response_stream(FunctionName="hello", InvocationType="Event")
    )
    assert resp["Error"]["Code"] == "ValidationException"
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_route_is_404(url: str) -> None:
    r = urllib3.PoolManager().request("GET", url + "/2015-03-31/functions")
    assert r.status == 404
    assert r.headers["x-amzn-ErrorType"] == "UnknownOperationException"


def _chunked_post(url: str, path: str, body: bytes) -> tuple[int, bytes]:
    headers = signed_headers(url, path, body)
    headers.pop("Content-Length", None)
    conn = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    pieces = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    conn.request("POST", path, body=iter(pieces), headers=headers, encode_chunked=True)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def test_chunked_request_body_is_accepted(url: str) -> None:
    body = json.dumps({"k": "v" * 5000}).encode()
    status, data = _chunked_post(url, "/2015-03-31/functions/echo/invocations", body)
    assert status == 200
    assert json.loads(data) == json.loads(body)


def test_chunked_request_body_over_6mb_is_413(url: str) -> None:
    body = b'"' + b"a" * (6 * 1024 * 1024) + b'"'
    status, data = _chunked_post(url, "/2015-03-31/functions/echo/invocations", body)
    assert status == 413
    assert b"6291456" in data


def test_emulator_bug_before_response_is_a_500(monkeypatch: Any, capsys: Any) -> None:
    def broken(body: bytes) -> Any:
        raise RuntimeError("simulated emulator bug")

    monkeypatch.setattr(server, "_event", broken)
    with pawslocal.serve(functions={"f": lambda e, c: 1}) as base:
        resp = _error(lambda: boto_client(base).invoke(FunctionName="f"))
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert resp["Error"]["Code"] == "ServiceException"
    assert "simulated emulator bug" in capsys.readouterr().err
