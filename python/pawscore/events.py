"""Modeled events from decoded event-stream messages (docs/contracts.md, section 7).

An event is ``{<EventType>: {members}}``. ``iter_events`` is a generator, so each
event reaches the caller as soon as its frame is decoded, before more bytes are
read; an ``exception``/``error`` message raises after the events before it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

from . import eventstream
from .errors import (
    HeaderValueOutOfRange,
    IncompleteBody,
    ResponseParseError,
    ServiceError,
    TruncatedStream,
)
from .eventstream import EventStreamDecoder, Message, UnreadableValue
from .jsonvalue import load_json, parse_json
from .timestamps import parse_timestamp
from .wire import error_class, find_error_shape

Errors = Mapping[str, type[ServiceError]]


def event_stream_member(api: Mapping[str, Any], output_shape: str | None) -> tuple[str, str] | None:
    """(member name, shape name) of the output's event-stream member, if it has one."""
    if output_shape is None:
        return None
    shapes = api["shapes"]
    for name, ref in shapes[output_shape].get("members", {}).items():
        if shapes[ref["shape"]].get("event_stream"):
            return name, ref["shape"]
    return None


def message_to_event(
    api: Mapping[str, Any], stream_shape: str, message: Message, errors: Errors | None = None
) -> dict[str, Any] | None:
    """The event for one message; None for types the model does not know.

    Raises the modeled (or generic) ServiceError for exception and error messages.
    As in botocore, only ``exception`` and ``error`` are special message types:
    any other (or none) is read as an event.
    """
    headers = message.headers
    kind = _text_header(headers, ":message-type")
    if kind == "exception":
        raise _exception(api, stream_shape, message, errors or {})
    if kind == "error":
        code = _text_header(headers, ":error-code") or ""
        raise ServiceError(_text_header(headers, ":error-message") or "", code=code)
    shapes = api["shapes"]
    event_type = _text_header(headers, ":event-type")
    if not event_type:
        return None  # no type (or one that is not text): skipped, as botocore does
    ref = shapes[stream_shape].get("members", {}).get(event_type)
    if ref is None:
        return None  # an event type added after this model was generated
    try:
        return {event_type: _event_members(shapes, ref["shape"], message)}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ResponseParseError(f"could not parse the {event_type} event: {exc}") from exc


def _text_header(headers: Mapping[str, object], name: str) -> str | None:
    """A protocol header (``:event-type`` and the like) when it is text R can hold too.

    A value of another type, or a string holding NUL, counts as absent in both runtimes.
    """
    value = headers.get(name)
    return value if isinstance(value, str) and "\x00" not in value else None


def _event_members(shapes: Mapping[str, Any], shape_name: str, message: Message) -> dict[str, Any]:
    members: Mapping[str, Any] = shapes[shape_name].get("members", {})
    out: dict[str, Any] = {}
    body_doc: Any = None
    if any(not (r.get("event_payload") or r.get("event_header")) for r in members.values()):
        body_doc = load_json(message.payload, {})
        if not isinstance(body_doc, dict):
            raise TypeError(f"expected a JSON object, got JSON {type(body_doc).__name__}")
    for name, ref in members.items():
        target = shapes[ref["shape"]]
        if ref.get("event_payload"):
            if target["type"] == "blob":
                out[name] = bytes(message.payload)
            elif target["type"] == "string":
                out[name] = message.payload.decode("utf-8")
            else:
                doc = load_json(message.payload)
                if doc is not None:
                    out[name] = parse_json(shapes, ref["shape"], doc, ref)
        elif ref.get("event_header"):
            if name in message.headers:
                out[name] = _header_value(name, target["type"], message.headers[name])
        else:
            wire = ref.get("location_name", name)
            if body_doc.get(wire) is not None:
                out[name] = parse_json(shapes, ref["shape"], body_doc[wire], ref)
    return out


def _header_value(name: str, kind: str, value: object) -> Any:
    if isinstance(value, UnreadableValue):
        raise HeaderValueOutOfRange(f"header {name!r}: {value.reason}")
    if kind == "timestamp" and not hasattr(value, "tzinfo"):
        return parse_timestamp(value)  # type: ignore[arg-type]
    if kind == "string" and not isinstance(value, str):
        return str(value)
    return value


