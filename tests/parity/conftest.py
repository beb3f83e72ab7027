"""Fixtures for the parity tests: one emulator, and the three clients pointed at it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHUNK_COUNT = 1000
BIG_CHUNK = bytes(range(256)) * (5 * 1024 * 1024 // 256)  # 5 MiB, every byte value
UTF8_TEXT = "Grüße, ¡hola!, 你好, こんにちは, ✓ 🚀"


def _one(event: Any, context: Any) -> dict:
    return {"hello": "world", "event": event}


def _many(event: Any, context: Any) -> Iterator[bytes]:
    for i in range(CHUNK_COUNT):
        yield f"chunk-{i:04d};".encode()


def _empty_chunks(event: Any, context: Any) -> Iterator[bytes]:
    yield b""
    yield b"between"
    yield b""
    yield b""


def _big(event: Any, context: Any) -> bytes:
    return BIG_CHUNK


def _all_bytes(event: Any, context: Any) -> Iterator[bytes]:
    yield bytes(range(256))
    yield b"\x00"


def _utf8(event: Any, context: Any) -> Iterator[str]:
    for word in UTF8_TEXT.split(" "):
        yield word + " "


def _echo(event: Any, context: Any) -> Any:
    return event


PARITY_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "one": _one,
    "many": _many,
    "empty-chunks": _empty_chunks,
    "big": _big,
    "all-bytes": _all_bytes,
    "utf8": _utf8,
    "echo": _echo,
}


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """A pawslocal emulator serving the parity functions, for the whole session."""
    import pawslocal

    with pawslocal.serve(functions=PARITY_FUNCTIONS) as url:
        yield url


@pytest.fixture(scope="session")
def api() -> dict:
    """The generated API data the Python client uses (the R client has the same)."""
    from pawslambda._api import API

    return API


@pytest.fixture(scope="session")
def model_file() -> Path:
    """The pinned model, as JSON."""
    return ROOT / "models" / "lambda" / "2015-03-31" / "service-2.json"


def load_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
