"""Bedrock runtime streaming: botocore == Python == R on identical event-stream bytes.

The clients are the committed packages (``python/pawsbedrockruntime``,
``r/pawsbedrockruntime``, generated from the pinned model). A raw server process answers each call with scripted frames; the
three clients read the same bytes. ConverseStream and InvokeModelWithResponseStream
stream in all three modes (list, callback, Python ``stream=True``), an exception event
(``modelStreamErrorException``, ``throttlingException``) becomes the modeled error
class, and the input event stream operation is left out by the generator.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pawsbedrockruntime
import pytest
from botocore.exceptions import EventStreamError
from parity import rconvert
from parity.generated import ROOT, r_call
from parity.threeway import to_r
from pawscore import ServiceError
from pawscore.eventstream import encode_message
from rpy2 import robjects as ro

MODEL = ROOT / "models" / "bedrock-runtime" / "2023-09-30" / "service-2.json"
KEYS = {"access_key_id": "AKIDBEDROCKTEST", "secret_access_key": "bedrock-test-secret"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, folder of scripted answers) of a raw event-stream server process."""
    folder = tmp_path_factory.mktemp("frames")
    port = _free_port()
    script = Path(__file__).with_name("rawserver.py")
    proc = subprocess.Popen([sys.executable, str(script), str(folder), str(port)])
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("raw server did not start") from None
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", folder
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def event(kind: str, body: dict[str, Any]) -> bytes:
    headers = {":message-type": "event", ":event-type": kind, ":content-type": "application/json"}
    return encode_message(headers, json.dumps(body).encode())


def exception(kind: str, body: dict[str, Any]) -> bytes:
    headers = {
        ":message-type": "exception",
        ":exception-type": kind,
        ":content-type": "application/json",
    }
    return encode_message(headers, json.dumps(body).encode())


