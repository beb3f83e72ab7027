"""The urllib3 transport against a real server: streaming, truncation, timeouts."""

from __future__ import annotations

import threading

import pytest
from pawscore import EndpointConnectionError, HttpError, IncompleteBody, ReadTimeoutError
from pawscore.http import HttpClient, HttpRequest

from .support import Handler, StreamServer, raw_script


def get(server: StreamServer, path: str = "/x") -> HttpRequest:
    return HttpRequest("GET", server.url + path)


def test_bytes_arrive_before_the_body_ends(server: StreamServer) -> None:
    gate = threading.Event()

    def script(h: Handler) -> None:
        h.start_chunked()
        h.send_chunk(b"first")
        server.notes.append(gate.wait(timeout=10))
        h.send_chunk(b"second")
        h.end_chunks()

    server.plan.append(script)
    response = HttpClient().send(get(server))
    assert response.status == 200
    pieces = response.stream()
    assert next(pieces) == b"first"
    gate.set()  # the server sends the rest only now
    assert b"".join(pieces) == b"second"
    assert server.notes == [True]


def test_broken_chunked_body_raises(server: StreamServer) -> None:
    def script(h: Handler) -> None:
        h.start_chunked()
        h.send_chunk(b"complete chunk")
        h.wfile.write(b"20\r\nonly part of it")
        h.cut()

    server.plan.append(script)
    response = HttpClient().send(get(server))
    with pytest.raises(IncompleteBody):
        b"".join(response.stream())


def test_short_content_length_raises(server: StreamServer) -> None:
    server.plan.append(raw_script(200, b"12345", declared=10))
    response = HttpClient().send(get(server))
    with pytest.raises(IncompleteBody) as info:
        response.read()
    assert isinstance(info.value, HttpError)


def test_buffered_send_reads_everything(server: StreamServer) -> None:
    server.plan.append(raw_script(200, b"x" * 200_000, {"X-Test": "yes"}))
    response = HttpClient().send(get(server), stream=False)
    assert response.headers["X-Test"] == "yes"
    assert response.read() == b"x" * 200_000


def test_pool_reuses_the_connection(server: StreamServer) -> None:
    server.plan += [raw_script(200, b"a"), raw_script(200, b"b")]
    client = HttpClient()
    assert client.send(get(server)).read() == b"a"
    assert client.send(get(server)).read() == b"b"
    assert len(server.seen) == 2
    assert server.seen[0].client_port == server.seen[1].client_port


def test_connection_refused() -> None:
    with pytest.raises(EndpointConnectionError):
        HttpClient(connect_timeout=2).send(HttpRequest("GET", "http://127.0.0.1:9/"))


def test_read_timeout(server: StreamServer) -> None:
    release = threading.Event()

    def script(h: Handler) -> None:
        h.start_chunked()
        h.send_chunk(b"start")
        release.wait(timeout=10)
        h.cut()

    server.plan.append(script)
    response = HttpClient(read_timeout=0.2).send(get(server))
    try:
        with pytest.raises(ReadTimeoutError):
            b"".join(response.stream())
    finally:
        release.set()


def test_head_ends_with_the_headers_whatever_content_length_says(server: StreamServer) -> None:
    def head_script(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "42")  # the size a GET would have; no body follows
        h.end_headers()

    def ok_script(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "2")
        h.end_headers()
        h.wfile.write(b"ok")

    server.plan += [head_script, ok_script]
    client = HttpClient(read_timeout=5)
    response = client.send(HttpRequest("HEAD", server.url + "/x"), stream=False)
    assert response.status == 200 and response.read() == b""
    # The connection is reusable: nothing of a body was waited for or left behind.
    assert client.send(get(server), stream=False).read() == b"ok"
    assert [seen.method for seen in server.seen] == ["HEAD", "GET"]


def test_no_accept_header_unless_the_request_has_one(server: StreamServer) -> None:
    for _ in range(2):
        server.plan.append(raw_script(200, b""))
    HttpClient().send(get(server), stream=False)
    HttpClient().send(
        HttpRequest("GET", server.url + "/x", {"Accept": "application/json"}), stream=False
    )
    first, second = ({k.lower(): v for k, v in s.headers.items()} for s in server.seen)
    assert "accept" not in first
    assert second["accept"] == "application/json"
