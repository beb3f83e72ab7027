"""The rest-json protocol: API data + params -> HTTP request; HTTP response -> dict.

Dispatch is on shape type and member location only; nothing here knows about a
particular service or operation. The JSON body codec is shared with the json
protocol (``jsonvalue``); ``protocol.py`` picks this module by ``metadata.protocol``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import ParamValidationError, ServiceError
from .http import HttpRequest, joined_headers, lower_headers
from .jsonvalue import (
    blob_bytes,
    error_doc,
    json_bytes,
    json_doc,
    json_object,
    load_json,
    number_text,
    parse_json,
    scalar_from_json,
    to_json,
)
from .timestamps import format_timestamp, parse_timestamp
from .wire import (
    Errors,
    error_class,
    error_message,
    fill_idempotency_tokens,
    find_error_shape,
    host_prefix,
    strip_code,
)

Shapes = Mapping[str, Any]

_LABEL_RE = re.compile(r"\{([^}+]+)(\+?)\}")
_HTTP_DATE_RE = re.compile(r"[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT")
# What http.client refuses to send (line breaks, non-Latin-1) and other control bytes.
_BAD_HEADER_VALUE_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]")
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


# ----------------------------------------------------------------- serializing


def build_request(
    api: Mapping[str, Any], operation: str, params: Mapping[str, Any], endpoint: str
) -> HttpRequest:
    """Serialize ``params`` (already validated) into an HttpRequest against ``endpoint``."""
    shapes = api["shapes"]
    op = api["operations"][operation]
    params = fill_idempotency_tokens(api, operation, params)
    shape_name = op.get("input")
    shape: Mapping[str, Any] = (
        shapes[shape_name] if shape_name else {"type": "structure", "members": {}}
    )
    members: Mapping[str, Any] = shape.get("members", {})
    given = {k: v for k, v in params.items() if v is not None}

    parts = _partition(shapes, members, given)
    url = _url(endpoint, op, parts, members, given)
    headers = parts.headers
    body, content_type = _body(shapes, shape, given, parts.body)
    if body and content_type and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = content_type
    if body:
        headers["Content-Length"] = str(len(body))
    return HttpRequest(op["http_method"], url, headers, body)


@dataclass
class _Parts:
    """Parameters sorted by where they go on the wire, already rendered as text."""

    labels: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


def _partition(shapes: Shapes, members: Mapping[str, Any], given: Mapping[str, Any]) -> _Parts:
    parts = _Parts()
    problems: list[str] = []
    named_query: set[str] = set()
    query_maps: list[tuple[str, Any]] = []
    for name, ref in members.items():  # model order, so output is stable
        if name not in given:
            continue
        value = given[name]
        location = ref.get("location")
        wire = ref.get("location_name", name)
        target = shapes[ref["shape"]]
        if location == "uri":
            parts.labels[wire] = _scalar_text(target, value, ref, "iso8601")
        elif location == "querystring":
            if target["type"] == "map":
                query_maps.append((ref["shape"], value))
            else:
                named_query.add(wire)
                parts.query.extend((wire, text) for text in _query_texts(shapes, ref, value))
        elif location == "header":
            parts.headers[wire] = _header_text(shapes, ref, value)
            problems += _header_problems(name, wire, parts.headers[wire])
        elif location == "headers":
            for key, item in value.items():
                parts.headers[f"{wire}{key}"] = str(item)
                problems += _header_problems(f"{name}[{key!r}]", f"{wire}{key}", str(item))
        elif location is None:
            parts.body[name] = value
    if problems:
        # Checked here, not by validate(): only the wire text shows what HTTP cannot carry.
        raise ParamValidationError(problems)
    for map_shape, value in query_maps:
        value_ref = shapes[map_shape]["value"]
        value_shape = shapes[value_ref["shape"]]
        for key, item in value.items():
            if key in named_query:
                continue  # a named member wins over a map entry with the same key
            items = item if isinstance(item, list | tuple) else [item]
            parts.query.extend(
                (key, _scalar_text(value_shape, v, value_ref, "iso8601")) for v in items
            )
    return parts


def _header_problems(member: str, header: str, text: str) -> list[str]:
    """What stops ``text`` from being sent as header ``header`` (never echoing the value)."""
    if not _HEADER_NAME_RE.fullmatch(header):
        return [f"{member}: {header!r} is not a valid HTTP header name"]
    if _BAD_HEADER_VALUE_RE.search(text):
        return [
            f"{member}: the value holds a line break, a control character or a character "
            "outside Latin-1, which an HTTP header cannot carry"
        ]
    return []


def _url(
    endpoint: str,
    op: Mapping[str, Any],
    parts: _Parts,
    members: Mapping[str, Any],
    given: Mapping[str, Any],
) -> str:
    uri_path, _, uri_query = op["request_uri"].partition("?")
    base = urlsplit(endpoint)
    path = base.path.rstrip("/") + _fill_labels(uri_path, parts.labels)
    # A constant query in the model's uri ("?foo=bar&hello") is kept as written.
    query = [p for p in uri_query.split("&") if p]
    query.extend(f"{_encode(key)}={_encode(text)}" for key, text in parts.query)
    netloc = host_prefix(op.get("host_prefix"), members, given) + base.netloc
    url = f"{base.scheme}://{netloc}{path}"
    return url + "?" + "&".join(query) if query else url


def _encode(text: str, safe: str = "-_.~") -> str:
    return quote(text, safe=safe)


def _fill_labels(path: str, labels: Mapping[str, str]) -> str:
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name, greedy = match.group(1), match.group(2)
        if name not in labels:
            problems.append(f"{name}: required uri parameter is missing")
            return ""
        problems.extend(_dot_segment_problems(name, labels[name], bool(greedy)))
        return _encode(labels[name], "/-_.~" if greedy else "-_.~")

    filled = _LABEL_RE.sub(replace, path)
    if problems:
        raise ParamValidationError(problems)
    return filled


def _dot_segment_problems(name: str, text: str, greedy: bool) -> list[str]:
    """Refuse a label that would be a ``.`` or ``..`` path segment.

    HTTP clients (urllib3, libcurl) remove dot segments, and the signer normalizes the
    path the same way, so such a label would send a valid, signed request to another
    operation's path (``StatementId=".."`` turns RemovePermission into DeleteFunction).
    A greedy label is split on ``/`` first.
    """
    segments = text.split("/") if greedy else [text]
    if not any(segment in (".", "..") for segment in segments):
        return []
    what = "a path segment" if greedy else "the value"
    return [f"{name}: {what} '.' or '..' would move the request to another path"]


def _scalar_text(
    shape: Mapping[str, Any], value: Any, ref: Mapping[str, Any], ts_default: str
) -> str:
    kind = shape["type"]
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        fmt = ref.get("timestamp_format") or shape.get("timestamp_format") or ts_default
        return str(format_timestamp(value, fmt))
    if kind == "blob":
        return base64.b64encode(blob_bytes(value)).decode("ascii")
    if kind in ("float", "double", "integer", "long"):
        return number_text(value)
    return str(value)


def _query_texts(shapes: Shapes, ref: Mapping[str, Any], value: Any) -> list[str]:
    shape = shapes[ref["shape"]]
    if shape["type"] == "list":
        member = shape["member"]
        return [_scalar_text(shapes[member["shape"]], v, member, "iso8601") for v in value]
    return [_scalar_text(shape, value, ref, "iso8601")]


def _quote_header_item(text: str) -> str:
    if "," in text or '"' in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _header_text(shapes: Shapes, ref: Mapping[str, Any], value: Any) -> str:
    shape = shapes[ref["shape"]]
    if ref.get("jsonvalue"):
        raw = json.dumps(value, separators=(",", ":")).encode("utf-8")
        return base64.b64encode(raw).decode("ascii")
    if shape["type"] == "list":
        member = shape["member"]
        member_shape = shapes[member["shape"]]
        texts = [_scalar_text(member_shape, v, member, "rfc822") for v in value]
        if member_shape["type"] == "string":
            texts = [_quote_header_item(t) for t in texts]
        return ", ".join(texts)
    return _scalar_text(shape, value, ref, "rfc822")


def _body(
    shapes: Shapes, shape: Mapping[str, Any], given: Mapping[str, Any], body_params: dict[str, Any]
) -> tuple[bytes, str | None]:
    payload = shape.get("payload")
    members = shape.get("members", {})
    if payload is not None:
        ref = members[payload]
        target = shapes[ref["shape"]]
        value = given.get(payload)
        if target["type"] == "blob":
            return (
                (blob_bytes(value), "application/octet-stream")
                if value is not None
                else (b"", None)
            )
        if target["type"] == "string":
            return (value.encode("utf-8"), "text/plain") if value is not None else (b"", None)
        if value is None:
            return (b"", None) if target.get("union") else (b"{}", "application/json")
        return json_bytes(to_json(shapes, ref["shape"], value)), "application/json"
    if body_params:
        return json_bytes(to_json(shapes, None, body_params, shape)), "application/json"
    if any("location" not in ref for ref in members.values()):
        return b"{}", "application/json"
    return b"", None


# ----------------------------------------------------------------- parsing


def parse_response(
    api: Mapping[str, Any],
    operation: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """Parse a 2xx response into the output dict (present members, model order).

    An event-stream payload member is left out: the caller fills it from the body.
    """
    shapes = api["shapes"]
    shape_name = api["operations"][operation].get("output")
    if shape_name is None:
        return {}
    shape = shapes[shape_name]
    members: Mapping[str, Any] = shape.get("members", {})
    lower = lower_headers(headers)
    out: dict[str, Any] = {}
    payload = shape.get("payload")
    body_doc: Any = None
    if payload is None and any("location" not in r for r in members.values()):
        body_doc = json_object(body)
    for name, ref in members.items():
        location = ref.get("location")
        wire = ref.get("location_name", name)
        target = shapes[ref["shape"]]
        if location == "statusCode":
            out[name] = int(status)
        elif location == "header":
            if wire.lower() in lower:
                out[name] = parse_header(shapes, ref, lower[wire.lower()])
        elif location == "headers":
            prefix = wire.lower()
            found = {
                k[len(prefix) :]: v
                for k, v in joined_headers(headers).values()
                if k.lower().startswith(prefix)
            }
            if found:
                out[name] = found
        elif location is not None:
            continue
        elif name == payload:
            if target.get("event_stream"):
                continue
            if target["type"] == "blob":
                out[name] = bytes(body)
            elif target["type"] == "string":
                out[name] = bytes(body).decode("utf-8")
            elif body.strip():
                out[name] = parse_json(shapes, ref["shape"], json_doc(body), ref)
        elif isinstance(body_doc, Mapping) and body_doc.get(wire) is not None:
            out[name] = parse_json(shapes, ref["shape"], body_doc[wire], ref)
    return out


def parse_header(shapes: Shapes, ref: Mapping[str, Any], text: str) -> Any:
    """Typed value of one response header (lists, jsonvalue, timestamps included)."""
    shape = shapes[ref["shape"]]
    kind = shape["type"]
    if ref.get("jsonvalue"):
        return json.loads(base64.b64decode(text))
    if kind == "list":
        member = shape["member"]
        member_shape = shapes[member["shape"]]
        if member_shape["type"] == "timestamp" and _HTTP_DATE_RE.search(text):
            items = _HTTP_DATE_RE.findall(text)
        else:
            items = _split_header_list(text)
        return [_scalar_from_header(shapes[member["shape"]], member, t) for t in items]
    return _scalar_from_header(shape, ref, text)


def _scalar_from_header(shape: Mapping[str, Any], ref: Mapping[str, Any], text: str) -> Any:
    kind = shape["type"]
    if kind == "boolean":
        return text.strip().lower() == "true"
    if kind in ("integer", "long"):
        return int(text)
    if kind in ("float", "double"):
        return scalar_from_json(kind, text.strip())
    if kind == "timestamp":
        return parse_timestamp(text)
    if kind == "blob":
        return base64.b64decode(text)
    return text


def _split_header_list(text: str) -> list[str]:
    items: list[str] = []
    i, n = 0, len(text)
    while i <= n:
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == '"':
            i += 1
            buf = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(text[i])
                i += 1
            items.append("".join(buf))
            i = text.find(",", i)
            i = n + 1 if i < 0 else i + 1
        else:
            end = text.find(",", i)
            end = n if end < 0 else end
            items.append(text[i:end].strip())
            i = end + 1
    return items


# ----------------------------------------------------------------- errors


def error_code_of(headers: Mapping[str, str], doc: Any) -> str:
    """The error code: x-amzn-ErrorType, else body __type / code / Type; namespace stripped."""
    lower = lower_headers(headers)
    raw = lower.get("x-amzn-errortype", "")
    if not raw and isinstance(doc, Mapping):
        for key in ("__type", "code", "Type"):
            if isinstance(doc.get(key), str) and doc[key]:
                raw = doc[key]
                break
    return strip_code(raw)


def parse_error(
    api: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    errors: Errors | None = None,
) -> ServiceError:
    """Build (not raise) the exception for a non-2xx response."""
    doc = error_doc(body)
    code = error_code_of(headers, doc) or f"Http{status}"
    lower = lower_headers(headers)
    request_id = lower.get("x-amzn-requestid") or lower.get("x-amz-request-id")
    skip = {"__type", "code", "message", "Message", "errorMessage"}
    if "x-amzn-errortype" not in lower and doc.get("Type") == code:
        skip.add("Type")  # the code came from this field
    fields = {k: v for k, v in doc.items() if k not in skip}
    shape_name = find_error_shape(api, code)
    if shape_name is not None:
        try:
            modeled = _parse_error_members(api["shapes"], shape_name, headers, doc)
        except (ValueError, TypeError, KeyError, AttributeError):
            # A member that does not fit the model must not hide the service's error
            # behind a parsing one: keep the fields as they came.
            modeled = {}
        modeled.pop("Message", None)
        modeled.pop("message", None)
        fields.update(modeled)
    cls = error_class(errors, code)
    return cls(
        error_message(doc), code=code, status_code=status, request_id=request_id, fields=fields
    )


def _parse_error_members(
    shapes: Shapes, shape_name: str, headers: Mapping[str, str], doc: Mapping[str, Any]
) -> dict[str, Any]:
    lower = lower_headers(headers)
    out: dict[str, Any] = {}
    for name, ref in shapes[shape_name].get("members", {}).items():
        wire = ref.get("location_name", name)
        if ref.get("location") == "header":
            if wire.lower() in lower:
                out[name] = parse_header(shapes, ref, lower[wire.lower()])
        elif ref.get("location") is None and doc.get(wire) is not None:
            out[name] = parse_json(shapes, ref["shape"], doc[wire], ref)
    return out


__all__ = [
    "HttpRequest",
    "build_request",
    "error_code_of",
    "load_json",
    "parse_error",
    "parse_header",
    "parse_response",
]
