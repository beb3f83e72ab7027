"""Write the shared event-stream fixtures: ``tests/fixtures/eventstream/<name>.bin/.json``.

Run from the repo root: ``python tests/eventstream/make_fixtures.py``.  The output is
committed; pytest and testthat both decode every ``.bin`` and compare with its ``.json``.

JSON shape: ``{"description": ..., "expect": E}`` plus an optional ``"expect_r": E`` when
R must differ (values R cannot hold exactly).  ``E`` is either
``{"messages": [{"headers": [{"name", "type", "value"}], "payload_hex": ...}]}`` (payloads
over 4 KiB as ``payload_length`` + ``payload_sha256``) or
``{"error": {"kind": ..., "offset": ...}}``.  Header values in JSON: bool, number (byte,
short, integer, long, timestamp as milliseconds), hex string (byte array), text
(string, uuid); type ``unreadable`` has ``{"type": <wire type>, "raw": <hex>}``, a value
that runtime cannot hold as its own type, kept as its wire bytes.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

from pawscore.eventstream import Int8, Int16, Int64, encode_message  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "eventstream"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
LAMBDA_HEADERS = {
    ":event-type": "PayloadChunk",
    ":content-type": "application/octet-stream",
    ":message-type": "event",
}

_TYPE_OF = {Int8: "byte", Int16: "short", Int64: "long"}


def typed(value: object) -> tuple[str, Any]:
    """The fixture (type, JSON value) of an encoder input value."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return (_TYPE_OF.get(type(value), "integer"), int(value))
    if isinstance(value, bytes):
        return ("bytes", value.hex())
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, datetime):
        return ("timestamp", (value - EPOCH) // timedelta(milliseconds=1))
    if isinstance(value, uuid.UUID):
        return ("uuid", str(value))
    raise TypeError(type(value))


def expected(messages: list[tuple[dict[str, object], bytes]]) -> dict:
    """The ``expect`` block for a list of (headers, payload) messages."""
    out = []
    for headers, payload in messages:
        rows = []
        for name, value in headers.items():
            kind, json_value = typed(value)
            rows.append({"name": name, "type": kind, "value": json_value})
        item: dict[str, Any] = {"headers": rows}
        if len(payload) > 4096:  # keep the JSON small: length and digest instead
            item["payload_length"] = len(payload)
            item["payload_sha256"] = hashlib.sha256(payload).hexdigest()
        else:
            item["payload_hex"] = payload.hex()
        out.append(item)
    return {"messages": out}


def raw_frame(
    block: bytes,
    payload: bytes = b"",
    *,
    total: int | None = None,
    headers_len: int | None = None,
    message_crc: int | None = None,
) -> bytes:
    """A frame with correct CRCs over whatever lengths are given (for invalid frames)."""
    total = 16 + len(block) + len(payload) if total is None else total
    headers_len = len(block) if headers_len is None else headers_len
    prelude = struct.pack(">II", total, headers_len)
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + block + payload
    crc = zlib.crc32(body) if message_crc is None else message_crc
    return body + struct.pack(">I", crc)


def header(name: bytes, tag: int, value: bytes) -> bytes:
    """One raw header: name length, name, type tag, value bytes."""
    return bytes((len(name),)) + name + bytes((tag,)) + value


def flip(data: bytes, index: int) -> bytes:
    """``data`` with the lowest bit of byte ``index`` flipped."""
    out = bytearray(data)
    out[index] ^= 1
    return bytes(out)


def error(kind: str, offset: int) -> dict:
    """An ``expect`` block for a decode error."""
    return {"error": {"kind": kind, "offset": offset}}


def build() -> dict[str, tuple[str, bytes, dict, dict | None]]:
    """All fixtures: name -> (description, stream bytes, expect, expect_r)."""
    fx: dict[str, tuple[str, bytes, dict, dict | None]] = {}

    def valid(name: str, desc: str, messages: list[tuple[dict, bytes]]) -> None:
        data = b"".join(encode_message(h, p) for h, p in messages)
        fx[name] = (desc, data, expected(messages), None)

    all_types = {
        "bool-true": True,
        "bool-false": False,
        "byte": Int8(-128),
        "short": Int16(32767),
        "integer": -2147483647,
        "long": Int64(2**53),
        "bytes": bytes(range(256)) * 2,
        "string": "héllo wörld ✓ 🚀",
        "timestamp": datetime(2024, 2, 29, 23, 59, 59, 999000, tzinfo=timezone.utc),
        "uuid": uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e"),
    }
    valid("empty", "an empty stream: no messages", [])
    valid("no_headers_no_payload", "a 16-byte frame", [({}, b"")])
    valid("all_header_types", "every header value type once", [(all_types, b"{}")])
    valid(
        "extremes",
        "range ends R and Python both hold exactly",
        [
            (
                {
                    "b-min": Int8(-128),
                    "b-max": Int8(127),
                    "s-min": Int16(-32768),
                    "i-max": 2147483647,
                    "l-min": Int64(-(2**53)),
                    "l-zero": Int64(0),
                    "t-before-epoch": datetime(1969, 7, 20, 20, 17, 40, 1000, tzinfo=timezone.utc),
                    "t-epoch": EPOCH,
                    "empty-string": "",
                    "empty-bytes": b"",
                    "x" * 255: "longest name",
                },
                bytes(range(256)),
            )
        ],
    )
    chunks = [f"chunk-{i};".encode() for i in range(20)]
    complete = {":event-type": "InvokeComplete", ":content-type": "application/json"}
    complete[":message-type"] = "event"
    valid(
        "lambda_stream",
        "a Lambda response stream: PayloadChunk frames then InvokeComplete",
        [(LAMBDA_HEADERS, c) for c in chunks] + [(complete, b'{"LogResult":"bG9n"}')],
    )
    valid(
        "large_payload",
        "one 70 KiB payload (more than one 64 KiB read)",
        [(LAMBDA_HEADERS, bytes(i % 251 for i in range(70 * 1024)))],
    )
    valid(
        "exception",
        "an exception message (decoded as data by the codec)",
        [
            (
                {
                    ":message-type": "exception",
                    ":exception-type": "ResourceNotFoundException",
                    ":content-type": "application/json",
                },
                b'{"message":"no such function"}',
            )
        ],
    )

    good = encode_message(LAMBDA_HEADERS, b"hello")
    n = len(good)
    fx["truncated_in_prelude"] = (
        "stream ends 5 bytes into the second frame",
        good + good[:5],
        error("TruncatedStream", n),
        None,
    )
    fx["truncated_in_payload"] = (
        "stream ends one byte short of the end of its second frame",
        good + good[:-1],
        error("TruncatedStream", n),
        None,
    )
    fx["prelude_crc"] = (
        "a bit flipped in the total length of the second frame",
        good + flip(good, 3),
        error("ChecksumMismatch", n),
        None,
    )
    fx["message_crc"] = (
        "a bit flipped in the payload of the third frame",
        good + good + flip(good, n - 6),
        error("ChecksumMismatch", 2 * n),
        None,
    )
    fx["message_crc_field"] = (
        "a bit flipped in the message CRC itself",
        flip(good, n - 1),
        error("ChecksumMismatch", 0),
        None,
    )
    fx["total_too_small"] = (
        "total length 15 with a valid prelude CRC",
        good + raw_frame(b"", total=15),
        error("InvalidFrame", n),
        None,
    )
    fx["total_too_large"] = (
        "payload length 24 MiB + 1 (botocore's limit + 1) with a valid prelude CRC",
        raw_frame(b"", total=16 + 24 * 1024 * 1024 + 1),
        error("InvalidFrame", 0),
        None,
    )
    fx["headers_too_large"] = (
        "headers length 128 KiB + 1 (botocore's limit + 1) with a valid prelude CRC",
        raw_frame(b"", total=16 + 128 * 1024 + 1, headers_len=128 * 1024 + 1),
        error("InvalidFrame", 0),
        None,
    )
    fx["header_name_nul"] = (
        "a header name holding a NUL byte",
        raw_frame(header(b"a\x00b", 0, b"")),
        error("InvalidFrame", 0),
        None,
    )
    fx["headers_beyond_frame"] = (
        "headers length larger than the frame can hold",
        raw_frame(b"", b"abcd", headers_len=5),
        error("InvalidFrame", 0),
        None,
    )
    fx["empty_header_name"] = (
        "a header whose name has length 0",
        raw_frame(header(b"", 7, b"\x00\x01a")),
        error("InvalidFrame", 0),
        None,
    )
    fx["unknown_header_type"] = (
        "a header with type tag 10",
        good + raw_frame(header(b"x", 10, b"")),
        error("InvalidHeaderType", n),
        None,
    )
    fx["duplicate_header"] = (
        "the same header name twice",
        raw_frame(header(b"dup", 0, b"") + header(b"dup", 1, b"")),
        error("InvalidFrame", 0),
        None,
    )
    fx["header_value_past_block"] = (
        "a string header whose length runs past the header block",
        raw_frame(header(b"s", 7, b"\x00\x09abc")),
        error("InvalidFrame", 0),
        None,
    )
    fx["header_name_past_block"] = (
        "a header name longer than the rest of the header block",
        raw_frame(b"\x09abc"),
        error("InvalidFrame", 0),
        None,
    )
    fx["bad_utf8_string"] = (
        "a string header that is not UTF-8",
        raw_frame(header(b"s", 7, b"\x00\x02\xc3\x28")),
        error("InvalidFrame", 0),
        None,
    )

    def one(name: str, kind: str, value: Any) -> dict:
        row = {"name": name, "type": kind, "value": value}
        return {"messages": [{"headers": [row], "payload_hex": ""}]}

    def unreadable(kind: str, raw: bytes) -> tuple[str, dict]:
        return ("unreadable", {"type": kind, "raw": raw.hex()})

    # Values one runtime cannot hold: kept as their wire bytes, the stream goes on.
    cases = [
        ("long_beyond_2_53", "a long of 2^53 + 1", 5, struct.pack(">q", 2**53 + 1), "long"),
        ("integer_min", "the integer -2^31 (NA in R)", 4, struct.pack(">i", -(2**31)), "integer"),
        ("string_with_nul", "a string holding NUL", 7, b"\x00\x03a\x00b", "string"),
        (
            "timestamp_beyond_datetime",
            "10^15 ms, past year 9999",
            8,
            struct.pack(">q", 10**15),
            "timestamp",
        ),
    ]
    for name, desc, tag, value, kind in cases:
        raw = value[2:] if tag == 7 else value
        python: tuple[str, Any]
        r: tuple[str, Any]
        if kind == "timestamp":
            python, r = unreadable(kind, raw), (kind, 10**15)
        elif kind == "string":
            python, r = (kind, "a\x00b"), unreadable(kind, raw)
        else:
            number = struct.unpack(">q" if tag == 5 else ">i", value)[0]
            python, r = (kind, number), unreadable(kind, raw)
        fx[name] = (
            f"{desc}: exact in one runtime, kept as wire bytes in the other",
            raw_frame(header(b"h", tag, value)),
            one("h", *python),
            one("h", *r),
        )
    return fx


def main() -> None:
    """Regenerate every fixture file (and remove stale ones)."""
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = build()
    for old in list(OUT.glob("*.bin")) + list(OUT.glob("*.json")):
        if old.stem not in fixtures:
            old.unlink()
    for name, (desc, data, expect, expect_r) in sorted(fixtures.items()):
        (OUT / f"{name}.bin").write_bytes(data)
        doc: dict[str, Any] = {"description": desc, "expect": expect}
        if expect_r is not None:
            doc["expect_r"] = expect_r
        text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
        (OUT / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(fixtures)} fixtures to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
