"""pawscore: the handwritten Python runtime behind generated pawsgen clients."""

from .client import Client
from .errors import (
    ChecksumMismatch,
    ConfigError,
    ConnectTimeoutError,
    EndpointConnectionError,
    EndpointResolutionError,
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

__all__ = [
    "ChecksumMismatch",
    "Client",
    "ConfigError",
    "ConnectTimeoutError",
    "EndpointConnectionError",
    "EndpointResolutionError",
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
]
