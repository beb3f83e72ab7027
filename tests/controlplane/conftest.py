"""moto's server as Lambda's control plane, in a child process on loopback."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.motoserver import moto_server

ACCESS_KEY_ID = "AKIDMOTOTEST"
SECRET_ACCESS_KEY = "moto-test-secret"  # moto accepts any key pair
REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """The base URL of a moto server (Lambda, IAM) for the session."""
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def boto_kwargs(moto_url: str) -> dict[str, Any]:
    """Keyword arguments for a boto3 client of the moto server."""
    return {
        "endpoint_url": moto_url,
        "region_name": REGION,
        "aws_access_key_id": ACCESS_KEY_ID,
        "aws_secret_access_key": SECRET_ACCESS_KEY,
    }


@pytest.fixture(scope="session")
def paws_config(moto_url: str) -> dict[str, Any]:
    """A pawslambda config (paws' shape) for the moto server."""
    creds = {"access_key_id": ACCESS_KEY_ID, "secret_access_key": SECRET_ACCESS_KEY}
    return {"region": REGION, "endpoint": moto_url, "credentials": {"creds": creds}}


@pytest.fixture(scope="session")
def role_arn(boto_kwargs: dict[str, Any]) -> str:
    """An IAM role for functions (moto checks that it exists)."""
    iam = boto3.client("iam", **boto_kwargs)
    policy = {"Version": "2012-10-17", "Statement": []}
    role = iam.create_role(RoleName="pawsgen-test", AssumeRolePolicyDocument=json.dumps(policy))
    return role["Role"]["Arn"]


def zip_bytes() -> bytes:
    """A deployment package holding one Python handler."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()
