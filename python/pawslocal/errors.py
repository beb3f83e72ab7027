"""Lambda's error responses: status, ``x-amzn-ErrorType`` and JSON body."""

from __future__ import annotations

import json

# These shapes spell their message member in lower case in the model (and on the
# wire); the gateway-level auth errors do too. The rest use "Message".
_LOWERCASE_MESSAGE = {
    "InvalidParameterValueException",
    "InvalidRequestContentException",
    "RequestTooLargeException",
    "ResourceConflictException",
    "ResourceNotReadyException",
    "TooManyRequestsException",
    "UnsupportedMediaTypeException",
    "SerializedRequestEntityTooLargeException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "ValidationException",
    "UnknownOperationException",
}

# Gateway errors come before the service, so they carry no "Type".
_NO_TYPE = {
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "ValidationException",
    "UnknownOperationException",
}


def error_body(status: int, code: str, message: str, extra: dict | None = None) -> bytes:
    """The JSON body Lambda sends with an error of this code."""
    body: dict[str, object] = {}
    if code not in _NO_TYPE:
        body["Type"] = "Service" if status >= 500 else "User"
    body["message" if code in _LOWERCASE_MESSAGE else "Message"] = message
    body.update(extra or {})
    return json.dumps(body).encode()
