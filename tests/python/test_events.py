"""Events from messages: shapes, payload kinds, headers, errors, laziness."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from pawscore import EventStream, ResponseParseError, ServiceError, TruncatedStream
from pawscore.events import event_stream_member, iter_events, message_to_event
from pawscore.eventstream import Message, encode_message

from codegen.apidata import build_api_data

from .support import API, ERRORS, chunk_frame, complete_frame, exception_frame

MODEL: dict[str, Any] = {
    "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "2020-01-01"},
    "operations": {
        "Watch": {
            "name": "Watch",
            "http": {"method": "GET", "requestUri": "/watch"},
            "output": {"shape": "WatchOutput"},
        }
    },
    "shapes": {
        "WatchOutput": {
            "type": "structure",
            "payload": "Events",
            "members": {"Events": {"shape": "Events"}},
        },
        "Events": {
            "type": "structure",
            "eventstream": True,
            "members": {
                "Text": {"shape": "TextEvent"},
                "Record": {"shape": "RecordEvent"},
                "Stats": {"shape": "StatsEvent"},
            },
        },
        "TextEvent": {
            "type": "structure",
            "event": True,
            "members": {"Body": {"shape": "Str", "eventpayload": True}},
        },
        "RecordEvent": {
            "type": "structure",
            "event": True,
            "members": {
                "Seq": {"shape": "Long", "eventheader": True},
                "At": {"shape": "Time", "eventheader": True},
                "Data": {"shape": "Rec", "eventpayload": True},
            },
        },
        "StatsEvent": {
            "type": "structure",
            "event": True,
            "members": {"Count": {"shape": "Long"}, "Raw": {"shape": "Bytes"}},
        },
        "Rec": {"type": "structure", "members": {"Name": {"shape": "Str"}}},
        "Str": {"type": "string"},
        "Long": {"type": "long"},
        "Time": {"type": "timestamp"},
        "Bytes": {"type": "blob"},
    },
}
DEMO = build_api_data(MODEL)


def event(kind: str, payload: bytes, **headers: Any) -> Message:
    return Message({":message-type": "event", ":event-type": kind, **headers}, payload)


def test_finds_the_event_stream_member() -> None:
    assert event_stream_member(DEMO, "WatchOutput") == ("Events", "Events")
    assert event_stream_member(API, "InvokeWithResponseStreamResponse") == (
        "EventStream",
        "InvokeWithResponseStreamResponseEvent",
    )
    assert event_stream_member(API, "InvocationResponse") is None
    assert event_stream_member(API, None) is None


def test_payload_kinds_and_header_members() -> None:
    at = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    assert message_to_event(DEMO, "Events", event("Text", "héllo".encode())) == {
        "Text": {"Body": "héllo"}
    }
    record = event("Record", b'{"Name": "n"}', Seq=7, At=at)
    assert message_to_event(DEMO, "Events", record) == {
        "Record": {"Seq": 7, "At": at, "Data": {"Name": "n"}}
    }
    stats = event("Stats", json.dumps({"Count": 3, "Raw": "AAE="}).encode())
    assert message_to_event(DEMO, "Events", stats) == {"Stats": {"Count": 3, "Raw": b"\x00\x01"}}


def test_unknown_event_types_and_message_types_are_skipped() -> None:
    assert message_to_event(DEMO, "Events", event("Future", b"{}")) is None
    initial = Message({":message-type": "initial-response"}, b"{}")
    assert message_to_event(DEMO, "Events", initial) is None


def test_error_message_raises_generic_service_error() -> None:
    msg = Message({":message-type": "error", ":error-code": "Boom", ":error-message": "bad"}, b"")
    with pytest.raises(ServiceError) as info:
        message_to_event(DEMO, "Events", msg)
    assert (info.value.code, info.value.message) == ("Boom", "bad")


def test_modeled_exception_uses_the_error_class() -> None:
    msg = Message(
        {":message-type": "exception", ":exception-type": "ResourceNotFoundException"},
        b'{"Message": "gone", "Type": "User"}',
    )
    with pytest.raises(ERRORS["ResourceNotFoundException"]) as info:
        message_to_event(API, "InvokeWithResponseStreamResponseEvent", msg, ERRORS)
    assert info.value.message == "gone"
    assert info.value.fields == {"Type": "User"}


def test_bad_json_payload_is_a_typed_error() -> None:
    with pytest.raises(ResponseParseError):
        message_to_event(DEMO, "Events", event("Stats", b"{not json"))


def test_any_split_of_the_bytes_gives_the_same_events() -> None:
    data = chunk_frame(b"one") + complete_frame(ErrorCode="Unhandled", ErrorDetails="x")
    expected = [
        {"PayloadChunk": {"Payload": b"one"}},
        {"InvokeComplete": {"ErrorCode": "Unhandled", "ErrorDetails": "x"}},
    ]
    shape = "InvokeWithResponseStreamResponseEvent"
    for cut in range(len(data) + 1):
        assert list(iter_events(API, shape, [data[:cut], data[cut:]])) == expected
    assert list(iter_events(API, shape, [bytes([b]) for b in data])) == expected


def test_stream_ending_inside_a_frame_is_truncated() -> None:
    data = chunk_frame(b"one") + chunk_frame(b"two")
    got = []
    with pytest.raises(TruncatedStream):
        for item in iter_events(API, "InvokeWithResponseStreamResponseEvent", [data[:-3]]):
            got.append(item)
    assert got == [{"PayloadChunk": {"Payload": b"one"}}]


def test_events_before_an_exception_are_delivered_first() -> None:
    data = chunk_frame(b"a") + exception_frame("ServiceException", "down") + chunk_frame(b"b")
    got = []
    with pytest.raises(ERRORS["ServiceException"]):
        for item in iter_events(API, "InvokeWithResponseStreamResponseEvent", [data], ERRORS):
            got.append(item)
    assert got == [{"PayloadChunk": {"Payload": b"a"}}]


def test_event_stream_object_closes_once() -> None:
    closed: list[int] = []
    frames = [chunk_frame(b"1"), chunk_frame(b"2")]
    stream = EventStream(
        iter_events(API, "InvokeWithResponseStreamResponseEvent", frames),
        lambda: closed.append(1),
    )
    assert next(stream) == {"PayloadChunk": {"Payload": b"1"}}
    stream.close()
    stream.close()
    assert closed == [1] and stream.closed
    assert list(stream) == []


def test_event_stream_closes_itself_at_the_end_and_on_errors() -> None:
    closed: list[str] = []
    ok = EventStream(iter([{"A": {}}]), lambda: closed.append("ok"))
    assert list(ok) == [{"A": {}}]
    bad_frames = [encode_message({":message-type": "event"}, b"")[:-1]]
    bad = EventStream(
        iter_events(API, "InvokeWithResponseStreamResponseEvent", bad_frames),
        lambda: closed.append("bad"),
    )
    with pytest.raises(TruncatedStream):
        list(bad)
    assert closed == ["ok", "bad"]


def test_stream_without_its_final_event_is_truncated() -> None:
    api = API
    shape = "InvokeWithResponseStreamResponseEvent"
    assert api["shapes"][shape]["final_event"] == "InvokeComplete"  # codegen customization
    got = []
    with pytest.raises(TruncatedStream, match="before its final InvokeComplete event"):
        for item in iter_events(api, shape, [chunk_frame(b"a"), chunk_frame(b"b")]):
            got.append(item)
    assert len(got) == 2
    complete = [chunk_frame(b"a"), complete_frame()]
    assert list(iter_events(api, shape, complete))[-1] == {"InvokeComplete": {}}
    # without the key nothing is assumed about how a stream ends
    plain = copy.deepcopy(API)
    del plain["shapes"][shape]["final_event"]
    assert len(list(iter_events(plain, shape, [chunk_frame(b"a")]))) == 1


@pytest.mark.parametrize("payload", [b"[]", b'"text"', b"7"])
def test_event_payload_that_is_not_an_object_is_a_typed_error(payload: bytes) -> None:
    # Members live in a JSON object; anything else would silently give an empty event.
    with pytest.raises(ResponseParseError):
        message_to_event(DEMO, "Events", event("Stats", payload))
    with pytest.raises(ResponseParseError):
        message_to_event(
            API, "InvokeWithResponseStreamResponseEvent", event("InvokeComplete", payload)
        )


def _batches(*lists: list[dict[str, Any]], error: Exception | None = None) -> Iterator[list]:
    yield from lists
    if error is not None:
        raise error


def test_event_stream_from_batches_hands_out_every_event_then_closes() -> None:
    closed: list[int] = []
    batches = _batches([{"A": {"n": 1}}, {"A": {"n": 2}}], [{"B": {}}])
    stream = EventStream(iter(()), lambda: closed.append(1), batches=batches)
    assert next(stream) == {"A": {"n": 1}}
    assert not stream.closed
    assert list(stream) == [{"A": {"n": 2}}, {"B": {}}]
    assert stream.closed and closed == [1]
    assert list(stream) == []


def test_event_stream_closed_mid_batch_hands_out_nothing_more() -> None:
    closed: list[int] = []
    batches = _batches([{"A": {"n": 1}}, {"A": {"n": 2}}, {"A": {"n": 3}}], [{"B": {}}])
    stream = EventStream(iter(()), lambda: closed.append(1), batches=batches)
    events = iter(stream)
    assert next(events) == {"A": {"n": 1}}
    stream.close()
    assert list(events) == [] and list(stream) == []
    assert closed == [1]


def test_event_stream_from_batches_closes_on_an_error_after_the_events_before_it() -> None:
    closed: list[int] = []
    batches = _batches([{"A": {}}], error=TruncatedStream("cut", offset=3))
    stream = EventStream(iter(()), lambda: closed.append(1), batches=batches)
    got = []
    with pytest.raises(TruncatedStream, match="cut"):
        for event in stream:
            got.append(event)
    assert got == [{"A": {}}] and stream.closed and closed == [1]
