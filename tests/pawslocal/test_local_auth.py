"""SigV4 verification: the AWS SigV4 suite, boto3 clients with bad keys, clock skew."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pawslocal
import pytest
import urllib3
from botocore.exceptions import ClientError
from local_helpers import boto_client, events
from pawslocal.auth import AuthError, verify
from pawslocal.config import Credentials

from tests.paths import SIGV4_SUITE

SUITE = SIGV4_SUITE
SUITE_CREDS = {
    "AKIDEXAMPLE": Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
}
SUITE_TIME = datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc)
# Defects of the suite itself, not of signing: a raw non-ASCII query (cannot be sent
# on an HTTP request line), and a session-token case whose .sreq carries the
# signature of get-vanilla.
SUITE_SKIP = {"get-vanilla-utf8-query", "get-vanilla-with-session-token"}


def _parse_sreq(text: str) -> tuple[str, str, list[tuple[str, str]], bytes]:
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, rest = lines[0].split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # folded header value
            name, value = headers[-1]
            headers[-1] = (name, value + "\n" + line)
        else:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return method, target, headers, body.encode()


SUITE_CASES = sorted(p for p in SUITE.rglob("*.sreq") if p.stem not in SUITE_SKIP)


def test_suite_is_present() -> None:
    assert len(SUITE_CASES) >= 30


@pytest.mark.parametrize("path", SUITE_CASES, ids=lambda p: p.stem)
def test_sigv4_suite_signed_requests_verify(path: Path) -> None:
    method, target, headers, body = _parse_sreq(path.read_text())
    identity = verify(method, target, headers, body, SUITE_CREDS, now=SUITE_TIME)
    assert identity.access_key_id == "AKIDEXAMPLE"
    assert identity.region == "us-east-1"


@pytest.mark.parametrize("path", SUITE_CASES[:8], ids=lambda p: p.stem)
def test_sigv4_suite_tampered_requests_fail(path: Path) -> None:
    method, target, headers, body = _parse_sreq(path.read_text())
    with pytest.raises(AuthError) as info:
        verify(
            method,
            target + ("&" if "?" in target else "?") + "x=1",
            headers,
            body,
            SUITE_CREDS,
            now=SUITE_TIME,
        )
    assert info.value.code == "InvalidSignatureException"
    wrong = {"AKIDEXAMPLE": Credentials("AKIDEXAMPLE", "not-the-secret")}
    with pytest.raises(AuthError):
        verify(method, target, headers, body, wrong, now=SUITE_TIME)


def test_tampered_body_fails() -> None:
    method, target, headers, body = _parse_sreq(
        (SUITE / "post-x-www-form-urlencoded" / "post-x-www-form-urlencoded.sreq").read_text()
    )
    with pytest.raises(AuthError):
        verify(method, target, headers, body + b"&evil=1", SUITE_CREDS, now=SUITE_TIME)


def test_wrong_secret_is_invalid_signature(url: str) -> None:
    bad = boto_client(url, secret="wrong-secret")
    with pytest.raises(ClientError) as info:
        bad.invoke_with_response_stream(FunctionName="hello")
    err = info.value.response
    assert err["Error"]["Code"] == "InvalidSignatureException"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "signature we calculated does not match" in err["Error"]["Message"]
    assert "wrong-secret" not in str(err)


def test_unknown_key_is_unrecognized_client_when_keys_are_configured() -> None:
    mine = Credentials("AKIDMINE", "my-secret")
    with pawslocal.serve(functions={"hello": lambda e, c: "hi"}, credentials=mine) as base:
        bad = boto_client(base, key="AKIDUNKNOWN")
        with pytest.raises(ClientError) as info:
            bad.invoke(FunctionName="hello")
    err = info.value.response
    assert err["Error"]["Code"] == "UnrecognizedClientException"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert err["Error"]["Message"] == "The security token included in the request is invalid."


def test_any_well_formed_key_is_accepted_when_none_are_configured() -> None:
    # Someone pointing their own AWS keys at the emulator gets through by default,
    # while the public test key is still verified in full.
    with pawslocal.serve(functions={"hello": lambda e, c: "hi"}) as base:
        own = boto_client(base, key="AKIAIOSFODNN7EXAMPLE", secret="their-real-secret")
        assert own.invoke(FunctionName="hello")["StatusCode"] == 200
        with pytest.raises(ClientError) as info:
            boto_client(base, secret="wrong-secret").invoke(FunctionName="hello")
    assert info.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_unknown_key_still_needs_a_current_well_formed_signature(monkeypatch: Any) -> None:
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: real - timedelta(minutes=6))
    with pawslocal.serve(functions={"hello": lambda e, c: "hi"}) as base:
        with pytest.raises(ClientError) as info:
            boto_client(base, key="AKIAIOSFODNN7EXAMPLE").invoke(FunctionName="hello")
    assert info.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_config_file_credentials_make_keys_strict(tmp_path: Path) -> None:
    cfg = {"credentials": {"access_key_id": "AKIDFILE", "secret_access_key": "file-secret"}}
    with pawslocal.serve(functions={"hi": lambda e, c: "hi"}, config=cfg) as base:
        with pytest.raises(ClientError) as info:
            boto_client(base, key="AKIAIOSFODNN7EXAMPLE").invoke(FunctionName="hi")
        assert info.value.response["Error"]["Code"] == "UnrecognizedClientException"
        ok = boto_client(base, key="AKIDFILE", secret="file-secret")
        assert ok.invoke(FunctionName="hi")["StatusCode"] == 200


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_clock_skew_over_5_minutes(url: str, monkeypatch: Any, skew: timedelta) -> None:
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: real + skew)
    with pytest.raises(ClientError) as info:
        boto_client(url).invoke(FunctionName="hello")
    err = info.value.response
    assert err["Error"]["Code"] == "InvalidSignatureException"
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403
    word = "expired" if skew < timedelta(0) else "not yet current"
    assert err["Error"]["Message"].startswith(f"Signature {word}: ")
    assert "5 min." in err["Error"]["Message"]


def test_clock_skew_within_5_minutes_is_accepted(url: str, monkeypatch: Any) -> None:
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: real - timedelta(minutes=4))
    assert boto_client(url).invoke(FunctionName="hello")["StatusCode"] == 200


def test_unsigned_request_is_rejected(url: str) -> None:
    r = urllib3.PoolManager().request(
        "POST", url + "/2021-11-15/functions/hello/response-streaming-invocations"
    )
    assert r.status == 403
    assert r.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_no_auth_accepts_anything() -> None:
    with pawslocal.serve(functions={"hi": lambda e, c: "hi"}, auth=False) as base:
        r = urllib3.PoolManager().request(
            "POST", base + "/2021-11-15/functions/hi/response-streaming-invocations"
        )
        assert r.status == 200
        assert b"hi" in r.data
        resp = boto_client(base, secret="anything").invoke_with_response_stream(FunctionName="hi")
        assert events(resp)[0] == {"PayloadChunk": {"Payload": b"hi"}}


def test_configured_credentials_replace_the_defaults() -> None:
    mine = Credentials("AKIDMINE", "my-secret")
    with pawslocal.serve(functions={"hi": lambda e, c: "hi"}, credentials=mine) as base:
        ok = boto_client(base, key="AKIDMINE", secret="my-secret")
        assert ok.invoke(FunctionName="hi")["StatusCode"] == 200
        with pytest.raises(ClientError) as info:
            boto_client(base).invoke(FunctionName="hi")
        assert info.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_credentials_repr_hides_secret() -> None:
    assert pawslocal.DEFAULT_CREDENTIALS.secret_access_key not in repr(
        pawslocal.DEFAULT_CREDENTIALS
    )
    assert "my-secret" not in repr(Credentials("AKIDMINE", "my-secret"))
