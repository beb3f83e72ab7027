"""Run the Python event-stream code with or without its C accelerator (pawscore._native).

The decoder and ``iter_event_batches`` read ``pawscore.eventstream.NATIVE`` when they
start, so a test picks the path by setting it.  "native" imports the module itself
(not whatever ``PAWSCORE_NATIVE`` left in ``NATIVE``), so a missing build fails the
test instead of quietly testing pure Python twice.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from pawscore import eventstream

KINDS = ("native", "pure")


@contextmanager
def python_decoder(kind: str) -> Iterator[None]:
    """Inside the block, new decoders use the C fast path ("native") or not ("pure")."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    saved = eventstream.NATIVE
    if kind == "native":
        # ImportError here means the module was not built: python3 scripts/build_native.py
        eventstream.NATIVE = importlib.import_module("pawscore._native")
    else:
        eventstream.NATIVE = None
    try:
        yield
    finally:
        eventstream.NATIVE = saved
