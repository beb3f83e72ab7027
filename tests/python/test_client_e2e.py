"""End-to-end: Client._call against a real streaming HTTP server on 127.0.0.1."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest
from pawscore import EventStream, ParamValidationError, ServiceError, TruncatedStream
from pawscore.retry import RetryPolicy

from .support import (
    ERRORS,
    SECRET_KEY,
    SESSION_TOKEN,
    LambdaTestClient,
    StreamServer,
    chunk_frame,
    client_config,
    complete_frame,
    error_script,
    events_script,
    exception_frame,
    raw_script,
)

STREAM_OP = "InvokeWithResponseStream"


def make_client(server: StreamServer, **extra) -> LambdaTestClient:
    return LambdaTestClient(client_config(server.url, **extra))


def test_default_mode_collects_events_in_order(server: StreamServer) -> None:
    server.plan.append(
        events_script([chunk_frame(b"hel"), chunk_frame(b"lo"), complete_frame(LogResult="bG9n")])
    )
    out = make_client(server)._call(STREAM_OP, {"FunctionName": "f", "Payload": b'{"k": 1}'})
    assert list(out) == [
        "StatusCode",
        "ExecutedVersion",
        "EventStream",
        "ResponseStreamContentType",
    ]
    assert out["StatusCode"] == 200
    assert out["ExecutedVersion"] == "$LATEST"
    assert out["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
    assert out["EventStream"] == [
        {"PayloadChunk": {"Payload": b"hel"}},
        {"PayloadChunk": {"Payload": b"lo"}},
        {"InvokeComplete": {"LogResult": "bG9n"}},
    ]
    seen = server.seen[0]
    assert seen.method == "POST"
    assert seen.path == "/2021-11-15/functions/f/response-streaming-invocations"
    assert seen.body == b'{"k": 1}'
    assert seen.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDTESTTEST/")
    assert seen.headers["X-Amz-Security-Token"] == SESSION_TOKEN


@pytest.mark.parametrize("ending", ["whole", "exception"])
def test_default_mode_events_reach_the_caller_tracked_by_the_collector(
    server: StreamServer, ending: str
) -> None:
    # The default mode holds the events it builds back from the cycle collector
    # while it reads; every way out of the call tracks them again.
    frames = [chunk_frame(bytes([i % 256]) * 40) for i in range(300)]
    last = complete_frame() if ending == "whole" else exception_frame("ServiceException", "x")
    server.plan.append(events_script([*frames, last]))
    client = make_client(server)
    if ending == "exception":
        leaked: list[Any] = []
        for _ in range(3):
            before = _untracked_event_dicts()
            with pytest.raises(ERRORS["ServiceException"]):
                client._call(STREAM_OP, {"FunctionName": "f"})
            leaked.append(_untracked_event_dicts() - before)
            server.plan.append(events_script([*frames, last]))
        assert leaked == [0, 0, 0]
        return
    events = client._call(STREAM_OP, {"FunctionName": "f"})["EventStream"]
    assert len(events) == 301
    assert events[5] == {"PayloadChunk": {"Payload": bytes([5]) * 40}}
    assert all(gc.is_tracked(e) for e in events[:300])
    assert _untracked_event_dicts() == 0


def _untracked_event_dicts() -> int:
    """Event-shaped dicts alive but unknown to the collector (found through lists)."""
    count = 0
    for obj in gc.get_objects():
        if isinstance(obj, list):
            for item in obj:
                if type(item) is dict and "PayloadChunk" in item and not gc.is_tracked(item):
                    count += 1
    return count


def test_request_headers_and_query_come_from_the_model(server: StreamServer) -> None:
    server.plan.append(events_script([complete_frame()]))
    make_client(server)._call(
        STREAM_OP,
        {
            "FunctionName": "my-fn",
            "Qualifier": "v1",
            "InvocationType": "RequestResponse",
            "LogType": "Tail",
            "ClientContext": "eyJ9",
        },
    )
    seen = server.seen[0]
    assert seen.path.endswith("/functions/my-fn/response-streaming-invocations?Qualifier=v1")
    assert seen.headers["X-Amz-Invocation-Type"] == "RequestResponse"
    assert seen.headers["X-Amz-Log-Type"] == "Tail"
    assert seen.headers["X-Amz-Client-Context"] == "eyJ9"


def test_callback_runs_before_next_bytes_arrive(server: StreamServer) -> None:
    gate = threading.Event()
    server.plan.append(
        events_script(
            [chunk_frame(b"a"), chunk_frame(b"b"), chunk_frame(b"c"), complete_frame()],
            gate=gate,
            state=server,
        )
    )
    got: list[bytes] = []

    def on_event(event: dict) -> int:
        if "PayloadChunk" in event:
            got.append(event["PayloadChunk"]["Payload"])
        gate.set()  # the server sends the next frame only after this
        return len(got)

    out = make_client(server)._call(STREAM_OP, {"FunctionName": "f"}, on_event=on_event)
    assert out["EventStream"] == [1, 2, 3, 3]
    assert got == [b"a", b"b", b"c"]
    assert server.notes == [("gate", 1, True), ("gate", 2, True), ("gate", 3, True)]


def test_stream_mode_is_lazy_and_closeable(server: StreamServer) -> None:
    gate = threading.Event()
    server.plan.append(
        events_script([chunk_frame(b"1"), chunk_frame(b"2"), chunk_frame(b"3")], gate=gate)
    )
    out = make_client(server)._call(STREAM_OP, {"FunctionName": "f"}, stream=True)
    events = out["EventStream"]
    assert isinstance(events, EventStream)
    assert out["StatusCode"] == 200
    with events:
        first = next(events)
        assert first == {"PayloadChunk": {"Payload": b"1"}}
        gate.set()
    assert events.closed
    assert list(events) == []
    gate.set()


def test_stream_mode_iterates_to_the_end(server: StreamServer) -> None:
    server.plan.append(events_script([chunk_frame(b"x"), complete_frame()]))
    out = make_client(server)._call(STREAM_OP, {"FunctionName": "f"}, stream=True)
    assert list(out["EventStream"]) == [
        {"PayloadChunk": {"Payload": b"x"}},
        {"InvokeComplete": {}},
    ]
    assert out["EventStream"].closed


def test_dry_run_gives_empty_event_list(server: StreamServer) -> None:
    server.plan.append(raw_script(204, b"", {"X-Amz-Executed-Version": "$LATEST"}))
    out = make_client(server)._call(STREAM_OP, {"FunctionName": "f", "InvocationType": "DryRun"})
    assert out["StatusCode"] == 204
    assert out["EventStream"] == []


def test_exception_event_raises_modeled_error_after_earlier_events(server: StreamServer) -> None:
    server.plan.append(
        events_script([chunk_frame(b"before"), exception_frame("ServiceException", "boom")])
    )
    got: list[dict] = []
    with pytest.raises(ERRORS["ServiceException"]) as info:
        make_client(server)._call(STREAM_OP, {"FunctionName": "f"}, on_event=got.append)
    assert got == [{"PayloadChunk": {"Payload": b"before"}}]
    assert info.value.code == "ServiceException"
    assert info.value.message == "boom"
    assert isinstance(info.value, ServiceError)


def test_unmodeled_exception_event_is_a_generic_service_error(server: StreamServer) -> None:
    server.plan.append(events_script([exception_frame("WeirdFault", "odd")]))
    with pytest.raises(ServiceError) as info:
        make_client(server)._call(STREAM_OP, {"FunctionName": "f"})
    assert type(info.value) is ServiceError
    assert info.value.code == "WeirdFault"


@pytest.mark.parametrize("mode", ["default", "callback", "stream"])
def test_cut_mid_frame_is_truncated_and_never_retried(server: StreamServer, mode: str) -> None:
    server.plan.append(
        events_script([chunk_frame(b"ok"), chunk_frame(b"lost")], cut_inside_frame=1)
    )
    server.plan.append(events_script([chunk_frame(b"should never be asked for")]))
    client = make_client(server)
    got: list[dict] = []
    with pytest.raises(TruncatedStream):
        if mode == "default":
            client._call(STREAM_OP, {"FunctionName": "f"})
        elif mode == "callback":
            client._call(STREAM_OP, {"FunctionName": "f"}, on_event=got.append)
        else:
            for event in client._call(STREAM_OP, {"FunctionName": "f"}, stream=True)["EventStream"]:
                got.append(event)
    if mode != "default":
        assert got == [{"PayloadChunk": {"Payload": b"ok"}}]
    assert len(server.seen) == 1


def test_short_content_length_is_truncated(server: StreamServer) -> None:
    frame = chunk_frame(b"abc")
    server.plan.append(
        raw_script(
            200,
            frame + frame[:5],
            {"Content-Type": "application/vnd.amazon.eventstream"},
            declared=2 * len(frame),
        )
    )
    with pytest.raises(TruncatedStream):
        make_client(server, max_attempts=1)._call(STREAM_OP, {"FunctionName": "f"})


def test_retries_5xx_then_succeeds(server: StreamServer) -> None:
    server.plan += [
        error_script(500, "ServiceException", "try again"),
        error_script(503, "ServiceException", "try again"),
        events_script([chunk_frame(b"finally"), complete_frame()]),
    ]
    client = make_client(server)
    delays: list[float] = []
    client.retry_policy = RetryPolicy(max_attempts=3, sleep=delays.append, rand=lambda: 1.0)
    out = client._call(STREAM_OP, {"FunctionName": "f"})
    assert out["EventStream"] == [
        {"PayloadChunk": {"Payload": b"finally"}},
        {"InvokeComplete": {}},
    ]
    assert len(server.seen) == 3
    assert delays == [0.05, 0.1]
    # each attempt is signed afresh
    assert all("Authorization" in s.headers for s in server.seen)


def test_throttling_exhausts_attempts_and_raises_modeled_error(server: StreamServer) -> None:
    server.plan += [error_script(429, "TooManyRequestsException", "slow down")] * 2
    client = make_client(server, max_attempts=2)
    client.retry_policy = RetryPolicy(max_attempts=2, sleep=lambda s: None)
    with pytest.raises(ERRORS["TooManyRequestsException"]) as info:
        client._call(STREAM_OP, {"FunctionName": "f"})
    assert len(server.seen) == 2
    assert info.value.status_code == 429
    assert info.value.request_id == "req-err"


def test_client_errors_are_not_retried(server: StreamServer) -> None:
    server.plan.append(
        error_script(404, "ResourceNotFoundException", "Function not found", extra={"Type": "User"})
    )
    client = make_client(server)
    with pytest.raises(ERRORS["ResourceNotFoundException"]) as info:
        client._call(STREAM_OP, {"FunctionName": "nope"})
    err = info.value
    assert (err.code, err.message, err.status_code) == (
        "ResourceNotFoundException",
        "Function not found",
        404,
    )
    assert err.fields == {"Type": "User"}
    assert len(server.seen) == 1


def test_error_code_from_body_type(server: StreamServer) -> None:
    server.plan.append(error_script(400, "InvalidParameterValueException", "bad", header=False))
    with pytest.raises(ERRORS["InvalidParameterValueException"]):
        make_client(server)._call(STREAM_OP, {"FunctionName": "f"})


def test_invalid_params_send_nothing(server: StreamServer) -> None:
    with pytest.raises(ParamValidationError) as info:
        make_client(server)._call(
            STREAM_OP, {"FunctionName": "", "InvocationType": "Sync", "Bogus": 1}
        )
    text = str(info.value)
    assert "InvocationType: 'Sync' is not one of RequestResponse, DryRun" in text
    assert "Bogus: unknown parameter" in text
    assert "FunctionName: length 0 is below the minimum of 1" in text
    assert server.seen == []


def test_non_stream_operation_parses_json(server: StreamServer) -> None:
    body = (
        b'{"Configuration": {"FunctionName": "f", "CodeSize": 12, '
        b'"LastModified": "2024-01-02T03:04:05.000+0000", "Timeout": 3}, '
        b'"Tags": {"a": "b"}}'
    )
    server.plan.append(raw_script(200, body, {"Content-Type": "application/json"}))
    out = make_client(server)._call("GetFunction", {"FunctionName": "f"})
    assert list(out) == ["Configuration", "Tags"]
    conf = out["Configuration"]
    assert conf["FunctionName"] == "f" and conf["CodeSize"] == 12 and conf["Timeout"] == 3
    # Lambda models LastModified as a string shape, so it stays text
    assert conf["LastModified"] == "2024-01-02T03:04:05.000+0000"
    assert server.seen[0].method == "GET"


def test_invoke_blob_payload_round_trip(server: StreamServer) -> None:
    server.plan.append(
        raw_script(
            200,
            b'{"answer": 42}',
            {"X-Amz-Executed-Version": "$LATEST", "X-Amz-Function-Error": "Unhandled"},
        )
    )
    out = make_client(server)._call("Invoke", {"FunctionName": "f", "Payload": "text in"})
    assert out["Payload"] == b'{"answer": 42}'
    assert out["FunctionError"] == "Unhandled"
    assert out["StatusCode"] == 200
    assert server.seen[0].body == b"text in"


def test_stream_options_rejected_on_plain_operations(server: StreamServer) -> None:
    with pytest.raises(TypeError):
        make_client(server)._call("GetFunction", {"FunctionName": "f"}, stream=True)
    assert server.seen == []


def test_secrets_never_in_repr_or_errors(server: StreamServer) -> None:
    server.plan.append(error_script(403, "AccessDenied", "no"))
    client = make_client(server)
    with pytest.raises(ServiceError) as info:
        client._call(STREAM_OP, {"FunctionName": "f"})
    text = " ".join([repr(client), repr(client.config), str(info.value), repr(info.value)])
    assert SECRET_KEY not in text and SESSION_TOKEN not in text


def test_connection_refused_is_retried_then_raised() -> None:
    from pawscore import EndpointConnectionError

    client = LambdaTestClient(client_config("http://127.0.0.1:9"))
    calls: list[float] = []
    client.retry_policy = RetryPolicy(max_attempts=3, sleep=calls.append)
    with pytest.raises(EndpointConnectionError):
        client._call(STREAM_OP, {"FunctionName": "f"})
    assert len(calls) == 2


def test_truncated_plain_response_is_retried_whole(server: StreamServer) -> None:
    body = b'{"Configuration": {"FunctionName": "f"}}'
    server.plan += [
        raw_script(200, body[:10], {"Content-Type": "application/json"}, declared=len(body)),
        raw_script(200, body, {"Content-Type": "application/json"}),
    ]
    client = make_client(server)
    client.retry_policy = RetryPolicy(sleep=lambda s: None)
    out = client._call("GetFunction", {"FunctionName": "f"})
    assert out == {"Configuration": {"FunctionName": "f"}}
    assert len(server.seen) == 2


def test_success_body_that_does_not_fit_the_model_is_an_error(server: StreamServer) -> None:
    from pawscore import ResponseParseError

    server.plan.append(raw_script(200, b"<html>oops</html>", {"Content-Type": "text/html"}))
    with pytest.raises(ResponseParseError):
        make_client(server)._call("GetFunction", {"FunctionName": "f"})


def test_stalled_stream_times_out_as_a_typed_error(server: StreamServer) -> None:
    from pawscore import ReadTimeoutError

    release = threading.Event()

    def script(h) -> None:
        h.start_chunked()
        h.send_chunk(chunk_frame(b"first"))
        release.wait(timeout=10)
        h.cut()

    server.plan.append(script)
    got: list[dict] = []
    try:
        with pytest.raises(ReadTimeoutError):
            make_client(server, read_timeout=0.2)._call(
                STREAM_OP, {"FunctionName": "f"}, on_event=got.append
            )
    finally:
        release.set()
    assert got == [{"PayloadChunk": {"Payload": b"first"}}]
    assert len(server.seen) == 1


@pytest.mark.parametrize("mode", ["default", "stream"])
def test_empty_200_stream_is_truncated_not_an_empty_answer(server: StreamServer, mode: str) -> None:
    # Only DryRun (204) has no events; a 200 whose body is empty never sent the final
    # InvokeComplete, so it must not read as a complete, empty stream.
    server.plan.append(
        raw_script(
            200,
            b"",
            {
                "Content-Type": "application/vnd.amazon.eventstream",
                "X-Amz-Executed-Version": "$LATEST",
            },
        )
    )
    client = make_client(server)
    with pytest.raises(TruncatedStream):
        if mode == "stream":
            out = client._call(STREAM_OP, {"FunctionName": "f"}, stream=True)
            list(out["EventStream"])
        else:
            client._call(STREAM_OP, {"FunctionName": "f"})
    assert len(server.seen) == 1


def test_unparsable_stream_headers_close_the_response(
    server: StreamServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # When the 2xx headers of an event-stream answer do not fit the model, the body
    # is never read: the response (and its connection) must be closed, not leaked.
    import pawscore.client as client_module
    from pawscore import ResponseParseError
    from pawscore.http import HttpClient

    def broken_parse(*args: object, **kwargs: object) -> dict:
        raise ValueError("bad header")

    monkeypatch.setattr(client_module, "parse_response", broken_parse)
    sent = []
    real_send = HttpClient.send

    def recording_send(self, request, stream=True, deadline=None):  # type: ignore[no-untyped-def]
        response = real_send(self, request, stream, deadline)
        sent.append(response)
        return response

    monkeypatch.setattr(HttpClient, "send", recording_send)
    server.plan.append(events_script([chunk_frame(b"x"), complete_frame()]))
    with pytest.raises(ResponseParseError):
        make_client(server)._call(STREAM_OP, {"FunctionName": "f"})
    assert len(sent) == 1
    assert sent[0]._closed


@pytest.mark.parametrize("value", ["ctx\r\nX-Injected: 1", "secret-\u4e2d"])
def test_header_value_http_cannot_carry_is_a_param_error(server: StreamServer, value: str) -> None:
    # http.client refused these with a bare ValueError/UnicodeEncodeError that echoed
    # the value; it is invalid input, reported before anything is sent.
    with pytest.raises(ParamValidationError) as info:
        make_client(server)._call(STREAM_OP, {"FunctionName": "f", "ClientContext": value})
    assert info.value.problems[0].startswith("ClientContext: ")
    assert value not in str(info.value)
    assert server.seen == []
