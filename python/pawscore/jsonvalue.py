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
from collections.abc import Mapping
from typing import Any

from .timestamps import format_timestamp, parse_timestamp

Shapes = Mapping[str, Any]

_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


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


def json_doc(body: bytes) -> Any:
    """The decoded body; an empty or blank body is an empty object."""
    if not body or not body.strip():
        return {}
    return json.loads(body)


def json_object(body: bytes) -> dict[str, Any]:
    """The JSON object a body of members must be; anything else is a parse error."""
    doc = json_doc(body)
    if not isinstance(doc, dict):
        raise TypeError(f"expected a JSON object, got JSON {type(doc).__name__}")
    return doc


def error_doc(body: bytes) -> dict[str, Any]:
    """The JSON object of an error body, or ``{}`` when it is not one."""
    try:
        doc = json.loads(body) if body and body.strip() else {}
    except (ValueError, UnicodeDecodeError):
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
    "number_text",
    "parse_json",
    "scalar_from_json",
    "to_json",
]
