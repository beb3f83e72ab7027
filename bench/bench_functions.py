"""Lambda handlers served by pawslocal for the client benchmark."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any


def chunks(event: dict[str, Any], context: Any) -> Iterator[bytes]:
    """Yields ``n`` chunks of ``size`` bytes."""
    block = bytes(range(256)) * (int(event["size"]) // 256 + 1)
    piece = block[: int(event["size"])]
    for _ in range(int(event["n"])):
        yield piece


def first_late(event: dict[str, Any], context: Any) -> Iterator[bytes]:
    """One chunk at once, a second after ``delay`` s: time to first event shows streaming."""
    yield b"first"
    time.sleep(float(event["delay"]))
    yield b"second"
