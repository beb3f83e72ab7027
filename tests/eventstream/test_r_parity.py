"""Parity of the R and Python decoders through rpy2.

(The R suite itself, test-eventstream.R, is run by tests/r/test_pawscore_r.py.)  Both decoders read the same fixture files and random streams; the R value, converted
with DESIGN.md's type table, must equal the Python value exactly, and failures must have
the same class, offset and message.
"""

from __future__ import annotations

import random
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pawscore.eventstream import (
    EventStreamError,
    Int8,
    Int16,
    Int64,
    Message,
    decode_stream,
    encode_message,
)
from rpy2 import robjects as ro
from rpy2.rinterface import RTYPES

from .shared import EPOCH, Fixture, check_messages, load_fixtures, timestamp_value

FIXTURES = load_fixtures()


@pytest.fixture(scope="module")
def r_decode(r_lib: Path) -> Any:
    """An R function: raw -> list(ok, messages) or list(ok = FALSE, kind, offset, message)."""
    loaded = ro.r('function() "pawscore" %in% loadedNamespaces()')()[0]
    if not loaded:
        ro.r(f'suppressPackageStartupMessages(loadNamespace("pawscore", lib.loc = "{r_lib}"))')
    return ro.r(
        """function(data, cuts) tryCatch({
             dec <- pawscore::es_decoder()
             out <- list()
             last <- 0
             for (cut in c(cuts, length(data))) {
               if (cut > last) out <- c(out, dec$feed(data[(last + 1):cut]))
               last <- max(last, cut)
             }
             dec$finish()
             list(ok = TRUE, messages = out)
           }, EventStreamError = function(e) {
             list(ok = FALSE, kind = class(e)[[1]], offset = e$offset,
                  message = conditionMessage(e))
           })"""
    )


def r_value(value: Any, path: str) -> object:
    """One R header value as Python, by DESIGN.md's type table (strict on R types).

    A value R cannot hold (class ``es_unreadable``) becomes (wire type, hex bytes).
    """
    if value.typeof == RTYPES.VECSXP:
        assert list(ro.r("class")(value)) == ["es_unreadable"], path
        return (str(value.rx2("type")[0]), bytes(value.rx2("raw")).hex())
    assert len(value) == 1 or value.typeof == RTYPES.RAWSXP, path
    kind = value.typeof
    if kind == RTYPES.LGLSXP:
        return bool(value[0])
    if kind == RTYPES.INTSXP:
        return int(value[0])
    if kind == RTYPES.RAWSXP:
        return bytes(value)
    if kind == RTYPES.STRSXP:
        return str(value[0])
    assert kind == RTYPES.REALSXP, f"{path}: unexpected R type {kind}"
    classes = list(ro.r("class")(value))
    if "POSIXct" in classes:
        assert list(ro.r("function(x) attr(x, 'tzone')")(value)) == ["UTC"], path
        return timestamp_value(round(value[0] * 1000))
    number = value[0]
    assert number == int(number), f"{path}: long {number} is not whole"
    return int(number)


def r_messages(result: Any) -> list[Message]:
    """R's decoded messages as Python ``Message`` values."""
    out = []
    for i, msg in enumerate(result.rx2("messages")):
        assert list(msg.names) == ["headers", "payload"]
        headers_r = msg.rx2("headers")
        names = [] if len(headers_r) == 0 else list(headers_r.names)
        headers = {n: r_value(v, f"[{i}] {n}") for n, v in zip(names, headers_r, strict=True)}
        out.append(Message(headers, bytes(msg.rx2("payload"))))
    return out


def python_result(data: bytes, cuts: list[int]) -> tuple[str, Any]:
    """('ok', messages) or ('error', (kind, offset, message)) from the Python decoder."""
    pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    try:
        return ("ok", list(decode_stream(pieces)))
    except EventStreamError as err:
        return ("error", (type(err).__name__, err.offset, str(err)))


