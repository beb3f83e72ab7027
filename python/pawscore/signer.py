"""AWS Signature Version 4.

``sign_request`` signs real requests with botocore's ``SigV4Auth``. The step
functions below (canonical request, string to sign, signature) are a small pure
implementation of the same algorithm, kept for tests and for proving the R
signer equal; both are checked on the official SigV4 suite.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import posixpath
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as _BotoCredentials

from .credentials import Credentials

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_UNSIGNED = {"user-agent", "expect", "x-amzn-trace-id", "authorization"}


def sign_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    credentials: Credentials,
    region: str,
    service: str,
    now: _dt.datetime | None = None,
) -> dict[str, str]:
    """Return ``headers`` plus X-Amz-Date, the session token and Authorization.

    The payload hash is the real SHA-256 of ``body`` (Lambda requires it over http).
    """
    request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    auth = _SigV4(
        _BotoCredentials(
            credentials.access_key_id, credentials.secret_access_key, credentials.session_token
        ),
        service,
        region,
        now,
    )
    auth.add_auth(request)
    return dict(request.headers.items())


SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})


class HiddenValue:
    """A secret header value (signature, session token) that never shows itself.

    ``repr`` and ``str`` give ``<hidden>``, so a traceback that records local
    variables (Sentry, ``pytest --showlocals``) or a debug print of the headers shows
    nothing secret, in our frames and in urllib3's alike. ``encode`` gives the bytes
    to send: it is what http.client calls on a header value.
    """

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return "<hidden>"

    __str__ = __repr__

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The value's bytes (always UTF-8: the signed header values are ASCII)."""
        return self._text.encode("utf-8", errors)

    def reveal(self) -> str:
        """The value itself."""
        return self._text


def hide_secrets(headers: Mapping[str, str]) -> dict[str, str | HiddenValue]:
    """``headers`` with Authorization and X-Amz-Security-Token wrapped in HiddenValue."""
    return {
        name: HiddenValue(value) if name.lower() in SECRET_HEADERS else value
        for name, value in headers.items()
    }


class _SigV4(SigV4Auth):
    """botocore's signer, with an optional fixed clock and without its debug logging.

    botocore logs the canonical request at DEBUG level, and that includes the session
    token header; this subclass runs the same steps without logging them.
    """

    def __init__(
        self,
        credentials: _BotoCredentials,
        service: str,
        region: str,
        now: _dt.datetime | None,
    ) -> None:
        super().__init__(credentials, service, region)
        self._now = now

    def add_auth(self, request: AWSRequest) -> None:
        moment = self._now or _dt.datetime.now(_dt.timezone.utc)
        if moment.tzinfo is not None:
            moment = moment.astimezone(_dt.timezone.utc)
        request.context["timestamp"] = moment.strftime("%Y%m%dT%H%M%SZ")
        self._modify_request_before_signing(request)
        canonical = self.canonical_request(request)
        string = self.string_to_sign(request, canonical)
        self._inject_signature_to_request(request, self.signature(string, request))


# ----------------------------------------------------------------- step functions


def canonical_path(path: str) -> str:
    """Normalized, percent-encoded path: dot segments and repeated slashes removed."""
    raw = unquote(path) or "/"
    normalized = posixpath.normpath(raw)
    normalized = "/" + "/".join(p for p in normalized.split("/") if p)
    if raw.endswith("/") and normalized != "/":
        normalized += "/"
    return quote(normalized, safe="/-_.~")


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Canonical query string from decoded (key, value) pairs."""
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def parse_query(query: str) -> list[tuple[str, str]]:
    """Decode a raw query string into (key, value) pairs (``+`` is not a space here)."""
    pairs = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def canonical_headers(headers: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """(canonical header block, signed header list) from (name, value) pairs, repeats kept."""
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        lname = name.strip().lower()
        if lname in _UNSIGNED:
            continue
        grouped.setdefault(lname, []).append(" ".join(value.split()))
    names = sorted(grouped)
    block = "".join(f"{n}:{','.join(grouped[n])}\n" for n in names)
    return block, ";".join(names)


def canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Iterable[tuple[str, str]],
    payload_hash: str,
) -> str:
    """The SigV4 canonical request."""
    block, signed = canonical_headers(headers)
    return "\n".join(
        [method.upper(), canonical_path(path), canonical_query(query), block, signed, payload_hash]
    )


def credential_scope(amz_date: str, region: str, service: str) -> str:
    """``YYYYMMDD/region/service/aws4_request``."""
    return f"{amz_date[:8]}/{region}/{service}/aws4_request"


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    """The SigV4 string to sign for a canonical request."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret_key: str, amz_date: str, region: str, service: str) -> bytes:
    """The derived key: HMAC chain over date, region, service and ``aws4_request``."""
    key = f"AWS4{secret_key}".encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def signature(secret_key: str, amz_date: str, region: str, service: str, sts: str) -> str:
    """Hex HMAC-SHA256 of the string to sign under the derived key."""
    key = signing_key(secret_key, amz_date, region, service)
    return hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key_id: str, scope: str, signed_headers: str, sig: str) -> str:
    """The Authorization header value."""
    return (
        f"{ALGORITHM} Credential={access_key_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={sig}"
    )


def payload_hash(body: bytes) -> str:
    """Hex SHA-256 of the body."""
    return hashlib.sha256(body).hexdigest()


__all__ = [
    "ALGORITHM",
    "EMPTY_SHA256",
    "SECRET_HEADERS",
    "HiddenValue",
    "authorization_header",
    "canonical_headers",
    "canonical_path",
    "canonical_query",
    "canonical_request",
    "credential_scope",
    "hide_secrets",
    "parse_query",
    "payload_hash",
    "sign_request",
    "signature",
    "signing_key",
    "string_to_sign",
]
