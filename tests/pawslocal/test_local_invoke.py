"""Invoke (buffered), DryRun, Event, function errors and timeouts, via boto3."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import pawslocal
from local_helpers import boto_client, events, payload_chunks


def test_invoke_returns_payload_and_version(lam: Any) -> None:
    resp = lam.invoke(FunctionName="hello", Payload=b'{"name": "Py"}')
    assert resp["StatusCode"] == 200
    assert resp["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in resp
    assert json.loads(resp["Payload"].read())["message"] == "Hello, Py!"


def test_invoke_concatenates_a_generator(lam: Any) -> None:
    resp = lam.invoke(FunctionName="stream", Payload=b'{"n": 3, "delay": 0}')
    assert resp["Payload"].read() == b"chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n"


def test_invoke_function_error_sets_header(lam: Any) -> None:
    resp = lam.invoke(FunctionName="fail", Payload=b'{"message": "boom"}')
    assert resp["StatusCode"] == 200
    assert resp["FunctionError"] == "Unhandled"
    body = json.loads(resp["Payload"].read())
    assert body["errorMessage"] == "boom"
    assert body["errorType"] == "ValueError"
    assert any("in fail" in line for line in body["stackTrace"])


def test_invoke_log_tail(lam: Any) -> None:
    resp = lam.invoke(FunctionName="logs", Payload=b'{"lines": 2}', LogType="Tail")
    log = base64.b64decode(resp["LogResult"]).decode()
    request_id = resp["ResponseMetadata"]["RequestId"]
    assert log.startswith(f"START RequestId: {request_id} Version: $LATEST\n")
    assert f"log line 1 from {request_id}\n" in log
    assert f"log line 2 from {request_id}\n" in log
    assert "[INFO]\t" in log and "logged through the logging module" in log
    assert f"END RequestId: {request_id}\n" in log
    assert f"REPORT RequestId: {request_id}\tDuration: " in log
    assert "Memory Size: 128 MB" in log


def test_invoke_without_tail_has_no_log(lam: Any) -> None:
    resp = lam.invoke(FunctionName="logs")
    assert "LogResult" not in resp


def test_dry_run_is_204_without_body(lam: Any) -> None:
    resp = lam.invoke(FunctionName="hello", InvocationType="DryRun")
    assert resp["StatusCode"] == 204
    assert resp["Payload"].read() == b""
    stream = lam.invoke_with_response_stream(FunctionName="hello", InvocationType="DryRun")
    assert stream["StatusCode"] == 204
    assert events(stream) == []


def test_event_invocation_runs_in_background() -> None:
    ran = threading.Event()

    def note(event: Any, context: Any) -> None:
        ran.set()

    with pawslocal.serve(functions={"note": note}) as base:
        resp = boto_client(base).invoke(FunctionName="note", InvocationType="Event")
        assert resp["StatusCode"] == 202
        assert ran.wait(10)


def test_stream_handler_failing_before_first_chunk(lam: Any) -> None:
    evs = events(lam.invoke_with_response_stream(FunctionName="fail"))
    assert len(evs) == 1
    complete = evs[0]["InvokeComplete"]
    assert complete["ErrorCode"] == "Unhandled"
    details = json.loads(complete["ErrorDetails"])
    assert details["errorType"] == "ValueError"
    assert details["errorMessage"] == "this function always fails"
    assert isinstance(details["stackTrace"], list) and details["stackTrace"]
    assert all("pawslocal" not in line for line in details["stackTrace"])


def test_stream_handler_failing_midstream_keeps_sent_chunks(lam: Any) -> None:
    evs = events(lam.invoke_with_response_stream(FunctionName="fail_midstream", LogType="Tail"))
    assert payload_chunks(evs) == [b"first\n", b"second\n"]
    complete = evs[-1]["InvokeComplete"]
    assert complete["ErrorCode"] == "Unhandled"
    assert json.loads(complete["ErrorDetails"])["errorType"] == "RuntimeError"
    log = base64.b64decode(complete["LogResult"]).decode()
    assert "[ERROR] RuntimeError: failed after two chunks" in log


def test_stream_timeout_ends_with_timeout_error(lam: Any) -> None:
    # examples/pawslocal.toml gives `slow` a 1 s timeout; it sleeps 10 s.
    evs = events(
        lam.invoke_with_response_stream(
            FunctionName="slow", Payload=b'{"sleep": 10}', LogType="Tail"
        )
    )
    assert payload_chunks(evs) == [b"started\n"]
    complete = evs[-1]["InvokeComplete"]
    assert complete["ErrorCode"] == "Sandbox.Timedout"
    details = json.loads(complete["ErrorDetails"])
    assert details["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in details["errorMessage"]
    log = base64.b64decode(complete["LogResult"]).decode()
    assert "Task timed out after 1.00 seconds" in log and "Status: timeout" in log


def test_invoke_timeout(lam: Any) -> None:
    resp = lam.invoke(FunctionName="slow", Payload=b'{"sleep": 10}')
    assert resp["FunctionError"] == "Unhandled"
    body = json.loads(resp["Payload"].read())
    assert body["errorType"] == "Sandbox.Timedout"


def test_invoke_response_over_6mb_is_function_error() -> None:
    with pawslocal.serve(functions={"huge": lambda e, c: b"x" * (7 * 1024 * 1024)}) as base:
        resp = boto_client(base).invoke(FunctionName="huge")
    assert resp["FunctionError"] == "Unhandled"
    assert json.loads(resp["Payload"].read())["errorType"] == "Function.ResponseSizeTooLarge"
