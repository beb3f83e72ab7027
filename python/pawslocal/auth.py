"""SigV4 verification of incoming requests, recomputed with botocore's signer."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials as BotoCredentials

from .config import Credentials

MAX_SKEW = timedelta(minutes=5)
_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<signed>[a-z0-9\-;]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


class AuthError(Exception):
    """Authentication failed; carries the Lambda error code and message to send."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = 403


@dataclass(frozen=True)
class Identity:
    """Who signed a request, and for which region."""

    access_key_id: str
    region: str


class _ListedHeadersSigner(SigV4Auth):
    # botocore normally picks which headers to sign; a verifier must use exactly
    # the ones the client listed in SignedHeaders, whatever client it was.
    def __init__(self, creds: BotoCredentials, service: str, region: str, signed: list[str]):
        super().__init__(creds, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        out = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or []:
                out[name] = value
        return out


def verify(
    method: str,
    raw_path: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    credentials: Mapping[str, Credentials],
    now: datetime | None = None,
    *,
    accept_unknown_keys: bool = False,
) -> Identity:
    """Check a request's SigV4 ``Authorization``; return the identity or raise AuthError.

    ``raw_path`` is the request target exactly as received (path and query, still
    percent-encoded), because the signature covers the encoded form. With
    ``accept_unknown_keys`` a key that is not in ``credentials`` passes every check
    that needs no secret (form, signed headers, date, clock skew, body hash): the
    emulator cannot know a real account's secret, so it takes the caller's word.
    Keys it knows are always verified in full.
    """
    header_list = list(headers)
    lookup = {k.lower(): v for k, v in header_list}
    auth = lookup.get("authorization")
    if not auth:
        raise AuthError("MissingAuthenticationTokenException", "Missing Authentication Token")
    m = _AUTH_RE.match(auth.strip())
    if not m:
        raise AuthError(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
            "parameters for AWS4-HMAC-SHA256.",
        )
    creds = credentials.get(m["key"])
    if creds is None and not accept_unknown_keys:
        raise AuthError(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    amz_date = lookup.get("x-amz-date", "")
    try:
        when = datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=timezone.utc)
    except ValueError:
        raise AuthError(
            "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'."
        ) from None
    signed = m["signed"].split(";")
    if "host" not in signed or ("x-amz-date" not in signed and "date" not in signed):
        raise AuthError(
            "InvalidSignatureException",
            "'Host' or 'x-amz-date' header is not among the signed headers.",
        )
    now = now or datetime.now(timezone.utc)
    _check_skew(when, now)
    if m["date"] != amz_date[:8]:
        raise AuthError(
            "InvalidSignatureException",
            f"Credential should be scoped to a valid region. Date {m['date']} in the "
            f"credential scope does not match {amz_date[:8]}.",
        )
    claimed = lookup.get("x-amz-content-sha256")
    if claimed not in (None, "UNSIGNED-PAYLOAD") and claimed != hashlib.sha256(body).hexdigest():
        raise AuthError(
            "InvalidSignatureException",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    if creds is None:
        return Identity(access_key_id=m["key"], region=m["region"])
    expected = _signature(method, raw_path, header_list, body, creds, m, signed, amz_date)
    if not hmac.compare_digest(expected, m["signature"]):
        raise AuthError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
        )
    return Identity(access_key_id=creds.access_key_id, region=m["region"])


def _check_skew(when: datetime, now: datetime) -> None:
    fmt = _AMZ_DATE
    if when < now - MAX_SKEW:
        raise AuthError(
            "InvalidSignatureException",
            f"Signature expired: {when.strftime(fmt)} is now earlier than "
            f"{(now - MAX_SKEW).strftime(fmt)} ({now.strftime(fmt)} - 5 min.)",
        )
    if when > now + MAX_SKEW:
        raise AuthError(
            "InvalidSignatureException",
            f"Signature not yet current: {when.strftime(fmt)} is still later than "
            f"{(now + MAX_SKEW).strftime(fmt)} ({now.strftime(fmt)} + 5 min.)",
        )


def _signature(
    method: str,
    raw_path: str,
    headers: list[tuple[str, str]],
    body: bytes,
    creds: Credentials,
    m: re.Match[str],
    signed: list[str],
    amz_date: str,
) -> str:
    host = next((v for k, v in headers if k.lower() == "host"), "localhost")
    request = AWSRequest(method=method, url=f"http://{host}{raw_path}", data=body)
    for name, value in headers:
        if name.lower() in signed:
            request.headers.add_header(name.lower(), value)
    request.context["timestamp"] = amz_date
    signer = _ListedHeadersSigner(
        BotoCredentials(creds.access_key_id, creds.secret_access_key),
        m["service"],
        m["region"],
        signed,
    )
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)
