"""Run matrix rows with botocore, pawslambda (Python) and pawslambda (R).

Each client of each row gets its own scratch HOME and environment (``prepare``).
botocore and Python run in this process, one row after another, with
``os.environ`` swapped in and out; R runs every row in one Rscript process
(run_rows.R), which sets the environment and HOME with Sys.setenv before each
row. Each call gives a *result* (``{"ok": True}`` or ``{"error": kind,
"message": text}``); ``observe`` joins the results with what the capture server
recorded into *observations* that compare with ``==`` across clients.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .rows import Row
from .standins import StandIns

CLIENTS = ("botocore", "python", "r")
R_SCRIPT = Path(__file__).with_name("run_rows.R")

# Every client of every row starts from this; rows add to it or unset (None).
BASE_ENV: dict[str, str] = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ENDPOINT_URL_LAMBDA": "{url}/lambda/{row}/{client}",
    "AWS_ENDPOINT_URL_STS": "{url}/sts/{row}/{client}",
    "AWS_ENDPOINT_URL_SSO": "{url}/sso/{row}/{client}",
    "AWS_ENDPOINT_URL_SSO_OIDC": "{url}/oidc/{row}/{client}",
    "NO_PROXY": "127.0.0.1,localhost",
}

Result = dict[str, Any]
Observation = dict[str, Any]


@dataclass(frozen=True)
class Setup:
    """One client's view of a row: its HOME and its whole AWS environment."""

    row: Row
    client: str
    home: Path
    env: dict[str, str]


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders (plain replacement: files hold JSON braces)."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def prepare(row: Row, client: str, root: Path, url: str) -> Setup:
    """Write the row's files under a fresh HOME for ``client``; return its setup."""
    home = root / row.name / client
    home.mkdir(parents=True, exist_ok=True)
    values = {
        "url": url,
        "row": row.name,
        "client": client,
        "home": str(home),
        "python": sys.executable,
    }
    for rel, text in row.files.items():
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fill(text, values))
    env: dict[str, str] = {}
    for name, value in {**BASE_ENV, **row.env}.items():
        if value is not None:
            env[name] = fill(value, values)
    env["HOME"] = str(home)
    return Setup(row, client, home, env)


