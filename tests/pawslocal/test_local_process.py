"""serve_process(): the emulator in a child process, and client_config() for it."""

from __future__ import annotations

from pathlib import Path

import pawslambda
import pawslocal
import pytest
from local_helpers import FUNCTIONS, boto_client, payload_chunks, python_env


def test_serve_process_serves_and_logs_requests(tmp_path: Path) -> None:
    log_path = tmp_path / "access.log"
    with log_path.open("w", encoding="utf-8") as log:
        with pawslocal.serve_process(FUNCTIONS, log=log, env=python_env()) as url:
            assert url.startswith("http://127.0.0.1:")
            resp = boto_client(url).invoke_with_response_stream(FunctionName="hello")
            chunks = payload_chunks(list(resp["EventStream"]))
            assert b"Hello, world!" in b"".join(chunks)
    posts = [line for line in log_path.read_text().splitlines() if "POST" in line]
    assert len(posts) == 1 and "/functions/hello/" in posts[0]


def test_client_config_points_pawslambda_at_the_emulator() -> None:
    with pawslocal.serve_process(FUNCTIONS, env=python_env()) as url:
        config = pawslocal.client_config(url)
        assert config["endpoint"] == url and config["region"] == pawslocal.DEFAULT_REGION
        out = pawslambda.client(config).invoke_with_response_stream(FunctionName="echo")
        assert out["StatusCode"] == 200
        assert out["EventStream"][-1] == {"InvokeComplete": {}}


def test_serve_process_reports_a_server_that_cannot_start(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_functions.py"
    with pytest.raises(RuntimeError, match="did not start"):
        with pawslocal.serve_process(missing, env=python_env()):
            pass
