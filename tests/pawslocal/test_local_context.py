"""What handlers see: context attributes, client context, per-invocation logs."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import pawslocal
from local_helpers import boto_client, events, payload_chunks


def _context(lam: Any, **kwargs: Any) -> dict[str, Any]:
    evs = events(lam.invoke_with_response_stream(FunctionName="context_info", **kwargs))
    return json.loads(payload_chunks(evs)[0])


def test_context_attributes(lam: Any) -> None:
    resp = lam.invoke_with_response_stream(FunctionName="context_info")
    info = json.loads(payload_chunks(events(resp))[0])
    assert info["function_name"] == "context_info"
    assert info["function_version"] == "$LATEST"
    assert info["invoked_function_arn"] == (
        "arn:aws:lambda:us-east-1:123456789012:function:context_info"
    )
    assert info["memory_limit_in_mb"] == "128"
    assert info["aws_request_id"] == resp["ResponseMetadata"]["RequestId"]
    assert 0 < info["remaining_ms"] <= 3000
    assert info["client_context"] is None


def test_client_context_is_decoded(lam: Any) -> None:
    cc = {"client": {"app_title": "t"}, "custom": {"k": "v"}, "env": {"locale": "en"}}
    encoded = base64.b64encode(json.dumps(cc).encode()).decode()
    assert _context(lam, ClientContext=encoded)["client_context"] == cc


def test_client_context_not_base64_json_is_rejected(lam: Any) -> None:
    for bad in ["not base64!!", base64.b64encode(b"[1, 2]").decode()]:
        try:
            lam.invoke_with_response_stream(FunctionName="context_info", ClientContext=bad)
        except lam.exceptions.InvalidRequestContentException as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        else:
            raise AssertionError(f"accepted client context {bad!r}")


def test_client_context_over_limit_is_rejected(lam: Any) -> None:
    big = base64.b64encode(json.dumps({"custom": {"x": "y" * 3000}}).encode()).decode()
    assert len(big) > 3583
    try:
        lam.invoke_with_response_stream(FunctionName="context_info", ClientContext=big)
    except lam.exceptions.InvalidParameterValueException as e:
        assert "3583" in e.response["Error"]["Message"]
    else:
        raise AssertionError("accepted an oversized client context")


def test_client_context_at_limit_is_accepted(lam: Any) -> None:
    # 2,685 bytes of JSON encode to 3,580 base64 characters, the most that fit.
    raw = json.dumps({"custom": {"x": "y" * (2685 - 21)}}).encode()
    encoded = base64.b64encode(raw).decode()
    assert len(encoded) == 3580
    assert _context(lam, ClientContext=encoded)["client_context"]["custom"]["x"].startswith("y")


def test_log_tail_is_last_4kb(lam: Any) -> None:
    resp = lam.invoke(FunctionName="logs", Payload=b'{"lines": 500}', LogType="Tail")
    log = base64.b64decode(resp["LogResult"])
    assert len(log) == 4096
    assert log.decode().rstrip("\n").split("\n")[-1].startswith("REPORT RequestId: ")
    assert b"START RequestId" not in log  # pushed out by the 500 lines


def test_logs_of_concurrent_invocations_do_not_mix() -> None:
    barrier = threading.Barrier(8, timeout=10)

    def talk(event: Any, context: Any) -> str:
        barrier.wait()
        for i in range(20):
            print(f"{event['who']} line {i}")
        return "ok"

    results: dict[str, str] = {}

    def call(who: str, base: str) -> None:
        resp = boto_client(base).invoke(
            FunctionName="talk", Payload=json.dumps({"who": who}), LogType="Tail"
        )
        results[who] = base64.b64decode(resp["LogResult"]).decode()

    with pawslocal.serve(functions={"talk": talk}) as base:
        threads = [threading.Thread(target=call, args=(f"w{i}", base)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == 8
    for who, log in results.items():
        mine = [line for line in log.splitlines() if " line " in line]
        assert mine == [f"{who} line {i}" for i in range(20)]
