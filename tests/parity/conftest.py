"""Fixtures for the parity tests: one emulator, and the three clients pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pawslocal
import pytest

from tests.paths import REPO

ROOT = REPO


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """A pawslocal emulator serving the parity functions, for the whole session."""
    # A separate process: R runs inside this one through rpy2 and holds it while it
    # waits for the server, so an in-process server thread could never answer.
    with pawslocal.serve_process(Path(__file__).with_name("parity_functions.py")) as url:
        yield url


@pytest.fixture(scope="session")
def api() -> dict:
    """The generated API data the Python client uses (the R client has the same)."""
    from pawslambda._api import API

    return API


@pytest.fixture(scope="session")
def model_file() -> Path:
    """The pinned model, as JSON."""
    return ROOT / "models" / "lambda" / "2015-03-31" / "service-2.json"


def load_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