def _exception(
    api: Mapping[str, Any], stream_shape: str, message: Message, errors: Errors
) -> ServiceError:
    """The error an ``exception`` message carries.

    ``:exception-type`` names a member of the event-stream union (Bedrock's
    ``modelStreamErrorException``) or an error shape (Lambda's ``ServiceException``).
    The code stays as sent, as botocore reports it; the member's shape gives the
    class and the modeled fields.
    """
    code = _text_header(message.headers, ":exception-type") or ""
    try:
        doc = load_json(message.payload)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        doc = {}
    text = next((doc[k] for k in ("message", "Message") if isinstance(doc.get(k), str)), "")
    fields = {k: v for k, v in doc.items() if k not in ("message", "Message")}
    shapes = api["shapes"]
    ref = shapes[stream_shape].get("members", {}).get(code) if code else None
    shape_name = ref["shape"] if ref and shapes[ref["shape"]].get("exception") else None
    shape_name = shape_name or (find_error_shape(api, code) if code else None)
    shape_code = code
    if shape_name is not None:
        shape_code = shapes[shape_name].get("error", {}).get("code", shape_name)
        try:
            modeled = parse_json(shapes, shape_name, doc)
        except (ValueError, TypeError, KeyError, AttributeError):
            modeled = {}  # fields that do not fit never hide the error itself
        modeled.pop("message", None)
        modeled.pop("Message", None)
        fields.update(modeled)
    cls = error_class(errors, code, shape_code)
    return cls(text, code=code, fields=fields)


# How iter_events builds the event for one distinct header block: None (through
# message_to_event), or (event type, payload member, members) where the event is
# {type: {payload member: payload}} when members is None, else {type: {name: the
# payload if from_payload else value}} over members in model order.
_Template = tuple[tuple[str, bool, Any], ...]
_Builder = tuple[str, str | None, _Template | None]
_PLAN_CACHE_SIZE = 64
# At most this many events per batch from the C builder: events handed on in small
# batches die young, before the garbage collector's older generations see them.
_BATCH = 128


def _builder(
    shapes: Mapping[str, Any], stream_shape: str, headers: Mapping[str, object]
) -> _Builder | None:
    """The fast way to build events whose frames carry ``headers``, when there is one.

    Only events made of blob payload members and header members are built here,
    exactly as ``_event_members`` would build them; every other message (exceptions,
    errors, JSON members, unknown types) goes through ``message_to_event``.
    """
    if _text_header(headers, ":message-type") in ("exception", "error"):
        return None
    event_type = _text_header(headers, ":event-type")
    if not event_type:
        return None
    ref = shapes[stream_shape].get("members", {}).get(event_type)
    if ref is None:
        return None
    members: Mapping[str, Any] = shapes[ref["shape"]].get("members", {})
    template: list[tuple[str, bool, Any]] = []
    for name, member in members.items():
        kind = shapes[member["shape"]]["type"]
        if member.get("event_payload"):
            if kind != "blob":
                return None
            template.append((name, True, None))
        elif member.get("event_header"):
            if name in headers:
                try:
                    template.append((name, False, _header_value(name, kind, headers[name])))
                except Exception:  # message_to_event raises it, typed
                    return None
        else:
            return None  # a member from a JSON payload
    if len(template) == 1 and template[0][1]:
        return event_type, template[0][0], None
    return event_type, None, tuple(template)


def iter_events(
    api: Mapping[str, Any],
    stream_shape: str,
    chunks: Iterable[bytes],
    errors: Errors | None = None,
) -> Iterator[dict[str, Any]]:
    """Decode ``chunks`` into events, yielding each as soon as its frame is complete.

    When the event-stream shape names a ``final_event`` (an API-data key: the event a
    complete stream always ends with), a stream that ends cleanly without it is
    truncated too. The events of ``iter_event_batches``, one at a time.
    """
    for batch in iter_event_batches(api, stream_shape, chunks, errors):
        yield from batch


