"""JSON values by shape: the body codec the rest-json and json protocols share.

``to_json`` turns a Python value into what ``json.dumps`` writes for its shape
(timestamps as epoch seconds unless the model says otherwise, blobs base64, the
non-finite doubles as words); ``parse_json`` turns a decoded JSON value back into
the DESIGN.md type of its shape.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from .timestamps import format_timestamp, parse_timestamp

Shapes = Mapping[str, Any]

_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

# Deeper JSON is refused before parsing: the stdlib parser raises RecursionError
# near Python's recursion limit and jsonlite overflows R's protect stack, so only
# an explicit bound gives both runtimes the same answer on the same bytes.
MAX_JSON_DEPTH = 500
_JSON_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
_JSON_WS = " \t\n\r"


def number_text(value: Any) -> str:
    """A number as AWS writes it in text: NaN and the infinities as words."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)


def blob_bytes(value: Any) -> bytes:
    """The bytes of a blob given as bytes, bytearray, memoryview, text or a file."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    data = value.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def to_json(
    shapes: Shapes,
    shape_name: str | None,
    value: Any,
    shape: Mapping[str, Any] | None = None,
    ref: Mapping[str, Any] | None = None,
) -> Any:
    """The JSON-ready form of ``value`` (already validated) for its shape."""
    if shape is None:
        assert shape_name is not None, "a shape or its name is needed"
        shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if shape.get("document"):
            return value
        out = {}
        for name, ref_ in shape.get("members", {}).items():
            item = value.get(name)
            if item is not None:
                out[ref_.get("location_name", name)] = to_json(
                    shapes, ref_["shape"], item, ref=ref_
                )
        return out
    if kind == "list":
        member = shape["member"]
        return [to_json(shapes, member["shape"], v, ref=member) for v in value]
    if kind == "map":
        inner = shape["value"]
        return {str(k): to_json(shapes, inner["shape"], v, ref=inner) for k, v in value.items()}
    if kind == "timestamp":
        fmt = (
            (ref or {}).get("timestamp_format") or shape.get("timestamp_format") or "unixTimestamp"
        )
        return format_timestamp(value, fmt)
    if kind == "blob":
        return base64.b64encode(blob_bytes(value)).decode("ascii")
    if kind in ("float", "double") and isinstance(value, float) and not math.isfinite(value):
        return number_text(value)
    return value


def load_json(body: bytes | bytearray | memoryview, empty: Any = None) -> Any:
    """Parse a JSON body by the rules both runtimes share; ``empty`` for an empty body.

    Strict UTF-8, no byte-order mark, no NaN/Infinity, nesting at most
    ``MAX_JSON_DEPTH`` deep, and no text R cannot hold (a ``\\u0000`` escape or an
    unpaired surrogate).  Anything else raises ``ValueError``.
    """
    text = bytes(body).decode("utf-8")
    if not text.strip(_JSON_WS):
        return empty
    _check_json_text(text)
    return json.loads(text, parse_constant=_reject_constant)


def _reject_constant(word: str) -> Any:
    raise ValueError(f"{word} is not JSON")


def _check_json_text(text: str) -> None:
    """What jsonlite reads differently from the stdlib parser is refused in both."""
    if "\\" in text:
        high = -1  # end of an unpaired high-surrogate escape
        for match in _JSON_ESCAPE_RE.finditer(text):
            hex_digits = match.group(1)
            code = int(hex_digits, 16) if hex_digits else -1
            if high >= 0 and not (match.start() == high and 0xDC00 <= code <= 0xDFFF):
                raise ValueError("JSON text holds an unpaired surrogate escape")
            if high >= 0:
                high = -1
            elif 0xD800 <= code <= 0xDBFF:
                high = match.end()
            elif 0xDC00 <= code <= 0xDFFF:
                raise ValueError("JSON text holds an unpaired surrogate escape")
            elif code == 0:
                raise ValueError("JSON text holds a NUL character")
        if high >= 0:
            raise ValueError("JSON text holds an unpaired surrogate escape")
    opens = text.count("[") + text.count("{")
    if opens <= MAX_JSON_DEPTH and "/" not in text:
        return
    outside = _JSON_STRING_RE.sub("", text)
    if "/" in outside:
        raise ValueError("JSON text holds a comment or a stray '/'")
    depth = 0
    for char in re.sub(r"[^\[\]{}]", "", outside):
        depth += 1 if char in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")


def json_doc(body: bytes) -> Any:
    """The decoded body; an empty or blank body is an empty object."""
    return load_json(body, {})


def json_object(body: bytes) -> dict[str, Any]:
    """The JSON object a body of members must be; anything else is a parse error."""
    doc = json_doc(body)
    if not isinstance(doc, dict):
        raise TypeError(f"expected a JSON object, got JSON {type(doc).__name__}")
    return doc


def error_doc(body: bytes) -> dict[str, Any]:
    """The JSON object of an error body, or ``{}`` when it is not one."""
    try:
        doc = json_doc(body)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _expect(value: Any, kind: type, shape_name: str) -> None:
    # A string where a list is due would otherwise iterate as characters.
    if not isinstance(value, kind):
        raise TypeError(
            f"{shape_name}: expected a JSON {kind.__name__}, got {type(value).__name__}"
        )


def parse_json(
    shapes: Shapes, shape_name: str, value: Any, ref: Mapping[str, Any] | None = None
) -> Any:
    """Turn a decoded JSON value into the Python type the model asks for."""
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if shape.get("document"):
            return value
        _expect(value, dict, shape_name)
        out = {}
        for name, ref_ in shape.get("members", {}).items():
            item = value.get(ref_.get("location_name", name))
            if item is not None:
                out[name] = parse_json(shapes, ref_["shape"], item, ref_)
        return out
    if kind == "list":
        _expect(value, list, shape_name)
        member = shape["member"]
        return [parse_json(shapes, member["shape"], v, member) for v in value if v is not None]
    if kind == "map":
        _expect(value, dict, shape_name)
        inner = shape["value"]
        return {
            k: parse_json(shapes, inner["shape"], v, inner)
            for k, v in value.items()
            if v is not None
        }
    return scalar_from_json(kind, value)


def scalar_from_json(kind: str, value: Any) -> Any:
    """A scalar of type ``kind`` from its JSON (or header text) form."""
    if kind == "string":
        if not isinstance(value, str):
            # Never str() of a number or an object: {"nested": 1} is not text.
            raise TypeError(f"expected a JSON string, got {type(value).__name__}")
        return value
    if kind == "timestamp":
        return parse_timestamp(value)
    if kind == "blob":
        return base64.b64decode(value)
    if kind in ("float", "double"):
        if isinstance(value, str):
            return _FLOAT_WORDS[value] if value in _FLOAT_WORDS else float(value)
        return float(value)
    if kind in ("integer", "long"):
        return int(value)
    return value


__all__ = [
    "blob_bytes",
    "error_doc",
    "json_bytes",
    "json_doc",
    "json_object",
    "load_json",
    "number_text",
    "parse_json",
    "scalar_from_json",
    "to_json",
]
