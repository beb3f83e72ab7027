"""An emulator process for the end-to-end tests, with its access log readable."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pawslambda
import pawslocal
import pytest
from pawslambda.errors import ResourceNotFoundException

FUNCTIONS_FILE = Path(__file__).with_name("e2e_functions.py")
CONFIG_FILE = Path(__file__).with_name("e2e_pawslocal.toml")


@dataclass
class Emulator:
    """A running pawslocal process: its URL and its access log."""

    url: str
    log_path: Path

    def posts_between_markers(self, run: Callable[[], object]) -> list[str]:
        """The POSTs the emulator received while ``run()`` ran.

        A request to a unique, unknown function name is sent before and after ``run()``
        (each answers 404 and is logged); the POSTs logged between those two lines are
        what ``run()`` sent. Waiting for the marker lines, not for a fixed time, keeps
        this free of timing assumptions.
        """
        first, last = self._mark(), None
        run()
        last = self._mark()
        lines = self._wait_for(last)
        start = next(i for i, line in enumerate(lines) if first in line)
        end = next(i for i, line in enumerate(lines) if last in line)
        return [line for line in lines[start + 1 : end] if "POST" in line]

    def _mark(self) -> str:
        name = f"marker-{uuid.uuid4().hex}"
        svc = pawslambda.client(self.config)
        try:
            svc.invoke_with_response_stream(FunctionName=name)
        except ResourceNotFoundException:
            pass
        self._wait_for(name)
        return name

    def _wait_for(self, text: str, deadline_s: float = 30) -> list[str]:
        deadline = time.monotonic() + deadline_s
        while True:
            lines = self.log_path.read_text(encoding="utf-8").splitlines()
            if any(text in line for line in lines):
                return lines
            if time.monotonic() > deadline:
                raise AssertionError(f"the emulator never logged {text}")
            time.sleep(0.01)

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
        pawslocal.serve_process(FUNCTIONS_FILE, config=CONFIG_FILE, log=log) as url,
    ):
        yield Emulator(url=url, log_path=log_path)
