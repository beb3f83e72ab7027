"""Run hostile cases in both clients: Python in this process, R in one Rscript per batch.

A case is one call written twice, as a Python function of a client and as R code using
``svc``. Each case gets its own WireServer, so the bytes that reached a server belong
to exactly one call. R runs as a subprocess (not rpy2): rpy2 would hold this process
while R waits for the server, and the server is a thread of this process.

An outcome is ``{"ok": True}`` or ``{"error": <kind>, "message": ...}`` where the kind
is the same word in both languages (``KINDS``), so outcomes compare with ``==``.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pawscore
import pawslambda

from .wire import OK_JSON, WireServer, wire_server

ACCESS_KEY = "AKIDHOSTILE"
SECRET_KEY = "hostile-secret-key-never-shown"
SESSION_TOKEN = "hostile-session-token-never-shown"

# Python exception class -> R condition class, one word per kind of failure.
KINDS = {
    "param": (pawscore.ParamValidationError, "paws_param_error"),
    "timeout": (pawscore.ReadTimeoutError, "paws_timeout_error"),
    "connection": (pawscore.HttpError, "paws_connection_error"),
    "service": (pawscore.ServiceError, "paws_service_error"),
    "truncated": (pawscore.TruncatedStream, "TruncatedStream"),
}


def config(url: str, **extra: Any) -> dict[str, Any]:
    """A pawslambda config for ``url`` with a session token (so there is one to leak)."""
    return {
        "region": "us-east-1",
        "endpoint": url,
        "credentials": {
            "creds": {
                "access_key_id": ACCESS_KEY,
                "secret_access_key": SECRET_KEY,
                "session_token": SESSION_TOKEN,
            }
        },
        **extra,
    }


@dataclass
class Case:
    """One call in both languages, the server's reply, and the outcome both must give."""

    id: str
    py: Callable[[Any], Any]
    r: str
    expect: str  # "ok" or a KINDS key
    reply: bytes = OK_JSON
    drip: float | None = None
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """What a call gave and what reached its server."""

    outcome: dict[str, Any]
    server: WireServer
    seconds: float


def kind_of_python(exc: BaseException) -> str:
    """The KINDS word for a Python exception (the most specific one that fits)."""
    for kind in ("param", "timeout", "truncated", "service", "connection"):
        if isinstance(exc, KINDS[kind][0]):
            return kind
    return f"untyped:{type(exc).__name__}"


def run_python(case: Case) -> Result:
    """Run ``case.py`` against a fresh server."""
    with wire_server(case.reply, case.drip) as server:
        svc = pawslambda.client(config(server.url, **case.config))
        start = time.monotonic()
        try:
            case.py(svc)
            outcome: dict[str, Any] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 -- every failure is an outcome here
            outcome = {"error": kind_of_python(exc), "message": str(exc)}
        seconds = time.monotonic() - start
        svc.close()
    return Result(outcome, server, seconds)


_R_PRELUDE = r"""
args <- commandArgs(TRUE)
endpoints <- jsonlite::fromJSON(args[[1]])
configs <- jsonlite::fromJSON(args[[2]], simplifyVector = FALSE)
kinds <- c(param = "paws_param_error", timeout = "paws_timeout_error",
           truncated = "TruncatedStream", service = "paws_service_error",
           connection = "paws_connection_error")
service_for <- function(i) {
  pawslambda::lambda(config = c(list(
    region = "us-east-1", endpoint = endpoints[[i]],
    credentials = list(creds = list(
      access_key_id = Sys.getenv("HOSTILE_AK"), secret_access_key = Sys.getenv("HOSTILE_SK"),
      session_token = Sys.getenv("HOSTILE_TOKEN")))
  ), configs[[i]]))
}
run_case <- function(i, fn) {
  svc <- service_for(i)
  start <- Sys.time()
  out <- tryCatch({
    fn(svc)
    list(ok = TRUE)
  }, error = function(e) {
    hit <- names(kinds)[vapply(kinds, function(k) inherits(e, k), logical(1))]
    kind <- if (length(hit)) hit[[1]] else paste0("untyped:", class(e)[[1]])
    list(error = kind, message = conditionMessage(e))
  })
  out$seconds <- as.numeric(difftime(Sys.time(), start, units = "secs"))
  out
}
results <- list()
"""


def _r_script(cases: list[Case]) -> str:
    parts = [_R_PRELUDE]
    for i, case in enumerate(cases, start=1):
        parts.append(f"results[[{i}]] <- run_case({i}, function(svc) {{\n{case.r}\n}})\n")
    parts.append('cat("\\n@@RESULTS@@", jsonlite::toJSON(results, auto_unbox = TRUE), "\\n")\n')
    return "".join(parts)


@contextmanager
def run_r(cases: list[Case]) -> Iterator[dict[str, Result]]:
    """Run every case in one Rscript, each against its own server; yields id -> Result.

    The servers stay up for the ``with`` block so tests can read what reached them.
    """
    with ExitStack() as stack:
        servers = [stack.enter_context(wire_server(c.reply, c.drip)) for c in cases]
        env = dict(
            os.environ,
            HOSTILE_AK=ACCESS_KEY,
            HOSTILE_SK=SECRET_KEY,
            HOSTILE_TOKEN=SESSION_TOKEN,
        )
        proc = subprocess.run(
            [
                "Rscript",
                "-e",
                _r_script(cases),
                json.dumps([s.url for s in servers]),
                json.dumps([c.config or {} for c in cases]),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        marker = "@@RESULTS@@"
        if proc.returncode != 0 or marker not in proc.stdout:
            raise AssertionError(f"Rscript failed:\n{proc.stdout}\n{proc.stderr}")
        raw = json.loads(proc.stdout.split(marker, 1)[1])
        yield {
            case.id: Result(
                {k: v for k, v in out.items() if k != "seconds"}, server, float(out["seconds"])
            )
            for case, server, out in zip(cases, servers, raw, strict=True)
        }
