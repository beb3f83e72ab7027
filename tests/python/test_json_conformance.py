"""botocore's json protocol cases (awsJson 1.1 and 1.0), run through the protocol seam.

Reads tests/conformance/protocols (AWS's data, vendored with its LICENSE and NOTICE).
Skips only the cases botocore itself ignores (protocol-tests-ignore-list.json); the
API data goes through ``pawscore.protocol``, so ``metadata.protocol`` picks the module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pawscore import jsonprotocol
from pawscore.protocol import build_request, parse_error, parse_response, protocol_for

from codegen.apidata import build_api_data
from tests.python.fixture_values import plain

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance" / "protocols"
ENDPOINT = "https://example.com"

# (file, key of the ignore list)
SUITES = {"1.1": ("json", "json"), "1.0": ("json_1_0", "json_1_0")}


def _load(name: str) -> Any:
    return json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))


def _cases(direction: str) -> list[Any]:
    ignore = _load("protocol-tests-ignore-list.json")
    suites = set(ignore["general"].get(direction, {}).get("suites", []))
    out = []
    for version, (stem, key) in SUITES.items():
        ignored = set(ignore["protocols"][key].get(direction, {}).get("cases", []))
        for suite in _load(f"{direction}-{stem}.json"):
            if suite["description"] in suites:
                continue
            for case in suite["cases"]:
                if case["id"] in ignored:
                    continue
                out.append(pytest.param(suite, case, id=f"{version}-{case['id']}"))
    return out


INPUT_CASES = _cases("input")
OUTPUT_CASES = _cases("output")


def _api(suite: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    model = {
        "metadata": {**suite["metadata"], "endpointPrefix": "example"},
        "shapes": suite["shapes"],
        "operations": {case["given"]["name"]: case["given"]},
    }
    return build_api_data(model)


def test_every_case_is_run() -> None:
    # The counts the closing note reports: all non-ignored cases of both versions.
    assert len(INPUT_CASES) == 68
    assert len(OUTPUT_CASES) == 78


@pytest.mark.parametrize(("suite", "case"), INPUT_CASES)
def test_serialize(suite: dict[str, Any], case: dict[str, Any]) -> None:
    api = _api(suite, case)
    assert protocol_for(api).name == "json"
    expected = case["serialized"]
    request = build_request(api, case["given"]["name"], case["params"], ENDPOINT)
    url = urlsplit(request.url)
    assert request.method == expected["method"]
    assert url.path + (f"?{url.query}" if url.query else "") == expected["uri"]
    assert url.netloc == expected.get("host", "example.com")
    headers = {k.lower(): v for k, v in request.headers.items()}
    for name, value in expected.get("headers", {}).items():
        assert headers.get(name.lower()) == value, name
    for name in expected.get("forbidHeaders", []):
        assert name.lower() not in headers
    for name in expected.get("requireHeaders", []):
        assert name.lower() in headers
    assert headers["content-length"] == str(len(request.body))
    assert "x-amzn-query-mode" not in headers
    if "body" in expected:
        assert json.loads(request.body) == json.loads(expected["body"])


@pytest.mark.parametrize(("suite", "case"), OUTPUT_CASES)
def test_parse(suite: dict[str, Any], case: dict[str, Any]) -> None:
    api = _api(suite, case)
    response = case["response"]
    status = response["status_code"]
    headers = response.get("headers", {})
    body = response.get("body", "").encode("utf-8")
    if "errorCode" in case:
        error = parse_error(api, status, headers, body)
        assert error.code == case["errorCode"]
        assert error.status_code == status
        if "errorMessage" in case:
            assert error.message == case["errorMessage"]
        want = {k: v for k, v in case["error"].items() if k not in ("Message", "message")}
        assert plain(error.fields) == want
        return
    result = parse_response(api, case["given"]["name"], status, headers, body)
    assert plain(result) == case["result"]
    output = case["given"].get("output")
    if output:
        order = list(suite["shapes"][output["shape"]].get("members", {}))
        assert list(result) == [m for m in order if m in result]


# ---- what the conformance data does not cover: query-compatible services (SQS)

SQS_LIKE = {
    "metadata": {
        "protocol": "json",
        "json_version": "1.0",
        "target_prefix": "AmazonSQS",
        "aws_query_compatible": True,
    },
    "operations": {
        "GetQueueUrl": {
            "name": "GetQueueUrl",
            "http_method": "POST",
            "request_uri": "/",
            "input": "In",
            "errors": ["QueueDoesNotExist"],
        }
    },
    "shapes": {
        "In": {"type": "structure", "members": {"QueueName": {"shape": "S"}}},
        "S": {"type": "string"},
        "QueueDoesNotExist": {
            "type": "structure",
            "members": {"message": {"shape": "S"}},
            "exception": True,
        },
    },
}


def test_query_compatible_services_get_the_query_mode_header() -> None:
    request = jsonprotocol.build_request(SQS_LIKE, "GetQueueUrl", {"QueueName": "q"}, ENDPOINT)
    assert request.headers["x-amzn-query-mode"] == "true"
    assert request.headers["X-Amz-Target"] == "AmazonSQS.GetQueueUrl"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert request.url == "https://example.com/"
    assert json.loads(request.body) == {"QueueName": "q"}


def test_query_error_header_gives_the_code_and_the_shape_still_gives_the_class() -> None:
    from pawscore import ServiceError

    class QueueDoesNotExist(ServiceError):
        pass

    headers = {
        "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender",
        "x-amzn-RequestId": "rid-1",
    }
    body = b'{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "gone"}'
    errors = {"QueueDoesNotExist": QueueDoesNotExist}
    error = jsonprotocol.parse_error(SQS_LIKE, 400, headers, body, errors)
    assert type(error) is QueueDoesNotExist
    assert error.code == "AWS.SimpleQueueService.NonExistentQueue"
    assert error.message == "gone" and error.request_id == "rid-1"
    # As in R: body keys other than code and message, then modeled members.
    assert error.fields == {}
    extra = b'{"__type": "QueueDoesNotExist", "message": "m", "Detail": "x"}'
    assert jsonprotocol.parse_error(SQS_LIKE, 400, headers, extra).fields == {"Detail": "x"}
    # A malformed header (no fault part) leaves the body's code in place, as botocore does.
    plain = jsonprotocol.parse_error(SQS_LIKE, 400, {"x-amzn-query-error": "Odd"}, body, errors)
    assert plain.code == "QueueDoesNotExist" and type(plain) is QueueDoesNotExist


@pytest.mark.parametrize(
    ("type_field", "code"),
    [
        ("FooError", "FooError"),
        ("aws.protocoltests.restjson#FooError", "FooError"),
        ("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
        ("aws.ns#FooError:http://internal.amazon.com/coral/x/", "FooError"),
    ],
)
def test_type_codes_lose_namespace_and_uri(type_field: str, code: str) -> None:
    body = json.dumps({"__type": type_field}).encode()
    assert jsonprotocol.parse_error(SQS_LIKE, 400, {}, body).code == code


def test_a_code_less_error_is_named_by_its_status() -> None:
    error = jsonprotocol.parse_error(SQS_LIKE, 503, {}, b"<html>busy</html>")
    assert error.code == "Http503" and error.status_code == 503


@pytest.mark.parametrize("text", [b"[]", b"null", b'"text"', b"12"])
def test_a_body_that_is_not_a_json_object_is_refused(text: bytes) -> None:
    api = {
        **SQS_LIKE,
        "operations": {"GetQueueUrl": {**SQS_LIKE["operations"]["GetQueueUrl"], "output": "In"}},
    }
    with pytest.raises(TypeError):
        jsonprotocol.parse_response(api, "GetQueueUrl", 200, {}, text)
    assert jsonprotocol.parse_response(api, "GetQueueUrl", 200, {}, b"") == {}
    assert jsonprotocol.parse_response(api, "GetQueueUrl", 200, {}, b'{"QueueName": "q"}') == {
        "QueueName": "q"
    }
