"""Hostile input and servers, secrets family (issue 8, item 4; item 1's split request).

A traceback that records local variables (Sentry, ``pytest --showlocals``) must not
show the session token or the signature: every frame's locals are rendered the way
such tools do (containers walked, everything else through ``repr``) and searched. In
R, the condition a failure raises (call included) must not hold them either, and a
request split by an injected line break must never carry them to the server.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import pawscore
import pawslambda
import pytest
from pawscore.eventstream import encode_message

from .rrun import SECRET_KEY, SESSION_TOKEN, Case, Result, config, r_str, run_python, run_r
from .wire import chunked_reply, reply_with, wire_server

# ----------------------------------------------------------------- traceback locals

TESTS = str(Path(__file__).resolve().parent)


def _render(value: Any, depth: int = 0) -> Iterator[str]:
    """What a locals-capturing tool would show of ``value``."""
    if depth > 4:
        return
    if isinstance(value, Mapping):
        for key, item in list(value.items()):
            yield repr(key)
            yield from _render(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in list(value):
            yield from _render(item, depth + 1)
    elif isinstance(value, str):
        yield value
    else:
        try:
            yield repr(value)
        except Exception as exc:  # a repr that fails shows nothing
            yield f"<repr failed: {type(exc).__name__}>"


def _tracebacks(exc: BaseException) -> Iterator[TracebackType]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if current.__traceback__ is not None:
            yield current.__traceback__
        todo += [current.__cause__, current.__context__]


def shown_locals(exc: BaseException) -> str:
    """Every local of every frame of ``exc`` and its chained exceptions, rendered."""
    parts = []
    for tb in _tracebacks(exc):
        node: TracebackType | None = tb
        while node is not None:
            frame = node.tb_frame
            if frame.f_code.co_filename.startswith(TESTS):
                node = node.tb_next  # this test's own frames hold the server's recording
                continue
            for name, value in frame.f_locals.items():
                parts.append(f"{frame.f_code.co_name}:{name}=")
                parts.extend(_render(value))
            node = node.tb_next
    return "\n".join(parts)


def _closed_port() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


def _raise_in_callback(event: dict) -> None:
    raise RuntimeError("the caller's own bug")


CUT_BODY = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"

PY_FAILURES = {
    # the service answers with an error: raised in the attempt loop
    "service-error": (
        reply_with(500, b'{"message": "boom"}', {"x-amzn-ErrorType": "ServiceException"}),
        lambda svc: svc.get_policy(FunctionName="f"),
    ),
    # the connection closes before the body is complete: raised inside urllib3
    "cut-in-body": (CUT_BODY, lambda svc: svc.get_policy(FunctionName="f")),
    # the caller's own callback raises while the stream is read
    "callback-raises": (
        chunked_reply(
            [encode_message({":message-type": "event", ":event-type": "PayloadChunk"}, b"chunk")]
        ),
        lambda svc: svc.invoke_with_response_stream(FunctionName="f", on_event=_raise_in_callback),
    ),
}


@pytest.mark.parametrize("name", sorted(PY_FAILURES))
def test_python_traceback_locals_hide_the_secrets(name: str) -> None:
    reply, call = PY_FAILURES[name]
    with wire_server(reply, close_after_reply=True) as server:
        svc = pawslambda.client(config(server.url, max_attempts=1))
        with pytest.raises(Exception) as info:
            call(svc)
        svc.close()
    requests = server.requests()
    assert requests, "the call reached the server"
    signature = re.search(rb"Signature=([0-9a-f]{64})", requests[0].header("authorization") or b"")
    assert signature is not None
    shown = shown_locals(info.value)
    assert "_attempt:" in shown or name == "callback-raises"  # the attempt loop's frames are in
    for secret in (SESSION_TOKEN, SECRET_KEY, signature.group(1).decode()):
        assert secret not in shown


def test_python_traceback_locals_hide_the_secrets_when_connecting_fails() -> None:
    svc = pawslambda.client(config(_closed_port(), max_attempts=1))
    with pytest.raises(pawscore.EndpointConnectionError) as info:
        svc.get_policy(FunctionName="f")
    shown = shown_locals(info.value)
    assert "urlopen:" in shown  # urllib3's frames, holding the headers, are searched too
    for secret in (SESSION_TOKEN, SECRET_KEY):
        assert secret not in shown


# ----------------------------------------------------------------- both languages

SPLIT = "x\r\n\r\nGET /2015-03-31/functions/victim/policy HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b"
CASES = [
    Case(
        id="split-request-carries-nothing",
        py=lambda svc: svc.invoke(FunctionName="f", ClientContext=SPLIT),
        r=f'svc$invoke(FunctionName = "f", ClientContext = {r_str(SPLIT)})',
        expect="param",
    ),
    Case(
        id="service-error",
        py=lambda svc: svc.get_policy(FunctionName="f"),
        r='svc$get_policy(FunctionName = "f")',
        expect="service",
        reply=reply_with(500, b'{"message": "boom"}', {"x-amzn-ErrorType": "ServiceException"}),
        config={"max_attempts": 1},
    ),
    Case(
        id="cut-in-body",
        py=lambda svc: svc.get_policy(FunctionName="f"),
        r='svc$get_policy(FunctionName = "f")',
        expect="connection",
        reply=CUT_BODY,
        config={"max_attempts": 1},
        close_after_reply=True,
    ),
    Case(
        id="sensitive-value-refused",
        # An environment variable name is sensitive: refused, and never echoed.
        py=lambda svc: svc.update_function_configuration(
            FunctionName="f", Environment={"Variables": {SECRET_KEY: "v"}}
        ),
        r=(
            'svc$update_function_configuration(FunctionName = "f", Environment = list('
            f'Variables = stats::setNames(list("v"), {r_str(SECRET_KEY)})))'
        ),
        expect="param",
    ),
]


@pytest.fixture(scope="module")
def r_results() -> Iterator[dict[str, Result]]:
    """Every case run once by the R client."""
    with run_r(CASES) as results:
        yield results


def _check(case: Case, result: Result) -> None:
    assert result.outcome.get("error") == case.expect, result.outcome
    for secret in (SECRET_KEY, SESSION_TOKEN):
        assert secret not in json.dumps(result.outcome) + result.shown
    if case.expect == "param":
        assert result.server.received() == b""  # not one byte, let alone a second request
    else:
        assert len(result.server.requests()) == 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_python(case: Case) -> None:
    _check(case, run_python(case))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_r(case: Case, r_results: dict[str, Result]) -> None:
    _check(case, r_results[case.id])
