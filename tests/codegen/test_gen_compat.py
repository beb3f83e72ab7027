"""Old positional calls keep working: Python clients generated from botocore 1.31.0 and 1.43.11."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from codegen_helpers import import_generated
from pawscore.eventstream import encode_message
from recording_server import Recorded, serve

CONFIG = {
    "region": "us-east-1",
    "credentials": {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}},
}

# AWS inserted members in the middle of these inputs, so model order moved later
# positional arguments; `python -m codegen diff` reports each as "inserted before".
MOVED_BY_AWS = {"Invoke", "UpdateEventSourceMapping"}


@pytest.fixture(scope="module")
def both(lambda_old: tuple[Path, Path], lambda_new: tuple[Path, Path]):
    return import_generated(lambda_old[0], "pawslambda_old"), import_generated(
        lambda_new[0], "pawslambda_new"
    )


def _positional(fn: object) -> list[str]:
    params = inspect.signature(fn).parameters.values()
    return [
        p.name
        for p in params
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.name != "self"
    ]


def test_old_positional_arguments_are_a_prefix_of_the_new(both) -> None:
    old, new = both
    broken = set()
    old_names = [n for n in old.__all__ if n.startswith("lambda_")]
    assert len(old_names) == 66
    for name in old_names:
        before, after = _positional(getattr(old, name)), _positional(getattr(new, name))
        if after[: len(before)] != before:
            broken.add(name)
    assert {n.removeprefix("lambda_") for n in broken} == {"invoke", "update_event_source_mapping"}
    new_iwrs = _positional(new.lambda_invoke_with_response_stream)
    assert new_iwrs[-1] == "TenantId"
    assert new_iwrs[:-1] == _positional(old.lambda_invoke_with_response_stream)


def _events() -> bytes:
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": "PayloadChunk",
            ":content-type": "application/octet-stream",
        },
        b'{"ok": true}',
    ) + encode_message(
        {
            ":message-type": "event",
            ":event-type": "InvokeComplete",
            ":content-type": "application/json",
        },
        b'{"LogResult": "bG9n"}',
    )


def _reply(rec: Recorded) -> tuple[int, dict[str, str], bytes]:
    if rec.path.endswith("/response-streaming-invocations"):
        return (
            200,
            {"Content-Type": "application/vnd.amazon.eventstream", "X-Amz-Executed-Version": "1"},
            _events(),
        )
    return 200, {"Content-Type": "application/json"}, b'{"Configuration": {"FunctionName": "f"}}'


def test_same_positional_call_sends_the_same_request_and_gets_the_same_data(both) -> None:
    args = ("my-function", "RequestResponse", "Tail", "e30=", "1", b'{"k": 1}')
    results, requests = [], []
    for module in both:
        with serve(_reply) as (url, seen):
            svc = module.client({**CONFIG, "endpoint": url})
            results.append(svc.invoke_with_response_stream(*args))
            results.append(svc.get_function("my-function", "1"))
        requests.append(
            [
                (
                    r.method,
                    r.path,
                    r.query,
                    r.body,
                    r.headers.get("x-amz-log-type"),
                    r.headers.get("x-amz-invocation-type"),
                    r.headers.get("x-amz-client-context"),
                )
                for r in seen
            ]
        )
    assert requests[0] == requests[1]
    assert requests[0][0] == (
        "POST",
        "/2021-11-15/functions/my-function/response-streaming-invocations",
        "Qualifier=1",
        b'{"k": 1}',
        "Tail",
        "RequestResponse",
        "e30=",
    )
    assert results[0] == results[2] and results[1] == results[3]
    assert results[0]["EventStream"] == [
        {"PayloadChunk": {"Payload": b'{"ok": true}'}},
        {"InvokeComplete": {"LogResult": "bG9n"}},
    ]
    assert results[0]["StatusCode"] == 200 and results[0]["ExecutedVersion"] == "1"