def iter_event_batches(
    api: Mapping[str, Any],
    stream_shape: str,
    chunks: Iterable[bytes],
    errors: Errors | None = None,
    *,
    held: bool = False,
) -> Generator[list[dict[str, Any]], None, None]:
    """``iter_events`` in lists: the events each chunk completes, as soon as it is read.

    Each list is non-empty and holds the events in order; an error raises after the
    list of the events before it. The client's default and ``on_event`` modes read
    these, so most events never pass through a generator one by one.

    Frames of one stream mostly repeat a few header blocks; the decoder shares one
    headers dict per block, and the way to build an event from it is worked out once
    per dict (``_builder``), so the common event costs one small dict per frame
    (made in C by ``build_events`` with the accelerator).

    ``held=True`` is for a caller that keeps the events to itself until the stream
    ends and then calls ``track_events`` on them, however it ends: the events made
    in C are kept out of the cycle collector until then (see ``track_events``).
    """
    decoder = EventStreamDecoder()
    native = eventstream.NATIVE
    build_events = native.build_events if native is not None else None
    shapes = api["shapes"]
    final_event = shapes[stream_shape].get("final_event")
    finished = False
    # id(headers) -> (headers, builder); the entry keeps its dict alive, so an id
    # found here with the same dict can not be a reused one.
    plans: dict[int, tuple[Mapping[str, object], _Builder | None]] = {}
    try:
        for chunk in chunks:
            pairs = decoder.feed_shared(chunk)
            batch: list[dict[str, Any]] = []
            i, n = 0, len(pairs)
            while i < n:
                headers = pairs[i]
                entry = plans.get(id(headers))
                if entry is None or entry[0] is not headers:
                    if len(plans) >= _PLAN_CACHE_SIZE:
                        plans.clear()
                    entry = (headers, _builder(shapes, stream_shape, headers))
                    plans[id(headers)] = entry
                build = entry[1]
                if build is None:
                    payload = pairs[i + 1]
                    i += 2
                    if batch:  # the events before this one first, should it raise
                        yield batch
                        batch = []
                    message = Message(dict(headers), payload)
                    event = message_to_event(api, stream_shape, message, errors)
                    if event is not None:
                        finished = final_event in event
                        batch.append(event)
                    continue
                event_type, member, template = build
                start = i
                if template is None and build_events is not None:
                    i = build_events(
                        pairs, i, headers, event_type, member, batch, _BATCH - len(batch), held
                    )
                    if len(batch) >= _BATCH:
                        finished = event_type == final_event
                        yield batch
                        batch = []
                        continue
                elif template is None:
                    while i < n and pairs[i] is headers:
                        batch.append({event_type: {member: pairs[i + 1]}})
                        i += 2
                else:
                    while i < n and pairs[i] is headers:
                        payload = pairs[i + 1]
                        batch.append(
                            {
                                event_type: {
                                    name: payload if from_payload else value
                                    for name, from_payload, value in template
                                }
                            }
                        )
                        i += 2
                if i > start:
                    finished = event_type == final_event
            if batch:
                yield batch
    except IncompleteBody as exc:
        raise TruncatedStream(
            f"the connection closed inside the event stream ({exc})", offset=decoder.offset
        ) from exc
    decoder.finish()
    if final_event and not finished:
        raise TruncatedStream(
            f"the event stream ended before its final {final_event} event",
            offset=decoder.offset,
        )


def track_events(events: list[Any]) -> None:
    """Hand the events ``iter_event_batches(..., held=True)`` made to the cycle collector.

    Made in C and held back until now, they never made the collector run over the
    whole process while a large stream was read; from here on they are ordinary dicts.
    """
    native = eventstream.NATIVE
    if native is not None:
        native.track_events(events)


class EventStream:
    """A lazy, closeable iterator over the events of one response.

    Use it in a ``with`` block or call ``close()`` when stopping early; that closes
    the connection. It closes itself when the stream ends or fails.

    Built from ``events`` (one at a time) or from ``batches`` (lists of events, as
    ``iter_event_batches`` gives them); iterating hands out the events of a batch
    without running Python code per event.
    """

    def __init__(
        self,
        events: Iterator[dict[str, Any]],
        close: Callable[[], None],
        *,
        batches: Iterator[list[dict[str, Any]]] | None = None,
    ) -> None:
        self._source = batches if batches is not None else _one_by_one(events)
        self._close = close
        self._closed = False
        self._batch: list[dict[str, Any]] = []  # the batch being handed out
        self._events = chain.from_iterable(self._guarded())

    def _guarded(self) -> Iterator[list[dict[str, Any]]]:
        """The source's batches; closes the stream at their end and on any error."""
        try:
            for batch in self._source:
                if self._closed:
                    return
                self._batch = batch
                yield batch
        except BaseException:
            self.close()
            raise
        self.close()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._events

    def __next__(self) -> dict[str, Any]:
        return next(self._events)

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EventStream({'closed' if self._closed else 'open'})"

    @property
    def closed(self) -> bool:
        """True once the stream ended, failed or was closed."""
        return self._closed

    def close(self) -> None:
        """Stop reading and close the connection (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._batch.clear()  # events of the current batch not handed out yet: dropped
        close_source = getattr(self._source, "close", None)
        if close_source is not None:
            close_source()
        self._close()


def _one_by_one(events: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Batches of one event; closes ``events`` (a generator) when closed itself."""
    try:
        for event in events:
            yield [event]
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()


__all__ = [
    "EventStream",
    "event_stream_member",
    "iter_event_batches",
    "iter_events",
    "message_to_event",
    "track_events",
]
