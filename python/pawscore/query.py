"""The query protocol (awsQuery): form-encoded requests, XML answers.

Every call is a POST to ``/`` of ``Content-Type: application/x-www-form-urlencoded;
charset=utf-8`` whose body is ``Action=<Operation>&Version=<apiVersion>`` followed by
the input members as dotted keys: a structure member ``A.B``, a list ``A.member.N``
(``A.N`` when flattened, the member's ``location_name`` in place of ``member``), a map
``A.entry.N.key`` / ``A.entry.N.value`` (``A.N.key`` when flattened), an empty list
``A=``. Scalars are text: booleans ``true``/``false``, timestamps ISO 8601 (botocore's
microsecond form), blobs base64, floats as Python writes them (``NaN``, ``Infinity``).

The answer is XML: ``<OperationResponse><OperationResult>`` (the operation's
``result_wrapper``) holds the output members; an error is
``<ErrorResponse><Error><Code>/<Message>`` with ``<RequestId>`` beside it. The XML is
read by a small expat tree builder that refuses what a hostile server could abuse:
a DOCTYPE or entity declaration, nesting deeper than :data:`MAX_XML_DEPTH`, bytes that
are not UTF-8 or an encoding declaration other than UTF-8
(:class:`~pawscore.errors.ResponseParseError`). The R runtime (``R/query.R``) reads
the same bytes to the same values. ``protocol.py`` picks this module by
``metadata.protocol``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit
from xml.parsers import expat

from .errors import ResponseParseError, ServiceError
from .http import HttpRequest, lower_headers
from .jsonvalue import blob_bytes, number_text
from .timestamps import format_timestamp, parse_timestamp, to_datetime
from .wire import Errors, error_class, fill_idempotency_tokens, find_error_shape, host_prefix

Shapes = Mapping[str, Any]

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

# Deeper XML is refused (both runtimes; libxml2 itself stops at 256).
MAX_XML_DEPTH = 100

_XML_WS = " \t\r\n"
_INT_RE = re.compile(r"[+-]?[0-9]+")
_FLOAT_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_B64_RE = re.compile(r"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_DECLARED_ENCODING_RE = re.compile(
    rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']"""
)
# Children of <Error> that are the error itself, not fields.
_ERROR_KEYS = frozenset({"Code", "Message", "message", "Type"})


# ----------------------------------------------------------------- serializing


def build_request(
    api: Mapping[str, Any],
    operation: str,
    params: Mapping[str, Any],
    endpoint: str,
    *,
    ec2: bool = False,
) -> HttpRequest:
    """Serialize ``params`` (already validated) into an HttpRequest against ``endpoint``.

    ``ec2`` writes the ec2 protocol's variant (``ec2.py``): member names from
    :func:`ec2_name`, every list as ``A.N`` and an empty list as nothing.
    """
    metadata = api["metadata"]
    shapes = api["shapes"]
    op = api["operations"][operation]
    params = fill_idempotency_tokens(api, operation, params)
    given = {k: v for k, v in params.items() if v is not None}
    pairs: dict[str, str] = {"Action": op["name"], "Version": metadata.get("api_version", "")}
    shape_name = op.get("input")
    members: Mapping[str, Any] = {}
    if shape_name:
        shape = shapes[shape_name]
        members = shape.get("members", {})
        _serialize(shapes, shape, {}, given, "", pairs, ec2)
    body = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs.items()).encode("ascii")
    headers = {"Content-Type": CONTENT_TYPE, "Content-Length": str(len(body))}
    base = urlsplit(endpoint)
    netloc = host_prefix(op.get("host_prefix"), members, given) + base.netloc
    url = f"{base.scheme}://{netloc}{base.path.rstrip('/')}/"
    return HttpRequest(op.get("http_method", "POST"), url, headers, body)


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def _wire_name(ref: Mapping[str, Any], shape: Mapping[str, Any]) -> str | None:
    """The reference's serialized name: its own ``location_name``, else its shape's."""
    name = ref.get("location_name") or shape.get("location_name")
    return str(name) if name else None


def ec2_name(ref: Mapping[str, Any], shape: Mapping[str, Any]) -> str | None:
    """The ec2 protocol's request name: ``query_name``, else ``location_name`` capitalized.

    As botocore's EC2Serializer: the reference's (else its shape's) ``queryName`` as
    it is, else its ``locationName`` with the first letter upper-cased; ``None`` when
    neither is set. A structure member with neither is then sent under its own name
    upper-cased first (Smithy's rule, which Ec2QueryEndpointTraitWithHostLabel tests;
    botocore keeps the name as it is, and ignores that case: every input member of
    the EC2 model is capitalized or named, so both agree on every real call).
    """
    query_name = ref.get("query_name") or shape.get("query_name")
    if query_name:
        return str(query_name)
    name = _wire_name(ref, shape)
    return name[:1].upper() + name[1:] if name else None


