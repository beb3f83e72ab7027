"""Lambda handlers served by pawslocal for the parity tests (loaded from this file)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

CHUNK_COUNT = 1000
BIG_CHUNK = bytes(range(256)) * (5 * 1024 * 1024 // 256)  # 5 MiB, every byte value
UTF8_TEXT = "Grüße, ¡hola!, 你好, こんにちは, ✓ 🚀"


def one(event: Any, context: Any) -> dict:
    return {"hello": "world", "event": event}


def many(event: Any, context: Any) -> Iterator[bytes]:
    for i in range(CHUNK_COUNT):
        yield f"chunk-{i:04d};".encode()


def empty_chunks(event: Any, context: Any) -> Iterator[bytes]:
    yield b""
    yield b"between"
    yield b""
    yield b""


def big(event: Any, context: Any) -> bytes:
    return BIG_CHUNK


def all_bytes(event: Any, context: Any) -> Iterator[bytes]:
    yield bytes(range(256))
    yield b"\x00"


def utf8(event: Any, context: Any) -> Iterator[str]:
    for word in UTF8_TEXT.split(" "):
        yield word + " "


def echo(event: Any, context: Any) -> Any:
    return event
