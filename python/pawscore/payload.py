"""Read an event-stream response's payload in one line: bytes, text or parsed JSON.

A streamed answer arrives as events, each holding a piece of the payload (Lambda's
``PayloadChunk.Payload``, Bedrock's ``chunk.bytes``). These helpers join the pieces
in arrival order: every blob member of every event, whatever the service calls it.
Text is decoded once the pieces are joined (or incrementally by ``iter_text``), so a
UTF-8 character split across two events comes out whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .errors import ResponseParseError
from .events import EventStream
from .jsonvalue import load_json

Events = Iterable[Mapping[str, Any]]


def _events(source: Mapping[str, Any] | Events) -> Iterable[Mapping[str, Any]]:
    """The events of a response dict (its event-stream member) or an iterable of events."""
    if isinstance(source, Mapping):
        streams = [v for v in source.values() if isinstance(v, (list, EventStream))]
        if len(streams) != 1:
            raise TypeError(
                "expected a response with one event stream (or the events themselves), "
                f"found {len(streams)} list members"
            )
        return streams[0]
    return source


def iter_payload(source: Mapping[str, Any] | Events) -> Iterator[bytes]:
    """Each event's payload bytes as it arrives (events without a blob are skipped)."""
    for event in _events(source):
        for members in event.values():
            if isinstance(members, Mapping):
                for value in members.values():
                    if isinstance(value, (bytes, bytearray)):
                        yield bytes(value)


def payload_bytes(source: Mapping[str, Any] | Events) -> bytes:
    """The whole payload of a response (or of its events) as one ``bytes``."""
    return b"".join(iter_payload(source))


def iter_text(source: Mapping[str, Any] | Events, encoding: str = "UTF-8") -> Iterator[str]:
    """The payload as text, piece by piece as events arrive.

    A character split between two events is held back until it is complete; bytes
    that are not valid ``encoding`` raise ``ResponseParseError``.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for piece in iter_payload(source):
            text = decoder.decode(piece)
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ResponseParseError(f"the payload is not valid {encoding}") from None
    if tail:
        yield tail


def payload_text(source: Mapping[str, Any] | Events, encoding: str = "UTF-8") -> str:
    """The whole payload decoded as text (UTF-8 by default)."""
    return "".join(iter_text(source, encoding))


def payload_json(source: Mapping[str, Any] | Events) -> Any:
    """The whole payload parsed as JSON (``ResponseParseError`` when it is not JSON).

    JSON is read by the rules both runtimes share (``jsonvalue.load_json``): what one
    language would read differently from the other is refused in both.
    """
    data = payload_bytes(source)
    try:
        data.decode("UTF-8")
    except UnicodeDecodeError:
        raise ResponseParseError("the payload is not valid UTF-8") from None
    try:
        return load_json(data)
    except (ValueError, RecursionError) as exc:
        raise ResponseParseError(f"the payload is not JSON: {exc}") from None


__all__ = ["iter_payload", "iter_text", "payload_bytes", "payload_json", "payload_text"]
