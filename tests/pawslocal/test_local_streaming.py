"""InvokeWithResponseStream: frames, payload types and real streaming, via boto3."""

from __future__ import annotations

import json
import threading
from typing import Any

import pawslocal
from local_helpers import boto_client, events, payload_chunks


def test_stream_yields_one_chunk_per_item_then_invoke_complete(lam: Any) -> None:
    resp = lam.invoke_with_response_stream(FunctionName="stream", Payload=b'{"n": 4, "delay": 0}')
    assert resp["StatusCode"] == 200
    assert resp["ExecutedVersion"] == "$LATEST"
    assert resp["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
    evs = events(resp)
    assert payload_chunks(evs) == [f"chunk {i} of 4\n".encode() for i in range(1, 5)]
    assert evs[-1] == {"InvokeComplete": {}}
    assert len(evs) == 5


def test_response_headers(lam: Any) -> None:
    resp = lam.invoke_with_response_stream(FunctionName="hello")
    headers = resp["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"] == "application/vnd.amazon.eventstream"
    assert headers["transfer-encoding"] == "chunked"
    assert headers["x-amz-executed-version"] == "$LATEST"
    assert len(headers["x-amzn-requestid"]) == 36
    events(resp)


def test_returned_dict_is_one_json_chunk(lam: Any) -> None:
    evs = events(lam.invoke_with_response_stream(FunctionName="hello", Payload=b'{"name": "R"}'))
    (chunk,) = payload_chunks(evs)
    assert json.loads(chunk) == {"message": "Hello, R!", "function": "hello", "version": "$LATEST"}


def test_echo_returns_event_and_empty_payload_is_empty_object(lam: Any) -> None:
    body = {"a": [1, 2.5, None, True], "b": {"c": "d"}}
    evs = events(lam.invoke_with_response_stream(FunctionName="echo", Payload=json.dumps(body)))
    assert json.loads(payload_chunks(evs)[0]) == body
    evs = events(lam.invoke_with_response_stream(FunctionName="echo"))
    assert payload_chunks(evs) == [b"{}"]


def test_all_byte_values_and_utf8_survive(lam: Any) -> None:
    evs = events(lam.invoke_with_response_stream(FunctionName="bytes256"))
    assert payload_chunks(evs) == [bytes(range(256))]
    evs = events(lam.invoke_with_response_stream(FunctionName="utf8"))
    assert (
        payload_chunks(evs)[0].decode("utf-8") == "héllo wörld, Grüße, 日本語, emoji 🐾, math ∑√∞"
    )


def test_chunks_sizes_and_empty_chunks(lam: Any) -> None:
    evs = events(
        lam.invoke_with_response_stream(FunctionName="chunks", Payload=b'{"n": 7, "size": 1000}')
    )
    chunks = payload_chunks(evs)
    assert [len(c) for c in chunks] == [1000] * 7
    assert chunks[0][:3] == b"\x00\x01\x02" and chunks[1][:3] == b"\x01\x02\x03"
    evs = events(
        lam.invoke_with_response_stream(FunctionName="chunks", Payload=b'{"n": 3, "empty": true}')
    )
    assert payload_chunks(evs) == [b"", b"", b""]
    assert "InvokeComplete" in evs[-1]


def test_big_chunk_is_one_frame(lam: Any) -> None:
    evs = events(lam.invoke_with_response_stream(FunctionName="big"))
    chunks = payload_chunks(evs)
    assert len(chunks) == 1
    assert chunks[0] == (b"0123456789" * 500_000)[:5_000_000]


def test_chunk_over_frame_limit_is_split() -> None:
    blob = bytes(range(256)) * (
        20 * 1024 * 1024 // 256
    )  # 20 MiB, above the emulator's 16 MiB chunk
    with pawslocal.serve(functions={"huge": lambda e, c: blob}) as base:
        evs = events(boto_client(base).invoke_with_response_stream(FunctionName="huge"))
    chunks = payload_chunks(evs)
    assert len(chunks) == 2
    assert b"".join(chunks) == blob


def test_first_chunk_arrives_before_handler_finishes() -> None:
    # The handler cannot finish until the client has seen its first chunk, so this
    # only passes if chunks are really sent as they are yielded.
    seen_first = threading.Event()

    def gated(event: Any, context: Any) -> Any:
        yield b"first"
        if not seen_first.wait(10):
            raise RuntimeError("client never saw the first chunk")
        yield b"second"

    with pawslocal.serve(functions={"gated": gated}) as base:
        resp = boto_client(base).invoke_with_response_stream(FunctionName="gated")
        got = []
        for event in resp["EventStream"]:
            got.append(event)
            seen_first.set()
    assert payload_chunks(got) == [b"first", b"second"]
    assert got[-1] == {"InvokeComplete": {}}


def test_yielded_values_convert_like_return_values() -> None:
    def mixed(event: Any, context: Any) -> Any:
        yield b"\x00raw"
        yield "text é"
        yield {"k": [1, 2]}
        yield None

    with pawslocal.serve(functions={"mixed": mixed}) as base:
        evs = events(boto_client(base).invoke_with_response_stream(FunctionName="mixed"))
    assert payload_chunks(evs) == [b"\x00raw", "text é".encode(), b'{"k": [1, 2]}', b"null"]


def test_unserializable_return_is_marshal_error() -> None:
    with pawslocal.serve(functions={"bad": lambda e, c: object()}) as base:
        evs = events(boto_client(base).invoke_with_response_stream(FunctionName="bad"))
    complete = evs[-1]["InvokeComplete"]
    assert complete["ErrorCode"] == "Unhandled"
    assert json.loads(complete["ErrorDetails"])["errorType"] == "Runtime.MarshalError"
    assert payload_chunks(evs) == []


def test_async_handler_result_is_awaited() -> None:
    async def coro(event: Any, context: Any) -> dict[str, int]:
        return {"awaited": 1}

    with pawslocal.serve(functions={"coro": coro}) as base:
        evs = events(boto_client(base).invoke_with_response_stream(FunctionName="coro"))
    assert payload_chunks(evs) == [b'{"awaited": 1}']


def test_handler_calling_exit_is_runtime_exit_error() -> None:
    def quitter(event: Any, context: Any) -> Any:
        yield b"bye"
        raise SystemExit(3)

    with pawslocal.serve(functions={"quitter": quitter}) as base:
        evs = events(boto_client(base).invoke_with_response_stream(FunctionName="quitter"))
    assert payload_chunks(evs) == [b"bye"]
    details = json.loads(evs[-1]["InvokeComplete"]["ErrorDetails"])
    assert details["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in details["errorMessage"]
