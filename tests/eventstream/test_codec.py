"""Unit tests of the Python event-stream codec on the shared fixtures and crafted frames."""

from __future__ import annotations

import struct
import tracemalloc
import uuid
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from botocore.eventstream import EventStreamBuffer
from pawscore.errors import PawsError
from pawscore.eventstream import (
    MAX_FRAME_LENGTH,
    MAX_HEADERS_LENGTH,
    MAX_PAYLOAD_LENGTH,
    ChecksumMismatch,
    EventStreamDecoder,
    EventStreamError,
    Int8,
    Int16,
    Int32,
    Int64,
    InvalidFrame,
    Message,
    TruncatedStream,
    UnreadableValue,
    decode_stream,
    encode_message,
)

from .make_fixtures import LAMBDA_HEADERS, header, raw_frame
from .shared import Fixture, check_messages, load_fixtures

FIXTURES = load_fixtures()
ALL_TYPES = {
    "t": True,
    "f": False,
    "b": Int8(-7),
    "s": Int16(-300),
    "i": 123456,
    "i32": Int32(-5),
    "l": Int64(-(2**62)),
    "raw": b"\x00\xff",
    "str": "ünïcode",
    "ts": datetime(2021, 5, 6, 7, 8, 9, 123000, tzinfo=timezone.utc),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
}


def decode_all(data: bytes, step: int | None = None) -> list[Message]:
    """Decode ``data`` fed in pieces of ``step`` bytes (all at once when None)."""
    step = step or max(len(data), 1)
    return list(decode_stream(data[i : i + step] for i in range(0, len(data), step)))


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_fixture(fixture: Fixture) -> None:
    expect = fixture.expect
    if "messages" in expect:
        check_messages(decode_all(fixture.data), expect)
        return
    with pytest.raises(EventStreamError) as info:
        decode_all(fixture.data)
    assert type(info.value).__name__ == expect["error"]["kind"]
    assert info.value.offset == expect["error"]["offset"]
    assert f"at byte {expect['error']['offset']}" in str(info.value)


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if len(f.data) < 4000], ids=str)
def test_fixture_fed_one_byte_at_a_time(fixture: Fixture) -> None:
    if "messages" in fixture.expect:
        check_messages(decode_all(fixture.data, step=1), fixture.expect)
    else:
        with pytest.raises(EventStreamError) as info:
            decode_all(fixture.data, step=1)
        assert type(info.value).__name__ == fixture.expect["error"]["kind"]
        assert info.value.offset == fixture.expect["error"]["offset"]


def test_every_split_point_of_a_stream_decodes_the_same() -> None:
    stream = b"".join(
        encode_message(h, p)
        for h, p in [(ALL_TYPES, b"one"), (LAMBDA_HEADERS, b""), ({}, b"x" * 40)]
    )
    whole = decode_all(stream)
    assert len(whole) == 3
    for i in range(len(stream) + 1):
        for j in range(i, len(stream) + 1):
            dec = EventStreamDecoder()
            got = dec.feed(stream[:i]) + dec.feed(stream[i:j]) + dec.feed(stream[j:])
            dec.finish()
            assert got == whole, (i, j)


def test_all_header_types_round_trip_and_match_botocore() -> None:
    frame = encode_message(ALL_TYPES, b"payload")
    [msg] = decode_all(frame)
    assert msg.payload == b"payload"
    assert msg.headers == {
        "t": True,
        "f": False,
        "b": -7,
        "s": -300,
        "i": 123456,
        "i32": -5,
        "l": -(2**62),
        "raw": b"\x00\xff",
        "str": "ünïcode",
        "ts": datetime(2021, 5, 6, 7, 8, 9, 123000, tzinfo=timezone.utc),
        "id": "12345678-1234-5678-1234-567812345678",
    }
    assert msg.headers["ts"].tzinfo is not None
    buf = EventStreamBuffer()
    buf.add_data(frame)
    [theirs] = list(buf)
    assert theirs.payload == b"payload"
    assert theirs.headers["l"] == -(2**62)
    assert theirs.headers["ts"] == 1620284889123
    assert theirs.headers["id"] == uuid.UUID(msg.headers["id"]).bytes


def test_decoded_headers_can_be_changed_without_touching_other_messages() -> None:
    frame = encode_message(LAMBDA_HEADERS, b"p")
    first, second = decode_all(frame * 2)
    first.headers[":event-type"] = "changed"
    assert second.headers[":event-type"] == "PayloadChunk"
    assert decode_all(frame)[0].headers[":event-type"] == "PayloadChunk"


def test_header_order_and_sequence_input_are_kept() -> None:
    frame = encode_message([("z", "1"), ("a", "2")])
    assert list(decode_all(frame)[0].headers) == ["z", "a"]


