"""Demo and test functions for pawslocal (``python -m pawslocal --functions examples/functions.py``).

Each top-level function is a Lambda handler ``handler(event, context)``. Returning a
value sends it as one chunk (bytes as-is, str as UTF-8, anything else as JSON);
yielding from a generator streams one PayloadChunk per item.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

_log = logging.getLogger("pawslocal.examples")
_log.setLevel(logging.INFO)


def hello(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Greets ``event["name"]`` (default "world") and says which function answered."""
    return {
        "message": f"Hello, {event.get('name', 'world')}!",
        "function": context.function_name,
        "version": context.function_version,
    }


def stream(event: dict[str, Any], context: Any) -> Iterator[str]:
    """Yields ``event["n"]`` (default 5) lines, pausing ``event["delay"]`` s between them."""
    n = int(event.get("n", 5))
    delay = float(event.get("delay", 0.05))
    for i in range(n):
        if i:
            time.sleep(delay)
        yield f"chunk {i + 1} of {n}\n"


def echo(event: Any, context: Any) -> Any:
    """Returns the event unchanged."""
    return event


def chunks(event: dict[str, Any], context: Any) -> Iterator[bytes]:
    """Yields ``n`` chunks of ``size`` bytes each (empty chunks when ``empty`` is true)."""
    n = int(event.get("n", 3))
    size = 0 if event.get("empty") else int(event.get("size", 16))
    pattern = bytes(range(256)) * (size // 256 + 2)
    for i in range(n):
        yield pattern[i % 256 : i % 256 + size]


def bytes256(event: Any, context: Any) -> bytes:
    """Returns every byte value 0..255 once, in order."""
    return bytes(range(256))


def utf8(event: Any, context: Any) -> str:
    """Returns text with multi-byte UTF-8 characters."""
    return "héllo wörld, Grüße, 日本語, emoji 🐾, math ∑√∞"


def big(event: Any, context: Any) -> bytes:
    """Returns one 5 MB chunk (5,000,000 bytes of a repeating pattern)."""
    return (b"0123456789" * 500_000)[:5_000_000]


def fail(event: Any, context: Any) -> Any:
    """Raises before sending anything."""
    raise ValueError(event.get("message", "this function always fails"))


def fail_midstream(event: Any, context: Any) -> Iterator[str]:
    """Streams two chunks, then raises."""
    yield "first\n"
    yield "second\n"
    raise RuntimeError("failed after two chunks")


def slow(event: Any, context: Any) -> Iterator[str]:
    """Sends one chunk, then sleeps ``event["sleep"]`` s (default 10), past a short timeout."""
    yield "started\n"
    time.sleep(float(event.get("sleep", 10)))
    yield "finished\n"


def logs(event: Any, context: Any) -> dict[str, Any]:
    """Prints ``event["lines"]`` (default 3) lines and logs one INFO record."""
    n = int(event.get("lines", 3))
    for i in range(n):
        print(f"log line {i + 1} from {context.aws_request_id}")
    _log.info("logged through the logging module")
    return {"printed": n}


def context_info(event: Any, context: Any) -> dict[str, Any]:
    """Returns what the handler sees in ``context``, including the client context."""
    cc = context.client_context
    return {
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "client_context": None
        if cc is None
        else {"client": cc.client, "custom": cc.custom, "env": cc.env},
    }


def version_two(event: Any, context: Any) -> dict[str, Any]:
    """The code of published version 2 in examples/pawslocal.toml."""
    return {"code": "v2", "version": context.function_version}
