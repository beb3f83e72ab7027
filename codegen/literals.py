"""Plain values (dict, list, str, int, float, bool) written as Python and R source literals."""

from __future__ import annotations

import re
from typing import Any

from .naming import r_name

# Printable ASCII other than backslash and double quote: written as is in both languages.
_PLAIN = re.compile(r"[ !#-\[\]-~]*")

_INT32_MAX = 2**31 - 1


def py_literal(value: Any) -> str:
    """A compact Python literal; ``ruff format`` lays it out afterwards."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _py_str(value)
    if isinstance(value, dict):
        items = ", ".join(f"{_py_str(k)}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")


def _py_str(text: str) -> str:
    # Double quotes as ruff format prefers; repr() would pick single quotes.
    if _PLAIN.fullmatch(text):
        return f'"{text}"'
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = "".join(_py_escape_char(c) for c in body)
    return f'"{body}"'


def _py_escape_char(char: str) -> str:
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    return char


def r_string(text: str) -> str:
    """An R string literal; non-ASCII as ``\\u`` escapes so the source stays ASCII."""
    if _PLAIN.fullmatch(text):
        return f'"{text}"'
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code > 0x7F:
            out.append(f"\\u{{{code:04x}}}" if code <= 0xFFFF else f"\\U{{{code:08x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def r_scalar(value: Any) -> str:
    """An R literal for a scalar: ``404L`` for integers that fit, ``TRUE``, strings quoted."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return f"{value}L" if abs(value) <= _INT32_MAX else repr(float(value))
    if isinstance(value, float):
        return repr(value) if value == value else "NaN"
    if isinstance(value, str):
        return r_string(value)
    raise TypeError(f"cannot write {type(value).__name__} as an R scalar")


def r_literal(value: Any, indent: int = 0, width: int = 80, prefix: str = "") -> str:
    """An R literal laid out one member per line, kept on one line where it fits in ``width``.

    Dicts become named ``list()``s, lists unnamed ``list()``s (so length 1 and n read alike).
    ``prefix`` is the text already on the first line (for the width check).
    """
    return _r_layout(value, indent, width, prefix, {})


def _r_layout(value: Any, indent: int, width: int, prefix: str, flat: dict[int, str]) -> str:
    one_line = _r_flat(value, flat)
    if indent + len(prefix) + len(one_line) <= width or not isinstance(value, (dict, list, tuple)):
        return one_line
    pad = " " * (indent + 2)
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{r_name(key)} = "
            lines.append(pad + head + _r_layout(item, indent + 2, width, head, flat))
    else:
        for item in value:
            lines.append(pad + _r_layout(item, indent + 2, width, "", flat))
    return "list(\n" + ",\n".join(lines) + "\n" + " " * indent + ")"


def _r_flat(value: Any, memo: dict[int, str]) -> str:
    """``value`` on one line; containers remembered by identity for the layout pass."""
    if not isinstance(value, (dict, list, tuple)):
        return r_scalar(value)
    known = memo.get(id(value))
    if known is not None:
        return known
    if isinstance(value, dict):
        inner = ", ".join(f"{r_name(k)} = {_r_flat(v, memo)}" for k, v in value.items())
    else:
        inner = ", ".join(_r_flat(v, memo) for v in value)
    memo[id(value)] = text = f"list({inner})"
    return text
