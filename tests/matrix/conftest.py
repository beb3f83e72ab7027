"""Fixtures for the parity matrix: moto's server as STS, the stand-ins, and the results
of every row for every client, computed once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.motoserver import moto_server

from . import runner
from .rows import ROWS, Row
from .standins import StandIns, serve


@pytest.fixture(scope="session")
def moto_sts() -> Iterator[str]:
    """moto's server on loopback, for the session."""
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def standins(moto_sts: str) -> Iterator[StandIns]:
    """The loopback stand-ins (capture, STS via moto, ECS, IMDS, SSO, OIDC)."""
    with serve(moto_sts) as state:
        yield state


class MatrixRun:
    """Every row's observations for every client."""

    def __init__(self, standins: StandIns, rows: list[Row], root: Path) -> None:
        self.standins = standins
        self.rows = {row.name: row for row in rows}
        self.host = f"127.0.0.1:{standins.port}"
        self.results: dict[tuple[str, str], list[runner.Result]] = {}
        self.setups: dict[tuple[str, str], runner.Setup] = {}
        for row in rows:
            for client in runner.CLIENTS:
                self.setups[(row.name, client)] = runner.prepare(row, client, root, standins.url)
        # R runs every row in one process while botocore and Python run here.
        proc = runner.start_r([self.setups[(r.name, "r")] for r in rows], root)
        try:
            for row in rows:
                if not (row.differs and row.differs[1].get("skip")):
                    self.results[(row.name, "botocore")] = runner.run_botocore(
                        self.setups[(row.name, "botocore")]
                    )
                self.results[(row.name, "python")] = runner.run_python(
                    self.setups[(row.name, "python")]
                )
        finally:
            r_results = runner.finish_r(proc, root)
        for name, results in r_results.items():
            self.results[(name, "r")] = results

    def observations(self, row: str, client: str) -> list[runner.Observation] | None:
        """What a client did in a row (None when it did not run)."""
        results = self.results.get((row, client))
        if results is None:
            return None
        return runner.observe(self.standins, self.setups[(row, client)], results)


@pytest.fixture(scope="session")
def matrix(standins: StandIns, tmp_path_factory: pytest.TempPathFactory) -> MatrixRun:
    """Run the whole matrix once."""
    return MatrixRun(standins, ROWS, tmp_path_factory.mktemp("matrix"))
