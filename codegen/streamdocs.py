"""Documentation of event-stream operations, generated for every one from the model.

An operation whose output holds an event stream gets, in both languages, the same
facts: what the event list holds (one entry per event, each named by its type), how
to print the payload as it arrives, read it whole, and stop early. The names used are
the operation's own (its stream member, its event types, the event that carries a
blob payload); nothing here names a service. Service-specific notes and examples come
from ``codegen/customizations/<uid>.json`` (``docs``, see :class:`ir.OperationDocs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import docs
from .ir import Operation, Service
from .literals import py_literal, r_literal
from .syntax import event_types

# Placeholder argument values by shape type, when neither a customization nor the
# model's examples give the call's arguments.
_PLACEHOLDERS: dict[str, Any] = {
    "string": "string",
    "integer": 1,
    "long": 1,
    "float": 1.0,
    "double": 1.0,
    "boolean": True,
}


@dataclass(frozen=True)
class EventStreamInfo:
    """The event stream of an operation's output, as the docs name it."""

    member: str  # the output member holding the events (EventStream)
    events: tuple[str, ...]  # event types a caller receives, final event last
    final: str | None  # the event a complete stream ends with, if known
    errors: tuple[str, ...]  # exception events: raised, never returned
    payload_event: str | None  # first event type with a blob member
    payload_member: str | None  # that blob member


def stream_info(service: Service, op: Operation) -> EventStreamInfo | None:
    """The event stream of ``op``'s output, or None when it has none."""
    if not op.event_stream_output or op.output is None:
        return None
    output = service.shape(op.output)
    for member in output.members:
        shape = service.shape(member.shape)
        if not shape.event_stream:
            continue
        events = event_types(service, shape)
        by_name = {m.name: m for m in shape.members}
        payload_event = payload_member = None
        for name in events:
            blob = next(
                (m.name for m in service.shape(by_name[name].shape).members if m.type == "blob"),
                None,
            )
            if blob is not None:
                payload_event, payload_member = name, blob
                break
        return EventStreamInfo(
            member=member.name,
            events=events,
            final=shape.final_event if shape.final_event in events else None,
            errors=tuple(m.name for m in shape.members if m.name not in events),
            payload_event=payload_event,
            payload_member=payload_member,
        )
    return None


def example_args(service: Service, op: Operation) -> dict[str, Any]:
    """The arguments the examples call ``op`` with: from the customization, else the
    model's first example, else a placeholder for each required scalar argument."""
    if op.extra_docs.example_args:
        return dict(op.extra_docs.example_args)
    if op.examples:
        return dict(op.examples[0].input)
    return {
        m.name: _PLACEHOLDERS[m.type] for m in op.params if m.required and m.type in _PLACEHOLDERS
    }


def _event_shapes(info: EventStreamInfo, quote: str) -> str:
    """``"A", ..., "Final"`` or ``"A", "B", ...`` (the events' names in arrival order)."""
    names = [f"{quote}{n}{quote}" for n in info.events]
    if info.final is not None:
        return ", ".join([*names[:-1], "...", names[-1]])
    return ", ".join([*names, "..."])


# -- words (HTML, rendered by docs.py into Rd and docstrings) --------------------------


def value_note_html(info: EventStreamInfo, language: str) -> str:
    """What the event-stream member holds, for the Value / Returns section."""
    m = info.member
    first = info.events[0] if info.events else "Event"
    if language == "r":
        text = (
            f"<p><code>{m}</code> is a list with one entry per event, in arrival order; "
            "each entry is a list with one member named by its event type "
            f"({_event_shapes(info, '')}). So <code>resp${m}${first}</code> is "
            f"<code>NULL</code>: read <code>resp${m}[[i]]${first}</code>"
        )
        text += ", or use <code>payload_text(resp)</code>." if info.payload_event else "."
        text += (
            " With <code>.on_event</code> it holds the callback's return values instead; "
            "a stream stopped early with <code>stop_stream()</code> carries "
            f'<code>attr(resp${m}, "stopped")</code> = <code>TRUE</code>.'
        )
    else:
        text = (
            f"<p><code>{m}</code> is a list with one dict per event, in arrival order, each "
            f"with one key naming its event type ({_event_shapes(info, '')}). With "
            "<code>on_event</code> it holds the callback's return values (a "
            "<code>pawscore.StoppedEvents</code>, whose <code>stopped</code> is True, when "
            "the callback called <code>pawscore.stop_stream()</code>); with "
            "<code>stream=True</code> it is a lazy, closeable iterator of the events."
        )
    if info.final is not None:
        text += (
            f" A complete stream ends with <code>{info.final}</code>; one cut short before "
            "it is a <code>TruncatedStream</code> error, never a shorter answer."
        )
    if info.errors:
        names = ", ".join(f"<code>{e}</code>" for e in info.errors)
        what = "a condition" if language == "r" else "an exception"
        text += f" An error event ({names}) is raised as {what}, not returned."
    return text + "</p>"


# -- examples ----------------------------------------------------------------------------


def _comment(text: str, width: int) -> list[str]:
    """``text`` as ``# `` comment lines of at most ``width`` characters."""
    return docs.wrap(text, width, "# ", "#   ")


def _r_call(method: str, args: dict[str, Any], extra: list[str] | None = None) -> list[str]:
    """``svc$method(A = 1)`` on one line, or one argument per line with ``extra`` lines."""
    parts = [f"{name} = {r_literal(value, 2, 78)}" for name, value in args.items()]
    if not extra:
        flat = f"{method}({', '.join(parts)})"
        if len(flat) <= 76 and "\n" not in flat:
            return [flat]
    lines = [f"{method}("]
    body = [*parts, *(extra or [])]
    for n, part in enumerate(body):
        sub = part.split("\n")
        sub[-1] += "," if n < len(body) - 1 else ""
        lines.extend("  " + s for s in sub)
    lines.append(")")
    return lines


