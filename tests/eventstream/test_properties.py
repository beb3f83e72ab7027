"""Property tests: random messages round-trip under random splits; damage always raises."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pawscore.eventstream import (
    ChecksumMismatch,
    EventStreamDecoder,
    Int8,
    Int16,
    Int32,
    Int64,
    TruncatedStream,
    encode_message,
)

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MS = timedelta(milliseconds=1)


def _ints(cls: type, bits: int) -> st.SearchStrategy:
    return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1).map(cls)


header_names = st.text(min_size=1, max_size=40).filter(
    lambda s: len(s.encode()) <= 255 and "\x00" not in s
)
header_values = st.one_of(
    st.booleans(),
    _ints(Int8, 8),
    _ints(Int16, 16),
    _ints(Int32, 32),
    st.integers(-(2**31), 2**31 - 1),
    _ints(Int64, 64),
    st.binary(max_size=300),
    st.text(max_size=100),
    st.integers(-62135596800000, 253402300799999).map(lambda ms: EPOCH + ms * MS),
    st.uuids(),
)
messages = st.tuples(
    st.dictionaries(header_names, header_values, max_size=8), st.binary(max_size=2000)
)


def expected_headers(headers: dict[str, object]) -> dict[str, object]:
    """What the decoder gives back for encoder input: plain ints, uuid strings."""
    out: dict[str, object] = {}
    for name, value in headers.items():
        if isinstance(value, uuid.UUID):
            out[name] = str(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[name] = int(value)
        else:
            out[name] = value
    return out


def feed_in_pieces(stream: bytes, cuts: list[int]) -> list:
    """Decode ``stream`` split at ``cuts``; finish() is called."""
    dec = EventStreamDecoder()
    out = []
    last = 0
    for cut in [*sorted(set(cuts)), len(stream)]:
        out += dec.feed(stream[last:cut])
        last = cut
    dec.finish()
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages, min_size=1, max_size=6), st.data())
def test_round_trip_under_random_splits(msgs: list, data: st.DataObject) -> None:
    stream = b"".join(encode_message(h, p) for h, p in msgs)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=20))
    decoded = feed_in_pieces(stream, cuts)
    assert [(m.headers, m.payload) for m in decoded] == [(expected_headers(h), p) for h, p in msgs]
    assert [list(m.headers) for m in decoded] == [list(h) for h, _ in msgs]


@settings(max_examples=300, deadline=None)
@given(st.lists(messages, min_size=1, max_size=4), st.data())
def test_any_single_byte_change_raises(msgs: list, data: st.DataObject) -> None:
    stream = bytearray(b"".join(encode_message(h, p) for h, p in msgs))
    index = data.draw(st.integers(0, len(stream) - 1))
    stream[index] ^= data.draw(st.integers(1, 255))
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=5))
    raised = False
    try:
        feed_in_pieces(bytes(stream), cuts)
    except ChecksumMismatch:
        raised = True
    assert raised


@settings(max_examples=300, deadline=None)
@given(st.lists(messages, min_size=1, max_size=4), st.data())
def test_truncation_inside_a_frame_raises(msgs: list, data: st.DataObject) -> None:
    frames = [encode_message(h, p) for h, p in msgs]
    stream = b"".join(frames)
    ends = set()
    total = 0
    for frame in frames:
        total += len(frame)
        ends.add(total)
    # A cut on a frame boundary is a valid, shorter stream: only the event layer can
    # tell that the final event is missing.  Every other cut must raise.
    cut = data.draw(st.integers(1, len(stream) - 1).filter(lambda c: c not in ends))
    raised = False
    try:
        feed_in_pieces(stream[:cut], data.draw(st.lists(st.integers(0, cut), max_size=5)))
    except TruncatedStream:
        raised = True
    assert raised
