"""Hostile XML from a query service, through both clients over HTTP (pawssts).

A server on 127.0.0.1 answers ``GetCallerIdentity`` with the bytes of each case. A 2xx
answer that is hostile (entity declarations, deep nesting, bytes that are not UTF-8,
not XML at all) is a typed parse error in both languages: Python
``ResponseParseError``, R ``paws_response_error``; never a value, never an untyped
error, never an entity expanded. A hostile error answer still gives the service error,
named by its HTTP status. The request that reached the server is checked too: the
query form, its content type, and a SigV4 scope for STS.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pawscore
import pawssts
import pytest

from .wire import WireServer, reply_with, wire_server

ACCESS_KEY = "AKIDHOSTILEXML"
SECRET_KEY = "hostile-xml-secret-never-shown"

_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&lol9;</Arn>"
    b"</GetCallerIdentityResult></GetCallerIdentityResponse>"
)
_OK = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/me</Arn>"
    b"<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
    b"<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
    b"</GetCallerIdentityResponse>"
)


def _xml(status: int, body: bytes) -> bytes:
    return reply_with(status, body, {"Content-Type": "text/xml"})


# id -> (reply, expected outcome in both languages)
CASES: dict[str, tuple[bytes, dict[str, Any]]] = {
    "ok": (_xml(200, _OK), {"ok": {"Arn": "arn:aws:iam::123456789012:user/me"}}),
    "billion-laughs": (_xml(200, _LAUGHS), {"error": "parse"}),
    "external-entity": (
        _xml(
            200,
            b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&x;</Arn>"
            b"</GetCallerIdentityResult></GetCallerIdentityResponse>",
        ),
        {"error": "parse"},
    ),
    "nested-10000": (
        _xml(200, b"<a>" * 10000 + b"</a>" * 10000),
        {"error": "parse"},
    ),
    "latin-1": (_xml(200, _OK.replace(b"me</Arn>", b"caf\xe9</Arn>")), {"error": "parse"}),
    "html-200": (_xml(200, b"<html><body>proxy login</body>"), {"error": "parse"}),
    "bad-typed-arn": (
        _xml(200, _OK.replace(b"<Arn>", b"<Arn><x/>").replace(b"</Arn>", b"</Arn>")),
        {"ok": {"Arn": ""}},
    ),
    "error-with-doctype": (
        _xml(
            403,
            b'<!DOCTYPE e [<!ENTITY c "Sneaky">]><ErrorResponse><Error><Code>&c;</Code>'
            b"</Error></ErrorResponse>",
        ),
        {"error": "service", "code": "Http403"},
    ),
    "modeled-error": (
        _xml(
            400,
            b"<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredTokenException</Code>"
            b"<Message>gone</Message></Error><RequestId>rid</RequestId></ErrorResponse>",
        ),
        {"error": "service", "code": "ExpiredTokenException"},
    ),
}


def _config(url: str) -> dict[str, Any]:
    creds = {"access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY}
    return {"region": "us-east-1", "endpoint": url, "credentials": {"creds": creds},
            "max_attempts": 1}  # fmt: skip


def _python(url: str) -> dict[str, Any]:
    svc = pawssts.client(_config(url))
    try:
        out = svc.get_caller_identity()
        return {"ok": {"Arn": out.get("Arn")}}
    except pawscore.ResponseParseError:
        return {"error": "parse"}
    except pawscore.ServiceError as exc:
        return {"error": "service", "code": exc.code}
    finally:
        svc.close()


_R_SCRIPT = r"""
args <- commandArgs(TRUE)
urls <- jsonlite::fromJSON(args[[1]])
out <- lapply(urls, function(url) {
  svc <- pawssts::sts(config = list(region = "us-east-1", endpoint = url, max_attempts = 1,
    credentials = list(creds = list(access_key_id = Sys.getenv("HX_AK"),
                                    secret_access_key = Sys.getenv("HX_SK")))))
  tryCatch(list(ok = list(Arn = svc$get_caller_identity()$Arn)),
    paws_response_error = function(e) list(error = "parse"),
    paws_service_error = function(e) list(error = "service", code = e$code),
    error = function(e) list(error = paste0("untyped:", class(e)[[1]]), message = conditionMessage(e)))
})
cat("\n@@RESULTS@@", jsonlite::toJSON(out, auto_unbox = TRUE), "\n")
"""


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[dict[str, Any], dict[str, Any], list[WireServer]]]:
    """Per case: the Python outcome, the R outcome, and the servers (Python's, R's)."""
    results: dict[str, tuple[dict[str, Any], dict[str, Any], list[WireServer]]] = {}
    with ExitStack() as stack:
        py_servers = {k: stack.enter_context(wire_server(reply)) for k, (reply, _) in CASES.items()}
        r_servers = {k: stack.enter_context(wire_server(reply)) for k, (reply, _) in CASES.items()}
        python = {k: _python(s.url) for k, s in py_servers.items()}
        script = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "xml.R"
        script.write_text(_R_SCRIPT, encoding="utf-8")
        env = dict(os.environ, HX_AK=ACCESS_KEY, HX_SK=SECRET_KEY)
        urls = [s.url for s in r_servers.values()]
        proc = subprocess.run(
            ["Rscript", str(script), json.dumps(urls)],
            env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        marker = "@@RESULTS@@"
        assert proc.returncode == 0 and marker in proc.stdout, proc.stdout + proc.stderr
        r_out = json.loads(proc.stdout.split(marker, 1)[1])
        for (key, server), r in zip(r_servers.items(), r_out, strict=True):
            results[key] = (python[key], r, [py_servers[key], server])
    return results


@pytest.mark.parametrize("case", list(CASES))
def test_both_clients_give_the_same_typed_outcome(case: str, outcomes: Any) -> None:
    python, r, _ = outcomes[case]
    want = CASES[case][1]
    assert python == want
    assert r == want


@pytest.mark.parametrize("case", ["ok", "billion-laughs"])
def test_the_request_is_the_signed_query_form(case: str, outcomes: Any) -> None:
    for server in outcomes[case][2]:
        (request,) = server.requests()
        assert request.body == b"Action=GetCallerIdentity&Version=2011-06-15"
        content_type = request.header("content-type")
        assert content_type == b"application/x-www-form-urlencoded; charset=utf-8"
        auth = request.header("authorization") or b""
        assert b"/us-east-1/sts/aws4_request" in auth
        assert SECRET_KEY.encode() not in server.received()
