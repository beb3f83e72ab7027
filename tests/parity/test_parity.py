"""R == Python == botocore for InvokeWithResponseStream, on the same emulator.

For each scenario the same function is called with botocore's own client, with
pawslambda (Python) and with pawslambda (R, in-process through rpy2). The R value is
converted with DESIGN.md's type table (tests/parity/rconvert.py) and all three must be
equal; botocore's ResponseMetadata is the only thing set aside.
"""

from __future__ import annotations

from typing import Any

import pawslocal
import pytest

from .parity_functions import BIG_CHUNK, CHUNK_COUNT, UTF8_TEXT
from .threeway import botocore_outcome, python_outcome, r_outcome

# (scenario id, keyword arguments of the call)
SCENARIOS: list[tuple[str, dict[str, Any]]] = [
    ("one-chunk", {"FunctionName": "one", "Payload": b'{"k": 1}'}),
    ("1000-chunks", {"FunctionName": "many", "Payload": b"{}"}),
    ("empty-chunks", {"FunctionName": "empty_chunks", "Payload": b"{}"}),
    ("5MB-chunk", {"FunctionName": "big", "Payload": b"{}"}),
    ("all-256-bytes", {"FunctionName": "all_bytes", "Payload": b"{}"}),
    ("utf8-text", {"FunctionName": "utf8", "Payload": b"{}"}),
    ("no-payload", {"FunctionName": "echo"}),
    ("qualifier-latest", {"FunctionName": "one", "Qualifier": "$LATEST", "Payload": b"{}"}),
    ("dry-run", {"FunctionName": "one", "InvocationType": "DryRun"}),
]

METHOD = "invoke_with_response_stream"


def _config(url: str) -> dict[str, Any]:
    return pawslocal.client_config(url)


@pytest.mark.parametrize(("scenario", "args"), SCENARIOS, ids=[s for s, _ in SCENARIOS])
def test_r_python_botocore_agree(emulator_url: str, scenario: str, args: dict[str, Any]) -> None:
    config = _config(emulator_url)
    expected = botocore_outcome(config, METHOD, args)
    assert "value" in expected, expected  # every scenario here is a success
    assert python_outcome(config, METHOD, args) == expected
    assert r_outcome(config, METHOD, args) == expected


def test_scenarios_return_what_the_functions_sent(emulator_url: str) -> None:
    """Guards the parity cases against all three clients agreeing on nothing."""

    def chunks(args: dict[str, Any]) -> list[bytes]:
        events = botocore_outcome(_config(emulator_url), METHOD, args)["value"]["EventStream"]
        return [e["PayloadChunk"]["Payload"] for e in events if "PayloadChunk" in e]

    assert len(chunks({"FunctionName": "many"})) == CHUNK_COUNT
    assert b"".join(chunks({"FunctionName": "big"})) == BIG_CHUNK
    assert b"".join(chunks({"FunctionName": "all_bytes"})) == bytes(range(256)) + b"\x00"
    assert b"".join(chunks({"FunctionName": "utf8"})).decode().split() == UTF8_TEXT.split()


def test_unknown_function_same_error_everywhere(emulator_url: str) -> None:
    args = {"FunctionName": "no-such-function", "Payload": b"{}"}
    config = _config(emulator_url)
    expected = botocore_outcome(config, METHOD, args)
    assert expected["error"]["code"] == "ResourceNotFoundException"
    assert expected["error"]["status_code"] == 404
    assert expected["error"]["message"]
    assert python_outcome(config, METHOD, args) == expected
    assert r_outcome(config, METHOD, args) == expected
