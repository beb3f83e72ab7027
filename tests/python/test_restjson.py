"""rest-json details on the real Lambda model (the conformance suite covers the rest)."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

import pytest
from pawscore.restjson import build_request, parse_error, parse_response
from pawscore.timestamps import format_timestamp, parse_timestamp

from codegen.apidata import build_api_data

from .support import API, ERRORS

ENDPOINT = "http://127.0.0.1:9001"


def test_uri_labels_are_percent_encoded() -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod"
    req = build_request(API, "InvokeWithResponseStream", {"FunctionName": arn}, ENDPOINT)
    assert req.url == (
        "http://127.0.0.1:9001/2021-11-15/functions/"
        "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3Aprod"
        "/response-streaming-invocations"
    )


def test_endpoint_path_prefix_is_kept() -> None:
    req = build_request(API, "GetFunction", {"FunctionName": "f"}, "https://proxy.example/lambda/")
    assert req.url == "https://proxy.example/lambda/2015-03-31/functions/f"


def test_blob_payload_is_the_raw_body_from_any_input() -> None:
    for value in (b"\x00\xff", bytearray(b"\x00\xff"), io.BytesIO(b"\x00\xff")):
        req = build_request(
            API, "InvokeWithResponseStream", {"FunctionName": "f", "Payload": value}, ENDPOINT
        )
        assert req.body == b"\x00\xff"
        assert req.headers["Content-Length"] == "2"
    req = build_request(API, "Invoke", {"FunctionName": "f", "Payload": "héllo"}, ENDPOINT)
    assert req.body == "héllo".encode()


def test_no_body_no_content_type() -> None:
    req = build_request(API, "InvokeWithResponseStream", {"FunctionName": "f"}, ENDPOINT)
    assert req.body == b""
    assert "Content-Type" not in req.headers and "Content-Length" not in req.headers


def test_query_members_and_none_dropped() -> None:
    req = build_request(
        API,
        "ListFunctions",
        {"MaxItems": 10, "Marker": "a b/c", "FunctionVersion": None},
        ENDPOINT,
    )
    assert req.method == "GET"
    assert req.url.endswith("/2015-03-31/functions?Marker=a%20b%2Fc&MaxItems=10")


IDEMPOTENT: dict[str, Any] = {
    "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "2020-01-01"},
    "operations": {
        "Make": {
            "name": "Make",
            "http": {"method": "POST", "requestUri": "/make"},
            "input": {"shape": "MakeInput"},
        }
    },
    "shapes": {
        "MakeInput": {
            "type": "structure",
            "members": {
                "Token": {"shape": "S", "idempotencyToken": True},
                "When": {"shape": "T"},
                "Stamp": {"shape": "T", "location": "header", "locationName": "X-Stamp"},
                "Meta": {
                    "shape": "S",
                    "location": "header",
                    "locationName": "X-Meta",
                    "jsonvalue": True,
                },
            },
        },
        "S": {"type": "string"},
        "T": {"type": "timestamp"},
    },
}


def test_idempotency_token_is_filled_when_absent() -> None:
    api = build_api_data(IDEMPOTENT)
    req = build_request(api, "Make", {}, ENDPOINT)
    token = json.loads(req.body)["Token"]
    assert uuid.UUID(token).version == 4
    req = build_request(api, "Make", {"Token": "mine"}, ENDPOINT)
    assert json.loads(req.body)["Token"] == "mine"
    assert req.headers["Content-Type"] == "application/json"


def test_timestamps_by_location_and_jsonvalue_headers() -> None:
    api = build_api_data(IDEMPOTENT)
    when = dt.datetime(2019, 12, 16, 23, 48, 18, tzinfo=dt.timezone.utc)
    req = build_request(
        api, "Make", {"Token": "t", "When": when, "Stamp": when, "Meta": {"a": [1]}}, ENDPOINT
    )
    assert json.loads(req.body)["When"] == 1576540098
    assert req.headers["X-Stamp"] == "Mon, 16 Dec 2019 23:48:18 GMT"
    assert req.headers["X-Meta"] == "eyJhIjpbMV19"  # base64 of {"a":[1]}


def test_stream_response_headers_are_typed_and_ordered() -> None:
    out = parse_response(
        API,
        "InvokeWithResponseStream",
        200,
        {"content-type": "application/vnd.amazon.eventstream", "X-Amz-Executed-Version": "7"},
        b"",
    )
    assert out == {
        "StatusCode": 200,
        "ExecutedVersion": "7",
        "ResponseStreamContentType": "application/vnd.amazon.eventstream",
    }
    assert list(out) == ["StatusCode", "ExecutedVersion", "ResponseStreamContentType"]


def test_lambda_error_with_header_code() -> None:
    err = parse_error(
        API,
        404,
        {"x-amzn-ErrorType": "ResourceNotFoundException", "x-amzn-RequestId": "rid"},
        b'{"Type": "User", "message": "Function not found"}',
        ERRORS,
    )
    assert type(err) is ERRORS["ResourceNotFoundException"]
    assert (err.code, err.message, err.status_code, err.request_id) == (
        "ResourceNotFoundException",
        "Function not found",
        404,
        "rid",
    )
    assert err.fields == {"Type": "User"}
    assert "ResourceNotFoundException: Function not found (HTTP 404, request id rid)" in str(err)


def test_unparseable_error_body_still_gives_a_typed_error() -> None:
    err = parse_error(API, 502, {}, b"<html>bad gateway</html>", ERRORS)
    assert err.code == "Http502" and err.status_code == 502


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-12-16T23:48:18Z", 1576540098),
        ("2019-12-16T23:48:18.5Z", 1576540098.5),
        ("2019-12-17T00:48:18+01:00", 1576540098),
        ("Mon, 16 Dec 2019 23:48:18 GMT", 1576540098),
        ("1576540098", 1576540098),
        (1576540098, 1576540098),
    ],
)
def test_parse_timestamp(text: str | int, expected: float) -> None:
    value = parse_timestamp(text)
    assert value.tzinfo is not None and value.utcoffset() == dt.timedelta(0)
    assert value.timestamp() == expected


def test_format_timestamp() -> None:
    naive = dt.datetime(2019, 12, 16, 23, 48, 18, 500000)
    assert format_timestamp(naive, "iso8601") == "2019-12-16T23:48:18.500Z"
    assert format_timestamp(naive, "unixTimestamp") == 1576540098.5
    assert format_timestamp(1576540098, "rfc822") == "Mon, 16 Dec 2019 23:48:18 GMT"
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


def test_host_prefix_with_host_label() -> None:
    model = {
        "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "1"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "POST", "requestUri": "/op"},
                "input": {"shape": "In"},
            }
        },
        "shapes": {
            "In": {
                "type": "structure",
                "members": {"label": {"shape": "S", "hostLabel": True}},
            },
            "S": {"type": "string"},
        },
    }
    api = build_api_data(model)
    api["operations"]["Op"]["host_prefix"] = "foo.{label}."  # proposed API-data key
    req = build_request(api, "Op", {"label": "bar"}, "https://example.com")
    assert req.url == "https://foo.bar.example.com/op"
    assert json.loads(req.body) == {"label": "bar"}
    with pytest.raises(ValueError, match="valid DNS label"):
        build_request(api, "Op", {"label": "evil.com/x"}, "https://example.com")


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"text"',
        b'{"Configuration": "f"}',
        b'{"Configuration": {"Architectures": "x86_64"}}',
        b'{"Tags": ["a", "b"]}',
    ],
)
def test_body_of_the_wrong_json_kind_is_an_error_not_less_data(body: bytes) -> None:
    # A string where a list is due must not come back as a list of characters, and a
    # body that is not an object must not come back as an empty answer.
    with pytest.raises((TypeError, ValueError)):
        parse_response(API, "GetFunction", 200, {}, body)


def test_modeled_error_member_that_does_not_fit_keeps_the_service_error() -> None:
    model = {
        "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "1"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "POST", "requestUri": "/op"},
                "errors": [{"shape": "Boom"}],
            }
        },
        "shapes": {
            "Boom": {
                "type": "structure",
                "exception": True,
                "members": {"Count": {"shape": "Int"}, "message": {"shape": "Str"}},
            },
            "Int": {"type": "integer"},
            "Str": {"type": "string"},
        },
    }
    api = build_api_data(model)
    err = parse_error(api, 400, {"x-amzn-ErrorType": "Boom"}, b'{"Count": "many", "message": "m"}')
    assert (err.code, err.message, err.status_code) == ("Boom", "m", 400)
    assert err.fields == {"Count": "many"}


def test_request_repr_hides_token_signature_and_body() -> None:
    from pawscore.credentials import Credentials
    from pawscore.http import HttpRequest
    from pawscore.signer import sign_request

    from .support import ACCESS_KEY, SECRET_KEY, SESSION_TOKEN

    req = build_request(
        API, "Invoke", {"FunctionName": "f", "Payload": b'{"password": "pw-in-body"}'}, ENDPOINT
    )
    creds = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)
    headers = sign_request(req.method, req.url, req.headers, req.body, creds, "us-east-1", "lambda")
    signed = HttpRequest(req.method, req.url, headers, req.body)
    text = repr(signed)
    signature = headers["Authorization"].rsplit("=", 1)[1]
    for secret in (SESSION_TOKEN, SECRET_KEY, signature, "pw-in-body"):
        assert secret not in text, text
    assert "/2015-03-31/functions/f/invocations" in text and "<hidden>" in text


@pytest.mark.parametrize(
    ("text", "micro"),
    [
        ("2019-12-16T23:48:18.9999999Z", 999999),  # rounding gave 1000000: a ValueError
        ("2019-12-16T23:48:18.1234567Z", 123456),  # botocore cuts, it does not round
        ("2019-12-16T23:48:18.123+0000", 123000),
    ],
)
def test_timestamp_fractions_past_microseconds_are_cut_like_botocore(text: str, micro: int) -> None:
    from botocore.utils import parse_timestamp as botocore_parse

    moment = parse_timestamp(text)
    assert moment.microsecond == micro
    assert moment == botocore_parse(text)


def test_repeated_response_headers_are_joined_not_cut_to_the_last() -> None:
    from urllib3 import HTTPHeaderDict

    model = {
        "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "1"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "GET", "requestUri": "/op"},
                "output": {"shape": "Out"},
            }
        },
        "shapes": {
            "Out": {
                "type": "structure",
                "members": {
                    "Items": {"shape": "Items", "location": "header", "locationName": "X-Items"},
                    "Meta": {"shape": "Meta", "location": "headers", "locationName": "X-Meta-"},
                },
            },
            "Items": {"type": "list", "member": {"shape": "S"}},
            "Meta": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
            "S": {"type": "string"},
        },
    }
    api = build_api_data(model)
    # urllib3's header dict (what the client gets) yields a repeated header once per value.
    headers = HTTPHeaderDict()
    headers.add("X-Items", "a")
    headers.add("x-items", "b, c")
    headers.add("X-Meta-Color", "red")
    headers.add("X-Meta-Color", "blue")
    out = parse_response(api, "Op", 200, headers, b"")
    assert out == {"Items": ["a", "b", "c"], "Meta": {"Color": "red, blue"}}
    assert out == parse_response(api, "Op", 200, dict(headers), b"")  # joined by urllib3
