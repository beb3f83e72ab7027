"""Hostile event streams and error bodies, through both real clients over HTTP.

A server on 127.0.0.1 answers each function name with crafted bytes; the Python
client and the R client (one Rscript run for all cases) call
``invoke_with_response_stream`` against it.  Each case asserts the outcome in both
languages (events delivered, then the typed error), and that exactly one request
reached the server (``max_attempts = 1``: nothing hidden behind a retry).  Where boto3
is the reference (issue 8: message types, event types, frame sizes), botocore's
EventStream must deliver the same events.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

import pytest
from pawscore.errors import HeaderValueOutOfRange
from pawscore.events import message_to_event
from pawscore.eventstream import EventStreamDecoder, Message

from .es_harness import (
    Outcome,
    Reply,
    botocore_outcome,
    chunk,
    complete,
    event_block,
    exception,
    frame,
    header,
    hostile_server,
    python_client_outcome,
    r_client_outcomes,
    r_library,
    text,
)

EVENT_STREAM = (("Content-Type", "application/vnd.amazon.eventstream"),)


def _hex(value: str) -> str:
    return value.encode("utf-8").hex()


def payload_event(data: bytes) -> list[Any]:
    """A PayloadChunk event in outcome form."""
    return ["PayloadChunk", [["Payload", f"b:{len(data)}:{zlib.crc32(data)}"]]]


def complete_event(**members: str) -> list[Any]:
    """An InvokeComplete event in outcome form (members in model order)."""
    order = ("ErrorCode", "ErrorDetails", "LogResult")
    return ["InvokeComplete", [[k, "s:" + _hex(members[k])] for k in order if k in members]]


def service(code: str, message: str = "") -> list[Any]:
    """A service error in outcome form."""
    return ["ServiceError", f"{_hex(code)}:{_hex(message)}"]


def outcome(*events: list[Any], error: list[Any] | None = None) -> Outcome:
    """An expected outcome."""
    return {"events": list(events), "error": error}


def deep(depth: int, key: str = "LogResult") -> bytes:
    """A JSON object whose member ``key`` holds arrays nested to ``depth`` in all."""
    inner = depth - 1
    return b'{"' + key.encode() + b'":' + b"[" * inner + b"]" * inner + b"}"


def with_header(event_type: str, extra: bytes, payload: bytes = b"x") -> bytes:
    """An event frame with one more header after Lambda's three."""
    return frame(event_block(event_type) + extra, payload)


def typed_event_type(tag: int, value: bytes) -> bytes:
    """A PayloadChunk frame whose :event-type header is of another type."""
    block = (
        header(":event-type", tag, value)
        + header(":content-type", 7, text("application/octet-stream"))
        + header(":message-type", 7, text("event"))
    )
    return frame(block, b"x")


def message_type(value_tag: int, value: bytes, payload: bytes = b"x") -> bytes:
    """A PayloadChunk frame with the given :message-type header."""
    block = (
        header(":event-type", 7, text("PayloadChunk"))
        + header(":content-type", 7, text("application/octet-stream"))
        + header(":message-type", value_tag, value)
    )
    return frame(block, payload)


def prelude_only(total: int, headers_len: int) -> bytes:
    """A prelude with a valid CRC announcing a frame of these lengths (and no more)."""
    prelude = struct.pack(">II", total, headers_len)
    return prelude + struct.pack(">I", zlib.crc32(prelude))


@dataclass(frozen=True)
class Case:
    """One hostile answer and what both clients must make of it."""

    name: str
    reply: Reply
    expect: Outcome
    boto3_events: bool = False  # botocore must deliver the same events


def stream(*frames: bytes) -> Reply:
    """A 200 event-stream answer."""
    return Reply(200, b"".join(frames), EVENT_STREAM)


def error_body(status: int, body: bytes, error_type: str | None = None) -> Reply:
    """A non-2xx JSON answer."""
    headers = [("Content-Type", "application/json")]
    if error_type:
        headers.append(("X-Amzn-ErrorType", error_type))
    return Reply(status, body, tuple(headers))


