"""Nested-value syntax of a shape, as the R docs show it (paws' "list with the following syntax")."""

from __future__ import annotations

from .ir import Service, Shape
from .literals import r_string
from .naming import r_name

_R_SCALARS = {
    "string": '"string"',
    "integer": "123",
    "long": "123",
    "float": "123.0",
    "double": "123.0",
    "boolean": "TRUE|FALSE",
    "timestamp": 'as.POSIXct("2015-01-01")',
    "blob": "raw",
}

# Enum alternatives ("A"|"B"|...) go on as many lines as it takes, this many characters each.
ENUM_WIDTH = 56


def r_value_syntax(service: Service, shape_name: str, indent: str = "  ") -> str:
    """``list(\\n  A = "string", ...)`` for an R value of ``shape_name``."""
    return "\n".join(_lines(service, shape_name, indent, ()))


def r_call_syntax(service: Service, call: str, shape_name: str | None, indent: str = "  ") -> str:
    """``svc$op(\\n  A = "string"\\n)``: the request syntax of an operation."""
    if shape_name is None:
        return f"{call}()"
    lines = _lines(service, shape_name, indent, ())
    return (
        call + lines[0][len("list") :] + "\n" + "\n".join(lines[1:])
        if len(lines) > 1
        else f"{call}()"
    )


def enum_lines(values: tuple[str, ...], indent: str = "  ") -> list[str]:
    """``"A"|"B"|...`` wrapped: each line ends with ``|`` and later lines are indented."""
    lines = [""]
    for n, value in enumerate(values):
        token = r_string(value) + ("|" if n < len(values) - 1 else "")
        if lines[-1] and len(lines[-1]) + len(token) > ENUM_WIDTH:
            lines.append("")
        lines[-1] += token
    return [lines[0], *(indent + line for line in lines[1:])]


def _lines(service: Service, name: str, indent: str, path: tuple[str, ...]) -> list[str]:
    """Lines of the value syntax; the first line has no indent, later ones are indented."""
    shape: Shape = service.shape(name)
    if shape.type == "string" and shape.enum:
        return enum_lines(shape.enum, indent)
    if shape.type in _R_SCALARS:
        return [_R_SCALARS[shape.type]]
    if name in path:  # recursive shape: shown once, then as an empty value
        return ["list()"]
    path = (*path, name)
    if shape.type == "structure":
        if shape.document or not shape.members:
            return ["list()"]
        if shape.event_stream:
            return _event_list(service, shape, indent, path)
        body: list[list[str]] = []
        for member in shape.members:
            inner = _lines(service, member.shape, indent, path)
            body.append([f"{r_name(member.name)} = " + inner[0], *inner[1:]])
        return _block(body, indent)
    if shape.type == "list" and shape.member:
        return _block([_lines(service, shape.member.shape, indent, path)], indent)
    if shape.type == "map" and shape.value:
        return _block([_lines(service, shape.value.shape, indent, path)], indent)
    return ["list()"]


def event_types(service: Service, shape: Shape) -> tuple[str, ...]:
    """The event types a caller can receive from an event-stream shape, final event last.

    Exception members are left out: such an event is raised as an error, never returned.
    """
    names = [m.name for m in shape.members if not service.shape(m.shape).exception]
    if shape.final_event in names:
        names.remove(shape.final_event)
        names.append(shape.final_event)
    return tuple(names)


def _event_list(service: Service, shape: Shape, indent: str, path: tuple[str, ...]) -> list[str]:
    """An event stream as it arrives: a list of one-member lists, one per event.

    Each event type is shown once, ``...`` standing for more events; a final event
    (``final_event``) comes last.
    """
    members = {m.name: m for m in shape.members}
    names = event_types(service, shape)
    final = shape.final_event if shape.final_event in names else None
    items: list[list[str]] = []
    for name in names:
        if name == final:
            items.append(["..."])
        inner = _lines(service, members[name].shape, indent, path)
        items.append(_block([[f"{r_name(name)} = " + inner[0], *inner[1:]]], indent))
    if final is None:
        items.append(["..."])
    return _block(items, indent)


def _block(items: list[list[str]], indent: str) -> list[str]:
    out = ["list("]
    for n, item in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        lines = [indent + line for line in item]
        lines[-1] += comma
        out.extend(lines)
    out.append(")")
    return out
