"""Old positional calls keep working: code generated from botocore 1.31.0 and from newer models.

AWS inserted members in the middle of two inputs since 1.31.0 (`DurableExecutionName`
before `Payload` in Invoke; two Kafka configs before `DocumentDBEventSourceConfig` in
UpdateEventSourceMapping). The argument-order lock keeps the published order, so the
same positional call sends the same request with old and new code, in Python and in R.
The 1.31.0 fixture has no lock: its code is pure model order, exactly what a user of the
older package has.

Every check runs twice, against fixture models only (never the pinned model's contents):
``mid`` is botocore 1.43.11 with the lock published then; ``next`` is a newer model
generated into a temporary folder with the lock `make update-model` would make from it,
so the next model update is known to be safe before it is made.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
from pathlib import Path

import pytest
from codegen_helpers import MID_MODEL, NEW_MODEL, NEXT_MODEL, import_generated, load_json
from pawscore.eventstream import encode_message
from recording_server import Recorded, serve

from codegen.argorder import LOCK_NAME, merge_lock, model_arguments, read_lock

CONFIG = {
    "region": "us-east-1",
    "credentials": {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}},
}

# Headers that differ from call to call whatever the arguments (time, signature).
_VOLATILE = {"authorization", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request"}

# The same positional arguments for both generations, in Python ...
DDB = {"DatabaseName": "db", "CollectionName": "coll", "FullDocument": "UpdateLookup"}
ESM_UUID = "3f1c6a7e-1b1e-4a5e-9d1a-2b3c4d5e6f70"
PY_CALLS = {
    "invoke": ("my-function", "RequestResponse", "Tail", "e30=", b'{"k": 1}', "1"),
    "invoke_with_response_stream": (
        "my-function",
        "RequestResponse",
        "Tail",
        "e30=",
        "2",
        b'{"k": 2}',
    ),
    "update_event_source_mapping": (
        ESM_UUID,
        "my-function",
        True,
        100,
        {"Filters": [{"Pattern": '{"a": [1]}'}]},
        5,
        {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:dlq"}},
        3600,
        True,
        2,
        3,
        [{"Type": "BASIC_AUTH", "URI": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s"}],
        60,
        ["ReportBatchItemFailures"],
        {"MaximumConcurrency": 5},
        DDB,
    ),
}

# ... and in R (the same values, R's way).
R_CALLS = {
    "invoke": "'my-function', 'RequestResponse', 'Tail', 'e30=', '{\"k\": 1}', '1'",
    "invoke_with_response_stream": (
        "'my-function', 'RequestResponse', 'Tail', 'e30=', '2', '{\"k\": 2}'"
    ),
    "update_event_source_mapping": (
        f"'{ESM_UUID}', 'my-function', TRUE, 100L, "
        "list(Filters = list(list(Pattern = '{\"a\": [1]}'))), "
        "5L, list(OnFailure = list(Destination = 'arn:aws:sqs:us-east-1:123456789012:dlq')), "
        "3600L, TRUE, 2L, 3L, list(list(Type = 'BASIC_AUTH', "
        "URI = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s')), 60L, "
        "list('ReportBatchItemFailures'), list(MaximumConcurrency = 5L), "
        "list(DatabaseName = 'db', CollectionName = 'coll', FullDocument = 'UpdateLookup')"
    ),
}


ESM_REPLY = json.dumps({"UUID": ESM_UUID, "State": "Updating"}).encode()


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
            {"Content-Type": "application/vnd.amazon.eventstream", "X-Amz-Executed-Version": "2"},
            _events(),
        )
    if rec.path.endswith("/invocations"):
        return 200, {"X-Amz-Executed-Version": "1", "X-Amz-Log-Result": "bG9n"}, b'{"ok": 1}'
    return 202, {"Content-Type": "application/json"}, ESM_REPLY


def _body(request: Recorded) -> object:
    """A JSON body parsed (AWS may reorder a structure's members between models: the
    request means the same whatever the key order), any other body as its bytes."""
    if request.headers.get("content-type", "").startswith("application/json") and request.body:
        return json.loads(request.body)
    return request.body


def _wire(requests: list[Recorded]) -> list[tuple]:
    """What a request carries that the arguments decide."""
    return [
        (
            r.method,
            r.path,
            r.query,
            _body(r),
            sorted((k, v) for k, v in r.headers.items() if k not in _VOLATILE),
        )
        for r in requests
    ]


def _check_requests(wire: list[tuple]) -> None:
    """The arguments reached the members a 1.31.0 user meant."""
    invoke, stream, esm = wire
    assert invoke[:4] == (
        "POST",
        "/2015-03-31/functions/my-function/invocations",
        "Qualifier=1",
        b'{"k": 1}',
    )
    assert stream[:4] == (
        "POST",
        "/2021-11-15/functions/my-function/response-streaming-invocations",
        "Qualifier=2",
        b'{"k": 2}',
    )
    for headers in (dict(invoke[4]), dict(stream[4])):
        assert headers["x-amz-invocation-type"] == "RequestResponse"
        assert headers["x-amz-log-type"] == "Tail"
        assert headers["x-amz-client-context"] == "e30="
        assert "x-amz-durable-execution-name" not in headers
    assert esm[:3] == ("PUT", f"/2015-03-31/event-source-mappings/{ESM_UUID}", "")
    body = esm[3]
    assert body["DocumentDBEventSourceConfig"] == DDB
    assert body["ScalingConfig"] == {"MaximumConcurrency": 5}
    assert len(body) == 15 and "AmazonManagedKafkaEventSourceConfig" not in body


MODELS = {"mid": MID_MODEL, "next": NEXT_MODEL}


@pytest.mark.parametrize("which", MODELS)
def test_the_new_model_moved_members_and_the_lock_keeps_the_old_order(which: str) -> None:
    """The tests below are only meaningful while model order would break old calls."""
    model = load_json(MODELS[which])
    new_order = model_arguments(model)
    assert new_order["Invoke"].index("DurableExecutionName") < new_order["Invoke"].index("Payload")
    esm = new_order["UpdateEventSourceMapping"]
    assert esm.index("AmazonManagedKafkaEventSourceConfig") < esm.index(
        "DocumentDBEventSourceConfig"
    )
    lock = read_lock(MID_MODEL.with_name(LOCK_NAME))
    assert lock is not None
    assert lock["Invoke"][4:] == ["Payload", "Qualifier", "DurableExecutionName", "TenantId"]
    # Extending the published lock with this model drops nothing.
    merged, warnings = merge_lock(lock, model)
    assert warnings == []
    assert all(merged[op][: len(names)] == names for op, names in lock.items())


def test_the_committed_lock_is_current_for_the_pinned_model() -> None:
    lock = read_lock(NEW_MODEL.with_name(LOCK_NAME))
    assert lock is not None
    assert merge_lock(lock, load_json(NEW_MODEL)) == (lock, [])


@pytest.fixture(scope="module", params=["lambda_mid", "lambda_next"])
def new_out(request: pytest.FixtureRequest) -> tuple[Path, Path, dict]:
    """(Python dir, R dir, model) of one newer generation."""
    python_dir, r_dir = request.getfixturevalue(request.param)
    model = MID_MODEL if request.param == "lambda_mid" else NEXT_MODEL
    return python_dir, r_dir, load_json(model)


@pytest.fixture(scope="module")
def both(lambda_old: tuple[Path, Path], new_out: tuple[Path, Path, dict]):
    name = f"pawslambda_new_{id(new_out)}"
    return import_generated(lambda_old[0], "pawslambda_old"), import_generated(new_out[0], name)


def _params(fn: object, kind: inspect._ParameterKind) -> list[str]:
    return [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind is kind and p.name != "self"
    ]


def test_old_python_signatures_are_kept_by_the_new(both) -> None:
    old, new = both
    old_names = [n for n in old.__all__ if n.startswith("lambda_")]
    assert len(old_names) == 66
    positional, keyword = inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY
    for name in old_names:
        before, after = getattr(old, name), getattr(new, name)
        assert _params(after, positional)[: len(_params(before, positional))] == _params(
            before, positional
        ), name
        # Arguments passed by name before still exist (names never move to positional-only).
        new_names = set(inspect.signature(after).parameters)
        assert set(_params(before, keyword)) <= new_names, name
    assert _params(new.lambda_invoke_with_response_stream, positional) == [
        *_params(old.lambda_invoke_with_response_stream, positional),
        "TenantId",
    ]


def test_python_same_positional_calls_send_the_same_requests(both) -> None:
    wires, results = [], []
    with serve(_reply) as (url, seen):  # one server: the Host header is the same
        for module in both:
            before = len(seen)
            svc = module.client({**CONFIG, "endpoint": url})
            results.append([getattr(svc, op)(*args) for op, args in PY_CALLS.items()])
            wires.append(_wire(seen[before:]))
    assert len(wires[0]) == 3
    assert wires[0] == wires[1]
    _check_requests(wires[0])
    assert results[0] == results[1]
    invoke, stream, esm = results[0]
    assert invoke["Payload"] == b'{"ok": 1}' and invoke["LogResult"] == "bG9n"
    assert stream["EventStream"][0] == {"PayloadChunk": {"Payload": b'{"ok": true}'}}
    assert esm == {"UUID": ESM_UUID, "State": "Updating"}


def _install(lib: Path, pkg: Path, deps: Path | None = None) -> None:
    lib.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "R_LIBS": str(deps)} if deps else None
    done = subprocess.run(
        ["R", "CMD", "INSTALL", "--no-test-load", "-l", str(lib), str(pkg)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def core_lib(r_lib: Path) -> Path:
    """The tree's pawscore: the session's private R library (tests/rlib.py)."""
    return r_lib


@pytest.fixture(scope="module")
def r_libs(
    lambda_old: tuple[Path, Path],
    new_out: tuple[Path, Path, dict],
    core_lib: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, str]:
    """R_LIBS for the old and for the new pawslambda, each before the session's library."""
    root = tmp_path_factory.mktemp("compat_rlib")
    _install(root / "old", lambda_old[1], core_lib)
    _install(root / "new", new_out[1], core_lib)
    return (
        f"{root / 'old'}{os.pathsep}{core_lib}",
        f"{root / 'new'}{os.pathsep}{core_lib}",
    )


