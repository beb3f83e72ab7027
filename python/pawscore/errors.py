"""Exception classes shared by every pawscore-based client.

Names match the R runtime's condition classes (docs/contracts.md, section 5 and 6),
so that a failure reads the same in both languages.
"""

from __future__ import annotations

from typing import Any


class PawsError(Exception):
    """Base class of every error raised by pawscore."""


class ParamValidationError(PawsError, ValueError):
    """Input failed validation against the model; nothing was sent.

    ``problems`` holds one human-readable line per problem found.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Invalid parameters ({len(self.problems)} problem(s)):\n{lines}")


class ServiceError(PawsError):
    """The service answered with an error (non-2xx, or an exception event)."""

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "",
        status_code: int | None = None,
        request_id: str | None = None,
        fields: dict | None = None,
    ) -> None:
        self.code = code or type(self).__name__
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        self.fields = dict(fields or {})
        super().__init__(self._text())

    @property
    def response(self) -> dict[str, Any]:
        """The error as boto3's ``ClientError.response`` holds it.

        ``{"Error": {"Code", "Message"}, "ResponseMetadata": {"RequestId",
        "HTTPStatusCode"}}`` plus the modelled error members at the top level, so
        ``except`` blocks written for boto3 (``e.response["Error"]["Code"]``) work.
        """
        metadata: dict[str, Any] = {}
        if self.request_id is not None:
            metadata["RequestId"] = self.request_id
        if self.status_code is not None:
            metadata["HTTPStatusCode"] = self.status_code
        return {
            **self.fields,
            "Error": {"Code": self.code, "Message": self.message},
            "ResponseMetadata": metadata,
        }

    def _text(self) -> str:
        parts = [f"{self.code}: {self.message}" if self.message else self.code]
        if self.status_code is not None:
            parts.append(f"(HTTP {self.status_code}")
            parts[-1] += f", request id {self.request_id})" if self.request_id else ")"
        return " ".join(parts)


class HttpError(PawsError):
    """A transport-level failure: connection refused or reset, timeout, bad HTTP."""


class EndpointConnectionError(HttpError):
    """The endpoint could not be reached."""


class ConnectTimeoutError(EndpointConnectionError):
    """No connection to the endpoint (or proxy) within ``connect_timeout`` seconds."""


class ReadTimeoutError(HttpError):
    """No byte arrived for ``read_timeout`` seconds, before or during the response body."""


class IncompleteBody(HttpError):
    """The connection closed before the response body was complete."""


class ResponseChecksumError(HttpError):
    """The body's CRC-32 differs from the response's ``x-amz-crc32`` header (DynamoDB).

    The bytes were damaged on the way, so the attempt is retried like any other
    transport failure; when attempts run out, this is raised and no output is returned.
    """


class ResponseParseError(PawsError):
    """A successful response whose body does not fit the model (not JSON, wrong types)."""


class ConfigError(PawsError, ValueError):
    """The client configuration is malformed (unknown key, wrong type)."""


class EndpointResolutionError(ConfigError):
    """The endpoint rules reject the settings (say, FIPS with a custom endpoint URL)."""


class NoCredentialsError(PawsError):
    """No credentials could be found for signing."""


class CredentialsError(NoCredentialsError):
    """A credential source was configured but could not give credentials.

    The message names the source and the reason (an STS error code, a
    credential_process's stderr, the ``aws sso login`` hint), never a secret.
    """


class ProfileNotFound(NoCredentialsError, ConfigError):
    """The profile named in the config or in AWS_PROFILE does not exist."""


class NoRegionError(PawsError):
    """No region was configured and none could be found in the environment."""


class EventStreamError(PawsError):
    """Base class of event-stream framing failures."""

    def __init__(self, message: str, *, offset: int | None = None) -> None:
        self.offset = offset
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{message}{where}")


class ChecksumMismatch(EventStreamError):
    """A prelude or message CRC32 did not match the bytes received."""


class InvalidFrame(EventStreamError):
    """A frame's lengths or headers are impossible (out of range, duplicated, empty)."""


class InvalidHeaderType(EventStreamError):
    """A header carried a type tag outside 0..9."""


class TruncatedStream(EventStreamError):
    """The stream ended inside a frame, or before its final event."""


class HeaderValueOutOfRange(EventStreamError):
    """A header value cannot be represented exactly (R: a long beyond 2^53)."""
