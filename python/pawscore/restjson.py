"""The rest-json protocol: API data + params -> HTTP request; HTTP response -> dict.

Dispatch is on shape type and member location only; nothing here knows about a
particular service or operation.
"""

from __future__ import annotations

import base64
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import ParamValidationError, ServiceError
from .timestamps import format_timestamp, parse_timestamp

Shapes = Mapping[str, Any]

_LABEL_RE = re.compile(r"\{([^}+]+)(\+?)\}")
_HTTP_DATE_RE = re.compile(r"[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT")
_HOST_LABEL_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
# What http.client refuses to send (line breaks, non-Latin-1) and other control bytes.
_BAD_HEADER_VALUE_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]")
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})
_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


@dataclass
class HttpRequest:
    """A request ready to sign and send; ``url`` carries the encoded query string.

    Once signed, the secret header values are ``signer.HiddenValue`` objects.
    """

    method: str
    url: str
    headers: dict[str, Any] = field(default_factory=dict)
    body: bytes = b""

    def __repr__(self) -> str:
        # A signed request carries the session token, and a body can carry secrets
        # (environment variables): show neither.
        headers = {
            k: "<hidden>" if k.lower() in _SECRET_HEADERS else v for k, v in self.headers.items()
        }
        return (
            f"HttpRequest(method={self.method!r}, url={self.url!r}, headers={headers!r}, "
            f"body=<{len(self.body)} bytes>)"
        )


# ----------------------------------------------------------------- serializing


def fill_idempotency_tokens(
    api: Mapping[str, Any], operation: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """Return ``params`` with a fresh uuid4 in each absent idempotency-token member."""
    out = dict(params)
    shape_name = api["operations"][operation].get("input")
    if shape_name is None:
        return out
    for name, ref in api["shapes"][shape_name].get("members", {}).items():
        if ref.get("idempotency_token") and out.get(name) is None:
            out[name] = str(uuid.uuid4())
    return out


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
    netloc = _host_prefix(op.get("host_prefix"), members, given) + base.netloc
    url = f"{base.scheme}://{netloc}{path}"
    return url + "?" + "&".join(query) if query else url


def _host_prefix(prefix: str | None, members: Mapping[str, Any], given: Mapping[str, Any]) -> str:
    """The operation's host prefix (endpoint trait) with its ``{label}`` members filled in."""
    if not prefix:
        return ""
    labels = {name: given.get(name) for name, ref in members.items() if ref.get("host_label")}

    def replace(match: re.Match[str]) -> str:
        value = labels.get(match.group(1))
        if not isinstance(value, str) or not _HOST_LABEL_RE.fullmatch(value):
            # The value becomes part of a host name: refuse anything that is not a label.
            raise ParamValidationError([f"{match.group(1)}: must be a valid DNS label"])
        return value

    return _LABEL_RE.sub(replace, prefix)


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


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)


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
        return base64.b64encode(_blob_bytes(value)).decode("ascii")
    if kind in ("float", "double", "integer", "long"):
        return _number_text(value)
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


def _blob_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    data = value.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


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
                (_blob_bytes(value), "application/octet-stream")
                if value is not None
                else (b"", None)
            )
        if target["type"] == "string":
            return (value.encode("utf-8"), "text/plain") if value is not None else (b"", None)
        if value is None:
            return (b"", None) if target.get("union") else (b"{}", "application/json")
        return _json_bytes(_to_json(shapes, ref["shape"], value)), "application/json"
    if body_params:
        return _json_bytes(_to_json(shapes, None, body_params, shape)), "application/json"
    if any("location" not in ref for ref in members.values()):
        return b"{}", "application/json"
    return b"", None


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _to_json(
    shapes: Shapes,
    shape_name: str | None,
    value: Any,
    shape: Mapping[str, Any] | None = None,
    ref: Mapping[str, Any] | None = None,
) -> Any:
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
                out[ref_.get("location_name", name)] = _to_json(
                    shapes, ref_["shape"], item, ref=ref_
                )
        return out
    if kind == "list":
        member = shape["member"]
        return [_to_json(shapes, member["shape"], v, ref=member) for v in value]
    if kind == "map":
        inner = shape["value"]
        return {str(k): _to_json(shapes, inner["shape"], v, ref=inner) for k, v in value.items()}
    if kind == "timestamp":
        fmt = (
            (ref or {}).get("timestamp_format") or shape.get("timestamp_format") or "unixTimestamp"
        )
        return format_timestamp(value, fmt)
    if kind == "blob":
        return base64.b64encode(_blob_bytes(value)).decode("ascii")
    if kind in ("float", "double") and isinstance(value, float) and not math.isfinite(value):
        return _number_text(value)
    return value


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
    lower = _lower_headers(headers)
    out: dict[str, Any] = {}
    payload = shape.get("payload")
    body_doc: Any = None
    if payload is None and any("location" not in r for r in members.values()):
        body_doc = _json_object(body)
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
                for k, v in _joined_headers(headers).values()
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
                out[name] = parse_json(shapes, ref["shape"], _json_doc(body), ref)
        elif isinstance(body_doc, Mapping) and body_doc.get(wire) is not None:
            out[name] = parse_json(shapes, ref["shape"], body_doc[wire], ref)
    return out


