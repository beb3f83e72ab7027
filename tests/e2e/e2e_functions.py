"""Lambda handlers served by pawslocal for the end-to-end client tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HANDSHAKE_WAIT_S = 20.0


def handshake(event: dict[str, Any], context: Any) -> Iterator[bytes]:
    """Streams "first", then waits for the client to create ``event["flag"]``.

    The second chunk says whether the flag appeared: a client that hands events over
    only when the body ends can never create it in time, so it reads "no-signal".
    """
    flag = Path(event["flag"])
    yield b"first"
    deadline = time.monotonic() + HANDSHAKE_WAIT_S
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    yield b"after-signal" if flag.exists() else b"no-signal"


def hello(event: Any, context: Any) -> dict[str, Any]:
    """One JSON chunk naming the version that ran."""
    return {"hello": "world", "version": context.function_version}


def three(event: Any, context: Any) -> Iterator[bytes]:
    """Three small chunks."""
    yield from (b"a", b"bb", b"ccc")


def crash(event: Any, context: Any) -> Iterator[bytes]:
    """Streams one chunk, then fails: the failure is data in InvokeComplete."""
    yield b"partial"
    raise RuntimeError("boom")


def endless(event: Any, context: Any) -> Iterator[bytes]:
    """Chunks until the client goes away (or the 3 s function timeout)."""
    n = 0
    while True:
        yield f"chunk-{n};".encode()
        n += 1
        time.sleep(0.005)
