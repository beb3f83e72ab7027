"""Run the R runtime's testthat suite (r/pawscore) from pytest.

The driver installs the package into a temporary library, writes the data the R
tests compare against (API data built with codegen.apidata, botocore's rest-json
protocol cases converted to API data, botocore's SigV4 values for the official
suite), starts a pawslocal emulator, and runs each testthat file with Rscript.
A test fails when any R expectation fails or errors; R's output is shown then.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from codegen.apidata import build_api_data

ROOT = Path(__file__).resolve().parents[2]
R_PKG = ROOT / "r" / "pawscore"
TESTTHAT = R_PKG / "tests" / "testthat"
CONFORMANCE = (ROOT / ".." / "shared" / "conformance").resolve()
PROTOCOL_DATA = ROOT / "tests" / "conformance" / "protocols"
LAMBDA_MODEL = ROOT / "models" / "lambda" / "2015-03-31" / "service-2.json"
LAMBDA_OPERATIONS = ["InvokeWithResponseStream", "Invoke", "GetFunction", "ListFunctions"]

SUITE_KEY = "AKIDEXAMPLE"
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SUITE_TIME = "20150830T123600Z"
# The only suite case whose token comes from the credentials, not the request.
SUITE_TOKENS = {
    "get-vanilla-with-session-token": (
        "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    )
}

# Emulator functions with faults, on top of examples/functions.py.
EMULATOR_CONFIG: dict[str, Any] = {
    "functions": {
        "stream-cut": {"handler": "chunks", "fault": "cut-mid-frame:after=2"},
        "stream-truncate": {"handler": "chunks", "fault": "truncate:after=2"},
        "stream-between-frames": {"handler": "chunks", "fault": "truncate:after=2:bytes=0"},
        "stream-empty": {"handler": "chunks", "fault": "truncate:after=0:bytes=0"},
        "stream-badcrc": {"handler": "chunks", "fault": "bad-crc:frame=2"},
        "stream-exception": {
            "handler": "chunks",
            "fault": "exception:after=1:type=ServiceException",
        },
        "flaky": {"handler": "hello", "fault": "status:503:times=2:key=r-flaky"},
        "always-503": {"handler": "hello", "fault": "status:503:times=1000:key=r-503"},
        "throttled": {"handler": "hello", "fault": "status:429:times=1:key=r-429"},
    }
}

TEST_FILES = sorted(p.name for p in TESTTHAT.glob("test-*.R"))


def _run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="module")
def r_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install r/pawscore into a fresh library, so tests run the package as built."""
    lib = tmp_path_factory.mktemp("rlib")
    build = tmp_path_factory.mktemp("rbuild")
    # Install from a copy: building in place would leave objects in the source tree.
    subprocess.run(["cp", "-r", str(R_PKG), str(build)], check=True)
    # Objects left by an in-place build (pkgload) may be stale: always compile afresh.
    src = build / "pawscore" / "src"
    for stale in [*src.glob("*.o"), *src.glob("*.so")]:
        stale.unlink()
    proc = _run(["R", "CMD", "INSTALL", "--no-test-load", "-l", str(lib), str(build / "pawscore")])
    assert proc.returncode == 0, f"R CMD INSTALL failed:\n{proc.stdout}\n{proc.stderr}"
    return lib


def _protocol_cases(
    kind: str, stem: str = "rest-json", key: str = "rest-json"
) -> list[dict[str, Any]]:
    """The non-ignored cases of ``<kind>-<stem>.json`` (ignore-list entry ``key``)."""
    ignore = json.loads((PROTOCOL_DATA / "protocol-tests-ignore-list.json").read_text())
    ignored_suites = set(ignore["general"].get(kind, {}).get("suites", []))
    ignored_cases = set(ignore["protocols"][key].get(kind, {}).get("cases", []))
    out = []
    for suite in json.loads((PROTOCOL_DATA / f"{kind}-{stem}.json").read_text()):
        if suite["description"] in ignored_suites:
            continue
        for case in suite["cases"]:
            if case["id"] in ignored_cases:
                continue
            given = case["given"]
            model = {
                "metadata": {**suite["metadata"], "endpointPrefix": "protocoltest"},
                "operations": {given["name"]: given},
                "shapes": suite["shapes"],
            }
            entry = {k: v for k, v in case.items() if k not in ("given", "description")}
            entry["api"] = build_api_data(model)
            entry["operation"] = given["name"]
            out.append(entry)
    return out


