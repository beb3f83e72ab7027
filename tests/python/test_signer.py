"""SigV4 on every case of the official suite (tests/conformance/sigv4).

Both the pure step functions and the real signer (botocore's SigV4Auth behind
``sign_request``) must produce the suite's canonical request, string to sign and
Authorization header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from pawscore import signer
from pawscore.credentials import Credentials

from tests.paths import SIGV4_SUITE

SUITE = SIGV4_SUITE
KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
SERVICE = "service"
AMZ_DATE = "20150830T123600Z"
NOW = dt.datetime(2015, 8, 30, 12, 36, 0, tzinfo=dt.timezone.utc)
# The suite's session-token cases: the token the signer adds, and the case where the
# token is attached after signing (so it is not signed).
TOKEN_ADDED = {
    "get-vanilla-with-session-token": (
        "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    ),
}
TOKEN_AFTER_SIGNING = {"post-sts-header-after"}


@dataclass
class RawRequest:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]


def parse_req(text: str) -> RawRequest:
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, rest = lines[0].split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + "\n" + line)  # folded (multi-line) value
        elif line:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return RawRequest(method, target, headers, body.encode("utf-8"))


def _case_dirs() -> list[Path]:
    return sorted(p.parent for p in SUITE.rglob("*.req"))


CASES = [pytest.param(d, id=d.name) for d in _case_dirs()]


def test_the_whole_suite_is_found() -> None:
    assert len(CASES) >= 30


def _expected(case: Path, ext: str) -> str:
    return (case / f"{case.name}.{ext}").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_step_functions(case: Path) -> None:
    req = parse_req(_expected(case, "req"))
    headers = list(req.headers)
    if case.name in TOKEN_ADDED:
        headers.append(("X-Amz-Security-Token", TOKEN_ADDED[case.name]))
    creq = signer.canonical_request(
        req.method,
        req.path,
        signer.parse_query(req.query),
        headers,
        signer.payload_hash(req.body),
    )
    assert creq == _expected(case, "creq")
    scope = signer.credential_scope(AMZ_DATE, REGION, SERVICE)
    sts = signer.string_to_sign(AMZ_DATE, scope, creq)
    assert sts == _expected(case, "sts")
    sig = signer.signature(SECRET, AMZ_DATE, REGION, SERVICE, sts)
    signed = signer.canonical_headers(headers)[1]
    assert signer.authorization_header(KEY_ID, scope, signed, sig) == _expected(case, "authz")


@pytest.mark.parametrize("case", CASES)
def test_real_signer(case: Path) -> None:
    req = parse_req(_expected(case, "req"))
    token = TOKEN_ADDED.get(case.name)
    headers: dict[str, str] = {}
    for name, value in req.headers:
        if case.name in TOKEN_AFTER_SIGNING and name.lower() == "x-amz-security-token":
            continue
        if name.lower() == "host":
            continue  # botocore takes the host from the URL
        # Repeated names: the suite joins them with commas, as the canonical form does.
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    if "X-Amz-Security-Token" in headers:
        token = headers.pop("X-Amz-Security-Token")
    # The URL carries the path as the suite writes it (botocore encodes it once while
    # signing) and the query re-encoded the way an AWS client sends it.
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in signer.parse_query(req.query)
    )
    url = "https://example.amazonaws.com" + req.path + (f"?{query}" if query else "")
    creds = Credentials(KEY_ID, SECRET, token)
    out = signer.sign_request(req.method, url, headers, req.body, creds, REGION, SERVICE, now=NOW)
    assert out["Authorization"] == _expected(case, "authz")
    assert out["X-Amz-Date"] == AMZ_DATE
    if token:
        assert out["X-Amz-Security-Token"] == token


def test_payload_is_hashed_not_unsigned() -> None:
    creds = Credentials(KEY_ID, SECRET)
    body = b'{"k": 1}'
    out = signer.sign_request(
        "POST", "http://127.0.0.1:9001/x", {}, body, creds, REGION, "lambda", now=NOW
    )
    # Recompute with the step functions over the real body hash: the signatures agree.
    headers = [("host", "127.0.0.1:9001"), ("x-amz-date", AMZ_DATE)]
    creq = signer.canonical_request("POST", "/x", [], headers, signer.payload_hash(body))
    scope = signer.credential_scope(AMZ_DATE, REGION, "lambda")
    sig = signer.signature(
        SECRET, AMZ_DATE, REGION, "lambda", signer.string_to_sign(AMZ_DATE, scope, creq)
    )
    assert out["Authorization"].endswith(f"Signature={sig}")
    assert "UNSIGNED-PAYLOAD" not in out.values()


def test_credentials_repr_hides_secrets() -> None:
    creds = Credentials(KEY_ID, SECRET, "TOKEN-SECRET-VALUE")
    text = repr(creds) + str(creds)
    assert SECRET not in text and "TOKEN-SECRET-VALUE" not in text
    assert KEY_ID in text


def test_signing_logs_no_token(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    creds = Credentials(KEY_ID, SECRET, "TOKEN-SECRET-VALUE")
    out = signer.sign_request(
        "GET", "https://example.amazonaws.com/", {}, b"", creds, REGION, SERVICE
    )
    assert out["X-Amz-Security-Token"] == "TOKEN-SECRET-VALUE"
    assert "TOKEN-SECRET-VALUE" not in caplog.text and SECRET not in caplog.text
    assert len(out["X-Amz-Date"]) == 16 and out["X-Amz-Date"].endswith("Z")
