"""What handlers see and may be: Lambda's environment variables, async generators."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from typing import Any

import pawslocal
from local_helpers import REPO, boto_client, events

_ENV_KEYS = [
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "_HANDLER",
    "GREETING",
]


def _env(event: Any, context: Any) -> dict[str, str | None]:
    return {k: os.environ.get(k) for k in _ENV_KEYS}


async def _counting(event: Any, context: Any) -> AsyncIterator[str]:
    for i in range(int(event.get("n", 3))):
        await asyncio.sleep(0)
        yield f"part-{i};"


async def _failing(event: Any, context: Any) -> AsyncIterator[str]:
    yield "before;"
    raise RuntimeError("async boom")


_CONFIG = {
    "functions": {
        "env": {
            "memory": 256,
            "environment": {"GREETING": "hello", "AWS_REGION": "not-allowed"},
            "versions": ["1"],
        }
    }
}


def _payload(resp: dict[str, Any]) -> bytes:
    return b"".join(e["PayloadChunk"]["Payload"] for e in events(resp) if "PayloadChunk" in e)


def test_handler_sees_lambda_and_configured_variables() -> None:
    with pawslocal.serve(functions={"env": _env}, config=_CONFIG) as url:
        resp = boto_client(url).invoke(FunctionName="env", Qualifier="1")
    import json

    seen = json.loads(resp["Payload"].read())
    assert seen == {
        "AWS_LAMBDA_FUNCTION_NAME": "env",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/env",
        # reserved names keep Lambda's values even when the config tries to set them
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "_HANDLER": "env",
        "GREETING": "hello",
    }


def test_handler_variables_do_not_leak_to_other_threads() -> None:
    with pawslocal.serve(functions={"env": _env}, config=_CONFIG) as url:
        boto_client(url).invoke(FunctionName="env")
        assert "GREETING" not in os.environ
        seen: list[str | None] = []
        t = threading.Thread(target=lambda: seen.append(os.environ.get("GREETING")))
        t.start()
        t.join()
    assert seen == [None]


def test_environment_writes_still_reach_the_process(monkeypatch: Any) -> None:
    with pawslocal.serve(functions={"env": _env}, config=_CONFIG) as url:
        boto_client(url).invoke(FunctionName="env")
        monkeypatch.setenv("PAWSLOCAL_PROBE", "x")
        out = subprocess.run(
            [sys.executable, "-c", "import os; print(os.environ['PAWSLOCAL_PROBE'])"],
            capture_output=True,
            text=True,
            check=True,
        )
    assert out.stdout.strip() == "x"


def test_async_generator_handler_streams_each_item() -> None:
    with pawslocal.serve(functions={"counting": _counting}) as url:
        resp = boto_client(url).invoke_with_response_stream(
            FunctionName="counting", Payload=b'{"n": 4}'
        )
    evs = events(resp)
    assert [e["PayloadChunk"]["Payload"] for e in evs[:-1]] == [
        b"part-0;",
        b"part-1;",
        b"part-2;",
        b"part-3;",
    ]
    assert evs[-1] == {"InvokeComplete": {}}


def test_async_generator_failure_is_a_function_error() -> None:
    with pawslocal.serve(functions={"failing": _failing}) as url:
        resp = boto_client(url).invoke_with_response_stream(FunctionName="failing")
    evs = events(resp)
    assert evs[0] == {"PayloadChunk": {"Payload": b"before;"}}
    assert evs[-1]["InvokeComplete"]["ErrorCode"] == "Unhandled"
    assert "async boom" in evs[-1]["InvokeComplete"]["ErrorDetails"]


def test_console_script_is_declared() -> None:
    text = (REPO / "python" / "pyproject.toml").read_text()
    assert 'pawslocal = "pawslocal.__main__:main"' in text
