"""Types of the optional C accelerator (python/native/eventstream.c)."""

from typing import Any

def scan_frames(src: bytes, pos: int, end: int, cache: dict[bytes, Any], out: list[Any], /) -> int:
    """Decode the fast-path frames of ``src[pos:end]`` into ``out``; return where it stopped."""

def build_events(
    pairs: list[Any],
    start: int,
    headers: object,
    event_type: str,
    member: str,
    out: list[Any],
    limit: int,
    /,
) -> int:
    """Append ``{event_type: {member: payload}}`` per pair with these headers (at most
    ``limit``); return the index of the first pair left."""

def crc32(data: bytes | bytearray | memoryview, value: int = 0, /) -> int:
    """CRC-32 of ``data`` continuing from ``value``, as ``zlib.crc32``."""

def dechunk(
    buf: bytes, pos: int, left: int, crlf: int, trailers: bool, /
) -> tuple[bytes, int, int, int, bool, bool]:
    """HTTP chunked framing fast path: (data, pos, left, crlf, trailers, done)."""
