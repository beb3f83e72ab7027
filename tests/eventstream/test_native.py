"""The C accelerator (pawscore._native) is built, used, and changes nothing but speed.

Every decoding test runs the same bytes through the decoder with the C fast path and
in pure Python and asserts the same messages, the same error (class, message, offset)
and the same final offset, on the streams where the two paths part: splits at every
byte, header blocks first seen mid-buffer, damage at every byte, huge frames,
bytearray and memoryview input, and a header cache that overflows.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import random
import subprocess
import sys
import uuid
import weakref
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from pawscore import eventstream
from pawscore.eventstream import (
    MAX_PAYLOAD_LENGTH,
    EventStreamDecoder,
    EventStreamError,
    Int64,
    InvalidFrame,
    encode_message,
)

from tests.native import KINDS, python_decoder
from tests.paths import REPO

CHUNK = {
    ":event-type": "PayloadChunk",
    ":content-type": "application/octet-stream",
    ":message-type": "event",
}
COMPLETE = {
    ":event-type": "InvokeComplete",
    ":content-type": "application/json",
    ":message-type": "event",
}
TYPED = {
    ":message-type": "event",
    ":event-type": "Typed",
    "l": Int64(-(2**40)),
    "ts": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "raw": b"\x00\x01",
    "t": True,
}

Outcome = tuple[list[tuple[dict[str, object], bytes]], tuple[str, str, int] | None, int]


def _native_module() -> Any:
    from pawscore import _native

    return _native


def decode(pieces: list[Any], kind: str, share: bool = False) -> Outcome:
    """Messages, error (class, message, offset) and final offset of one decoder run."""
    with python_decoder(kind):
        decoder = EventStreamDecoder()
    messages: list[tuple[dict[str, object], bytes]] = []
    error = None
    try:
        for piece in pieces:
            if share:
                flat = decoder.feed_shared(piece)
                messages += [(dict(flat[i]), bytes(flat[i + 1])) for i in range(0, len(flat), 2)]
            else:
                messages += [(m.headers, m.payload) for m in decoder.feed(piece)]
        decoder.finish()
    except EventStreamError as exc:
        error = (type(exc).__name__, str(exc), exc.offset)
    return messages, error, decoder.offset


def same_both_ways(pieces: list[Any], share: bool = False) -> Outcome:
    """Decode with and without the C path; assert equal outcomes and return one."""
    native_out = decode(pieces, "native", share)
    pure_out = decode(pieces, "pure", share)
    assert native_out == pure_out
    return native_out


def stream() -> tuple[bytes, list[tuple[dict[str, object], bytes]]]:
    """Frames over three header blocks, empty and large payloads; and what they decode to."""
    parts = [
        (CHUNK, b"hello"),
        (CHUNK, b""),
        (TYPED, b"typed"),
        (CHUNK, bytes(range(256)) * 20),  # over 4096 bytes: the in-pieces path
        (CHUNK, b"x" * 33),
        (COMPLETE, b"{}"),
    ]
    data = b"".join(encode_message(h, p) for h, p in parts)
    with python_decoder("pure"):
        expected = [(m.headers, m.payload) for m in EventStreamDecoder().feed(data)]
    return data, expected


# ---------------------------------------------------------------- built and used


def test_the_native_module_is_built_in_place_and_loaded() -> None:
    module = _native_module()  # ImportError: not built (python3 scripts/build_native.py)
    assert Path(module.__file__).parent == REPO / "python" / "pawscore"
    if os.environ.get("PAWSCORE_NATIVE", "").strip() == "0":
        assert eventstream.NATIVE is None
    else:
        assert eventstream.NATIVE is module


def test_the_native_module_is_newer_than_its_c_sources() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_native", REPO / "scripts" / "build_native.py"
    )
    assert spec is not None and spec.loader is not None
    build_native = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_native)
    assert Path(_native_module().__file__) == build_native.target()
    assert REPO / "r" / "pawscore" / "src" / "crc32.c" in build_native.SOURCES
    # A C edit without a rebuild would test the old code: python3 scripts/build_native.py
    assert not build_native.stale(build_native.target())


@pytest.mark.parametrize(("setting", "loaded"), [("0", False), ("1", True), (None, True)])
def test_pawscore_native_0_selects_pure_python(setting: str | None, loaded: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PAWSCORE_NATIVE"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "python"), str(REPO)])
    if setting is not None:
        env["PAWSCORE_NATIVE"] = setting
    code = "import pawscore.eventstream as e; print(e.NATIVE is not None)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(loaded)


# ---------------------------------------------------------------- CRC


def test_crc32_is_zlibs_on_every_length_and_start_value() -> None:
    crc32 = _native_module().crc32
    rng = random.Random(11)
    data = rng.randbytes(5000)
    for n in [*range(0, 600), 1023, 1024, 1025, 4095, 4096, 4097, 5000]:
        start = rng.randrange(2**32)
        assert crc32(data[:n]) == zlib.crc32(data[:n]), n
        assert crc32(data[:n], start) == zlib.crc32(data[:n], start), n
    big = rng.randbytes(3 << 20)  # over the size checksummed without the GIL
    assert crc32(big) == zlib.crc32(big)
    assert crc32(bytearray(data), 7) == zlib.crc32(data, 7)
    assert crc32(memoryview(data)[3:999]) == zlib.crc32(data[3:999])
    with pytest.raises(TypeError):
        crc32("text")  # type: ignore[arg-type]
    with pytest.raises(BufferError):
        crc32(memoryview(data)[::2])  # not contiguous


# ---------------------------------------------------------------- the C loop itself


def test_scan_frames_stops_at_a_new_header_block_mid_buffer_and_resumes() -> None:
    scan = _native_module().scan_frames
    a, b = encode_message(CHUNK, b"one"), encode_message(COMPLETE, b"{}")
    block_a = a[12 : 12 + int.from_bytes(a[4:8], "big")]
    data = a + a + b + a
    headers_a = {"parsed": "a"}
    cache: dict[bytes, Any] = {block_a: headers_a}
    out: list[Any] = []
    pos = scan(data, 0, len(data), cache, out)
    assert pos == 2 * len(a)  # stopped at b: its block is not cached
    assert out == [headers_a, b"one", headers_a, b"one"]
    assert out[0] is headers_a and out[2] is headers_a
    block_b = b[12 : 12 + int.from_bytes(b[4:8], "big")]
    cache[block_b] = {"parsed": "b"}
    assert scan(data, pos, len(data), cache, out) == len(data)
    assert out[4:] == [{"parsed": "b"}, b"{}", headers_a, b"one"]


def test_scan_frames_leaves_partial_and_damaged_frames_to_python() -> None:
    scan = _native_module().scan_frames
    a = encode_message(CHUNK, b"payload")
    block = a[12 : 12 + int.from_bytes(a[4:8], "big")]
    cache = {block: {"h": 1}}
    data = a + a
    for end in range(len(a), len(data)):
        out: list[Any] = []
        assert scan(data, 0, end, cache, out) == len(a)
        assert len(out) == 2
    for i in range(len(a)):  # any damaged byte: C takes nothing
        bad = bytearray(a)
        bad[i] ^= 0x40
        out = []
        assert scan(bytes(bad), 0, len(bad), cache, out) == 0
        assert out == []
    assert scan(data, 3, 3, cache, []) == 3
    with pytest.raises(TypeError):
        scan(bytearray(data), 0, len(data), cache, [])
    with pytest.raises(ValueError):
        scan(data, 0, len(data) + 1, cache, [])
    with pytest.raises(ValueError):
        scan(data, 5, 4, cache, [])


def test_build_events_builds_one_event_per_pair_while_the_headers_repeat() -> None:
    build = _native_module().build_events
    h1, h2 = {"a": 1}, {"a": 1}  # equal but not the same dict: a different plan
    pairs = [h1, b"p0", h1, b"p1", h2, b"p2", h1, b"p3"]
    out: list[Any] = []
    assert build(pairs, 0, h1, "Chunk", "Payload", out, 1) == 2  # the limit
    assert build(pairs, 2, h1, "Chunk", "Payload", out, 100) == 4
    assert out == [{"Chunk": {"Payload": b"p0"}}, {"Chunk": {"Payload": b"p1"}}]
    assert out[0]["Chunk"]["Payload"] is pairs[1]
    assert build(pairs, 4, h1, "Chunk", "Payload", out, 100) == 4
    assert build(pairs, 6, h1, "Chunk", "Payload", out, 0) == 6
    assert build(pairs, 6, h1, "Chunk", "Payload", out, 100) == 8
    assert len(out) == 3
    with pytest.raises(TypeError):
        build(tuple(pairs), 0, h1, "Chunk", "Payload", out, 100)


def test_held_events_stay_out_of_the_collector_until_tracked_again() -> None:
    native = _native_module()
    h = {"a": 1}
    pairs = [h, b"p0", h, b"p1", h, b"p2"]
    held: list[Any] = []
    assert native.build_events(pairs, 0, h, "Chunk", "Payload", held, 100, True) == 6
    plain: list[Any] = []
    native.build_events(pairs, 0, h, "Chunk", "Payload", plain, 100)
    assert held == plain == [{"Chunk": {"Payload": p}} for p in (b"p0", b"p1", b"p2")]
    assert [gc.is_tracked(e) for e in plain] == [True] * 3  # a dict holding a dict
    assert [gc.is_tracked(e) for e in held] == [False] * 3
    mixed = [*held, {"Other": {}}, "not a dict"]
    assert native.track_events(mixed) is None
    assert [gc.is_tracked(e) for e in mixed[:4]] == [True] * 4
    # The member dicts stay as CPython leaves a dict of bytes: untracked.
    assert not gc.is_tracked(held[0]["Chunk"])
    # Tracked again, a cycle made through an event is found and freed.
    marker = type("Marker", (), {})()
    ref = weakref.ref(marker)
    held[0]["Chunk"]["back"] = held[0]
    held[0]["Chunk"]["marker"] = marker
    del marker, held, mixed
    gc.collect()
    assert ref() is None
    with pytest.raises(TypeError):
        native.track_events(tuple(plain))


# ---------------------------------------------------------------- same outcome both ways


@pytest.mark.parametrize("share", [False, True], ids=["feed", "feed_shared"])
def test_split_at_every_byte_boundary(share: bool) -> None:
    data, expected = stream()
    for cut in range(len(data) + 1):
        messages, error, offset = same_both_ways([data[:cut], data[cut:]], share)
        assert (messages, error, offset) == (expected, None, len(data)), cut
    messages, error, _ = same_both_ways([data[i : i + 1] for i in range(len(data))], share)
    assert (messages, error) == (expected, None)


def test_every_three_way_split_of_a_small_stream() -> None:
    data = encode_message(CHUNK, b"ab") + encode_message(TYPED, b"") + encode_message(CHUNK, b"c")
    whole = decode([data], "pure")
    for i in range(0, len(data) + 1, 3):
        for j in range(i, len(data) + 1, 5):
            assert same_both_ways([data[:i], data[i:j], data[j:]]) == whole, (i, j)


def test_new_header_blocks_mid_buffer_are_parsed_once_then_cached() -> None:
    frames = [encode_message({**CHUNK, "n": i % 7}, bytes([i])) for i in range(60)]
    data = b"".join(frames)
    messages, error, _ = same_both_ways([data])
    assert error is None
    assert [m[0]["n"] for m in messages] == [i % 7 for i in range(60)]
    with python_decoder("native"):
        decoder = EventStreamDecoder()
    decoder.feed_shared(data)
    assert len(decoder._cache) == 7


def _refresh_crcs(frame: bytearray) -> None:
    """Recompute both CRCs of a frame in place (its length as first written)."""
    frame[8:12] = zlib.crc32(frame[:8]).to_bytes(4, "big")
    frame[-4:] = zlib.crc32(frame[:-4]).to_bytes(4, "big")


@pytest.mark.parametrize("flip", [0x01, 0x80, 0xFF])
@pytest.mark.parametrize("crcs", ["kept", "refreshed"])
def test_damage_at_every_byte_gives_the_same_outcome(flip: int, crcs: str) -> None:
    # The damaged frame follows one with the same header block, so that block is
    # cached and the C loop, not only Python, meets the damage.
    warm = encode_message(TYPED, b"warm")
    first = encode_message(TYPED, b"typed")
    rest = encode_message(CHUNK, b"a") + encode_message(CHUNK, b"after")
    outcomes = set()
    for i in range(len(first)):
        bad = bytearray(first)
        bad[i] ^= flip
        if crcs == "refreshed":
            _refresh_crcs(bad)
        data = warm + bytes(bad) + rest
        whole = same_both_ways([data])
        same_both_ways([data], share=True)
        same_both_ways([data[: len(data) // 2], data[len(data) // 2 :]], share=True)
        same_both_ways([data[i : i + 7] for i in range(0, len(data), 7)], share=True)
        outcomes.add(whole[1][0] if whole[1] else None)
    if crcs == "kept":
        assert outcomes == {"ChecksumMismatch"}
    else:  # lengths, names, types and values damaged behind valid CRCs
        assert {"InvalidFrame", "InvalidHeaderType", "ChecksumMismatch", None} <= outcomes


def test_damage_after_good_frames_in_one_read_delivers_them_first() -> None:
    good = encode_message(CHUNK, b"ok") * 3
    bad = bytearray(encode_message(CHUNK, b"bad"))
    bad[-1] ^= 1
    with python_decoder("native"):
        decoder = EventStreamDecoder()
    assert len(decoder.feed(good + bytes(bad))) == 3
    with pytest.raises(EventStreamError, match="message CRC mismatch") as err:
        decoder.feed(b"")
    assert err.value.offset == len(good)
    assert same_both_ways([good + bytes(bad)])[1] == (
        "ChecksumMismatch",
        str(err.value),
        len(good),
    )


@pytest.mark.parametrize("size", [300_000, 3 << 20, MAX_PAYLOAD_LENGTH])
def test_huge_frames(size: int) -> None:
    payload = random.Random(size).randbytes(size)
    data = encode_message(CHUNK, payload) + encode_message(COMPLETE, b"{}")
    for pieces in ([data], [data[i : i + 65536] for i in range(0, len(data), 65536)]):
        messages, error, offset = same_both_ways(pieces)
        assert error is None and offset == len(data)
        assert messages[0][1] == payload and messages[1][1] == b"{}"
    bad = bytearray(data)
    bad[size // 2] ^= 1
    assert same_both_ways([bytes(bad)])[1][0] == "ChecksumMismatch"  # type: ignore[index]


def test_a_frame_over_the_limit_is_refused_the_same_way() -> None:
    total = 16 + MAX_PAYLOAD_LENGTH + 1
    prelude = total.to_bytes(4, "big") + (0).to_bytes(4, "big")
    prelude += zlib.crc32(prelude).to_bytes(4, "big")
    error = same_both_ways([prelude + b"\x00" * 100])[1]
    assert error is not None and error[0] == InvalidFrame.__name__
    assert "exceeds the" in error[1] and error[2] == 0


def test_bytearray_and_memoryview_input() -> None:
    data, expected = stream()
    ba = bytearray(data)
    half = len(data) // 2
    pieces = [bytearray(ba[:half]), memoryview(data)[half:]]
    messages, error, _ = same_both_ways(pieces)
    assert (messages, error) == (expected, None)
    with python_decoder("native"):
        decoder = EventStreamDecoder()
    first = bytearray(data[:half])
    got = decoder.feed(first)
    first[:] = b"\x00" * len(first)  # the caller reuses its buffer: no effect
    got += decoder.feed(memoryview(bytearray(data[half:])))
    assert [(m.headers, m.payload) for m in got] == expected


def test_messages_from_feed_own_their_headers() -> None:
    with python_decoder("native"):
        decoder = EventStreamDecoder()
    first, second = decoder.feed(encode_message(CHUNK, b"1") * 2)
    first.headers["changed"] = True
    assert "changed" not in second.headers
    assert "changed" not in decoder.feed(encode_message(CHUNK, b"3"))[0].headers


def test_cache_eviction_and_uncacheable_blocks() -> None:
    rng = random.Random(5)
    blocks = [{**CHUNK, "n": i} for i in range(150)]  # over the 64-entry cache
    order = list(range(150)) * 2 + [rng.randrange(150) for _ in range(400)]
    big = {**CHUNK, "big": "x" * 2000}  # a block over the cached size: parsed every time
    frames = [encode_message(blocks[i], i.to_bytes(2, "big")) for i in order]
    frames[10:10] = [encode_message(big, b"b")] * 5
    data = b"".join(frames)
    for pieces in ([data], [data[i : i + 777] for i in range(0, len(data), 777)]):
        for share in (False, True):
            messages, error, _ = same_both_ways(pieces, share)
            assert error is None
            assert len(messages) == len(order) + 5
    with python_decoder("native"):
        decoder = EventStreamDecoder()
    decoder.feed(data)
    assert 0 < len(decoder._cache) <= 64


def test_iter_events_native_and_pure_agree_on_a_lambda_stream() -> None:
    from pawscore.events import iter_event_batches, iter_events
    from pawslambda._api import API

    shape = "InvokeWithResponseStreamResponseEvent"
    data = b"".join(encode_message(CHUNK, bytes([i % 256]) * i) for i in range(300))
    data += encode_message(COMPLETE, b'{"LogResult":"bG9n"}')
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    results = {}
    for kind in KINDS:
        with python_decoder(kind):
            results[kind] = list(iter_events(API, shape, pieces))
            batches = list(iter_event_batches(API, shape, pieces))
        assert [e for b in batches for e in b] == results[kind]
        assert all(batches)
    assert results["native"] == results["pure"]
    assert results["native"][-1] == {"InvokeComplete": {"LogResult": "bG9n"}}
    assert results["native"][5] == {"PayloadChunk": {"Payload": b"\x05" * 5}}


def test_event_batches_are_bounded_and_in_order() -> None:
    from pawscore.events import iter_event_batches
    from pawslambda._api import API

    shape = "InvokeWithResponseStreamResponseEvent"
    data = b"".join(encode_message(CHUNK, i.to_bytes(2, "big")) for i in range(1000))
    data += encode_message(COMPLETE, b"{}")
    for kind in KINDS:
        with python_decoder(kind):
            batches = list(iter_event_batches(API, shape, [data]))
        events = [e for b in batches for e in b]
        assert [e["PayloadChunk"]["Payload"] for e in events[:-1]] == [
            i.to_bytes(2, "big") for i in range(1000)
        ]
        assert events[-1] == {"InvokeComplete": {}}
        if kind == "native":
            assert max(len(b) for b in batches) <= 128 and len(batches) >= 8