def test_timestamps_keep_exact_milliseconds_before_and_after_epoch() -> None:
    for when in (
        datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc),
        datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc),
        datetime(2024, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=5))),
    ):
        [msg] = decode_all(encode_message({"t": when}))
        assert msg.headers["t"] == when
        assert msg.headers["t"].utcoffset() == timedelta(0)


def test_timestamp_outside_datetime_range_is_kept_as_its_bytes() -> None:
    # Decoding never fails on a header nobody reads; the event layer raises
    # HeaderValueOutOfRange only if the model reads it.
    raw = struct.pack(">q", 2**62)
    [msg] = decode_all(raw_frame(header(b"t", 8, raw) + header(b"n", 4, b"\x00\x00\x00\x07")))
    assert msg.headers["t"] == UnreadableValue("timestamp", raw, msg.headers["t"].reason)
    assert "outside the datetime range" in msg.headers["t"].reason
    assert msg.headers["n"] == 7


def test_every_single_bit_flip_in_a_frame_is_detected_at_once() -> None:
    frames = [encode_message(ALL_TYPES, b"payload bytes"), encode_message(LAMBDA_HEADERS, b"")]
    for frame in frames:
        for index in range(len(frame)):
            for bit in range(8):
                damaged = bytearray(frame)
                damaged[index] ^= 1 << bit
                dec = EventStreamDecoder()
                # Raised by feed itself: a damaged length never makes it wait for more.
                with pytest.raises(ChecksumMismatch):
                    dec.feed(bytes(damaged))


def test_truncation_anywhere_inside_a_frame_raises() -> None:
    frame = encode_message(ALL_TYPES, b"payload")
    stream = frame * 2
    for cut in range(len(frame) + 1, len(stream)):
        dec = EventStreamDecoder()
        assert len(dec.feed(stream[:cut])) == 1
        with pytest.raises(TruncatedStream) as info:
            dec.finish()
        assert info.value.offset == len(frame)


def test_decoder_stays_broken_after_an_error() -> None:
    dec = EventStreamDecoder()
    with pytest.raises(ChecksumMismatch):
        dec.feed(b"\x00" * 16)
    with pytest.raises(ChecksumMismatch):
        dec.feed(encode_message({}, b"ok"))
    with pytest.raises(ChecksumMismatch):
        dec.finish()


def test_errors_are_paws_errors_and_report_offsets() -> None:
    good = encode_message(LAMBDA_HEADERS, b"x")
    bad = raw_frame(header(b"dup", 0, b"") + header(b"dup", 0, b""))
    dec = EventStreamDecoder()
    # The two good frames before the damage are delivered first ...
    assert [m.payload for m in dec.feed(good + good + bad)] == [b"x", b"x"]
    # ... and the error comes with the next call, and every call after it.
    with pytest.raises(InvalidFrame, match="duplicate header name 'dup'") as info:
        dec.finish()
    assert isinstance(info.value, PawsError)
    assert info.value.offset == 2 * len(good)
    with pytest.raises(InvalidFrame):
        dec.feed(good)


def test_offset_counts_consumed_bytes() -> None:
    frame = encode_message(LAMBDA_HEADERS, b"abc")
    dec = EventStreamDecoder()
    dec.feed(frame + frame[:7])
    assert dec.offset == len(frame)
    dec.feed(frame[7:])
    assert dec.offset == 2 * len(frame)


def test_mutable_input_buffers_may_be_reused_by_the_caller() -> None:
    frame = encode_message(LAMBDA_HEADERS, b"payload-" * 10)
    buf = bytearray(frame[:50])
    dec = EventStreamDecoder()
    assert dec.feed(buf) == []
    buf[:] = b"\xff" * 50  # the caller reuses its read buffer
    [msg] = dec.feed(memoryview(bytearray(frame[50:])))
    assert msg.payload == b"payload-" * 10


