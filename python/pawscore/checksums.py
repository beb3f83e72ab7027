"""Whole-body integrity checks on buffered responses (mirrors r/pawscore/R/checksums.R).

DynamoDB sends ``x-amz-crc32``, the CRC-32 of the response body as a decimal
number. A body that does not match it was damaged on the way; botocore retries such
an answer, and so do we (``ResponseChecksumError`` is a transport error). A header
that is not a decimal number in 0..2^32-1 cannot vouch for the body either, and
fails the same way instead of being ignored.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping

from .errors import ResponseChecksumError

CRC32_HEADER = "x-amz-crc32"
_DECIMAL = re.compile(r"[0-9]{1,10}")


def check_body_crc32(headers: Mapping[str, str], body: bytes) -> None:
    """Raise ``ResponseChecksumError`` when ``body`` does not match ``x-amz-crc32``.

    Does nothing when the response has no such header (every service but DynamoDB).
    """
    expected = _header(headers, CRC32_HEADER)
    if expected is None:
        return
    text = expected.strip()
    if not _DECIMAL.fullmatch(text) or int(text) > 0xFFFFFFFF:
        raise ResponseChecksumError(
            f"the {CRC32_HEADER} response header is not a CRC-32 value: {text[:40]!r}"
        )
    actual = zlib.crc32(body)
    if actual != int(text):
        raise ResponseChecksumError(
            f"the response body ({len(body)} bytes) has CRC-32 {actual}, "
            f"but its {CRC32_HEADER} header says {int(text)}: it was damaged on the way"
        )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    for key, found in headers.items():  # plain dicts (tests, replay) keep the sender's case
        if key.lower() == name:
            return found
    return None


__all__ = ["CRC32_HEADER", "check_body_crc32"]
