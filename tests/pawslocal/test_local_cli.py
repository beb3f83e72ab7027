"""The command line: URL on the first line, real requests, clean stop on signals."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from local_helpers import CONFIG, FUNCTIONS, REPO, boto_client, payload_chunks, python_env


@contextmanager
def _cli(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pawslocal", "--port", "0", *args],
        cwd=REPO,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_and_stops_cleanly(sig: signal.Signals) -> None:
    with _cli("--functions", str(FUNCTIONS), "--config", str(CONFIG)) as (proc, url):
        assert url.startswith("http://127.0.0.1:")
        resp = boto_client(url).invoke_with_response_stream(
            FunctionName="stream", Payload=b'{"n": 2}'
        )
        assert payload_chunks(list(resp["EventStream"])) == [b"chunk 1 of 2\n", b"chunk 2 of 2\n"]
        assert (
            boto_client(url).invoke(FunctionName="hello", Qualifier="beta")["ExecutedVersion"]
            == "2"
        )
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "pawslocal: stopped" in err
    assert "functions: " in err and "stream-cut" in err
    assert "/response-streaming-invocations 200" in err  # access log line
    assert "START RequestId: " in err and "REPORT RequestId: " in err  # function logs


def test_cli_prints_default_keys_but_never_configured_secrets(tmp_path: Path) -> None:
    with _cli("--functions", str(FUNCTIONS)) as (proc, url):
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert "AKIDPAWSLOCAL" in err
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[credentials]\naccess_key_id = "AKIDMINE"\nsecret_access_key = "s3cr3t-value"\n'
    )
    with _cli("--functions", str(FUNCTIONS), "--config", str(cfg)) as (proc, url):
        client = boto_client(url, key="AKIDMINE", secret="s3cr3t-value")
        assert client.invoke(FunctionName="hello")["StatusCode"] == 200
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert "AKIDMINE" in err
    assert "s3cr3t-value" not in out + err


def test_cli_no_auth(tmp_path: Path) -> None:
    with _cli("--functions", str(FUNCTIONS), "--no-auth", "--quiet") as (proc, url):
        resp = boto_client(url, key="ANY", secret="thing").invoke(FunctionName="bytes256")
        assert resp["Payload"].read() == bytes(range(256))
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert "auth: off" in err
    assert " POST " not in err  # --quiet: no access log


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--functions", "no/such/file.py"], "functions file not found"),
        (["--functions", str(FUNCTIONS), "--config", "no/such.toml"], "config file not found"),
    ],
)
def test_cli_bad_input_exits_2(args: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pawslocal", "--port", "0", *args],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""