def _json_protocol_cases(kind: str) -> list[dict[str, Any]]:
    """awsJson 1.1 then 1.0 cases."""
    return _protocol_cases(kind, "json", "json") + _protocol_cases(kind, "json_1_0", "json_1_0")


def _pattern_results() -> dict[str, Any]:
    """The model patterns, the probes, and Python's full-match results (None = skipped)."""
    from pawscore.patterns import full_match

    data = json.loads((ROOT / "tests" / "fixtures" / "patterns" / "model_patterns.json").read_text())
    results = []
    for pattern in data["patterns"]:
        found = [full_match(pattern, probe) for probe in data["probes"]]
        results.append(None if found[0] is None else found)
    return {"patterns": data["patterns"], "probes": data["probes"], "results": results}


def _aws_quote(text: str) -> str:
    from urllib.parse import quote, unquote

    return quote(unquote(text), safe="-_.~")


def _botocore_sigv4() -> dict[str, dict[str, str]]:
    """botocore's canonical request, string to sign and signature for each suite case."""
    out = {}
    for req_file in sorted((CONFORMANCE / "sigv4").rglob("*.req")):
        name = req_file.stem
        text = req_file.read_bytes().decode("utf-8")
        head, _, body = text.partition("\n\n")
        lines = head.split("\n")
        method, rest = lines[0].split(" ", 1)
        target = rest.rsplit(" ", 1)[0]
        path, _, query = target.partition("?")
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t"):
                key, value = headers[-1]
                headers[-1] = (key, value + "\n" + line)
            else:
                key, _, value = line.partition(":")
                headers.append((key, value))
        token = SUITE_TOKENS.get(name)
        if token:
            headers.append(("X-Amz-Security-Token", token))
        # Query as a client sends it: each key and value percent-encoded once.
        pairs = [p.partition("=") for p in query.split("&") if p]
        wire_query = "&".join(f"{_aws_quote(k)}={_aws_quote(v)}" for k, _, v in pairs)
        url = "https://example.amazonaws.com" + path + (f"?{wire_query}" if wire_query else "")
        request = AWSRequest(method=method, url=url, data=body.encode("utf-8"))
        for key, value in headers:
            request.headers[key] = value  # HTTPHeaders appends, keeping duplicates
        request.context["timestamp"] = SUITE_TIME
        auth = SigV4Auth(Credentials(SUITE_KEY, SUITE_SECRET, token), "service", "us-east-1")
        creq = auth.canonical_request(request)
        sts = auth.string_to_sign(request, creq)
        out[name] = {
            "method": method,
            "url": url,
            "headers": [[k, v] for k, v in headers],
            "body": body,
            "session_token": token or "",
            "canonical_request": creq,
            "string_to_sign": sts,
            "signature": auth.signature(sts, request),
        }
    return out


@pytest.fixture(scope="module")
def test_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the JSON files the R tests read; returns their folder."""
    folder = tmp_path_factory.mktemp("rdata")
    model = json.loads(LAMBDA_MODEL.read_text())
    api = build_api_data(model, LAMBDA_OPERATIONS, "models/lambda/2015-03-31/service-2.json")
    (folder / "lambda_api.json").write_text(json.dumps(api))
    (folder / "protocol_input.json").write_text(json.dumps(_protocol_cases("input")))
    (folder / "protocol_output.json").write_text(json.dumps(_protocol_cases("output")))
    (folder / "json_protocol_input.json").write_text(json.dumps(_json_protocol_cases("input")))
    (folder / "json_protocol_output.json").write_text(json.dumps(_json_protocol_cases("output")))
    (folder / "patterns_python.json").write_text(json.dumps(_pattern_results()))
    (folder / "sigv4_botocore.json").write_text(json.dumps(_botocore_sigv4()))
    return folder


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A pawslocal emulator serving examples/functions.py plus faulty functions."""
    import pawslocal

    with pawslocal.serve(
        functions=str(ROOT / "examples" / "functions.py"), config=EMULATOR_CONFIG
    ) as url:
        yield url


