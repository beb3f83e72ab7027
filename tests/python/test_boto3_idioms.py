"""boto3 habits that carry over: ``e.response``, ``client.exceptions``, payload helpers.

Each check runs the same call through boto3 and pawslambda against one pawslocal
emulator and compares what an ``except`` block or a payload reader would see.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pawscore
import pawslambda
import pawslocal
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from pawslocal.functions import load_handlers

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "examples" / "functions.py"

# "é" (2 bytes), "€" (3 bytes) and "😀" (4 bytes) each cut between two events.
SPLIT_PIECES = [b"caf\xc3", b"\xa9 \xe2\x82", b"\xac \xf0\x9f", b"\x98\x80!"]


def _split(event: Any, context: Any) -> Iterator[bytes]:
    yield from SPLIT_PIECES


def _json_pieces(event: Any, context: Any) -> Iterator[bytes]:
    yield b'{"answer": '
    yield b"42, "
    yield b'"items": [1, 2]}'


def _latin1(event: Any, context: Any) -> Iterator[bytes]:
    yield b"ok \xff"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    funcs = load_handlers(FUNCTIONS)
    funcs.update({"split": _split, "jsonpieces": _json_pieces, "latin1": _latin1})
    with pawslocal.serve(functions=funcs) as base:
        yield base


@pytest.fixture(scope="module")
def svc(url: str) -> pawslambda.LambdaClient:
    return pawslambda.client(pawslocal.client_config(url))


@pytest.fixture(scope="module")
def boto(url: str) -> Any:
    creds = pawslocal.DEFAULT_CREDENTIALS
    # boto3 on the pinned model (models/ first on botocore's search path): both clients
    # then know the same errors whatever botocore is installed.
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, str(ROOT / "models"))
    return boto3.Session(botocore_session=session).client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=creds.access_key_id,
        aws_secret_access_key=creds.secret_access_key,
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )


def test_error_response_matches_boto3(svc: Any, boto: Any) -> None:
    with pytest.raises(ClientError) as theirs:
        boto.invoke_with_response_stream(FunctionName="no-such-function")
    with pytest.raises(pawscore.ServiceError) as ours:
        svc.invoke_with_response_stream(FunctionName="no-such-function")
    want, got = theirs.value.response, ours.value.response
    assert got["Error"] == {"Code": want["Error"]["Code"], "Message": want["Error"]["Message"]}
    assert got["Error"]["Code"] == "ResourceNotFoundException"
    meta = got["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == want["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert meta["RequestId"] == ours.value.request_id
    # modelled members sit at the top level, as boto3 puts them
    assert got.get("Type") == want.get("Type")


def test_exceptions_namespace_has_every_modelled_error(svc: Any, boto: Any) -> None:
    ours = {n for n in vars(svc.exceptions) if n != "ClientError"}
    theirs = {n for n in dir(boto.exceptions) if n[0].isupper() and n != "ClientError"}
    assert ours == {c.__name__ for c in pawslambda.errors.ERRORS.values()}
    assert ours == theirs
    assert svc.exceptions.ClientError is pawscore.ServiceError
    with pytest.raises(svc.exceptions.ResourceNotFoundException):
        svc.invoke_with_response_stream(FunctionName="no-such-function")


def test_payload_text_joins_characters_split_across_events(svc: Any) -> None:
    resp = svc.invoke_with_response_stream(FunctionName="split")
    pieces = [e["PayloadChunk"]["Payload"] for e in resp["EventStream"] if "PayloadChunk" in e]
    assert pieces == SPLIT_PIECES  # the characters really are cut on the wire
    assert pawscore.payload_bytes(resp) == b"".join(SPLIT_PIECES)
    assert pawscore.payload_text(resp) == "café € 😀!"
    with svc.invoke_with_response_stream(FunctionName="split", stream=True)[
        "EventStream"
    ] as events:
        assert list(pawscore.iter_text(events)) == ["caf", "é ", "€ ", "😀!"]


def test_payload_json_parses_the_joined_payload(svc: Any) -> None:
    resp = svc.invoke_with_response_stream(FunctionName="jsonpieces")
    assert pawscore.payload_json(resp) == {"answer": 42, "items": [1, 2]}
    assert pawscore.payload_json(resp["EventStream"]) == json.loads(pawscore.payload_text(resp))


def test_payload_text_rejects_invalid_utf8_with_a_typed_error(svc: Any) -> None:
    resp = svc.invoke_with_response_stream(FunctionName="latin1")
    assert pawscore.payload_bytes(resp) == b"ok \xff"
    with pytest.raises(pawscore.ResponseParseError, match="not valid UTF-8"):
        pawscore.payload_text(resp)
    with pytest.raises(pawscore.ResponseParseError, match="not valid UTF-8"):
        pawscore.payload_json(resp)
    text = svc.invoke_with_response_stream(FunctionName="split")
    with pytest.raises(pawscore.ResponseParseError, match="not JSON"):
        pawscore.payload_json(text)


def test_function_error_is_data_in_invoke_complete(svc: Any) -> None:
    resp = svc.invoke_with_response_stream(FunctionName="fail")
    complete = resp["EventStream"][-1]["InvokeComplete"]
    assert complete["ErrorCode"] == "Unhandled"
    assert json.loads(complete["ErrorDetails"])["errorType"]


def _endless(event: Any, context: Any) -> Iterator[bytes]:
    n = 0
    while True:
        yield f"chunk-{n};".encode()
        n += 1
        time.sleep(0.005)


def test_stop_stream_from_a_callback_returns_what_was_read(url: str) -> None:
    funcs = {"endless": _endless, "three": lambda e, c: iter([b"a", b"bb", b"ccc"])}
    with pawslocal.serve(functions=funcs) as base:
        svc = pawslambda.client(pawslocal.client_config(base))

        def first_three(event: dict[str, Any]) -> str:
            text = event["PayloadChunk"]["Payload"].decode()
            if text == "chunk-2;":
                pawscore.stop_stream(text.upper())
            return text

        resp = svc.invoke_with_response_stream(FunctionName="endless", on_event=first_three)
        assert resp["StatusCode"] == 200
        assert resp["EventStream"] == ["chunk-0;", "chunk-1;", "CHUNK-2;"]
        assert isinstance(resp["EventStream"], pawscore.StoppedEvents)
        assert resp["EventStream"].stopped is True
        again = svc.invoke_with_response_stream(FunctionName="three")
        assert not getattr(again["EventStream"], "stopped", False)
        assert len(again["EventStream"]) == 4
