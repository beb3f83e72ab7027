"""The generated R package installed next to the real R runtime: calls over HTTP match Python's."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from codegen_helpers import import_generated
from pawscore.eventstream import encode_message
from recording_server import Recorded, serve

from codegen.r_out import REEXPORTS

CREDS = {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}}


@pytest.fixture(scope="module")
def petstore_lib(petstore_out: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated petstore package, in a library of its own (pawscore: the session's)."""
    lib = tmp_path_factory.mktemp("rlib")
    done = subprocess.run(
        ["R", "CMD", "INSTALL", "--no-test-load", "-l", str(lib), str(petstore_out[1])],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return lib


def _r(lib: Path, code: str) -> str:
    env = {**os.environ, "R_LIBS": f"{lib}{os.pathsep}{os.environ['R_LIBS']}"}
    done = subprocess.run(
        ["Rscript", "--vanilla", "-e", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _svc(url: str) -> str:
    return (
        "library(pawspetstore); svc <- petstore(config = list(region = 'us-east-1', "
        f"endpoint = '{url}', credentials = list(creds = list(access_key_id = 'AK', "
        "secret_access_key = 'SK'))));"
    )


def test_library_gives_pawscore_helpers(petstore_lib: Path) -> None:
    """library(<generated package>) alone gives paws' helpers, and they are pawscore's own."""
    names = ", ".join(f"'{n}'" for n in REEXPORTS)
    out = _r(
        petstore_lib,
        "library(pawspetstore); "
        f"for (n in c({names})) cat(n, identical(get(n), getExportedValue('pawscore', n)), "
        "environmentName(environment(get(n))), find(n)[1], '\\n'); "
        "cat(identical(paginate, pawscore::paginate), '\\n')",
    )
    lines = out.splitlines()
    assert lines[:-1] == [f"{n} TRUE pawscore package:pawspetstore " for n in REEXPORTS]
    assert lines[-1].strip() == "TRUE"


def test_missing_required_argument_is_a_param_error(petstore_lib: Path) -> None:
    with serve(lambda rec: (200, {}, b"{}")) as (url, seen):
        out = _r(
            petstore_lib,
            _svc(url)
            + (
                "e <- tryCatch(svc$delete_pet(Reason = 'old'), error = function(e) e); "
                "cat(class(e)[1], '\\n'); cat(conditionMessage(e))"
            ),
        )
    first, *rest = out.splitlines()
    assert first.strip() == "paws_param_error"
    assert "PetId" in "\n".join(rest)
    assert seen == []


def test_r_and_python_get_the_same_data_from_the_same_reply(
    petstore_lib: Path, petstore_out: tuple[Path, Path]
) -> None:
    def reply(rec: Recorded) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps(
            {"Pet": {"PetId": "p1", "Name": "Rex", "Kind": "DOG", "Tags": {"a": "b"}}}
        ).encode()
        return 200, {"Content-Type": "application/json", "ETag": "e1", "x-meta-color": "red"}, body

    pet = import_generated(petstore_out[0], "pawspetstore_r_parity")
    with serve(reply) as (url, seen):
        py = pet.client({"region": "us-east-1", "endpoint": url, "credentials": CREDS}).get_pet(
            "p1", ["a", "b"], IfMatch="abc"
        )
        out = _r(
            petstore_lib,
            _svc(url)
            + (
                "res <- svc$get_pet('p1', list('a', 'b'), IfMatch = 'abc'); "
                "cat(jsonlite::toJSON(res, auto_unbox = TRUE))"
            ),
        )
    assert json.loads(out) == py
    assert [(r.path, r.query, r.headers.get("if-match")) for r in seen] == [
        ("/pets/p1", "fields=a&fields=b", "abc")
    ] * 2


def test_r_event_stream_callback(petstore_lib: Path) -> None:
    frames = encode_message(
        {":message-type": "event", ":event-type": "Barked", ":content-type": "application/json"},
        b'{"Loudness": 2.5, "Pitch": "LOW"}',
    )

    def reply(rec: Recorded) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/vnd.amazon.eventstream"}, frames

    with serve(reply) as (url, _):
        out = _r(
            petstore_lib,
            _svc(url)
            + (
                "got <- list(); res <- svc$watch_pet('p1', .on_event = function(e) { got[[length(got) + 1]] <<- e; 'seen' }); "
                "cat(jsonlite::toJSON(list(got = got, events = res$Events, status = res$Status), auto_unbox = TRUE))"
            ),
        )
    data = json.loads(out)
    assert data["got"] == [{"Barked": {"Loudness": 2.5, "Pitch": "LOW"}}]
    assert data["events"] == ["seen"]
    assert data["status"] == 200


def test_generated_package_ships_a_testthat_suite_that_passes(
    petstore_lib: Path, petstore_out: tuple[Path, Path]
) -> None:
    tests = petstore_out[1] / "tests"
    assert (tests / "testthat.R").exists()
    desc = (petstore_out[1] / "DESCRIPTION").read_text()
    assert "Suggests: testthat (>= 3.0.0)" in desc and "Config/testthat/edition: 3" in desc
    out = _r(
        petstore_lib,
        "res <- as.data.frame(testthat::test_dir("
        f"'{tests / 'testthat'}', package = 'pawspetstore', load_package = 'installed', "
        "reporter = 'silent', stop_on_failure = FALSE)); "
        "cat(sum(res$nb), sum(res$failed), sum(res$skipped), sum(res$error))",
    )
    expectations, failed, skipped, errors = (int(n) for n in out.split())
    assert expectations >= 20
    assert (failed, skipped, errors) == (0, 0, 0)
