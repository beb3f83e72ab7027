"""pawscore: the handwritten Python runtime behind generated pawsgen clients."""

from .client import Client
from .errors import (
    ChecksumMismatch,
    ConfigError,
    EndpointConnectionError,
    EventStreamError,
    HeaderValueOutOfRange,
    HttpError,
    IncompleteBody,
    InvalidFrame,
    InvalidHeaderType,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PawsError,
    ReadTimeoutError,
    ResponseParseError,
    ServiceError,
    TruncatedStream,
)
from .events import EventStream
from .validate import checked_args

__all__ = [
    "ChecksumMismatch",
    "Client",
    "ConfigError",
    "EndpointConnectionError",
    "EventStream",
    "EventStreamError",
    "HeaderValueOutOfRange",
    "HttpError",
    "IncompleteBody",
    "InvalidFrame",
    "InvalidHeaderType",
    "NoCredentialsError",
    "NoRegionError",
    "ParamValidationError",
    "PawsError",
    "ReadTimeoutError",
    "ResponseParseError",
    "ServiceError",
    "TruncatedStream",
    "checked_args",
]
