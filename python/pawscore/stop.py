"""Stopping an event stream early from an ``on_event`` callback.

The callback calls ``stop_stream(value)`` (or raises ``StopStream``): the connection
is closed, no more events are read, and the call returns normally with the callback
results so far, ending with ``value``. The list it returns is a ``StoppedEvents``, whose
``stopped`` attribute is True, so a result cut short on purpose is never mistaken for
the whole answer. Mirrors R's ``pawscore::stop_stream()``.
"""

from __future__ import annotations

from typing import Any, NoReturn


class StopStream(Exception):
    """Raised by an ``on_event`` callback to stop reading; carries the event's result."""

    def __init__(self, value: Any = None) -> None:
        super().__init__("stream stopped by the caller")
        self.value = value


class StoppedEvents(list[Any]):
    """The callback results of a stream the caller stopped early (``stopped`` is True)."""

    stopped = True


def stop_stream(value: Any = None) -> NoReturn:
    """Stop the stream from inside an ``on_event`` callback; ``value`` is this event's result."""
    raise StopStream(value)


__all__ = ["StopStream", "StoppedEvents", "stop_stream"]
