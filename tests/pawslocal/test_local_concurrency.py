"""Many streams at once: no cross-talk, no head-of-line blocking, clean hang-ups."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pawslocal
from local_helpers import boto_client, payload_chunks, signed_headers, signed_request, stream_path
from pawscore.eventstream import EventStreamDecoder

STREAMS = 64


def test_64_simultaneous_streams_without_cross_talk() -> None:
    # Every handler waits at the barrier after its first chunk, so the test only
    # passes if all 64 streams are open and in progress at the same time.
    barrier = threading.Barrier(STREAMS, timeout=30)

    def tagged(event: Any, context: Any) -> Any:
        tag = event["tag"]
        yield f"{tag}:0"
        barrier.wait()
        for i in range(1, 20):
            yield f"{tag}:{i}"

    with pawslocal.serve(functions={"tagged": tagged}) as base:
        client = boto_client(base, max_pool_connections=STREAMS)

        def run(tag: int) -> list[bytes]:
            resp = client.invoke_with_response_stream(
                FunctionName="tagged", Payload=json.dumps({"tag": tag})
            )
            evs = list(resp["EventStream"])
            assert evs[-1] == {"InvokeComplete": {}}
            return payload_chunks(evs)

        with ThreadPoolExecutor(STREAMS) as pool:
            results = list(pool.map(run, range(STREAMS)))
    assert not barrier.broken
    for tag, chunks in enumerate(results):
        assert chunks == [f"{tag}:{i}".encode() for i in range(20)]


def test_slow_consumer_does_not_stall_others(url: str) -> None:
    # 64 MiB that the client does not read: the server blocks on this one socket only.
    slow = signed_request(url, stream_path("chunks"), b'{"n": 1024, "size": 65536}', preload=False)
    assert slow.status == 200
    pieces = slow.stream(1 << 16)
    first = next(pieces)
    assert first
    client = boto_client(url)
    for _ in range(10):
        evs = list(client.invoke_with_response_stream(FunctionName="bytes256")["EventStream"])
        assert payload_chunks(evs) == [bytes(range(256))]
    decoder = EventStreamDecoder()
    messages = decoder.feed(first)
    for data in pieces:
        messages += decoder.feed(data)
    decoder.finish()
    total = sum(len(m.payload) for m in messages if m.headers[":event-type"] == "PayloadChunk")
    assert total == 1024 * 65536
    assert messages[-1].headers[":event-type"] == "InvokeComplete"


def test_client_hang_up_stops_the_handler() -> None:
    closed = threading.Event()

    def forever(event: Any, context: Any) -> Any:
        try:
            while True:
                yield b"x" * 65536
        finally:
            closed.set()

    # A long timeout, so only the hang-up can end the handler.
    config = {"functions": {"forever": {"timeout": 600}}}
    with pawslocal.serve(functions={"forever": forever}, config=config) as base:
        conn = http.client.HTTPConnection(urlsplit(base).netloc)
        conn.request(
            "POST", stream_path("forever"), b"", signed_headers(base, stream_path("forever"))
        )
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.read(200_000)
        assert conn.sock is not None
        conn.sock.shutdown(socket.SHUT_RDWR)
        conn.close()
        assert closed.wait(10), "handler generator was not closed after the client left"
