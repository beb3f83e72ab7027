"""Fault injection, seen by boto3 and by the project's strict event-stream decoder."""

from __future__ import annotations

from typing import Any

import pawslocal
import pytest
import urllib3
from botocore.eventstream import ChecksumMismatch as BotoChecksumMismatch
from botocore.exceptions import ClientError, EventStreamError, ResponseStreamingError
from local_helpers import boto_client, payload_chunks, signed_request, stream_path
from pawscore.errors import ChecksumMismatch, TruncatedStream
from pawscore.eventstream import EventStreamDecoder, Message
from pawslocal import faults

N4 = b'{"n": 4, "size": 16}'


def _collect(resp: dict[str, Any]) -> tuple[list[dict[str, Any]], BaseException | None]:
    got: list[dict[str, Any]] = []
    try:
        for event in resp["EventStream"]:
            got.append(event)
    except Exception as e:
        return got, e
    return got, None


def _raw_messages(url: str, fault: str, function: str = "chunks") -> list[Message]:
    """Decode a faulted response with pawscore's decoder; raises its typed errors."""
    resp = signed_request(
        url, stream_path(function), N4, {"X-Pawslocal-Fault": fault}, preload=False
    )
    assert resp.status == 200
    decoder = EventStreamDecoder()
    messages: list[Message] = []
    for data in resp.stream(4096):
        messages += decoder.feed(data)
    decoder.finish()
    return messages


def test_cut_mid_frame_breaks_the_connection(lam: Any) -> None:
    # examples/pawslocal.toml: stream-cut = chunks with cut-mid-frame:after=2
    got, err = _collect(lam.invoke_with_response_stream(FunctionName="stream-cut", Payload=N4))
    assert len(payload_chunks(got)) == 2
    assert isinstance(err, urllib3.exceptions.ProtocolError)
    assert "IncompleteRead" in str(err)


def test_cut_mid_frame_raw_bytes_end_inside_a_frame(url: str) -> None:
    resp = signed_request(
        url,
        stream_path("chunks"),
        N4,
        {"X-Pawslocal-Fault": "cut-mid-frame:after=1:bytes=10"},
        preload=False,
    )
    decoder = EventStreamDecoder()
    messages: list[Message] = []
    with pytest.raises(urllib3.exceptions.ProtocolError):
        for data in resp.stream(4096):
            messages += decoder.feed(data)
    # urllib3 drops the partial HTTP chunk, so the first frame is all that arrives.
    assert len(messages) == 1
    assert messages[0].headers[":event-type"] == "PayloadChunk"


def test_truncate_ends_http_cleanly_inside_a_frame(url: str) -> None:
    with pytest.raises(TruncatedStream):
        _raw_messages(url, "truncate:after=2")


def test_truncate_between_frames_drops_invoke_complete(url: str, lam: Any) -> None:
    messages = _raw_messages(url, "truncate:after=4:bytes=0")
    assert [m.headers[":event-type"] for m in messages] == ["PayloadChunk"] * 4
    # botocore accepts this silently: the missing InvokeComplete is how clients tell.
    got, err = _collect(lam.invoke_with_response_stream(FunctionName="chunks", Payload=N4))
    assert err is None and "InvokeComplete" in got[-1]


@pytest.mark.parametrize(
    "fault",
    ["truncate:after=2", "truncate:after=2:bytes=0", "exception:after=1", "error:after=1"],
)
def test_a_fault_that_closes_the_connection_says_so(url: str, fault: str) -> None:
    # Without `Connection: close` a client pool reuses the socket the emulator drops.
    resp = signed_request(url, stream_path("chunks"), N4, {"X-Pawslocal-Fault": fault})
    assert resp.status == 200
    assert resp.headers.get("Connection") == "close"


def test_a_clean_stream_keeps_the_connection(url: str) -> None:
    resp = signed_request(url, stream_path("chunks"), N4)
    assert resp.status == 200
    assert "Connection" not in resp.headers


def test_the_pool_survives_a_stream_ended_by_a_fault(url: str) -> None:
    # The sequence that failed about 1 run in 4 before: fault, then a normal call.
    for _ in range(5):
        _raw_messages(url, "truncate:after=4:bytes=0")
        messages = _raw_messages(url, "")
        assert messages[-1].headers[":event-type"] == "InvokeComplete"


def test_bad_crc_message(url: str, lam: Any) -> None:
    got, err = _collect(lam.invoke_with_response_stream(FunctionName="stream-badcrc", Payload=N4))
    assert len(payload_chunks(got)) == 1  # frame 2 is the bad one
    assert isinstance(err, BotoChecksumMismatch)
    with pytest.raises(ChecksumMismatch):
        _raw_messages(url, "bad-crc:frame=2")


def test_bad_crc_prelude(url: str) -> None:
    with pytest.raises(ChecksumMismatch) as info:
        _raw_messages(url, "bad-crc:frame=1:part=prelude")
    assert info.value.offset == 0


def test_bad_crc_on_invoke_complete(url: str) -> None:
    with pytest.raises(ChecksumMismatch):
        _raw_messages(url, "bad-crc:frame=5")  # 4 chunks + InvokeComplete


