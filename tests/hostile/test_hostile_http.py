"""Hostile input and servers, HTTP family (issue 8, items 1, 2, 3, 5 and 10), both languages.

Each case is the same call made by the Python client and by the R client, each against
its own raw server on 127.0.0.1. Both must give the same typed outcome, and the server
must have received nothing (for refused input) or exactly the bytes that were signed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pawscore
import pawslambda
import pytest
from pawscore import Client
from pawscore.config import resolve_config

from .rrun import (
    ACCESS_KEY,
    SECRET_KEY,
    SESSION_TOKEN,
    Case,
    Result,
    config,
    r_str,
    run_python,
    run_r,
)
from .wire import check_signed_as_received, chunked_reply, reply_with, wire_server

# --------------------------------------------------------------- header values (items 1, 3)

# Values that must never reach the wire: each would end the header (CR, LF), split the
# request in two (the second carrying the caller's Authorization and session token),
# or cannot be carried by an HTTP header at all.
BAD_HEADER_VALUES = {
    "crlf-injects-a-header": "abc\r\nX-Injected: yes",
    "crlf-splits-the-request": (
        "x\r\n\r\nGET /2015-03-31/functions/victim/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b"
    ),
    "bare-lf": "abc\nX-Injected: yes",
    "bare-cr": "abc\rX-Injected: yes",
    "control-char": "a\x01b",
    "del": "a\x7fb",
    "escape": "a\x1b[31mb",
    "non-latin-1": "日本",
    "line-separator": "a\u2028b",
}


def _client_context_case(name: str, value: str, expect: str) -> Case:
    return Case(
        id=f"header-{name}",
        py=lambda svc: svc.invoke_with_response_stream(FunctionName="f", ClientContext=value),
        r=f'svc$invoke_with_response_stream(FunctionName = "f", ClientContext = {r_str(value)})',
        expect=expect,
    )


HEADER_CASES = [_client_context_case(n, v, "param") for n, v in BAD_HEADER_VALUES.items()]

# Values that are fine: sent, and signed over exactly the bytes sent (UTF-8, as botocore).
GOOD_HEADER_VALUES = {"tab": "a\tb", "latin-1": "café", "plain": "eyJ9"}
GOOD_HEADER_CASES = [
    Case(
        id=f"header-ok-{name}",
        py=lambda svc, value=value: svc.invoke(FunctionName="f", ClientContext=value),
        r=f'svc$invoke(FunctionName = "f", ClientContext = {r_str(value)})',
        expect="ok",
    )
    for name, value in GOOD_HEADER_VALUES.items()
]

# --------------------------------------------------------------- dot segments (item 2)

DOT_CASES = [
    Case(
        id="label-statement-id-dotdot",
        py=lambda svc: svc.remove_permission(FunctionName="f", StatementId=".."),
        r='svc$remove_permission(FunctionName = "f", StatementId = "..")',
        expect="param",
    ),
    Case(
        id="label-statement-id-dot",
        py=lambda svc: svc.remove_permission(FunctionName="f", StatementId="."),
        r='svc$remove_permission(FunctionName = "f", StatementId = ".")',
        expect="param",
    ),
    Case(
        id="label-function-name-dotdot",
        py=lambda svc: svc.get_policy(FunctionName=".."),
        r='svc$get_policy(FunctionName = "..")',
        expect="param",
    ),
    Case(
        id="label-function-name-dot",
        py=lambda svc: svc.get_policy(FunctionName="."),
        r='svc$get_policy(FunctionName = ".")',
        expect="param",
    ),
    Case(
        id="label-uuid-dotdot",
        py=lambda svc: svc.delete_event_source_mapping(UUID=".."),
        r='svc$delete_event_source_mapping(UUID = "..")',
        expect="param",
    ),
    Case(
        id="label-three-dots-is-a-name",
        py=lambda svc: svc.get_policy(FunctionName="..."),
        r='svc$get_policy(FunctionName = "...")',
        expect="ok",
    ),
]

# A made-up operation with a greedy label (Lambda has none), served by pawscore directly.
GREEDY_API: dict[str, Any] = {
    "metadata": {
        "api_version": "2020-01-01",
        "endpoint_prefix": "greedy",
        "signing_name": "greedy",
        "service_id": "Greedy",
        "protocol": "rest-json",
        "uid": "greedy-2020-01-01",
    },
    "operations": {
        "GetObject": {
            "name": "GetObject",
            "http_method": "GET",
            "request_uri": "/objects/{Bucket}/{Key+}",
            "response_code": 200,
            "input": "GetObjectRequest",
            "errors": [],
        }
    },
    "shapes": {
        "GetObjectRequest": {
            "type": "structure",
            "members": {
                "Bucket": {"shape": "Name", "location": "uri", "location_name": "Bucket"},
                "Key": {"shape": "Name", "location": "uri", "location_name": "Key"},
            },
            "required": ["Bucket", "Key"],
        },
        "Name": {"type": "string"},
    },
}


class GreedyClient(Client):
    """A client for the made-up greedy-label API."""

    _api = GREEDY_API


def _greedy_case(name: str, bucket: str, key: str, expect: str) -> Case:
    params = {"Bucket": bucket, "Key": key}
    r_api = f"jsonlite::fromJSON({r_str(json.dumps(GREEDY_API))}, simplifyVector = FALSE)"
    r_params = f"list(Bucket = {r_str(bucket)}, Key = {r_str(key)})"
    return Case(
        id=f"greedy-{name}",
        py=lambda svc: GreedyClient(svc._config_input)._call("GetObject", params),
        r=(
            f"pawscore::call_operation(api = {r_api}, operation = 'GetObject', "
            f"params = {r_params}, config = cfg)"
        ),
        expect=expect,
    )


GREEDY_CASES = [
    _greedy_case("dotdot-inside", "bk", "a/../b", "param"),
    _greedy_case("dotdot-first", "bk", "../b", "param"),
    _greedy_case("dot-inside", "bk", "a/./b", "param"),
    _greedy_case("dotdot-last", "bk", "a/..", "param"),
    _greedy_case("plain-label-dotdot", "..", "a/b", "param"),
    _greedy_case("three-dots-kept", "bk", "a/.../b", "ok"),
]
EXPECTED_PATHS = {
    "label-three-dots-is-a-name": "/2015-03-31/functions/.../policy",
    "greedy-three-dots-kept": "/objects/bk/a/.../b",
}

# --------------------------------------------------------------- broken framing (item 5)

NEGATIVE_CHUNK = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"-5\r\nhello\r\n0\r\n\r\n"
)
FRAMING_CASES = [
    Case(
        id="chunk-size-negative",
        py=lambda svc: svc.get_policy(FunctionName="f"),
        r='svc$get_policy(FunctionName = "f")',
        expect="connection",
        reply=NEGATIVE_CHUNK,
        config={"max_attempts": 1},
    ),
    Case(
        id="chunk-size-negative-in-stream",
        py=lambda svc: svc.invoke_with_response_stream(FunctionName="f"),
        r='svc$invoke_with_response_stream(FunctionName = "f")',
        expect="truncated",
        reply=NEGATIVE_CHUNK.replace(b"application/json", b"application/vnd.amazon.eventstream"),
        config={"max_attempts": 1},
    ),
]

# --------------------------------------------------------------- deadline (item 10)

DEADLINE = 2.0
# A complete event-stream answer, dripped one byte every 0.5 s after its head.
_DRIP_BODY = chunked_reply([b"\x00" * 40])
DEADLINE_CASES = [
    Case(
        id="deadline-drip-in-headers",
        py=lambda svc: svc.get_policy(FunctionName="f"),
        r='svc$get_policy(FunctionName = "f")',
        expect="timeout",
        reply=reply_with(200, b'{"Policy": "{}"}'),
        drip=0.5,
        config={"deadline": DEADLINE},
    ),
    Case(
        id="deadline-drip-in-event-stream",
        py=lambda svc: svc.invoke_with_response_stream(FunctionName="f"),
        r='svc$invoke_with_response_stream(FunctionName = "f")',
        expect="timeout",
        reply=_DRIP_BODY,
        drip=0.5,
        drip_from=_DRIP_BODY.index(b"\r\n\r\n") + 4,
        config={"deadline": DEADLINE},
    ),
    Case(
        # Not a deadline: a server silent for longer than read_timeout. The same typed
        # timeout in both languages (R used to call it a plain connection error).
        id="read-timeout-is-typed",
        py=lambda svc: svc.get_policy(FunctionName="f"),
        r='svc$get_policy(FunctionName = "f")',
        expect="timeout",
        reply=reply_with(200, b"{}"),
        drip=3.0,
        drip_from=len(b"HTTP/1.1 200 OK\r\n"),
        config={"read_timeout": 1, "max_attempts": 1},
    ),
    Case(
        id="deadline-ends-retries",
        py=lambda svc: svc.get_policy(FunctionName="f"),
        r='svc$get_policy(FunctionName = "f")',
        expect="timeout",
        reply=reply_with(503, b'{"message": "busy"}', {"x-amzn-ErrorType": "ServiceException"}),
        config={"deadline": 1.0, "max_attempts": 100000},
    ),
]

CASES = HEADER_CASES + GOOD_HEADER_CASES + DOT_CASES + GREEDY_CASES + FRAMING_CASES
CASES += DEADLINE_CASES
IDS = [c.id for c in CASES]
assert len(set(IDS)) == len(IDS)


@pytest.fixture(scope="module")
def r_results() -> Iterator[dict[str, Result]]:
    """Every case run once by the R client (one Rscript), servers kept for inspection."""
    with run_r(CASES) as results:
        yield results


def _check(case: Case, result: Result) -> None:
    outcome = result.outcome
    # No failure shows a secret, in its message or anywhere in the condition.
    for secret in (SECRET_KEY, SESSION_TOKEN):
        assert secret not in json.dumps(outcome) + result.shown
    if case.expect == "ok":
        assert outcome == {"ok": True}, outcome
    else:
        assert outcome.get("error") == case.expect, outcome
    requests = result.server.requests()
    if case.expect == "param":
        # Refused input: not one byte reached the server.
        assert result.server.received() == b""
        assert "X-Injected" not in outcome["message"]
    if case.id.startswith("header-ok-") or case.id in EXPECTED_PATHS:
        assert len(requests) == 1
        check_signed_as_received(requests[0], ACCESS_KEY, SECRET_KEY)
    if case.id.startswith("header-ok-"):
        value = GOOD_HEADER_VALUES[case.id.removeprefix("header-ok-")]
        assert requests[0].header("x-amz-client-context") == value.encode("utf-8")
    if case.id in EXPECTED_PATHS:
        assert requests[0].target == EXPECTED_PATHS[case.id]
    if case.id.startswith("deadline-drip"):
        # Loose bound: the point is that the call ends at all (the drip lasts > 30 s).
        assert result.seconds < DEADLINE + 3
        assert len(requests) == 1  # a deadline is not retried


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python(case: Case) -> None:
    _check(case, run_python(case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_r(case: Case, r_results: dict[str, Result]) -> None:
    _check(case, r_results[case.id])


def test_the_latin_1_value_goes_out_as_botocore_sends_it() -> None:
    """``café`` reaches the server as the same bytes from botocore and from pawslambda."""
    with wire_server() as server:
        boto = boto3.client(
            "lambda",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        boto.invoke(FunctionName="f", ClientContext="café")
        ours = run_python(GOOD_HEADER_CASES[1])
    assert ours.outcome == {"ok": True}
    sent_by_boto = server.requests()[0].header("x-amz-client-context")
    assert (
        sent_by_boto == ours.server.requests()[0].header("x-amz-client-context") == b"caf\xc3\xa9"
    )
    check_signed_as_received(server.requests()[0], ACCESS_KEY, SECRET_KEY)


def test_the_deadline_also_ends_a_stream_read_at_the_callers_pace() -> None:
    """``stream=True`` returns once the head is in; reading the events later still ends."""
    case = DEADLINE_CASES[1]
    with case.server() as server:
        svc = pawslambda.client(config(server.url, deadline=DEADLINE))
        start = time.monotonic()
        events = svc.invoke_with_response_stream(FunctionName="f", stream=True)["EventStream"]
        with pytest.raises(pawscore.ReadTimeoutError, match="deadline"):
            list(events)
        assert time.monotonic() - start < DEADLINE + 3
        svc.close()


def test_deadline_is_an_optional_positive_number() -> None:
    meta = {"endpoint_prefix": "lambda", "service_id": "Lambda"}
    assert resolve_config({"region": "us-east-1"}, meta).deadline is None
    assert resolve_config({"region": "us-east-1", "deadline": 2}, meta).deadline == 2.0
    for bad in (0, -1, "soon", True):
        with pytest.raises(pawscore.ConfigError, match="deadline"):
            pawslambda.client({"deadline": bad})