def _flattened(ref: Mapping[str, Any], shape: Mapping[str, Any]) -> bool:
    return bool(ref.get("flattened") or shape.get("flattened"))


def _serialize(
    shapes: Shapes,
    shape: Mapping[str, Any],
    ref: Mapping[str, Any],
    value: Any,
    prefix: str,
    out: dict[str, str],
    ec2: bool = False,
) -> None:
    kind = shape["type"]
    naming = ec2_name if ec2 else _wire_name
    if kind == "structure":
        for name, mref in shape.get("members", {}).items():
            item = value.get(name)
            if item is None:
                continue
            target = shapes[mref["shape"]]
            key = naming(mref, target) or (name[:1].upper() + name[1:] if ec2 else name)
            at = f"{prefix}.{key}" if prefix else key
            _serialize(shapes, target, mref, item, at, out, ec2)
    elif kind == "list" and ec2:
        # ec2: every list is flattened under its own key, member names unused, and
        # an empty list sends nothing.
        member = shape["member"]
        member_shape = shapes[member["shape"]]
        for i, item in enumerate(value, 1):
            _serialize(shapes, member_shape, member, item, f"{prefix}.{i}", out, ec2)
    elif kind == "list":
        if not value:
            out[prefix] = ""  # the query protocol sends an empty list as "A="
            return
        member = shape["member"]
        member_shape = shapes[member["shape"]]
        member_name = _wire_name(member, member_shape)
        if _flattened(ref, shape):
            # botocore: a flattened list's member name replaces the last key part.
            head = prefix.split(".")[:-1]
            list_prefix = ".".join([*head, member_name]) if member_name else prefix
        else:
            list_prefix = f"{prefix}.{member_name or 'member'}"
        for i, item in enumerate(value, 1):
            _serialize(shapes, member_shape, member, item, f"{list_prefix}.{i}", out, ec2)
    elif kind == "map":
        entry = prefix if _flattened(ref, shape) else f"{prefix}.entry"
        key_ref, value_ref = shape["key"], shape["value"]
        key_shape, value_shape = shapes[key_ref["shape"]], shapes[value_ref["shape"]]
        key_name = naming(key_ref, key_shape) or "key"
        value_name = naming(value_ref, value_shape) or "value"
        for i, (key, item) in enumerate(value.items(), 1):
            _serialize(shapes, key_shape, key_ref, key, f"{entry}.{i}.{key_name}", out, ec2)
            at = f"{entry}.{i}.{value_name}"
            _serialize(shapes, value_shape, value_ref, item, at, out, ec2)
    else:
        out[prefix] = scalar_text(shape, ref, value)


def scalar_text(shape: Mapping[str, Any], ref: Mapping[str, Any], value: Any) -> str:
    """The form text of one scalar, as botocore's query serializer writes it."""
    kind = shape["type"]
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "blob":
        return base64.b64encode(blob_bytes(value)).decode("ascii")
    if kind == "timestamp":
        fmt = ref.get("timestamp_format") or shape.get("timestamp_format") or "iso8601"
        return _timestamp_text(value, fmt)
    if kind in ("float", "double", "integer", "long"):
        return number_text(value)
    return str(value)


