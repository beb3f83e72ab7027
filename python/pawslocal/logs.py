"""Per-invocation log capture: what a handler prints or logs goes to its own buffer.

Handlers run in their own threads, so ``sys.stdout``/``sys.stderr`` are replaced by
routers that send each write to the buffer of the invocation running on the calling
thread, and everything else to the stream that was there before.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from datetime import datetime, timezone
from typing import TextIO

TAIL_BYTES = 4096

_local = threading.local()
_install_lock = threading.Lock()


class InvocationLog:
    """The log of one invocation; thread-safe appends, tail for LogType=Tail."""

    def __init__(self, request_id: str) -> None:
        self.request_id = request_id
        self._lock = threading.Lock()
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        """Append text, keeping only enough of the start to serve a 4 KB tail."""
        with self._lock:
            self._parts.append(text)
            self._size += len(text)
            # Keep memory bounded for chatty handlers: old text is never shown.
            while self._size > 4 * TAIL_BYTES and len(self._parts) > 1:
                self._size -= len(self._parts.pop(0))

    def text(self) -> str:
        """Everything kept so far."""
        with self._lock:
            return "".join(self._parts)

    def tail(self, limit: int = TAIL_BYTES) -> bytes:
        """The last ``limit`` bytes of the log, UTF-8 encoded."""
        return self.text().encode("utf-8", "replace")[-limit:]


class _Router(io.TextIOBase):
    def __init__(self, fallback: TextIO) -> None:
        self.fallback = fallback

    def write(self, text: str) -> int:
        log = getattr(_local, "log", None)
        if log is not None:
            log.write(text)
            return len(text)
        return self.fallback.write(text)

    def flush(self) -> None:
        if getattr(_local, "log", None) is None:
            self.fallback.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.fallback, "encoding", "utf-8")

    def isatty(self) -> bool:
        return False


class _RecordHandler(logging.Handler):
    # Same line shape as the AWS Python runtime: [LEVEL] time request-id message.
    def emit(self, record: logging.LogRecord) -> None:
        log = getattr(_local, "log", None)
        if log is None:
            return
        when = datetime.fromtimestamp(record.created, timezone.utc)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        log.write(f"[{record.levelname}]\t{stamp}\t{log.request_id}\t{message}\n")


_handler = _RecordHandler()


def install() -> None:
    """Route stdout/stderr/logging through the capture (idempotent, re-checks each call)."""
    with _install_lock:
        if not isinstance(sys.stdout, _Router):
            sys.stdout = _Router(sys.stdout)
        if not isinstance(sys.stderr, _Router):
            sys.stderr = _Router(sys.stderr)
        root = logging.getLogger()
        if _handler not in root.handlers:
            root.addHandler(_handler)


def uninstall() -> None:
    """Put back the streams that were there before ``install``."""
    with _install_lock:
        if isinstance(sys.stdout, _Router):
            sys.stdout = sys.stdout.fallback
        if isinstance(sys.stderr, _Router):
            sys.stderr = sys.stderr.fallback
        logging.getLogger().removeHandler(_handler)


def attach(log: InvocationLog | None) -> None:
    """Make ``log`` receive this thread's output (``None`` detaches)."""
    _local.log = log
