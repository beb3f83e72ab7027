"""Run the emulator in a child process, and the client config that points at it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .config import DEFAULT_CREDENTIALS, DEFAULT_REGION, Credentials

_START_TIMEOUT_S = 30


@contextmanager
def serve_process(
    functions: str | Path,
    *,
    port: int = 0,
    config: str | Path | None = None,
    auth: bool = True,
    log: IO[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run ``python -m pawslocal`` for a functions file; yields its URL, stops it on exit.

    For callers that cannot use ``serve()``'s thread in their own process, such as R
    embedded through rpy2, which holds the interpreter while it waits for the server.
    Request log lines go to ``log`` (discarded when None).
    """
    args = [sys.executable, "-m", "pawslocal", "--port", str(port), "--functions", str(functions)]
    if config is not None:
        args += ["--config", str(config)]
    if not auth:
        args.append("--no-auth")
    if log is None:
        args.append("--quiet")
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=log if log is not None else subprocess.DEVNULL,
        text=True,
        env=dict(env) if env is not None else None,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()  # the CLI's first line is its URL
        if not url.startswith("http://"):
            proc.wait(timeout=_START_TIMEOUT_S)
            raise RuntimeError(f"pawslocal did not start (exit code {proc.returncode})")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def client_config(
    url: str,
    credentials: Credentials = DEFAULT_CREDENTIALS,
    region: str = DEFAULT_REGION,
) -> dict[str, Any]:
    """A pawslambda ``config`` (paws' shape) for the emulator at ``url``."""
    return {
        "region": region,
        "endpoint": url,
        "credentials": {
            "creds": {
                "access_key_id": credentials.access_key_id,
                "secret_access_key": credentials.secret_access_key,
            }
        },
    }
