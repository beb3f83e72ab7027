"""The parity matrix: in every setup, botocore, pawslambda (Python) and pawslambda (R)
sign with the same key for the same region and service at the same host, or fail
with the same kind of error, sending the same number of requests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import MatrixRun
from .rows import ROWS
from .runner import expected


@pytest.mark.parametrize("name", [row.name for row in ROWS])
def test_row(matrix: MatrixRun, name: str) -> None:
    """One row: each client does what the row expects, and Python and R match botocore."""
    row = matrix.rows[name]
    want = expected(row, matrix.host)
    python = matrix.observations(name, "python")
    r = matrix.observations(name, "r")
    botocore = matrix.observations(name, "botocore")
    messages = {
        client: [res.get("message", "") for res in matrix.results[(name, client)]]
        for client in ("python", "r")
    }
    assert python == want, f"Python: {python} != {want}\n{messages['python']}"
    assert r == want, f"R: {r} != {want}\n{messages['r']}"
    if row.differs is None:
        assert botocore == want, f"botocore: {botocore} != {want}"
    elif not row.differs[1].get("skip"):
        assert botocore == expected(row, matrix.host, row.differs[1]), botocore
    for client, texts in messages.items():
        errors = [t for t in texts if t]
        for needle in row.messages:
            assert all(needle in t for t in errors), f"{client}: {needle!r} not in {errors}"
        # Every secret in the setups is spelled s3cr3t...: none may reach a message.
        assert not any("s3cr3t" in t for t in errors), f"{client} leaked a secret: {errors}"


def test_user_agents(matrix: MatrixRun) -> None:
    """Both languages say who they are, as AWS SDKs do."""
    agents = {c.client: c.user_agent for c in matrix.standins.captures}
    assert re.fullmatch(
        r"pawsgen/\d+\.\d+\.\d+ ua/2\.1 os/\w+ lang/python#3\.\d+\.\d+ md/urllib3#[\w.]+",
        agents["python"],
    ), agents["python"]
    assert re.fullmatch(
        r"pawsgen/\d+\.\d+\.\d+ ua/2\.1 os/\w+ lang/r#4\.\d+\.\d+ md/curl#[\w.]+", agents["r"]
    ), agents["r"]


def test_matrix_is_large_enough() -> None:
    """The matrix covers at least 30 credential, precedence, refresh, retry and failure rows."""
    assert len(ROWS) >= 30
    assert len({row.name for row in ROWS}) == len(ROWS)


def test_every_deliberate_difference_is_documented() -> None:
    """A row that lets botocore differ names itself in docs/botocore-differences.md."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "botocore-differences.md").read_text()
    differing = [row for row in ROWS if row.differs]
    assert differing
    for row in differing:
        assert f"`{row.name}`" in doc, row.name
