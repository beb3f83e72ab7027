"""Nested-value syntax of a shape, as documentation shows it (paws' "list with the following syntax")."""

from __future__ import annotations

from collections.abc import Callable

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

_PY_SCALARS = {
    "string": '"string"',
    "integer": "123",
    "long": "123",
    "float": "123.0",
    "double": "123.0",
    "boolean": "True|False",
    "timestamp": "datetime(2015, 1, 1, tzinfo=timezone.utc)",
    "blob": 'b"bytes"',
}


def r_value_syntax(service: Service, shape_name: str, indent: str = "  ") -> str:
    """``list(\\n  A = "string", ...)`` for an R value of ``shape_name``."""
    return "\n".join(_lines(service, shape_name, indent, (), _R))


def py_value_syntax(service: Service, shape_name: str, indent: str = "    ") -> str:
    """``{"A": "string", ...}`` for a Python value of ``shape_name``."""
    return "\n".join(_lines(service, shape_name, indent, (), _PY))


def r_call_syntax(service: Service, call: str, shape_name: str | None, indent: str = "  ") -> str:
    """``svc$op(\\n  A = "string"\\n)``: the request syntax of an operation."""
    if shape_name is None:
        return f"{call}()"
    lines = _lines(service, shape_name, indent, (), _R)
    return (
        call + lines[0][len("list") :] + "\n" + "\n".join(lines[1:])
        if len(lines) > 1
        else f"{call}()"
    )


class _Lang:
    def __init__(
        self,
        scalars: dict[str, str],
        enum: Callable[[tuple[str, ...]], str],
        struct: tuple[str, str],
        seq: tuple[str, str],
        field: Callable[[str], str],
        empty: str,
    ) -> None:
        self.scalars = scalars
        self.enum = enum
        self.struct = struct
        self.seq = seq
        self.field = field
        self.empty = empty


_R = _Lang(
    _R_SCALARS,
    lambda values: "|".join(r_string(v) for v in values),
    ("list(", ")"),
    ("list(", ")"),
    lambda name: f"{r_name(name)} = ",
    "list()",
)
_PY = _Lang(
    _PY_SCALARS,
    lambda values: "|".join('"' + v.replace('"', '\\"') + '"' for v in values),
    ("{", "}"),
    ("[", "]"),
    lambda name: f'"{name}": ',
    "{}",
)


def _lines(
    service: Service, name: str, indent: str, path: tuple[str, ...], lang: _Lang
) -> list[str]:
    """Lines of the value syntax; the first line has no indent, later ones are indented."""
    shape: Shape = service.shape(name)
    if shape.type == "string" and shape.enum:
        return [lang.enum(shape.enum)]
    if shape.type in lang.scalars:
        return [lang.scalars[shape.type]]
    if name in path:  # recursive shape: shown once, then as an empty value
        return [lang.empty]
    path = (*path, name)
    if shape.type == "structure":
        if shape.document or not shape.members:
            return [lang.empty]
        body: list[list[str]] = []
        if shape.event_stream and lang is _PY:
            # Python yields events as one-member dicts: show the list of alternatives.
            for member in shape.members:
                inner = _lines(service, member.shape, indent, path, lang)
                one = _block(
                    lang.struct, [[lang.field(member.name) + inner[0], *inner[1:]]], indent
                )
                body.append(one)
            return _block(lang.seq, body, indent)
        for member in shape.members:
            inner = _lines(service, member.shape, indent, path, lang)
            body.append([lang.field(member.name) + inner[0], *inner[1:]])
        return _block(lang.struct, body, indent)
    if shape.type == "list" and shape.member:
        return _block(lang.seq, [_lines(service, shape.member, indent, path, lang)], indent)
    if shape.type == "map" and shape.value:
        inner = _lines(service, shape.value, indent, path, lang)
        if lang is _PY:
            key = (
                _lines(service, shape.key or "", indent, path, lang) if shape.key else ['"string"']
            )
            return _block(("{", "}"), [[f"{key[0]}: {inner[0]}", *inner[1:]]], indent)
        return _block(lang.seq, [inner], indent)
    return [lang.empty]


def _block(brackets: tuple[str, str], items: list[list[str]], indent: str) -> list[str]:
    out = [brackets[0]]
    for n, item in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        lines = [indent + line for line in item]
        lines[-1] += comma
        out.extend(lines)
    out.append(brackets[1])
    return out
