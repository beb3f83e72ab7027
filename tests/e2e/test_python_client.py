"""The generated Python client against a real emulator process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pawscore import ParamValidationError, ServiceError
from pawslambda import client
from pawslambda.errors import ResourceNotFoundException

from .conftest import Emulator


def test_default_call_returns_the_documented_shape(emulator: Emulator) -> None:
    resp = client(emulator.config).invoke_with_response_stream(FunctionName="three")
    assert list(resp) == [
        "StatusCode",
        "ExecutedVersion",
        "EventStream",
        "ResponseStreamContentType",
    ]
    assert resp["StatusCode"] == 200
    assert resp["ExecutedVersion"] == "$LATEST"
    assert resp["ResponseStreamContentType"] == "application/vnd.amazon.eventstream"
    assert resp["EventStream"] == [
        {"PayloadChunk": {"Payload": b"a"}},
        {"PayloadChunk": {"Payload": b"bb"}},
        {"PayloadChunk": {"Payload": b"ccc"}},
        {"InvokeComplete": {}},
    ]


def test_on_event_runs_as_each_event_arrives(emulator: Emulator, tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    seen: list[bytes] = []

    def on_event(event: dict) -> str:
        if "PayloadChunk" in event:
            seen.append(event["PayloadChunk"]["Payload"])
            flag.touch()  # the function waits for this before its second chunk
        return next(iter(event))

    resp = client(emulator.config).invoke_with_response_stream(
        FunctionName="handshake",
        Payload=json.dumps({"flag": str(flag)}).encode(),
        on_event=on_event,
    )
    assert seen == [b"first", b"after-signal"]
    assert resp["EventStream"] == ["PayloadChunk", "PayloadChunk", "InvokeComplete"]


def test_stream_true_is_a_lazy_iterator(emulator: Emulator, tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    resp = client(emulator.config).invoke_with_response_stream(
        FunctionName="handshake", Payload=json.dumps({"flag": str(flag)}).encode(), stream=True
    )
    payloads = []
    with resp["EventStream"] as events:
        for event in events:
            if "PayloadChunk" in event:
                payloads.append(event["PayloadChunk"]["Payload"])
                flag.touch()
    assert payloads == [b"first", b"after-signal"]


def test_stream_closed_early_leaves_the_client_usable(emulator: Emulator) -> None:
    svc = client(emulator.config)
    resp = svc.invoke_with_response_stream(FunctionName="three", stream=True)
    events = resp["EventStream"]
    assert next(iter(events)) == {"PayloadChunk": {"Payload": b"a"}}
    events.close()
    again = svc.invoke_with_response_stream(FunctionName="three")
    assert len(again["EventStream"]) == 4


def test_function_failure_is_data_not_an_error(emulator: Emulator) -> None:
    resp = client(emulator.config).invoke_with_response_stream(FunctionName="crash")
    assert resp["EventStream"][0] == {"PayloadChunk": {"Payload": b"partial"}}
    complete = resp["EventStream"][-1]["InvokeComplete"]
    assert complete["ErrorCode"] == "Unhandled"
    assert json.loads(complete["ErrorDetails"])["errorMessage"] == "boom"


def test_unknown_function_raises_the_modeled_error(emulator: Emulator) -> None:
    with pytest.raises(ResourceNotFoundException) as info:
        client(emulator.config).invoke_with_response_stream(FunctionName="nope")
    err = info.value
    assert isinstance(err, ServiceError)
    assert err.code == "ResourceNotFoundException"
    assert err.status_code == 404
    assert "nope" in err.message
    assert err.request_id


def test_bad_input_is_rejected_before_anything_is_sent(emulator: Emulator) -> None:
    svc = client(emulator.config)
    raised: list[BaseException] = []

    def bad_calls() -> None:
        with pytest.raises(ParamValidationError) as missing:
            svc.invoke_with_response_stream(FunctionName=None)  # type: ignore[arg-type]
        raised.append(missing.value)
        with pytest.raises(ParamValidationError, match="FunctionName: required parameter"):
            svc.invoke_with_response_stream()  # type: ignore[call-arg]
        with pytest.raises(ParamValidationError) as wrong:
            svc.invoke_with_response_stream(
                FunctionName=12,  # type: ignore[arg-type]
                InvocationType="Sync",
                LogType="Everything",
                Payload=1.5,  # type: ignore[arg-type]
            )
        raised.append(wrong.value)

    assert emulator.posts_between_markers(bad_calls) == []
    missing, wrong = raised
    assert "FunctionName" in str(missing)
    assert isinstance(wrong, ParamValidationError) and isinstance(wrong, ValueError)
    problems = "\n".join(wrong.problems)
    assert len(wrong.problems) == 4, problems
    for name in ("FunctionName", "InvocationType", "LogType", "Payload"):
        assert name in problems


def test_the_markers_do_see_requests(emulator: Emulator) -> None:
    """The check above could pass by never seeing anything; this one must see one POST."""
    svc = client(emulator.config)
    seen = emulator.posts_between_markers(lambda: svc.invoke_with_response_stream("three"))
    assert len(seen) == 1 and "/functions/three/" in seen[0]


def test_module_level_function_uses_the_environment(emulator: Emulator) -> None:
    creds = emulator.config["credentials"]["creds"]
    env = dict(
        os.environ,
        AWS_ENDPOINT_URL_LAMBDA=emulator.url,
        AWS_REGION="us-east-1",
        AWS_ACCESS_KEY_ID=creds["access_key_id"],
        AWS_SECRET_ACCESS_KEY=creds["secret_access_key"],
    )
    code = (
        "from pawslambda import lambda_invoke_with_response_stream as f\n"
        "r = f('hello', Payload=b'{}')\n"
        "print(r['StatusCode'], r['EventStream'][0]['PayloadChunk']['Payload'].decode())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    status, body = out.stdout.strip().split(" ", 1)
    assert status == "200"
    assert json.loads(body) == {"hello": "world", "version": "$LATEST"}