def _timestamp_text(value: dt.datetime | int | float, fmt: str) -> str:
    moment = to_datetime(value)
    if fmt == "iso8601":
        # botocore's default precision: microseconds when there are any.
        pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
        return moment.strftime(pattern)
    if fmt == "unixTimestamp":
        return str(int(moment.timestamp() // 1))  # whole seconds, as botocore sends them
    return str(format_timestamp(moment.replace(microsecond=0), fmt))


# ----------------------------------------------------------------- reading XML


@dataclass
class XmlNode:
    """One element: its local name, its element children, and its text.

    ``text`` is the character data before the first child element (ElementTree's
    ``.text``, which botocore reads); namespaces and attributes are left out.
    """

    tag: str
    children: list[XmlNode] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text before its first child element ("" when none)."""
        return "".join(self.parts)

    def find(self, tag: str) -> XmlNode | None:
        """The first child element called ``tag``."""
        return next((child for child in self.children if child.tag == tag), None)


def _refused(reason: str) -> ResponseParseError:
    return ResponseParseError(f"Response body is not acceptable XML: {reason}")


def parse_xml(body: bytes) -> XmlNode:
    """The root element of ``body``; :class:`ResponseParseError` for anything hostile.

    Refused: a body that is empty or not UTF-8, an encoding declaration other than
    UTF-8, a DOCTYPE or entity declaration (no entity is ever expanded), nesting
    deeper than :data:`MAX_XML_DEPTH`, and anything expat finds malformed.
    """
    data = bytes(body)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused("it is not UTF-8") from None
    if not data.strip(_XML_WS.encode()):
        raise _refused("it is empty")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _refused("it holds a DOCTYPE or entity declaration")
    declared = _DECLARED_ENCODING_RE.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _refused(f"it declares the encoding {declared.group(1).decode('ascii', 'replace')}")
    stack: list[XmlNode] = []
    roots: list[XmlNode] = []

    def start(name: str, _attrs: Any) -> None:
        if len(stack) >= MAX_XML_DEPTH:
            raise _refused(f"it is nested more than {MAX_XML_DEPTH} levels deep")
        node = XmlNode(name.rpartition(":")[2])
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack and not stack[-1].children:
            stack[-1].parts.append(text)

    def declaration(*_args: Any) -> None:
        raise _refused("it holds a DOCTYPE or entity declaration")

    parser = expat.ParserCreate(encoding="UTF-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.UnparsedEntityDeclHandler = declaration
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _refused(str(exc)) from None
    return roots[0]


# ----------------------------------------------------------------- parsing


def parse_response(
    api: Mapping[str, Any],
    operation: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    ec2: bool = False,
) -> dict[str, Any]:
    """Parse a 2xx response: the members under the result wrapper, in model order.

    No output shape, or an empty body, gives ``{}``; a result wrapper the answer
    lacks gives ``{}`` (every member is optional). Without a ``result_wrapper`` in
    the API data, ``<OperationResult>`` is used when present, else the root. With
    ``ec2`` (the ec2 protocol) the members are read right under the root
    ``<OperationResponse>``: there is no result wrapper.
    """
    op = api["operations"][operation]
    shape_name = op.get("output")
    if shape_name is None or not bytes(body).strip(_XML_WS.encode()):
        return {}
    root = parse_xml(body)
    if ec2:
        return dict(_parse(api["shapes"], shape_name, {}, [root]))
    wrapper = op.get("result_wrapper")
    start = root.find(wrapper or f"{op['name']}Result")
    if start is None:
        if wrapper:
            return {}
        start = root
    parsed: dict[str, Any] = _parse(api["shapes"], shape_name, {}, [start])
    return parsed


def _member_key(shapes: Shapes, name: str, ref: Mapping[str, Any]) -> str:
    """The element name of a structure member (botocore's ``_member_key_name``)."""
    target = shapes[ref["shape"]]
    if target["type"] == "list" and _flattened(ref, target):
        member = target["member"]
        member_name = _wire_name(member, shapes[member["shape"]])
        if member_name:
            return member_name
    return _wire_name(ref, target) or name


def _parse(shapes: Shapes, shape_name: str, ref: Mapping[str, Any], nodes: list[XmlNode]) -> Any:
    """The value of ``nodes`` (the elements of one member, one unless flattened)."""
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        groups: dict[str, list[XmlNode]] = {}
        for child in nodes[0].children:
            groups.setdefault(child.tag, []).append(child)
        out = {}
        for name, mref in shape.get("members", {}).items():
            found = groups.get(_member_key(shapes, name, mref))
            if found:
                out[name] = _parse(shapes, mref["shape"], mref, found)
        return out
    if kind == "list":
        member = shape["member"]
        items = nodes if _flattened(ref, shape) else nodes[0].children
        return [_parse(shapes, member["shape"], member, [item]) for item in items]
    if kind == "map":
        return _parse_map(shapes, shape, ref, nodes)
    return scalar_from_text(kind, nodes[0].text)


def _parse_map(
    shapes: Shapes, shape: Mapping[str, Any], ref: Mapping[str, Any], nodes: list[XmlNode]
) -> dict[str, Any]:
    key_ref, value_ref = shape["key"], shape["value"]
    key_name = _wire_name(key_ref, shapes[key_ref["shape"]]) or "key"
    value_name = _wire_name(value_ref, shapes[value_ref["shape"]]) or "value"
    out: dict[str, Any] = {}
    for entry in nodes if _flattened(ref, shape) else nodes[0].children:
        key: Any = None
        value_nodes: list[XmlNode] = []
        for child in entry.children:
            if child.tag == key_name:
                key = _parse(shapes, key_ref["shape"], key_ref, [child])
            elif child.tag == value_name:
                value_nodes = [child]
            else:
                raise ValueError(f"unexpected <{child.tag}> in a map entry")
        if key is None:
            raise ValueError(f"a map entry without its <{key_name}>")
        if value_nodes:
            out[key] = _parse(shapes, value_ref["shape"], value_ref, value_nodes)
    return out


def scalar_from_text(kind: str, text: str) -> Any:
    """A scalar of type ``kind`` from an element's text (strict: no coercion guesses)."""
    if kind == "string":
        return text
    trimmed = text.strip(_XML_WS)
    if kind == "boolean":
        if trimmed not in ("true", "false"):
            raise ValueError(f"not a boolean: {trimmed[:40]!r}")
        return trimmed == "true"
    if kind in ("integer", "long"):
        if not _INT_RE.fullmatch(trimmed):
            raise ValueError(f"not an integer: {trimmed[:40]!r}")
        return int(trimmed)
    if kind in ("float", "double"):
        if trimmed in _FLOAT_WORDS:
            return _FLOAT_WORDS[trimmed]
        if not _FLOAT_RE.fullmatch(trimmed):
            raise ValueError(f"not a number: {trimmed[:40]!r}")
        return float(trimmed)
    if kind == "timestamp":
        return parse_timestamp(trimmed)
    if kind == "blob":
        packed = re.sub(r"[ \t\r\n]", "", text)
        if not _B64_RE.fullmatch(packed):
            raise ValueError("a blob that is not base64")
        try:
            return base64.b64decode(packed, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"a blob that is not base64: {exc}") from None
    return text


# ----------------------------------------------------------------- errors


def _error_node(root: XmlNode | None) -> XmlNode | None:
    """``<Error>`` of ``<ErrorResponse><Error>``, ``<Response><Errors><Error>`` or the root."""
    if root is None:
        return None
    if root.tag == "Error":
        return root
    found = root.find("Error")
    wrapper = root.find("Errors")
    if found is None and wrapper is not None:
        found = wrapper.find("Error")
    return found


def _plain(node: XmlNode) -> Any:
    """An element as plain data: text for a leaf, else its children by name (first wins)."""
    if not node.children:
        return node.text
    out: dict[str, Any] = {}
    for child in node.children:
        if child.tag not in out:
            out[child.tag] = _plain(child)
    return out


def parse_error(
    api: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    errors: Errors | None = None,
) -> ServiceError:
    """Build (not raise) the exception for a non-2xx response.

    The code and message come from ``<Error><Code>`` / ``<Message>`` (an error shape's
    ``error.code``, the awsQueryError trait, names the modeled class); the request id
    from ``<RequestId>`` (EC2-style ``<RequestID>``), else the response headers. A body
    that is not XML leaves the code ``Http<status>``.
    """
    try:
        root: XmlNode | None = parse_xml(body)
    except ResponseParseError:
        root = None
    error = _error_node(root)
    code = message = ""
    fields: dict[str, Any] = {}
    if error is not None:
        code_node = error.find("Code")
        message_node = error.find("Message")
        if message_node is None:
            message_node = error.find("message")
        code = code_node.text.strip(_XML_WS) if code_node is not None else ""
        message = message_node.text if message_node is not None else ""
        for child in error.children:
            if child.tag not in _ERROR_KEYS and child.tag not in fields:
                fields[child.tag] = _plain(child)
    code = code or f"Http{status}"
    lower = lower_headers(headers)
    request_id = None
    if root is not None:
        rid = root.find("RequestId")
        if rid is None:
            rid = root.find("RequestID")
        request_id = rid.text.strip(_XML_WS) if rid is not None else None
    request_id = request_id or lower.get("x-amzn-requestid") or lower.get("x-amz-request-id")
    shape_name = find_error_shape(api, code)
    if shape_name is not None and error is not None:
        try:
            modeled = _parse(api["shapes"], shape_name, {}, [error])
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # A member that does not fit the model must not hide the service's error.
            modeled = {}
        modeled.pop("Message", None)
        modeled.pop("message", None)
        fields.update(modeled)
    cls = error_class(errors, code)
    return cls(message, code=code, status_code=status, request_id=request_id, fields=fields)


__all__ = [
    "CONTENT_TYPE",
    "MAX_XML_DEPTH",
    "XmlNode",
    "build_request",
    "ec2_name",
    "parse_error",
    "parse_response",
    "parse_xml",
    "scalar_from_text",
    "scalar_text",
]
