"""The ec2 protocol: the query protocol (``query.py``) with EC2's differences.

As botocore's ``EC2Serializer`` and ``EC2QueryParser`` define them:

- Requests are query forms (``Action``, ``Version``, dotted keys), but a member's key
  is its ``query_name`` when set, else its ``location_name`` with the first letter
  upper-cased, else the member name as it is; every list is flattened (``A.1``,
  ``A.2``, the list member's own name unused) and an empty list sends nothing.
- Answers have no result wrapper: the output members are the children of the root
  ``<OperationResponse>`` (beside ``<requestId>``).
- Errors are ``<Response><Errors><Error><Code>/<Message>`` with ``<RequestID>``,
  which the query error parser already reads.

The R runtime (``R/ec2.R``) mirrors this file; ``protocol.py`` picks it by
``metadata.protocol``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import query
from .errors import ServiceError
from .http import HttpRequest
from .wire import Errors


def build_request(
    api: Mapping[str, Any], operation: str, params: Mapping[str, Any], endpoint: str
) -> HttpRequest:
    """Serialize ``params`` (already validated) into an ec2 request against ``endpoint``."""
    return query.build_request(api, operation, params, endpoint, ec2=True)


def parse_response(
    api: Mapping[str, Any],
    operation: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """Parse a 2xx response: the output members under the root element, in model order."""
    return query.parse_response(api, operation, status, headers, body, ec2=True)


def parse_error(
    api: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    errors: Errors | None = None,
) -> ServiceError:
    """Build (not raise) the exception for a non-2xx response (``<Response><Errors>``)."""
    return query.parse_error(api, status, headers, body, errors)


__all__ = ["build_request", "parse_error", "parse_response"]
