"""``x-amz-crc32`` (DynamoDB's whole-body CRC-32): a damaged body is never returned.

Both clients check a buffered 2xx body against the header when it is there, retry a
mismatch as a transport failure (as botocore does), and raise the typed connection
error once attempts run out. A header that is not a CRC-32 value fails the same way.
Each case runs in Python and in R against its own raw server on 127.0.0.1; the server
counts the attempts. botocore, on the same bytes, refuses the same bodies.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pawscore
import pytest
from pawsdynamodb import client as dynamodb_client
from pawslambda import client as lambda_client

from .rrun import Case, Result, run_python, run_r
from .wire import reply_with, wire_server

GOOD = b'{"Policy":"good","RevisionId":"r1"}'
DAMAGED = GOOD.replace(b"good", b"gooe")  # same length, one bit of difference
CRC = str(zlib.crc32(GOOD))


def _reply(body: bytes, crc: str | None, name: str = "x-amz-crc32") -> bytes:
    return reply_with(200, body, {name: crc} if crc is not None else None)


def _want_good_policy(out: dict[str, Any]) -> None:
    if out.get("Policy") != "good":
        raise AssertionError(f"returned {out!r}")


PY_CALL = lambda svc: _want_good_policy(svc.get_policy(FunctionName="f"))  # noqa: E731
R_CALL = 'out <- svc$get_policy(FunctionName = "f"); stopifnot(identical(out$Policy, "good"))'


def _case(id: str, expect: str, reply: bytes, attempts: int, **kw: Any) -> Case:
    return Case(id, PY_CALL, R_CALL, expect, reply, config={"max_attempts": attempts}, **kw)


# id -> (case, requests the server must have received)
CASES = {
    c.id: (c, n)
    for c, n in [
        (_case("crc-matches", "ok", _reply(GOOD, CRC), 3), 1),
        (_case("crc-header-any-case", "ok", _reply(GOOD, CRC, "X-Amz-Crc32"), 3), 1),
        (_case("no-crc-header", "ok", _reply(GOOD, None), 3), 1),
        (_case("damaged-then-good", "ok", _reply(DAMAGED, CRC), 3, later=[_reply(GOOD, CRC)]), 2),
        (_case("always-damaged", "connection", _reply(DAMAGED, CRC), 2), 2),
        (_case("crc-not-a-number", "connection", _reply(GOOD, "abc"), 1), 1),
        (_case("crc-negative", "connection", _reply(GOOD, "-" + CRC), 1), 1),
        (_case("crc-above-32-bits", "connection", _reply(GOOD, str(2**32 + int(CRC))), 1), 1),
    ]
}


@pytest.fixture(scope="module")
def r_results() -> Iterator[dict[str, Result]]:
    with run_r([case for case, _ in CASES.values()]) as results:
        yield results


def _check(result: Result, case: Case, requests: int) -> None:
    assert result.outcome.get("error", "ok") == case.expect, result.outcome
    assert len(result.server.requests()) == requests
    if case.expect == "connection":
        assert "x-amz-crc32" in result.outcome["message"]


@pytest.mark.parametrize("case_id", list(CASES))
def test_python(case_id: str) -> None:
    case, requests = CASES[case_id]
    _check(run_python(case), case, requests)


@pytest.mark.parametrize("case_id", list(CASES))
def test_r(case_id: str, r_results: dict[str, Result]) -> None:
    case, requests = CASES[case_id]
    _check(r_results[case_id], case, requests)


def test_python_raises_the_checksum_error_class() -> None:
    case, _ = CASES["always-damaged"]
    with case.server() as server:
        svc = lambda_client(
            {
                "region": "us-east-1",
                "endpoint": server.url,
                "max_attempts": 1,
                "credentials": {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}},
            }
        )
        with pytest.raises(pawscore.ResponseChecksumError, match="damaged on the way"):
            svc.get_policy(FunctionName="f")
        assert isinstance(pawscore.ResponseChecksumError("x"), pawscore.HttpError)


TABLES = b'{"TableNames":["a","b"]}'


@pytest.mark.parametrize(
    ("crc", "fine"),
    [(str(zlib.crc32(TABLES)), True), (str(zlib.crc32(TABLES) ^ 1), False)],
)
def test_dynamodb_agrees_with_botocore(crc: str, fine: bool) -> None:
    """botocore (legacy retries, which check the CRC) and pawsdynamodb on the same bytes."""
    reply = reply_with(
        200, TABLES, {"x-amz-crc32": crc, "Content-Type": "application/x-amz-json-1.0"}
    )
    with wire_server(reply) as server:
        boto = boto3.client(
            "dynamodb",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AK",
            aws_secret_access_key="SK",
            config=botocore.config.Config(retries={"mode": "legacy", "max_attempts": 1}),
        )
        ours = dynamodb_client(
            {
                "region": "us-east-1",
                "endpoint": server.url,
                "max_attempts": 2,
                "credentials": {"creds": {"access_key_id": "AK", "secret_access_key": "SK"}},
            }
        )
        if fine:
            assert (
                ours.list_tables()["TableNames"] == boto.list_tables()["TableNames"] == ["a", "b"]
            )
            return
        with pytest.raises(botocore.exceptions.ChecksumError):
            boto.list_tables()
        botocore_tries = len(server.requests())
        with pytest.raises(pawscore.ResponseChecksumError):
            ours.list_tables()
        assert botocore_tries == 2  # legacy max_attempts=1 means one retry in botocore
        assert len(server.requests()) - botocore_tries == 2
