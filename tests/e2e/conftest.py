"""An emulator process for the end-to-end tests, with its access log readable."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pawslocal
import pytest

FUNCTIONS_FILE = Path(__file__).with_name("e2e_functions.py")


@dataclass
class Emulator:
    """A running pawslocal process: its URL and its access log."""

    url: str
    log_path: Path

    def posts(self) -> list[str]:
        """The access-log lines of every POST the emulator has received so far."""
        time.sleep(0.05)  # the server writes its log line after the response is sent
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [line for line in lines if "POST" in line]

    @property
    def config(self) -> dict:
        """A pawslambda client config (Python shape) for this emulator."""
        return pawslocal.client_config(self.url)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """A pawslocal process serving e2e_functions.py, logging requests to a file."""
    log_path = tmp_path_factory.mktemp("emulator") / "access.log"
    with (
        log_path.open("w", encoding="utf-8") as log,
        pawslocal.serve_process(FUNCTIONS_FILE, log=log) as url,
    ):
        yield Emulator(url=url, log_path=log_path)
