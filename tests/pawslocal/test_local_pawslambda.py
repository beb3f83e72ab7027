"""The project's Python client (pawslambda) against every fault: documented typed errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pawslambda
import pawslocal
import pytest
import tomllib
from local_helpers import CONFIG, FUNCTIONS
from pawscore.errors import (
    ChecksumMismatch,
    ReadTimeoutError,
    ServiceError,
    TruncatedStream,
)

N4 = b'{"n": 4, "size": 16}'
FAULTS = {
    "truncated": "truncate:after=2",
    "no-complete": "truncate:after=4:bytes=0",
    "error-event": "error:after=1:code=InternalFailure:message=oops",
    "throttled": "status:429:times=2",
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """An emulator with the example config plus a few extra faulted functions."""
    config = tomllib.loads(CONFIG.read_text())
    config["functions"].update({name: {"handler": "chunks"} for name in FAULTS})
    with pawslocal.serve(functions=FUNCTIONS, config=config, faults=FAULTS) as url:
        yield url


def _client(url: str, **extra: Any) -> Any:
    creds = pawslocal.DEFAULT_CREDENTIALS
    return pawslambda.client(
        config={
            "region": "us-east-1",
            "endpoint": url,
            "credentials": {
                "creds": {
                    "access_key_id": creds.access_key_id,
                    "secret_access_key": creds.secret_access_key,
                }
            },
            "max_attempts": extra.pop("max_attempts", 1),
            **extra,
        }
    )


def test_clean_stream(base: str) -> None:
    out = _client(base).invoke_with_response_stream(FunctionName="chunks", Payload=N4)
    assert out["StatusCode"] == 200
    assert len(out["EventStream"]) == 5
    assert out["EventStream"][-1] == {"InvokeComplete": {}}


@pytest.mark.parametrize(
    ("function", "error"),
    [
        ("stream-cut", TruncatedStream),
        ("truncated", TruncatedStream),
        ("no-complete", TruncatedStream),
        ("stream-badcrc", ChecksumMismatch),
    ],
)
def test_broken_streams_raise_typed_errors(base: str, function: str, error: type) -> None:
    delivered: list[dict[str, Any]] = []
    with pytest.raises(error):
        _client(base).invoke_with_response_stream(
            FunctionName=function, Payload=N4, on_event=delivered.append
        )
    # Events before the break were delivered, and nothing claims to be complete.
    assert delivered and all("InvokeComplete" not in e for e in delivered)


def test_exception_event_is_the_modeled_error(base: str) -> None:
    with pytest.raises(pawslambda.errors.ServiceException) as info:
        _client(base).invoke_with_response_stream(FunctionName="stream-exception", Payload=N4)
    assert info.value.code == "ServiceException"
    assert info.value.message == "Injected exception event"


def test_error_event_is_a_generic_service_error(base: str) -> None:
    with pytest.raises(ServiceError) as info:
        _client(base).invoke_with_response_stream(FunctionName="error-event", Payload=N4)
    assert info.value.code == "InternalFailure"
    assert info.value.message == "oops"


def test_stall_past_read_timeout(base: str) -> None:
    with pytest.raises(ReadTimeoutError):
        _client(base, read_timeout=0.3).invoke_with_response_stream(FunctionName="stream-stall")


def test_status_faults_are_retried_then_succeed(base: str) -> None:
    out = _client(base, max_attempts=3).invoke_with_response_stream(
        FunctionName="throttled", Payload=N4
    )
    assert out["EventStream"][-1] == {"InvokeComplete": {}}


def test_status_fault_without_retries(base: str) -> None:
    client = _client(base)
    with pytest.raises(pawslambda.errors.ServiceException) as info:
        client.invoke_with_response_stream(FunctionName="flaky")
    assert info.value.status_code == 503
    assert info.value.request_id


def test_function_errors_are_data(base: str) -> None:
    out = _client(base).invoke_with_response_stream(FunctionName="fail_midstream")
    assert [e["PayloadChunk"]["Payload"] for e in out["EventStream"][:2]] == [
        b"first\n",
        b"second\n",
    ]
    assert out["EventStream"][-1]["InvokeComplete"]["ErrorCode"] == "Unhandled"


def test_service_errors(base: str) -> None:
    with pytest.raises(pawslambda.errors.ResourceNotFoundException) as info:
        _client(base).invoke_with_response_stream(FunctionName="nope")
    assert info.value.status_code == 404
    with pytest.raises(pawslambda.errors.InvalidRequestContentException):
        _client(base).invoke_with_response_stream(FunctionName="echo", Payload=b"{oops")