def test_exception_event(url: str, lam: Any) -> None:
    got, err = _collect(
        lam.invoke_with_response_stream(FunctionName="stream-exception", Payload=N4)
    )
    assert len(payload_chunks(got)) == 1
    assert isinstance(err, EventStreamError)
    messages = _raw_messages(url, "exception:after=1:type=TooManyRequestsException:message=slow")
    assert messages[-1].headers[":message-type"] == "exception"
    assert messages[-1].headers[":exception-type"] == "TooManyRequestsException"
    assert messages[-1].payload == b'{"message": "slow"}'
    assert len(messages) == 2


def test_error_event(url: str) -> None:
    with pawslocal.serve(
        functions={"c": lambda e, c: iter([b"a", b"b"])},
        faults={"c": "error:after=1:code=InternalFailure:message=oops"},
    ) as base:
        got, err = _collect(boto_client(base).invoke_with_response_stream(FunctionName="c"))
    assert payload_chunks(got) == [b"a"]
    assert isinstance(err, EventStreamError)
    assert err.response["Error"] == {"Code": "InternalFailure", "Message": "oops"}


def test_stall_trips_a_read_timeout(url: str) -> None:
    client = boto_client(url, read_timeout=0.3)
    resp = client.invoke_with_response_stream(FunctionName="stream-stall")  # stall 2000 ms
    got, err = _collect(resp)
    assert len(payload_chunks(got)) == 1
    assert isinstance(err, urllib3.exceptions.ReadTimeoutError)


def test_stall_without_timeout_still_completes(url: str) -> None:
    messages = _raw_messages(url, "stall:ms=50:after=2")
    assert len(messages) == 5


def test_status_fault_then_success_with_retries(url: str) -> None:
    # flaky = hello with status:503:times=2; three attempts get through.
    resp = boto_client(url, max_attempts=3).invoke(FunctionName="flaky")
    assert resp["StatusCode"] == 200
    assert resp["ResponseMetadata"]["RetryAttempts"] == 2


def test_status_fault_without_retries_is_the_error(url: str) -> None:
    client = boto_client(url)
    with pytest.raises(ClientError) as info:
        client.invoke_with_response_stream(FunctionName="flaky")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert info.value.response["Error"]["Code"] == "ServiceException"
    # let the cycle finish: one more failure, then one success
    with pytest.raises(ClientError):
        client.invoke_with_response_stream(FunctionName="flaky")
    assert client.invoke_with_response_stream(FunctionName="flaky")["StatusCode"] == 200


def test_status_fault_by_header_with_key(url: str) -> None:
    fault = {"X-Pawslocal-Fault": "status:429:times=1:key=test-429"}
    first = signed_request(url, stream_path("hello"), b"", fault)
    assert first.status == 429
    assert first.headers["x-amzn-ErrorType"] == "TooManyRequestsException"
    assert first.headers["Retry-After"] == "1"
    assert b'"Reason"' in first.data
    assert signed_request(url, stream_path("hello"), b"", fault).status == 200


def test_throttling_is_retried_by_boto3() -> None:
    with pawslocal.serve(
        functions={"h": lambda e, c: "ok"}, faults={"h": "status:429:times=2"}
    ) as base:
        resp = boto_client(base, max_attempts=3).invoke_with_response_stream(FunctionName="h")
        assert resp["ResponseMetadata"]["RetryAttempts"] == 2
        assert payload_chunks(list(resp["EventStream"])) == [b"ok"]


def test_star_applies_to_every_function() -> None:
    with pawslocal.serve(
        functions={"a": lambda e, c: "a"}, faults={"*": "status:500:times=9"}
    ) as base:
        with pytest.raises(ClientError) as info:
            boto_client(base).invoke(FunctionName="a")
        assert info.value.response["Error"]["Code"] == "ServiceException"
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_invoke_cut_mid_body() -> None:
    with pawslocal.serve(
        functions={"a": lambda e, c: "x" * 1000}, faults={"a": "cut-mid-frame"}
    ) as base:
        resp = boto_client(base).invoke(FunctionName="a")
        with pytest.raises(ResponseStreamingError):
            resp["Payload"].read()


def test_bad_fault_header_is_400(url: str) -> None:
    r = signed_request(url, stream_path("hello"), b"", {"X-Pawslocal-Fault": "explode:now"})
    assert r.status == 400
    assert b"unknown fault" in r.data


@pytest.mark.parametrize(
    "spec",
    [
        "nope",
        "status",
        "status:200",
        "bad-crc:frame=0",
        "bad-crc:part=middle",
        "stall:ms=x",
        "cut-mid-frame:after=-1",
        "truncate:what=1",
        "stall:ms=1;stall:ms=2",
    ],
)
def test_bad_specs_are_rejected(spec: str) -> None:
    with pytest.raises(faults.FaultSpecError):
        faults.parse(spec)


def test_bad_configured_spec_fails_at_start() -> None:
    with pytest.raises(faults.FaultSpecError):
        with pawslocal.serve(functions={"a": lambda e, c: 1}, faults={"a": "bogus"}):
            pass


def test_parse_combined_spec() -> None:
    plan = faults.parse("stall:ms=5:after=2; status:503:times=3:key=k")
    stall, status = plan.get("stall"), plan.get("status")
    assert stall is not None and stall.int_opt("ms", 0) == 5 and stall.int_opt("after", 1) == 2
    assert status is not None and status.arg == "503" and status.options["key"] == "k"
    assert plan.get("bad-crc") is None
