"""pawscore: the handwritten Python runtime behind generated pawsgen clients."""

from .client import Client
from .errors import (
    ChecksumMismatch,
    ConfigError,
    ConnectTimeoutError,
    CredentialsError,
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
    ProfileNotFound,
    ReadTimeoutError,
    ResponseChecksumError,
    ResponseParseError,
    ServiceError,
    TruncatedStream,
)
from .events import EventStream
from .paginate import PageIterator, PaginationError, Paginator
from .payload import iter_payload, iter_text, payload_bytes, payload_json, payload_text
from .stop import StoppedEvents, StopStream, stop_stream
from .validate import checked_args
from .wait import Waiter, WaiterError

__all__ = [
    "ChecksumMismatch",
    "Client",
    "ConfigError",
    "ConnectTimeoutError",
    "CredentialsError",
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
    "PageIterator",
    "PaginationError",
    "Paginator",
    "ParamValidationError",
    "PawsError",
    "ProfileNotFound",
    "ReadTimeoutError",
    "ResponseChecksumError",
    "ResponseParseError",
    "ServiceError",
    "StopStream",
    "StoppedEvents",
    "TruncatedStream",
    "Waiter",
    "WaiterError",
    "checked_args",
    "iter_payload",
    "iter_text",
    "payload_bytes",
    "payload_json",
    "payload_text",
    "stop_stream",
]