CONVERSE = [
    event("messageStart", {"role": "assistant"}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Bon"}, "p": "ab"}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "jour \u00e9"}}),
    event("contentBlockStop", {"contentBlockIndex": 0}),
    event("messageStop", {"stopReason": "end_turn"}),
    event(
        "metadata",
        {
            "usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
            "metrics": {"latencyMs": 42},
        },
    ),
]
CHUNKS = [
    event("chunk", {"bytes": base64.b64encode(b'{"completion": "Hel"}').decode()}),
    event("chunk", {"bytes": base64.b64encode(b'{"completion": "lo"}').decode()}),
]
STREAM_ERROR = exception(
    "modelStreamErrorException",
    {"message": "model failed", "originalStatusCode": 500, "originalMessage": "boom"},
)
THROTTLED = exception("throttlingException", {"message": "slow down"})


class Clients:
    """The three clients of one server."""

    def __init__(self, url: str, folder: Path) -> None:
        self.folder = folder
        self.module = pawsbedrockruntime
        self.api = self.module._api.API
        self.config = {"region": "us-east-1", "endpoint": url, "credentials": {"creds": KEYS}}
        self.paws = self.module.client(self.config)
        self.boto = boto3.client(
            "bedrock-runtime",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id=KEYS["access_key_id"],
            aws_secret_access_key=KEYS["secret_access_key"],
        )

    def script(self, model_id: str, frames: list[bytes]) -> None:
        (self.folder / f"{model_id}.bin").write_bytes(b"".join(frames))


@pytest.fixture(scope="module")
def clients(server: tuple[str, Path]) -> Clients:
    return Clients(*server)


CONVERSE_ARGS: dict[str, Any] = {"messages": [{"role": "user", "content": [{"text": "Hi"}]}]}


def _botocore_events(response: dict[str, Any], member: str) -> dict[str, Any]:
    try:
        return {"events": list(response[member])}
    except EventStreamError as err:
        return {"error": (err.response["Error"]["Code"], err.response["Error"]["Message"])}


def _r(clients: Clients, method: str, callback: bool, **args: Any) -> Any:
    r_args = {k: to_r(v) for k, v in args.items()}
    if callback:
        # The callback's return values make up the stream; each event comes back whole.
        r_args[".on_event"] = ro.r("function(event) event")
    return r_call("pawsbedrockruntime", "bedrockruntime", clients.config, method,
                  ro.vectors.ListVector(r_args))  # fmt: skip


def _r_events(clients: Clients, result: Any, output: str, member: str) -> list[dict[str, Any]]:
    assert list(result.names) == ["value"], result
    value = rconvert.to_python(clients.api, output, result.rx2("value"))
    events: list[dict[str, Any]] = value[member]
    return events


@pytest.mark.parametrize(
    ("method", "output", "member", "frames"),
    [
        ("converse_stream", "ConverseStreamResponse", "stream", CONVERSE),
        (
            "invoke_model_with_response_stream",
            "InvokeModelWithResponseStreamResponse",
            "body",
            CHUNKS,
        ),
    ],
)
def test_streams_agree_in_every_mode(
    clients: Clients, method: str, output: str, member: str, frames: list[bytes]
) -> None:
    model_id = f"{method}-ok"
    clients.script(model_id, frames)
    args = {
        "modelId": model_id,
        **(CONVERSE_ARGS if method == "converse_stream" else {"body": b"{}"}),
    }
    expected = _botocore_events(getattr(clients.boto, method)(**args), member)
    assert len(expected["events"]) == len(frames)

    call = getattr(clients.paws, method)
    assert call(**args)[member] == expected["events"]
    seen: list[dict[str, Any]] = []
    collected = call(**args, on_event=lambda e: seen.append(e) or len(seen))
    assert seen == expected["events"]
    assert collected[member] == list(range(1, len(frames) + 1))
    with call(**args, stream=True)[member] as lazy:
        assert list(lazy) == expected["events"]

    for callback in (False, True):
        result = _r(clients, method, callback, **args)
        assert _r_events(clients, result, output, member) == expected["events"]


@pytest.mark.parametrize(
    ("frames", "code", "cls", "message", "fields"),
    [
        ([*CONVERSE[:2], STREAM_ERROR], "modelStreamErrorException", "ModelStreamErrorException",
         "model failed", {"originalStatusCode": 500, "originalMessage": "boom"}),
        ([THROTTLED], "throttlingException", "ThrottlingException", "slow down", {}),
    ],
)  # fmt: skip
def test_exception_events_are_the_modeled_errors(
    clients: Clients,
    frames: list[bytes],
    code: str,
    cls: str,
    message: str,
    fields: dict[str, Any],
) -> None:
    model_id = f"converse-{code}"
    clients.script(model_id, frames)
    args = {"modelId": model_id, **CONVERSE_ARGS}
    assert _botocore_events(clients.boto.converse_stream(**args), "stream") == {
        "error": (code, message)
    }

    with pytest.raises(ServiceError) as info:
        clients.paws.converse_stream(**args)
    assert type(info.value).__name__ == cls
    assert type(info.value) is getattr(clients.module.errors, cls)
    assert (info.value.code, info.value.message, info.value.fields) == (code, message, fields)
    # Lazily, the events before the exception arrive first.
    got = []
    with pytest.raises(getattr(clients.module.errors, cls)):
        for item in clients.paws.converse_stream(**args, stream=True)["stream"]:
            got.append(item)
    assert len(got) == len(frames) - 1

    for callback in (False, True):
        result = _r(clients, "converse_stream", callback, **args)
        assert list(result.names) == ["error"]
        err = result.rx2("error")
        assert list(err.rx2("class"))[:3] == [code, cls, "paws_service_error"]
        assert (err.rx2("code")[0], err.rx2("message")[0]) == (code, message)
        r_fields = err.rx2("fields")
        names = list(r_fields.names) if len(r_fields) else []
        assert {n: r_fields.rx2(n)[0] for n in names} == fields


def test_input_event_streams_are_left_out(tmp_path: Path) -> None:
    # The committed packages lack the operation in both languages...
    api = pawsbedrockruntime._api.API
    assert "InvokeModelWithBidirectionalStream" not in api["operations"]
    assert "InvokeModelWithResponseStream" in api["operations"]
    assert not hasattr(pawsbedrockruntime.client(), "invoke_model_with_bidirectional_stream")
    assert not ro.r(
        'exists("bedrockruntime_invoke_model_with_bidirectional_stream", '
        'envir = asNamespace("pawsbedrockruntime"))'
    )[0]
    assert ro.r(
        'exists("bedrockruntime_invoke_model_with_response_stream", '
        'envir = asNamespace("pawsbedrockruntime"))'
    )[0]

    # ...the generator says so when it writes them...
    def generate(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "codegen", "generate", "--model", str(MODEL), *extra,
             "--python-out", str(out / "py"), "--r-out", str(out / "r")],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip

    proc = generate(tmp_path / "all")
    assert proc.returncode == 0, proc.stderr
    assert "left out InvokeModelWithBidirectionalStream: input event streams" in proc.stderr
    # ...and refuses to write it when asked for by name.
    proc = generate(tmp_path / "one", "--operations", "InvokeModelWithBidirectionalStream")
    assert proc.returncode != 0
    assert "InvokeModelWithBidirectionalStream" in proc.stderr
    assert "input event streams" in proc.stderr
    assert not (tmp_path / "one").exists()