def r_result(r_decode: Any, data: bytes, cuts: list[int]) -> tuple[str, Any]:
    """The same from the R decoder, through rpy2."""
    res = r_decode(ro.vectors.ByteVector(data), ro.FloatVector(cuts))
    if res.rx2("ok")[0]:
        return ("ok", r_messages(res))
    kind = res.rx2("kind")[0]
    return ("error", (kind, int(res.rx2("offset")[0]), res.rx2("message")[0]))


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_fixture_parity(fixture: Fixture, r_decode: Any) -> None:
    r = r_result(r_decode, fixture.data, [])
    if fixture.expect_r is fixture.expect or fixture.expect_r == fixture.expect:
        assert r == python_result(fixture.data, [])
    else:
        # A value one runtime cannot hold: kept as its wire bytes there, never rounded.
        assert r[0] == "ok"
        check_messages(r[1], fixture.expect_r)


def test_random_streams_decode_identically_under_random_splits(r_decode: Any) -> None:
    rng = random.Random(20240229)
    for _ in range(40):
        msgs = []
        for _ in range(rng.randint(1, 5)):
            headers: dict[str, object] = {
                ":event-type": rng.choice(["PayloadChunk", "InvokeComplete"]),
                "n": rng.randint(-(2**31) + 1, 2**31 - 1),
                "b": Int8(rng.randint(-128, 127)),
                "s": Int16(rng.randint(-32768, 32767)),
                "l": Int64(rng.randint(-(2**53), 2**53)),
                "ok": rng.random() < 0.5,
                "raw": rng.randbytes(rng.randint(0, 40)),
                "when": EPOCH + timedelta(milliseconds=rng.randint(-(10**12), 10**13)),
                "id": uuid.UUID(int=rng.getrandbits(128)),
                "text": "".join(rng.choice("aé✓🚀 z") for _ in range(rng.randint(0, 12))),
            }
            msgs.append(encode_message(headers, rng.randbytes(rng.randint(0, 3000))))
        data = b"".join(msgs)
        if rng.random() < 0.3:  # damage a byte, or cut the stream short
            damaged = bytearray(data)
            damaged[rng.randrange(len(data))] ^= rng.randint(1, 255)
            data = bytes(damaged) if rng.random() < 0.5 else data[: rng.randrange(1, len(data))]
        cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(0, 6))))
        py = python_result(data, cuts)
        assert r_result(r_decode, data, cuts) == py


def test_timestamps_and_uuids_have_the_documented_r_types(r_decode: Any) -> None:
    when = datetime(2024, 2, 29, 12, 34, 56, 789000, tzinfo=timezone.utc)
    frame = encode_message({"t": when, "u": uuid.UUID(int=1), "l": Int64(-(2**53))})
    status, [msg] = r_result(r_decode, frame, [])
    assert status == "ok"
    assert msg.headers == {"t": when, "u": str(uuid.UUID(int=1)), "l": -(2**53)}


def test_r_crc32_paths_equal_zlib(r_lib: Path, r_decode: Any) -> None:
    crc = ro.r("function(x, tables) pawscore:::es_crc32(x, tables)")
    rng = random.Random(7)
    data = rng.randbytes(200_000)
    lengths = [*range(0, 200), 1023, 1024, 65535, 65536, 65537, 199_999]
    for n in lengths:
        start = rng.randrange(0, 16)
        chunk = data[start : start + n]
        want = zlib.crc32(chunk)
        raw = ro.vectors.ByteVector(chunk)
        assert int(crc(raw, False)[0]) == want, n
        assert int(crc(raw, True)[0]) == want, n


def test_random_garbage_gives_the_same_error_in_both(r_decode: Any) -> None:
    rng = random.Random(99)
    for _ in range(60):
        data = rng.randbytes(rng.randint(0, 600))
        cuts = sorted(rng.sample(range(1, len(data)), min(max(len(data) - 1, 0), 3)))
        py = python_result(data, cuts)
        assert py[0] == ("ok" if not data else "error")  # garbage never decodes
        assert r_result(r_decode, data, cuts) == py
