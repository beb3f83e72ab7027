"""iter_events builds common events from a per-header-block plan: same events as message_to_event."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

import pytest
from pawscore import HeaderValueOutOfRange, ServiceError
from pawscore.events import iter_events, message_to_event
from pawscore.eventstream import EventStreamDecoder, Int64, encode_headers, encode_message

API: dict[str, Any] = {
    "shapes": {
        "Blob": {"type": "blob"},
        "Str": {"type": "string"},
        "Int": {"type": "integer"},
        "Long": {"type": "long"},
        "Time": {"type": "timestamp"},
        "Stream": {
            "type": "structure",
            "event_stream": True,
            "members": {
                "Chunk": {"shape": "Chunk"},
                "Tagged": {"shape": "Tagged"},
                "Done": {"shape": "Done"},
                "Text": {"shape": "Text"},
            },
        },
        "Chunk": {
            "type": "structure",
            "event": True,
            "members": {"Payload": {"shape": "Blob", "event_payload": True}},
        },
        "Tagged": {
            "type": "structure",
            "event": True,
            "members": {
                "Seq": {"shape": "Long", "event_header": True},
                "Data": {"shape": "Blob", "event_payload": True},
                "At": {"shape": "Time", "event_header": True},
                "Tag": {"shape": "Str", "event_header": True},
            },
        },
        "Done": {
            "type": "structure",
            "event": True,
            "members": {"Note": {"shape": "Str"}},
        },
        "Text": {
            "type": "structure",
            "event": True,
            "members": {"Body": {"shape": "Str", "event_payload": True}},
        },
    }
}

WHEN = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


def _ev(event_type: str, payload: bytes = b"", **headers: object) -> bytes:
    return encode_message({":message-type": "event", ":event-type": event_type, **headers}, payload)


FRAMES = [
    _ev("Chunk", bytes(range(10))),
    _ev("Chunk"),
    encode_message({":event-type": "Chunk"}, b"\x01\x02"),
    _ev("Tagged", b"abc", Seq=Int64(7), At=WHEN, Tag="t1"),
    _ev("Tagged", b"\xff", Tag=7),
    _ev("Tagged", At=WHEN),
    _ev("Done", b'{"Note": "fine"}'),
    _ev("Text", "h\u00e9".encode()),
    _ev("Unknown", b"\x01"),
    encode_message({":message-type": "other", ":event-type": "Chunk"}, b"\x04"),
    encode_message({}, b"\x05"),
    _ev("Chunk", b"*"),
    _ev("Tagged", b"abc", Seq=Int64(7), At=WHEN, Tag="t1"),
]


def _reference(frames: list[bytes]) -> list[dict[str, Any]]:
    decoder = EventStreamDecoder()
    out = []
    for message in decoder.feed(b"".join(frames)):
        event = message_to_event(API, "Stream", message)
        if event is not None:
            out.append(event)
    return out


@pytest.mark.parametrize("read", [1, 7, 64, 100_000])
def test_iter_events_equals_message_to_event(read: int) -> None:
    data = b"".join(FRAMES)
    chunks = [data[i : i + read] for i in range(0, len(data), read)]
    got = list(iter_events(API, "Stream", chunks))
    want = _reference(FRAMES)
    assert got == want
    assert [type(v) for e in got for m in e.values() for v in m.values()] == [
        type(v) for e in want for m in e.values() for v in m.values()
    ]
    assert list(got[3]["Tagged"]) == ["Seq", "Data", "At", "Tag"]  # model order
    assert got[4] == {"Tagged": {"Data": b"\xff", "Tag": "7"}}


def test_events_do_not_share_dicts() -> None:
    got = list(iter_events(API, "Stream", [_ev("Chunk", b"a") * 3]))
    got[0]["Chunk"]["Payload"] = b"changed"
    got[1]["Extra"] = {}
    assert got[2] == {"Chunk": {"Payload": b"a"}}


def test_an_exception_after_fast_events_raises_after_them() -> None:
    frames = [
        _ev("Chunk", b"1"),
        encode_message(
            {":message-type": "exception", ":exception-type": "Boom"}, b'{"message": "no"}'
        ),
        _ev("Chunk", b"2"),
    ]
    events = iter_events(API, "Stream", [b"".join(frames)])
    assert next(events) == {"Chunk": {"Payload": b"1"}}
    with pytest.raises(ServiceError, match="no"):
        next(events)


def _frame(header_block: bytes, payload: bytes) -> bytes:
    total = 12 + len(header_block) + len(payload) + 4
    prelude = struct.pack(">II", total, len(header_block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + header_block + payload
    return body + struct.pack(">I", zlib.crc32(body))


def test_an_unreadable_header_value_raises_as_in_message_to_event() -> None:
    # A timestamp beyond datetime's range: decoded as UnreadableValue, an error only
    # when the model reads it (the At member of Tagged).
    block = encode_headers({":event-type": "Tagged"}) + b"\x02At\x08" + struct.pack(">q", 2**62)
    data = _ev("Chunk", b"ok") + _frame(block, b"x")
    decoder = EventStreamDecoder()
    messages = decoder.feed(data)
    assert message_to_event(API, "Stream", messages[0]) == {"Chunk": {"Payload": b"ok"}}
    with pytest.raises(HeaderValueOutOfRange) as want:
        message_to_event(API, "Stream", messages[1])
    events = iter_events(API, "Stream", [data])
    assert next(events) == {"Chunk": {"Payload": b"ok"}}
    with pytest.raises(HeaderValueOutOfRange) as got:
        next(events)
    assert str(got.value) == str(want.value)