def r_examples(service: Service, op: Operation) -> str:
    """R code for the event-stream examples of ``op`` (comments say what each shows)."""
    info = stream_info(service, op)
    if info is None:
        return ""
    method = f"svc${op.snake}"
    args = example_args(service, op)
    m = info.member
    lines = [f"svc <- {service.prefix}()", ""]

    def assign(target: str, extra: list[str] | None = None) -> list[str]:
        call = _r_call(method, args, extra)
        return [f"{target} <- {call[0]}", *call[1:]]

    if info.payload_event:
        ev, blob = info.payload_event, info.payload_member
        callback = [
            ".on_event = function(event) {",
            f"  if (!is.null(event${ev})) cat(decode(event${ev}${blob}))",
            "  event",
            "}",
        ]
        lines += [
            "# Print the payload as it arrives: .on_event runs on each event as soon as",
            "# it is decoded; text_decoder() holds back a UTF-8 character split between",
            "# two events until it is whole.",
            "decode <- text_decoder()",
            *assign("resp", ["\n".join(callback)]),
            "",
            "# The whole payload at once (payload_raw() and payload_json() too):",
            *assign("resp"),
            "text <- payload_text(resp)",
        ]
    else:
        callback = [".on_event = function(event) {", "  str(event)", "  event", "}"]
        lines += [
            "# Look at each event as it arrives: .on_event runs on each one as soon as",
            "# it is decoded.",
            *assign("resp", ["\n".join(callback)]),
            "",
            "# All events at once:",
            *assign("resp"),
        ]
    lines += [
        "",
        "# One entry per event, each a list named by its type:",
        *_comment(_event_shapes(info, chr(34)), 78),
        f'types <- vapply(resp${m}, names, "")',
        "",
        "# Stop early: stop_stream() closes the connection and returns the events read",
        "# so far, marked as stopped (no error is raised).",
        *assign("first", [".on_event = function(event) stop_stream(event)"]),
        f'attr(first${m}, "stopped")  # TRUE',
    ]
    for ex in op.extra_docs.examples:
        lines += ["", *(f"# {line}" for line in ex.title.splitlines()), ex.r]
    return "\n".join(lines)


def _py_call(
    method: str, args: dict[str, Any], extra: list[str] | None = None, prefix: str = ""
) -> list[str]:
    """``svc.method(A=1)`` on one line when it fits (after ``prefix``), else one argument
    per line. Docstring code is indented 12 spaces; lines stay under 100 characters."""
    parts = [f"{name}={py_literal(value)}" for name, value in args.items()] + (extra or [])
    flat = f"{method}({', '.join(parts)})"
    if len(prefix) + len(flat) <= 84:
        return [flat]
    return [f"{method}(", *(f"    {p}," for p in parts), ")"]


def blob_input_note(language: str) -> str:
    """What a blob argument accepts (DESIGN.md: input blobs), said once for every one."""
    if language == "r":
        return "A raw vector, or a character string (sent as its UTF-8 bytes)."
    return "``bytes``, a ``str`` (sent as UTF-8) or a binary file-like object (read to its end)."


def python_examples(service: Service, op: Operation) -> str:
    """Python code for the event-stream examples of ``op``."""
    info = stream_info(service, op)
    if info is None:
        return ""
    method = f"svc.{op.snake}"
    args = example_args(service, op)
    m = info.member
    lines = [
        "import pawscore",
        f"import {service.package}",
        "",
        f"svc = {service.package}.client()",
        "",
    ]

    def assign(target: str, extra: list[str] | None = None) -> list[str]:
        call = _py_call(method, args, extra, f"{target} = ")
        return [f"{target} = {call[0]}", *call[1:]]

    if info.payload_event:
        lines += [
            "# Print the payload as it arrives; iter_text() holds back a UTF-8 character",
            "# split between two events until it is whole.",
            *assign("resp", ["stream=True"]),
            f'with resp["{m}"] as events:',
            "    for text in pawscore.iter_text(events):",
            '        print(text, end="", flush=True)',
            "",
            "# Or with a callback, run on each event as soon as it is decoded:",
            *_py_call(method, args, ["on_event=print"]),
            "",
            "# The whole payload at once (payload_bytes() and payload_json() too):",
            *assign("resp"),
            "text = pawscore.payload_text(resp)",
        ]
    else:
        lines += [
            "# Each event as it arrives, from a lazy iterator:",
            *assign("resp", ["stream=True"]),
            f'with resp["{m}"] as events:',
            "    for event in events:",
            "        print(event)",
            "",
            "# Or with a callback, run on each event as soon as it is decoded:",
            *_py_call(method, args, ["on_event=print"]),
            "",
            "# All events at once:",
            *assign("resp"),
        ]
    lines += [
        "",
        "# One dict per event, each with one key naming its type:",
        *_comment(_event_shapes(info, chr(34)), 84),
        f'types = [next(iter(event)) for event in resp["{m}"]]',
        "",
        "# Stop early: stop_stream() closes the connection and returns the results so",
        "# far, marked as stopped (no exception reaches the caller).",
        "def first_only(event):",
        "    pawscore.stop_stream(event)",
        "",
        *assign("first", ["on_event=first_only"]),
        f'first["{m}"].stopped  # True',
    ]
    for ex in op.extra_docs.examples:
        lines += ["", *(f"# {line}" for line in ex.title.splitlines()), ex.python]
    return "\n".join(lines)
