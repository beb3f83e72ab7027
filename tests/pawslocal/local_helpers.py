"""Helpers shared by the pawslocal tests: paths, a boto3 client factory, event access."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pawslocal
import urllib3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config as BotoConfig
from botocore.credentials import Credentials as BotoCredentials

from tests.paths import REPO

FUNCTIONS = REPO / "examples" / "functions.py"
CONFIG = REPO / "examples" / "pawslocal.toml"


def boto_client(url: str, *, secret: str | None = None, key: str | None = None, **cfg: Any) -> Any:
    """A boto3 Lambda client for the emulator, no retries unless asked for."""
    creds = pawslocal.DEFAULT_CREDENTIALS
    return boto3.client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key or creds.access_key_id,
        aws_secret_access_key=secret or creds.secret_access_key,
        config=BotoConfig(
            retries={"total_max_attempts": cfg.pop("max_attempts", 1), "mode": "standard"},
            read_timeout=cfg.pop("read_timeout", 30),
            **cfg,
        ),
    )


def python_env() -> dict[str, str]:
    """The environment for Python subprocesses, minus LD_LIBRARY_PATH.

    rpy2 (imported by other test packages in the same session) points
    LD_LIBRARY_PATH at the system libraries, which would make a child interpreter
    load the system libpython and lose this interpreter's site-packages.
    """
    return {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}


def events(response: dict[str, Any]) -> list[dict[str, Any]]:
    """All events of an InvokeWithResponseStream response, in order."""
    return list(response["EventStream"])


def payload_chunks(evs: list[dict[str, Any]]) -> list[bytes]:
    """The payloads of the PayloadChunk events."""
    return [e["PayloadChunk"]["Payload"] for e in evs if "PayloadChunk" in e]


def signed_request(
    url: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    preload: bool = True,
) -> urllib3.BaseHTTPResponse:
    """POST a SigV4-signed request (botocore's signer) with urllib3; raw response."""
    return _POOL.request(
        "POST",
        url + path,
        body=body,
        headers=signed_headers(url, path, body, headers),
        preload_content=preload,
        retries=False,
        timeout=urllib3.Timeout(connect=5, read=30),
    )


def signed_headers(
    url: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> dict[str, str]:
    """Headers of a POST signed with the default keys by botocore's SigV4 signer."""
    creds = pawslocal.DEFAULT_CREDENTIALS
    request = AWSRequest(method="POST", url=url + path, data=body, headers=headers or {})
    SigV4Auth(
        BotoCredentials(creds.access_key_id, creds.secret_access_key), "lambda", "us-east-1"
    ).add_auth(request)
    return dict(request.headers.items())


def stream_path(function: str) -> str:
    """The InvokeWithResponseStream path of a function."""
    return f"/2021-11-15/functions/{function}/response-streaming-invocations"


_POOL = urllib3.PoolManager(maxsize=128)
