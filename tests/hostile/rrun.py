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
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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
    drip_from: int = 0
    config: dict[str, Any] = field(default_factory=dict)
    close_after_reply: bool = False
    later: list[bytes] = field(default_factory=list)  # replies to later attempts

    def server(self) -> AbstractContextManager[WireServer]:
        """A fresh server giving this case's reply."""
        return wire_server(
            self.reply, self.drip, self.drip_from, self.close_after_reply, self.later
        )


@dataclass
class Result:
    """What a call gave and what reached its server."""

    outcome: dict[str, Any]
    server: WireServer
    seconds: float
    shown: str = ""  # how the failure shows itself: R's condition deparsed, Python's repr


def kind_of_python(exc: BaseException) -> str:
    """The KINDS word for a Python exception (the most specific one that fits)."""
    for kind in ("param", "timeout", "truncated", "service", "connection"):
        if isinstance(exc, KINDS[kind][0]):
            return kind
    return f"untyped:{type(exc).__name__}"


def run_python(case: Case) -> Result:
    """Run ``case.py`` against a fresh server."""
    with case.server() as server:
        svc = pawslambda.client(config(server.url, **case.config))
        start = time.monotonic()
        try:
            case.py(svc)
            outcome: dict[str, Any] = {"ok": True}
        except Exception as exc:  # every failure is an outcome here
            outcome = {"error": kind_of_python(exc), "message": str(exc)}
            shown = f"{exc!r}\n{exc}"
        seconds = time.monotonic() - start
        svc.close()
    return Result(outcome, server, seconds, shown if "error" in outcome else "")


_R_PRELUDE = r"""
args <- commandArgs(TRUE)
endpoints <- jsonlite::fromJSON(args[[1]])
configs <- jsonlite::fromJSON(args[[2]], simplifyVector = FALSE)
kinds <- c(param = "paws_param_error", timeout = "paws_timeout_error",
           truncated = "TruncatedStream", service = "paws_service_error",
           connection = "paws_connection_error")
config_for <- function(i) {
  c(list(
    region = "us-east-1", endpoint = endpoints[[i]],
    credentials = list(creds = list(
      access_key_id = Sys.getenv("HOSTILE_AK"), secret_access_key = Sys.getenv("HOSTILE_SK"),
      session_token = Sys.getenv("HOSTILE_TOKEN")))
  ), configs[[i]])
}
run_case <- function(i, fn) {
  cfg <- config_for(i)
  start <- Sys.time()
  out <- tryCatch({
    svc <- pawslambda::lambda(config = cfg)
    fn(svc, cfg)
    list(ok = TRUE)
  }, error = function(e) {
    hit <- names(kinds)[vapply(kinds, function(k) inherits(e, k), logical(1))]
    kind <- if (length(hit)) hit[[1]] else paste0("untyped:", class(e)[[1]])
    # The whole condition, call included, as R would print or save it.
    shown <- paste(c(deparse(unclass(e)), utils::capture.output(print(e))), collapse = "\n")
    list(error = kind, message = conditionMessage(e), shown = shown)
  })
  out$seconds <- as.numeric(difftime(Sys.time(), start, units = "secs"))
  out
}
results <- list()
"""


def _r_script(cases: list[Case]) -> str:
    parts = [_R_PRELUDE]
    for i, case in enumerate(cases, start=1):
        parts.append(f"results[[{i}]] <- run_case({i}, function(svc, cfg) {{\n{case.r}\n}})\n")
    parts.append('cat("\\n@@RESULTS@@", jsonlite::toJSON(results, auto_unbox = TRUE), "\\n")\n')
    return "".join(parts)


@contextmanager
def run_r(cases: list[Case]) -> Iterator[dict[str, Result]]:
    """Run every case in one Rscript, each against its own server; yields id -> Result.

    The servers stay up for the ``with`` block so tests can read what reached them.
    """
    with ExitStack() as stack:
        servers = [stack.enter_context(c.server()) for c in cases]
        env = dict(
            os.environ,
            HOSTILE_AK=ACCESS_KEY,
            HOSTILE_SK=SECRET_KEY,
            HOSTILE_TOKEN=SESSION_TOKEN,
        )
        script = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "cases.R"
        script.write_text(_r_script(cases), encoding="utf-8")
        proc = subprocess.run(
            [
                "Rscript",
                str(script),
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
                {k: v for k, v in out.items() if k not in ("seconds", "shown")},
                server,
                float(out["seconds"]),
                str(out.get("shown", "")),
            )
            for case, server, out in zip(cases, servers, raw, strict=True)
        }


def r_str(text: str) -> str:
    """An R string literal for ``text`` (non-ASCII and control characters escaped)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= code < 127:
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        else:
            out.append(f"\\u{{{code:04x}}}")
    return '"' + "".join(out) + '"'
