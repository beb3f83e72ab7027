"""The examples printed in InvokeWithResponseStream's docs run, as written, against pawslocal.

Only the client's configuration and the function name are changed: ``svc`` points at
the emulator, and ``"my-function"`` becomes a handler of e2e_functions.py (``three``
streams "a", "bb", "ccc"; ``crash`` streams "partial", then fails).
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pawslambda
import pawslocal
import pytest

from .conftest import Emulator

ROOT = Path(__file__).resolve().parents[2]
RD_PAGE = ROOT / "r/pawslambda/man/lambda_invoke_with_response_stream.Rd"


def _python_code(function: str) -> str:
    doc = pawslambda.LambdaClient.invoke_with_response_stream.__doc__ or ""
    code = textwrap.dedent(doc.split("Examples:\n", 1)[1])
    assert "svc = pawslambda.client()" in code
    code = code.replace("svc = pawslambda.client()", "svc = pawslambda.client(CONFIG)")
    return code.replace('"my-function"', f'"{function}"')


def _run_python(emulator: Emulator, function: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"CONFIG": emulator.config}
    exec(compile(_python_code(function), "<docstring examples>", "exec"), namespace)
    return namespace


def test_python_examples_run(emulator: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    ns = _run_python(emulator, "three")
    printed = capsys.readouterr().out
    assert printed.startswith("abbccc")  # iter_text, as the chunks arrived
    assert "{'PayloadChunk': {'Payload': b'a'}}" in printed  # on_event=print
    assert ns["text"] == "abbccc"
    assert ns["types"] == ["PayloadChunk"] * 3 + ["InvokeComplete"]
    assert ns["first"]["EventStream"].stopped is True
    assert len(ns["first"]["EventStream"]) == 1
    assert "ErrorCode" not in ns["done"]


def test_python_function_error_example_raises(emulator: Emulator) -> None:
    with pytest.raises(RuntimeError, match="my-function failed: Unhandled"):
        _run_python(emulator, "crash")


def _r_code(emulator: Emulator, function: str) -> str:
    rd = RD_PAGE.read_text(encoding="utf-8")
    code = rd.split("\\dontrun{\n", 1)[1].rsplit("\n}\n}", 1)[0]
    code = code.replace("\\%", "%").replace("\\\\", "\\")
    creds = pawslocal.DEFAULT_CREDENTIALS
    config = (
        f'list(region = "us-east-1", endpoint = "{emulator.url}", credentials = list(creds = '
        f'list(access_key_id = "{creds.access_key_id}", '
        f'secret_access_key = "{creds.secret_access_key}")))'
    )
    assert "svc <- lambda()" in code
    code = code.replace("svc <- lambda()", f"svc <- lambda(config = {config})")
    code = code.replace('"my-function"', f'"{function}"')
    checks = (
        'cat("\\nTEXT=", text, "\\n", sep = "")\n'
        'cat("TYPES=", paste(types, collapse = ","), "\\n", sep = "")\n'
        'cat("STOPPED=", isTRUE(attr(first$EventStream, "stopped")), '
        'length(first$EventStream), "\\n", sep = "")\n'
    )
    return "library(pawslambda)\n" + code + "\n" + checks


def _run_r(emulator: Emulator, function: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["Rscript", "-e", _r_code(emulator, function)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_r_examples_run(emulator: Emulator) -> None:
    done = _run_r(emulator, "three")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("abbccc")  # cat(decode(...)) as the chunks arrived
    assert "TEXT=abbccc\n" in done.stdout
    assert "TYPES=PayloadChunk,PayloadChunk,PayloadChunk,InvokeComplete\n" in done.stdout
    assert "STOPPED=TRUE1\n" in done.stdout


def test_r_function_error_example_stops(emulator: Emulator) -> None:
    done = _run_r(emulator, "crash")
    assert done.returncode != 0
    assert "my-function failed: Unhandled" in done.stderr


def test_library_pawslambda_gives_pawscore_helpers() -> None:
    # The R examples call text_decoder(), payload_text() and stop_stream() unqualified:
    # library(pawslambda) re-exports them, and paginate() and the rest, from pawscore.
    done = subprocess.run(
        [
            "Rscript",
            "-e",
            "library(pawslambda); cat(identical(paginate, pawscore::paginate), "
            "identical(payload_text, pawscore::payload_text), "
            "environmentName(environment(stop_stream)), find('paginate'))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["TRUE", "TRUE", "pawscore", "package:pawslambda"]
