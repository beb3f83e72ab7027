"""pawscore: the handwritten Python runtime behind generated pawsgen clients."""

from .client import Client
from .errors import (
    ChecksumMismatch,
    ConfigError,
    CredentialsError,
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
    ProfileNotFound,
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
    "CredentialsError",
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
    "ProfileNotFound",
    "ReadTimeoutError",
    "ResponseParseError",
    "ServiceError",
    "TruncatedStream",
]