def _joined_headers(headers: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """lower-case name -> (name as first sent, value): a repeated header's values are
    joined with ", " (RFC 9110, as botocore reads them), never cut to the last one.

    urllib3's header dict yields a repeated header once per value from ``items()``.
    """
    out: dict[str, tuple[str, str]] = {}
    for name, value in headers.items():
        key = name.lower()
        if key in out:
            first, before = out[key]
            out[key] = (first, f"{before}, {value}")
        else:
            out[key] = (name, value)
    return out


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Response headers keyed by lower-case name, repeated ones joined."""
    return {key: value for key, (_, value) in _joined_headers(headers).items()}


# Deeper JSON is refused before parsing: the stdlib parser raises RecursionError
# near Python's recursion limit and jsonlite overflows R's protect stack, so only
# an explicit bound gives both runtimes the same answer on the same bytes.
MAX_JSON_DEPTH = 500
_JSON_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
_JSON_WS = " \t\n\r"


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


def _json_doc(body: bytes) -> Any:
    return load_json(body, {})


def _json_object(body: bytes) -> dict[str, Any]:
    """The JSON object a body of members must be; anything else is a parse error."""
    doc = _json_doc(body)
    if not isinstance(doc, dict):
        raise TypeError(f"expected a JSON object, got JSON {type(doc).__name__}")
    return doc


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
    return _scalar_from_json(kind, value)


def _scalar_from_json(kind: str, value: Any) -> Any:
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
        return _scalar_from_json(kind, text.strip())
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
    lower = _lower_headers(headers)
    raw = lower.get("x-amzn-errortype", "")
    if not raw and isinstance(doc, Mapping):
        for key in ("__type", "code", "Type"):
            if isinstance(doc.get(key), str) and doc[key]:
                raw = doc[key]
                break
    raw = raw.split(":", 1)[0]
    return raw.rsplit("#", 1)[-1].strip()


def parse_error(
    api: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    errors: Mapping[str, type[ServiceError]] | None = None,
) -> ServiceError:
    """Build (not raise) the exception for a non-2xx response."""
    try:
        doc = _json_doc(body)
    except ValueError:
        doc = {}
    if not isinstance(doc, Mapping):
        doc = {}
    code = error_code_of(headers, doc) or f"Http{status}"
    message = ""
    for key in ("message", "Message", "errorMessage"):
        if isinstance(doc.get(key), str):
            message = doc[key]
            break
    lower = _lower_headers(headers)
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
    cls = (errors or {}).get(code, ServiceError)
    return cls(message, code=code, status_code=status, request_id=request_id, fields=fields)


def find_error_shape(api: Mapping[str, Any], code: str) -> str | None:
    """Name of the modeled error shape whose wire code is ``code``, if any."""
    for name, shape in api["shapes"].items():
        if shape.get("exception") and shape.get("error", {}).get("code", name) == code:
            return name
    return None


def _parse_error_members(
    shapes: Shapes, shape_name: str, headers: Mapping[str, str], doc: Mapping[str, Any]
) -> dict[str, Any]:
    lower = _lower_headers(headers)
    out: dict[str, Any] = {}
    for name, ref in shapes[shape_name].get("members", {}).items():
        wire = ref.get("location_name", name)
        if ref.get("location") == "header":
            if wire.lower() in lower:
                out[name] = parse_header(shapes, ref, lower[wire.lower()])
        elif ref.get("location") is None and doc.get(wire) is not None:
            out[name] = parse_json(shapes, ref["shape"], doc[wire], ref)
    return out


def ordered(members: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` re-ordered to follow ``members`` (model order)."""
    return {name: values[name] for name in members if name in values}


__all__ = [
    "HttpRequest",
    "build_request",
    "error_code_of",
    "fill_idempotency_tokens",
    "find_error_shape",
    "load_json",
    "ordered",
    "parse_error",
    "parse_header",
    "parse_json",
    "parse_response",
]