OK_END = complete(b'{"LogResult":"bG9n"}')
END = complete_event(LogResult="bG9n")
OVER_16_MIB = bytes(range(256)) * (16 * 1024 * 1024 // 256) + b"!"

CASES = [
    # Item 5: JSON nested 100,000 deep is a typed error, never RecursionError.
    Case(
        "deep-invoke-complete",
        stream(chunk(b"a"), complete(deep(100_000))),
        outcome(payload_event(b"a"), error=["ResponseParseError", None]),
    ),
    Case(
        "deep-exception-event",
        stream(chunk(b"a"), exception("ServiceException", deep(100_000, "message"))),
        outcome(payload_event(b"a"), error=service("ServiceException")),
    ),
    Case(
        "deep-error-body-typed-header",
        error_body(500, deep(100_000, "message"), "ServiceException"),
        outcome(error=service("ServiceException")),
    ),
    Case("deep-error-body", error_body(400, deep(100_000)), outcome(error=service("Http400"))),
    Case(
        "json-depth-500-is-read",
        stream(complete(deep(500, "Other")[:-1] + b',"ErrorCode":"E"}')),
        outcome(complete_event(ErrorCode="E")),
    ),
    Case(
        "json-depth-501-is-refused",
        stream(complete(deep(501, "Other")[:-1] + b',"ErrorCode":"E"}')),
        outcome(error=["ResponseParseError", None]),
    ),
    # Item 6: no silently wrong data in R.
    Case(
        "event-type-integer",
        stream(typed_event_type(4, struct.pack(">i", 1)), OK_END),
        outcome(END),
        boto3_events=True,
    ),
    Case(
        "event-type-true",
        stream(typed_event_type(0, b""), OK_END),
        outcome(END),
        boto3_events=True,
    ),
    Case(
        "event-type-long",
        stream(typed_event_type(5, struct.pack(">q", 2)), OK_END),
        outcome(END),
        boto3_events=True,
    ),
    Case(
        "event-type-bytes",
        stream(typed_event_type(6, text("PayloadChunk")), OK_END),
        outcome(END),
        boto3_events=True,
    ),
    Case(
        "invoke-complete-array",
        stream(chunk(b"a"), complete(b"[1,2]")),
        outcome(payload_event(b"a"), error=["ResponseParseError", None]),
    ),
    Case(
        "invoke-complete-string",
        stream(complete(b'"s"')),
        outcome(error=["ResponseParseError", None]),
    ),
    Case(
        "invoke-complete-number",
        stream(complete(b"123")),
        outcome(error=["ResponseParseError", None]),
    ),
    Case(
        "invoke-complete-null",
        stream(complete(b"null")),
        outcome(error=["ResponseParseError", None]),
    ),
    Case(
        "error-code-object",
        stream(complete(b'{"ErrorCode": {"nested": 1}}')),
        outcome(error=["ResponseParseError", None]),
    ),
    Case(
        "error-code-number",
        stream(complete(b'{"ErrorCode": 5}')),
        outcome(error=["ResponseParseError", None]),
    ),
    Case(
        "error-code-repeated-key",
        stream(complete(b'{"ErrorCode": "first", "ErrorCode": "last"}')),
        outcome(complete_event(ErrorCode="last")),
        boto3_events=True,
    ),
    Case(
        "error-body-type-object",
        error_body(400, b'{"__type": {"nested": 1}, "message": "m"}'),
        outcome(error=service("Http400", "m")),
    ),
    # Item 8: identical bytes, identical outcome (boto3's rule for message types).
    Case(
        "message-type-bogus",
        stream(message_type(7, text("bogus")), OK_END),
        outcome(payload_event(b"x"), END),
        boto3_events=True,
    ),
    Case(
        "message-type-integer",
        stream(message_type(4, struct.pack(">i", 5)), OK_END),
        outcome(payload_event(b"x"), END),
        boto3_events=True,
    ),
    Case(
        "unread-long-beyond-2-53",
        stream(with_header("PayloadChunk", header("big", 5, struct.pack(">q", 2**60))), OK_END),
        outcome(payload_event(b"x"), END),
        boto3_events=True,
    ),
    Case(
        "unread-integer-int32-min",
        stream(with_header("PayloadChunk", header("n", 4, struct.pack(">i", -(2**31)))), OK_END),
        outcome(payload_event(b"x"), END),
        boto3_events=True,
    ),
    Case(
        "unread-string-with-nul",
        stream(with_header("PayloadChunk", header("s", 7, text(b"a\x00b"))), OK_END),
        outcome(payload_event(b"x"), END),
        boto3_events=True,
    ),
    Case(
        "unread-timestamp-beyond-datetime",
        stream(with_header("PayloadChunk", header("t", 8, struct.pack(">q", 2**62))), OK_END),
        outcome(payload_event(b"x"), END),
        boto3_events=True,
    ),
    Case(
        "header-name-with-nul",
        stream(with_header("PayloadChunk", header(b"n\x00", 0))),
        outcome(error=["InvalidFrame", 0]),
    ),
    Case(
        "exception-type-with-nul",
        stream(
            frame(
                header(":message-type", 7, text("exception"))
                + header(":exception-type", 7, text(b"Service\x00Exception")),
                b'{"message": "m"}',
            )
        ),
        outcome(error=service("ServiceError", "m")),
    ),
    # Item 9: botocore's frame limits (payload 24 MiB, headers 128 KiB).
    Case(
        "frame-over-16-mib",
        stream(chunk(OVER_16_MIB), OK_END),
        outcome(payload_event(OVER_16_MIB), END),
        boto3_events=True,
    ),
    Case(
        "payload-over-24-mib",
        stream(OK_END, prelude_only(16 + 100 + 24 * 1024 * 1024 + 1, 100)),
        outcome(END, error=["InvalidFrame", len(OK_END)]),
    ),
    Case(
        "headers-over-128-kib",
        stream(prelude_only(16 + 128 * 1024 + 1, 128 * 1024 + 1)),
        outcome(error=["InvalidFrame", 0]),
    ),
]
BY_NAME = {case.name: case for case in CASES}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every case through both clients; the requests that reached the server."""
    lib = r_library()
    workdir = tmp_path_factory.mktemp("hostile-es")
    with hostile_server({case.name: case.reply for case in CASES}) as (url, hits):
        python = {case.name: python_client_outcome(case.name, url) for case in CASES}
        python_hits = dict(hits)
        hits.clear()
        r_list = r_client_outcomes(lib, [case.name for case in CASES], url, workdir)
        r_hits = dict(hits)
    return {
        "python": python,
        "r": dict(zip([c.name for c in CASES], r_list, strict=True)),
        "python_hits": python_hits,
        "r_hits": r_hits,
    }


@pytest.mark.parametrize("name", list(BY_NAME))
def test_both_clients_give_the_typed_outcome(name: str, outcomes: dict[str, Any]) -> None:
    case = BY_NAME[name]
    assert outcomes["python"][name] == case.expect, "Python"
    assert outcomes["r"][name] == case.expect, "R"
    assert outcomes["python_hits"].get(name) == 1
    assert outcomes["r_hits"].get(name) == 1


@pytest.mark.parametrize("name", [c.name for c in CASES if c.boto3_events])
def test_boto3_delivers_the_same_events(name: str) -> None:
    case = BY_NAME[name]
    assert botocore_outcome([case.reply.body])["events"] == case.expect["events"]


def test_the_cases_cover_every_error_kind() -> None:
    kinds = {(c.expect["error"] or ["none"])[0] for c in CASES}
    assert kinds == {"none", "ResponseParseError", "ServiceError", "InvalidFrame"}


def test_an_unreadable_header_value_fails_only_when_the_model_reads_it() -> None:
    # The R side of this rule is in r/pawscore/tests/testthat/test-client.R.
    api: dict[str, Any] = {
        "shapes": {
            "Events": {
                "type": "structure",
                "event_stream": True,
                "members": {"Tick": {"shape": "Tick"}},
            },
            "Tick": {
                "type": "structure",
                "event": True,
                "members": {"When": {"shape": "Time", "event_header": True}},
            },
            "Time": {"type": "timestamp"},
        }
    }
    beyond = struct.pack(">q", 10**15)  # year 33658: outside datetime's range

    def message(name: str) -> Message:
        block = event_block("Tick") + header(name, 8, beyond)
        [msg] = EventStreamDecoder().feed(frame(block, b""))
        return msg

    assert message_to_event(api, "Events", message("Other")) == {"Tick": {}}
    with pytest.raises(HeaderValueOutOfRange, match=r"'When'.*datetime"):
        message_to_event(api, "Events", message("When"))


def test_an_exception_event_first_is_never_retried(tmp_path: Any) -> None:
    """A throttling exception as the stream's first frame: raised, not retried, in both.

    The answer had begun (HTTP 200), so neither client sends the call again, as
    botocore does (it reads the stream after the call returned), even with attempts to spare.
    """
    import subprocess

    import pawscore
    import pawslambda

    reply = stream(exception("TooManyRequestsException", b'{"message":"slow down"}'))
    creds = {"access_key_id": "AKIDHOSTILE", "secret_access_key": "hostile"}
    with hostile_server({"throttled": reply}) as (url, hits):
        config = {"region": "us-east-1", "endpoint": url, "max_attempts": 3}
        svc = pawslambda.client({**config, "credentials": {"creds": creds}})
        with pytest.raises(pawscore.ServiceError) as info:
            svc.invoke_with_response_stream(FunctionName="throttled")
        assert info.value.code == "TooManyRequestsException"
        assert hits["throttled"] == 1
        script = f"""
        .libPaths(c("{r_library()}", .libPaths()))
        svc <- pawslambda::lambda(config = list(region = "us-east-1", endpoint = "{url}",
          max_attempts = 3L, credentials = list(creds = list(
            access_key_id = "AKIDHOSTILE", secret_access_key = "hostile"))))
        cat(tryCatch(svc$invoke_with_response_stream(FunctionName = "throttled"),
                     error = function(e) class(e)[[1]]))
        """
        proc = subprocess.run(
            ["Rscript", "-e", script], capture_output=True, text=True, timeout=120
        )
        assert proc.stdout == "TooManyRequestsException", proc.stderr
        assert hits["throttled"] == 2
