"""What every protocol does alike: idempotency tokens, host prefixes, model order,
and turning an error code into the modeled exception.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ParamValidationError, ServiceError

_LABEL_RE = re.compile(r"\{([^}+]+)(\+?)\}")
_HOST_LABEL_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")

Errors = Mapping[str, type[ServiceError]]


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


def host_prefix(prefix: str | None, members: Mapping[str, Any], given: Mapping[str, Any]) -> str:
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


def ordered(members: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` re-ordered to follow ``members`` (model order)."""
    return {name: values[name] for name in members if name in values}


def strip_code(raw: str) -> str:
    """An error code without its namespace or trailing URI.

    ``aws.protocoltests#FooError:http://internal.amazon.com/...`` -> ``FooError``.
    """
    return raw.split(":", 1)[0].rsplit("#", 1)[-1].strip()


def error_message(doc: Mapping[str, Any]) -> str:
    """The service's message: the first of message / Message / errorMessage that is text."""
    for key in ("message", "Message", "errorMessage"):
        if isinstance(doc.get(key), str):
            return str(doc[key])
    return ""


def find_error_shape(api: Mapping[str, Any], code: str) -> str | None:
    """Name of the modeled error shape whose wire code is ``code``, if any."""
    for name, shape in api["shapes"].items():
        if shape.get("exception") and shape.get("error", {}).get("code", name) == code:
            return name
    return None


def error_class(errors: Errors | None, *codes: str) -> type[ServiceError]:
    """The generated exception class for the first of ``codes`` that has one."""
    for code in codes:
        if code and code in (errors or {}):
            return (errors or {})[code]
    return ServiceError


__all__ = [
    "error_class",
    "error_message",
    "fill_idempotency_tokens",
    "find_error_shape",
    "host_prefix",
    "ordered",
    "strip_code",
]