def test_botocores_frame_limits_payload_24_mib_and_headers_128_kib() -> None:
    # Over the old 16 MiB cap: accepted, as boto3 accepts it.
    payload = b"\xab" * (16 * 1024 * 1024 + 1)
    [msg] = decode_all(encode_message({}, payload), step=1 << 16)
    assert msg.payload == payload
    # The largest payload and header block botocore accepts are accepted ...
    big = struct.pack(">H", 32761) + bytes(32761)
    block = b"".join(header(b"h%05d" % i, 6, big) for i in range(3))
    rest = MAX_HEADERS_LENGTH - len(block) - 8  # name length, "last", tag, value length
    block += header(b"last", 6, struct.pack(">H", rest) + bytes(rest))
    assert len(block) == MAX_HEADERS_LENGTH
    payload = bytes(MAX_PAYLOAD_LENGTH)
    [msg] = decode_all(raw_frame(block, payload), step=1 << 20)
    assert len(msg.payload) == MAX_PAYLOAD_LENGTH and len(msg.headers) == 4
    assert len(raw_frame(block, payload)) == MAX_FRAME_LENGTH
    # ... and one byte more of either is not, from the prelude alone.
    with pytest.raises(InvalidFrame, match=r"payload length 25165825 exceeds the 25165824-byte"):
        decode_all(raw_frame(b"", total=16 + MAX_PAYLOAD_LENGTH + 1)[:12])
    with pytest.raises(InvalidFrame, match=r"headers length 131073 exceeds the 131072-byte"):
        decode_all(raw_frame(b"", total=16 + 131073, headers_len=131073)[:12])
    with pytest.raises(ValueError, match="exceeds"):
        encode_message({}, payload + b"!")


def test_memory_stays_within_one_frame_and_one_read() -> None:
    frame = encode_message(LAMBDA_HEADERS, b"\x01" * 65536)
    stream = frame * 64
    reads = [stream[i : i + 65536] for i in range(0, len(stream), 65536)]
    dec = EventStreamDecoder()
    tracemalloc.start()
    try:
        count = 0
        for read in reads:
            count += len(dec.feed(read))  # messages dropped at once, as a streaming user would
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    dec.finish()
    assert count == 64
    # Payload copies of at most two frames plus the pending piece: never the stream.
    assert peak < 4 * len(frame), peak


def test_large_frame_fed_in_small_reads_is_not_recopied() -> None:
    frame = encode_message(LAMBDA_HEADERS, bytes(range(256)) * 4096)  # 1 MiB
    dec = EventStreamDecoder()
    msgs = []
    for i in range(0, len(frame), 1000):
        msgs += dec.feed(frame[i : i + 1000])
    dec.finish()
    assert [m.payload for m in msgs] == [bytes(range(256)) * 4096]


@pytest.mark.parametrize(
    ("headers", "error", "match"),
    [
        ({"": "x"}, ValueError, "1 to 255 bytes"),
        ({"x" * 256: "x"}, ValueError, "1 to 255 bytes"),
        ({"n": 2**31}, ValueError, "32-bit integer"),
        ({"n": Int8(128)}, ValueError, "8-bit byte"),
        ({"n": Int16(-(2**15) - 1)}, ValueError, "16-bit short"),
        ({"n": Int64(2**63)}, ValueError, "64-bit long"),
        ({"s": "x" * 32768}, ValueError, "more than 32767"),
        ({"t": datetime(2020, 1, 1)}, ValueError, "timezone-aware"),
        ({"f": 1.5}, TypeError, "float"),
        ({"n": None}, TypeError, "NoneType"),
        ([("a", 1), ("a", 2)], ValueError, "duplicate"),
        ([(1, 1)], TypeError, "header name must be str"),
    ],
)
def test_encoder_rejects_bad_input(headers: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        encode_message(headers)  # type: ignore[arg-type]


def test_encoder_writes_correct_crcs_and_lengths() -> None:
    frame = encode_message({"a": "b"}, b"xyz")
    total, headers_len, prelude_crc = struct.unpack(">III", frame[:12])
    assert total == len(frame) == 12 + headers_len + 3 + 4
    assert prelude_crc == zlib.crc32(frame[:8])
    assert struct.unpack(">I", frame[-4:])[0] == zlib.crc32(frame[:-4])


def test_encoder_widths_are_exact() -> None:
    block = encode_message(
        [("a", Int8(1)), ("b", Int16(1)), ("c", 1), ("d", Int64(1)), ("e", True)]
    )[12:-4]
    assert block == (
        b"\x01a\x02\x01"
        + b"\x01b\x03\x00\x01"
        + b"\x01c\x04\x00\x00\x00\x01"
        + b"\x01d\x05"
        + b"\x00" * 7
        + b"\x01"
        + b"\x01e\x00"
    )


def test_tiny_reads_of_a_large_frame_are_gathered_not_kept_one_by_one() -> None:
    payload = bytes(range(256)) * 256  # 64 KiB
    frame = encode_message(LAMBDA_HEADERS, payload)
    dec = EventStreamDecoder()
    for i in range(len(frame) - 1):
        assert dec.feed(frame[i : i + 1]) == []
    assert len(dec._parts) <= len(frame) // 4096 + 2  # pieces, not one object per byte
    [msg] = dec.feed(frame[-1:])
    dec.finish()
    assert msg.payload == payload
