"""The protocol seam: ``metadata.protocol`` picks the module that speaks it.

Each protocol module holds the three functions of one wire format, as botocore's
``SERIALIZERS``/``PARSERS`` tables and paws' ``handlers_<protocol>.R`` do:

- ``build_request(api, operation, params, endpoint) -> HttpRequest``
- ``parse_response(api, operation, status, headers, body) -> dict``
- ``parse_error(api, status, headers, body, errors=None) -> ServiceError``

``SUPPORTED_PROTOCOLS`` is the list the generator checks before it writes a client;
a protocol missing here is refused there, so no client sends requests in a wire
format the runtime does not speak.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import ec2, jsonprotocol, query, restjson
from .errors import PawsError, ServiceError
from .http import HttpRequest


@dataclass(frozen=True)
class Protocol:
    """The serializer, response parser and error parser of one protocol."""

    name: str
    build_request: Callable[[Mapping[str, Any], str, Mapping[str, Any], str], HttpRequest]
    parse_response: Callable[..., dict[str, Any]]
    parse_error: Callable[..., ServiceError]


PROTOCOLS: dict[str, Protocol] = {
    "rest-json": Protocol(
        "rest-json", restjson.build_request, restjson.parse_response, restjson.parse_error
    ),
    "json": Protocol(
        "json", jsonprotocol.build_request, jsonprotocol.parse_response, jsonprotocol.parse_error
    ),
    "query": Protocol("query", query.build_request, query.parse_response, query.parse_error),
    "ec2": Protocol("ec2", ec2.build_request, ec2.parse_response, ec2.parse_error),
}

SUPPORTED_PROTOCOLS: tuple[str, ...] = tuple(PROTOCOLS)

# Hand-built API data (tests) may leave the protocol out; generated data never does.
DEFAULT_PROTOCOL = "rest-json"


class UnsupportedProtocolError(PawsError):
    """The API data names a protocol this runtime does not speak."""


def protocol_for(api: Mapping[str, Any]) -> Protocol:
    """The protocol module for ``api`` (by ``metadata.protocol``)."""
    name = api.get("metadata", {}).get("protocol", DEFAULT_PROTOCOL)
    try:
        return PROTOCOLS[name]
    except KeyError:
        raise UnsupportedProtocolError(
            f"protocol {name!r} is not supported by pawscore "
            f"(supported: {', '.join(SUPPORTED_PROTOCOLS)})"
        ) from None


def build_request(
    api: Mapping[str, Any], operation: str, params: Mapping[str, Any], endpoint: str
) -> HttpRequest:
    """Serialize ``params`` with the API's protocol."""
    return protocol_for(api).build_request(api, operation, params, endpoint)


def parse_response(
    api: Mapping[str, Any], operation: str, status: int, headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    """Parse a 2xx response with the API's protocol."""
    return protocol_for(api).parse_response(api, operation, status, headers, body)


def parse_error(
    api: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    errors: Mapping[str, type[ServiceError]] | None = None,
) -> ServiceError:
    """Build the exception for a non-2xx response with the API's protocol."""
    return protocol_for(api).parse_error(api, status, headers, body, errors)


__all__ = [
    "DEFAULT_PROTOCOL",
    "PROTOCOLS",
    "SUPPORTED_PROTOCOLS",
    "Protocol",
    "UnsupportedProtocolError",
    "build_request",
    "parse_error",
    "parse_response",
    "protocol_for",
]