@contextmanager
def environ(env: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` without any AWS_* variable, plus ``env``, for the block.

    botocore reads the SSO token cache folder from HOME once, at import; a process
    changes HOME only here, so the folder is pointed at this HOME for the block.
    """
    import botocore.credentials
    import botocore.tokens

    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(env)
    sso_dir = os.path.join(env["HOME"], ".aws", "sso", "cache")
    holders = (botocore.credentials.SSOProvider, botocore.tokens.SSOTokenProvider)
    saved_dirs = [h._SSO_TOKEN_CACHE_DIR for h in holders]
    for holder in holders:
        holder._SSO_TOKEN_CACHE_DIR = sso_dir
    try:
        yield
    finally:
        for holder, folder in zip(holders, saved_dirs, strict=True):
            holder._SSO_TOKEN_CACHE_DIR = folder
        os.environ.clear()
        os.environ.update(saved)


# -- botocore ---------------------------------------------------------------------------


def botocore_kind(exc: BaseException) -> str:
    """The kind of a botocore failure, in the matrix's words."""
    import botocore.exceptions as bx

    if isinstance(exc, bx.ProfileNotFound):
        return "profile_not_found"
    if isinstance(exc, bx.NoCredentialsError):
        return "no_credentials"
    if isinstance(exc, bx.ClientError):
        if getattr(exc, "operation_name", "") == "GetFunction":
            return f"service_error:{exc.response['Error']['Code']}"
        return "credentials_error"  # STS, SSO: a credential source failed
    if isinstance(exc, bx.InvalidRetryConfigurationError):
        return "config_error"
    if isinstance(exc, bx.EndpointConnectionError):
        return "connection_error"
    if isinstance(exc, bx.BotoCoreError | OSError | RuntimeError):
        return "credentials_error"
    return f"other:{type(exc).__name__}"


def run_botocore(setup: Setup) -> list[Result]:
    """The row's calls through botocore's own Lambda client."""
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config

    row = setup.row
    cfg = row.config
    cred_cfg = cfg.get("credentials", {})
    with environ(setup.env):
        try:
            session = botocore.session.Session(profile=cred_cfg.get("profile"))
            retries: dict[str, Any] = {}
            if "max_attempts" in cfg:
                retries["total_max_attempts"] = cfg["max_attempts"]
            if "retry_mode" in cfg:
                retries["mode"] = cfg["retry_mode"]
            options: dict[str, Any] = {"retries": retries} if retries else {}
            if cred_cfg.get("anonymous"):
                options["signature_version"] = UNSIGNED
            creds = cred_cfg.get("creds", {})
            client = session.create_client(
                "lambda",
                region_name=cfg.get("region"),
                aws_access_key_id=creds.get("access_key_id"),
                aws_secret_access_key=creds.get("secret_access_key"),
                config=Config(**options),
            )
        except Exception as exc:
            return [_failure(botocore_kind(exc), exc) for _ in row.calls]
        out = []
        for name in row.calls:
            try:
                client.get_function(FunctionName=name)
                out.append({"ok": True})
            except Exception as exc:
                out.append(_failure(botocore_kind(exc), exc))
        return out


# -- pawslambda (Python) -----------------------------------------------------------------


def python_kind(exc: BaseException) -> str:
    """The kind of a pawscore failure."""
    import pawscore

    if isinstance(exc, pawscore.ProfileNotFound):
        return "profile_not_found"
    if isinstance(exc, pawscore.CredentialsError):
        return "credentials_error"
    if isinstance(exc, pawscore.NoCredentialsError):
        return "no_credentials"
    if isinstance(exc, pawscore.ConfigError):
        return "config_error"
    if isinstance(exc, pawscore.ServiceError):
        return f"service_error:{exc.code}"
    if isinstance(exc, pawscore.HttpError):
        return "connection_error"
    return f"other:{type(exc).__name__}"


def run_python(setup: Setup) -> list[Result]:
    """The row's calls through pawslambda in Python."""
    from pawslambda import client as pawslambda_client

    out = []
    with environ(setup.env):
        try:
            svc = pawslambda_client(setup.row.config or None)
        except Exception as exc:
            return [_failure(python_kind(exc), exc) for _ in setup.row.calls]
        for name in setup.row.calls:
            try:
                svc.get_function(FunctionName=name)
                out.append({"ok": True})
            except Exception as exc:
                out.append(_failure(python_kind(exc), exc))
        svc.close()
    return out


# -- pawslambda (R) ---------------------------------------------------------------------

R_KINDS = (
    ("paws_profile_not_found", "profile_not_found"),
    ("paws_credentials_error", "credentials_error"),
    ("paws_no_credentials", "no_credentials"),
    ("paws_config_error", "config_error"),
    ("paws_connection_error", "connection_error"),
)


def r_kind(classes: list[str], code: str | None) -> str:
    """The kind of an R condition, from its classes."""
    if "paws_service_error" in classes:
        return f"service_error:{code}"
    for cls, kind in R_KINDS:
        if cls in classes:
            return kind
    return f"other:{classes[0] if classes else '?'}"


def start_r(setups: list[Setup], work: Path) -> subprocess.Popen[str]:
    """Start one Rscript that runs every setup; ``finish_r`` reads its results."""
    tasks = [
        {"row": s.row.name, "env": s.env, "config": s.row.config, "calls": s.row.calls}
        for s in setups
    ]
    (work / "r_tasks.json").write_text(json.dumps(tasks))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.Popen(
        ["Rscript", str(R_SCRIPT), str(work / "r_tasks.json"), str(work / "r_results.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def finish_r(proc: subprocess.Popen[str], work: Path) -> dict[str, list[Result]]:
    """Wait for the Rscript; the results per row."""
    output, _ = proc.communicate(timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"Rscript failed:\n{output}")
    raw = json.loads((work / "r_results.json").read_text())
    out: dict[str, list[Result]] = {}
    for entry in raw:
        results = []
        for res in entry["results"]:
            if res.get("ok"):
                results.append({"ok": True})
            else:
                kind = r_kind(res.get("classes", []), res.get("code"))
                results.append({"error": kind, "message": res.get("message", "")})
        out[entry["row"]] = results
    return out


# -- observations -----------------------------------------------------------------------


def _failure(kind: str, exc: BaseException) -> Result:
    return {"error": kind, "message": f"{type(exc).__name__}: {exc}"}


def observe(standins: StandIns, setup: Setup, results: list[Result]) -> list[Observation]:
    """Each call's result joined with what the capture server saw for it."""
    seen = standins.captured(setup.row.name, setup.client)
    out = []
    for name, result in zip(setup.row.calls, results, strict=True):
        captures = [c for c in seen if c.function == name]
        if "error" in result:
            out.append({"error": result["error"], "attempts": len(captures)})
            continue
        last = captures[-1] if captures else None
        if last is None:
            out.append({"error": "nothing captured", "attempts": 0})
            continue
        out.append(
            {
                "key": standins.label(last.access_key) if last.access_key else "<unsigned>",
                "region": last.region,
                "service": last.service,
                "host": last.host,
                "attempts": len(captures),
            }
        )
    return out


def expected(row: Row, host: str, overrides: Mapping[str, Any] | None = None) -> list[Observation]:
    """What the row says every client observes (``overrides``: botocore's differences)."""
    out = []
    for i, want in enumerate(row.expect):
        attempts = row.attempts[i] if row.attempts else None
        if want.startswith("error:"):
            obs: Observation = {
                "error": want.removeprefix("error:"),
                "attempts": 0 if attempts is None else attempts,
            }
        elif want == "<unsigned>":
            obs = {
                "key": want,
                "region": None,
                "service": None,
                "host": host,
                "attempts": 1 if attempts is None else attempts,
            }
        else:
            obs = {
                "key": want,
                "region": row.region,
                "service": "lambda",
                "host": host,
                "attempts": 1 if attempts is None else attempts,
            }
        obs.update(overrides or {})
        out.append(obs)
    return out
