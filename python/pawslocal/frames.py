"""Lambda's response-stream frames, built with the shared event-stream encoder."""

from __future__ import annotations

import json

from pawscore.eventstream import encode_message

# Larger chunks are split: frames stay within the 16 MiB that older clients accept,
# well inside the event-stream limits (payload 24 MiB), with room for the headers.
MAX_CHUNK = 16 * 1024 * 1024 - 1024


def payload_chunk(data: bytes) -> bytes:
    """One PayloadChunk frame carrying ``data`` (at most ``MAX_CHUNK`` bytes)."""
    return encode_message(
        [
            (":event-type", "PayloadChunk"),
            (":content-type", "application/octet-stream"),
            (":message-type", "event"),
        ],
        data,
    )


def invoke_complete(
    error_code: str | None = None,
    error_details: str | None = None,
    log_result: str | None = None,
) -> bytes:
    """The InvokeComplete frame; only the members given appear in its JSON."""
    body = {
        key: value
        for key, value in (
            ("ErrorCode", error_code),
            ("ErrorDetails", error_details),
            ("LogResult", log_result),
        )
        if value is not None
    }
    return encode_message(
        [
            (":event-type", "InvokeComplete"),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        json.dumps(body, separators=(",", ":")).encode(),
    )


def exception_frame(exception_type: str, message: str) -> bytes:
    """A modeled-exception frame (``:message-type`` exception), as a service sends."""
    return encode_message(
        [
            (":exception-type", exception_type),
            (":content-type", "application/json"),
            (":message-type", "exception"),
        ],
        json.dumps({"message": message}).encode(),
    )


def error_frame(code: str, message: str) -> bytes:
    """An unmodeled-error frame (``:message-type`` error with code and message headers)."""
    return encode_message(
        [
            (":error-code", code),
            (":error-message", message),
            (":message-type", "error"),
        ],
        b"",
    )