def _r(r_libs: str, code: str) -> str:
    env = {**os.environ, "R_LIBS": r_libs}
    done = subprocess.run(
        ["Rscript", "--vanilla", "-e", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_old_r_formals_are_kept_by_the_new(
    r_libs: tuple[str, str], new_out: tuple[Path, Path, dict]
) -> None:
    # Model arguments only: `.on_event` (like Python's keyword-only on_event) stays last.
    code = (
        "library(pawslambda); fns <- ls('package:pawslambda', pattern = '^lambda_'); "
        "args <- function(f) { n <- as.character(names(formals(get(f)))); n[!startsWith(n, '.')] }; "
        "cat(jsonlite::toJSON(sapply(fns, args, simplify = FALSE)))"
    )
    old, new = (json.loads(_r(libs, code)) for libs in r_libs)
    assert len(old) == 66 and len(new) == len(new_out[2]["operations"]) > 66
    for name, formals in old.items():
        assert new[name][: len(formals)] == formals, name
    assert new["lambda_invoke"][4:] == ["Payload", "Qualifier", "DurableExecutionName", "TenantId"]
    assert new["lambda_invoke_with_response_stream"] == [
        *old["lambda_invoke_with_response_stream"],
        "TenantId",
    ]


def test_r_same_positional_calls_send_the_same_requests(r_libs: tuple[str, str]) -> None:
    calls = "; ".join(
        f"res[[{n}]] <- svc${op}({args})" for n, (op, args) in enumerate(R_CALLS.items(), 1)
    )
    wires, results = [], []
    with serve(_reply) as (url, seen):
        for libs in r_libs:
            before = len(seen)
            code = (
                "library(pawslambda); svc <- lambda(config = list(region = 'us-east-1', "
                f"endpoint = '{url}', credentials = list(creds = list(access_key_id = 'AK', "
                "secret_access_key = 'SK')))); res <- list(); "
                f"{calls}; cat(jsonlite::toJSON(res, auto_unbox = TRUE, digits = NA))"
            )
            results.append(json.loads(_r(libs, code)))
            wires.append(_wire(seen[before:]))
    assert len(wires[0]) == 3
    assert wires[0] == wires[1]
    _check_requests(wires[0])
    assert results[0] == results[1]
    assert results[0][2] == {"UUID": ESM_UUID, "State": "Updating"}
