"""The json protocol (awsJson 1.0 and 1.1): every call is a POST to ``/``.

The operation travels in ``X-Amz-Target: <targetPrefix>.<Operation>``, the input
structure is the whole JSON body (``{}`` when there is none), with
``Content-Type: application/x-amz-json-<jsonVersion>``. Errors name their shape in
the body's ``__type`` (``"Code"``, ``"namespace#Code"`` or ``"Code:uri"``); a
service that moved from the query protocol (``awsQueryCompatible``, e.g. SQS) also
sends its old code in ``x-amzn-query-error: <Code>;<Sender|Receiver>`` and is sent
``x-amzn-query-mode: true``. ``protocol.py`` picks this module by ``metadata.protocol``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .errors import ServiceError
from .http import HttpRequest, lower_headers
from .jsonvalue import error_doc, json_bytes, json_object, parse_json, to_json
from .wire import (
    Errors,
    error_class,
    error_message,
    fill_idempotency_tokens,
    find_error_shape,
    host_prefix,
    strip_code,
)

_CODE_KEYS = ("__type", "code")
_NOT_FIELDS = frozenset({"__type", "code", "message", "Message", "errorMessage"})


def build_request(
    api: Mapping[str, Any], operation: str, params: Mapping[str, Any], endpoint: str
) -> HttpRequest:
    """Serialize ``params`` (already validated) into an HttpRequest against ``endpoint``."""
    metadata = api["metadata"]
    shapes = api["shapes"]
    op = api["operations"][operation]
    params = fill_idempotency_tokens(api, operation, params)
    given = {k: v for k, v in params.items() if v is not None}
    shape_name = op.get("input")
    members: Mapping[str, Any] = shapes[shape_name].get("members", {}) if shape_name else {}
    body = json_bytes(to_json(shapes, shape_name, given) if shape_name else {})
    headers = {
        "X-Amz-Target": f"{metadata['target_prefix']}.{op['name']}",
        "Content-Type": f"application/x-amz-json-{metadata.get('json_version', '1.0')}",
    }
    if metadata.get("aws_query_compatible"):
        headers["x-amzn-query-mode"] = "true"
    headers["Content-Length"] = str(len(body))
    base = urlsplit(endpoint)
    netloc = host_prefix(op.get("host_prefix"), members, given) + base.netloc
    url = f"{base.scheme}://{netloc}{base.path.rstrip('/')}/"
    return HttpRequest(op.get("http_method", "POST"), url, headers, body)


def parse_response(
    api: Mapping[str, Any],
    operation: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """Parse a 2xx response: the body is the output structure (present members, model order).

    An event-stream member is left out: the caller fills it from the body.
    """
    shapes = api["shapes"]
    shape_name = api["operations"][operation].get("output")
    if shape_name is None:
        return {}
    members = shapes[shape_name].get("members", {})
    if any(shapes[ref["shape"]].get("event_stream") for ref in members.values()):
        return {}
    parsed: dict[str, Any] = parse_json(shapes, shape_name, json_object(body))
    return parsed


def error_codes(headers: Mapping[str, str], doc: Mapping[str, Any]) -> tuple[str, str]:
    """(code, shape code) of an error answer.

    The shape code comes from ``__type`` (else ``code``, else ``x-amzn-ErrorType``),
    namespace and URI stripped. A query-compatible service's ``x-amzn-query-error``
    gives the code callers know from the query protocol; the shape code still finds
    the modeled error (SQS models no codes of its own, as botocore notes).
    """
    lower = lower_headers(headers)
    raw = ""
    for key in _CODE_KEYS:
        if isinstance(doc.get(key), str) and doc[key]:
            raw = doc[key]
            break
    shape_code = strip_code(raw or lower.get("x-amzn-errortype", ""))
    code = shape_code
    query_code, sep, fault = lower.get("x-amzn-query-error", "").partition(";")
    if sep and query_code and ";" not in fault:  # exactly "<Code>;<fault>", as botocore
        code = query_code
    return code, shape_code


def parse_error(
    api: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    errors: Errors | None = None,
) -> ServiceError:
    """Build (not raise) the exception for a non-2xx response."""
    doc = error_doc(body)
    code, shape_code = error_codes(headers, doc)
    code = code or f"Http{status}"
    lower = lower_headers(headers)
    request_id = lower.get("x-amzn-requestid") or lower.get("x-amz-request-id")
    fields = {k: v for k, v in doc.items() if k not in _NOT_FIELDS}
    shape_name = find_error_shape(api, code) or find_error_shape(api, shape_code)
    if shape_name is not None:
        try:
            modeled = parse_json(api["shapes"], shape_name, doc)
        except (ValueError, TypeError, KeyError, AttributeError):
            # A member that does not fit the model must not hide the service's error.
            modeled = {}
        modeled.pop("Message", None)
        modeled.pop("message", None)
        fields.update(modeled)
    cls = error_class(errors, code, shape_code)
    return cls(
        error_message(doc), code=code, status_code=status, request_id=request_id, fields=fields
    )


__all__ = ["build_request", "error_codes", "parse_error", "parse_response"]