def _summary(output: str) -> dict[str, int] | None:
    match = re.search(r"PAWS_R_RESULT failed=(\d+) errors=(\d+) skipped=(\d+) passed=(\d+)", output)
    if not match:
        return None
    keys = ("failed", "errors", "skipped", "passed")
    return dict(zip(keys, (int(g) for g in match.groups()), strict=True))


RUNNER = r"""
args <- commandArgs(trailingOnly = TRUE)
.libPaths(c(args[1], .libPaths()))
suppressPackageStartupMessages(library(testthat))
res <- testthat::test_dir(
  args[2], filter = args[3], package = "pawscore", load_package = "installed",
  reporter = testthat::ProgressReporter$new(show_praise = FALSE),
  stop_on_failure = FALSE, stop_on_warning = FALSE
)
df <- as.data.frame(res)
cat(sprintf("\nPAWS_R_RESULT failed=%d errors=%d skipped=%d passed=%d\n",
  sum(df$failed), sum(df$error), sum(df$skipped), sum(df$passed)))
"""


@pytest.mark.parametrize("test_file", TEST_FILES)
def test_testthat_file(
    test_file: str, r_library: Path, test_data: Path, endpoint: str, tmp_path: Path
) -> None:
    """One testthat file passes in full against the emulator."""
    stem = test_file.removeprefix("test-").removesuffix(".R")
    env = {
        **os.environ,
        "PAWS_CONFORMANCE_DIR": str(CONFORMANCE),
        "PAWS_TEST_DATA": str(test_data),
        "PAWS_TEST_ENDPOINT": endpoint,
        # Keep the developer's own AWS settings out of the R tests.
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_LAMBDA",
    ):
        env.pop(var, None)
    env["R_LIBS_USER"] = os.environ.get("R_LIBS_USER", "")
    proc = _run(
        ["Rscript", "-e", RUNNER, str(r_library), str(TESTTHAT), f"^{re.escape(stem)}$"],
        env=env,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    summary = _summary(output)
    assert proc.returncode == 0 and summary is not None, f"Rscript failed:\n{output}"
    assert summary["failed"] == 0 and summary["errors"] == 0, f"R tests failed:\n{output}"
    assert summary["passed"] > 0, f"no R expectation ran:\n{output}"
    assert summary["skipped"] == 0, f"R tests skipped with a server present:\n{output}"


def test_r_cmd_check(tmp_path: Path) -> None:
    """`R CMD check --no-manual` passes with no error and no warning."""
    build = _run(["R", "CMD", "build", "--no-build-vignettes", str(R_PKG)], cwd=tmp_path)
    assert build.returncode == 0, f"R CMD build failed:\n{build.stdout}\n{build.stderr}"
    tarball = next(tmp_path.glob("pawscore_*.tar.gz"))
    env = {**os.environ, "_R_CHECK_FORCE_SUGGESTS_": "false", "HOME": str(tmp_path)}
    for var in ("PAWS_TEST_ENDPOINT", "PAWS_TEST_DATA", "PAWS_CONFORMANCE_DIR"):
        env.pop(var, None)
    check = _run(
        ["R", "CMD", "check", "--no-manual", "-o", str(tmp_path), str(tarball)],
        cwd=tmp_path,
        env=env,
        timeout=900,
    )
    output = check.stdout + check.stderr
    assert check.returncode == 0, f"R CMD check failed:\n{output}"
    status = re.search(r"^Status: (.*)$", output, re.MULTILINE)
    assert status is not None, output
    assert "ERROR" not in status.group(1) and "WARNING" not in status.group(1), output
