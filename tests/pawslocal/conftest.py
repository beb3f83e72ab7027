"""Fixtures: one emulator with the example functions and config, and a boto3 client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pawslocal
import pytest
from local_helpers import CONFIG, FUNCTIONS, boto_client


@pytest.fixture(scope="session")
def url() -> Iterator[str]:
    """An emulator serving examples/functions.py with examples/pawslocal.toml."""
    with pawslocal.serve(functions=FUNCTIONS, config=CONFIG) as base:
        yield base


@pytest.fixture(scope="session")
def lam(url: str) -> Any:
    """A boto3 Lambda client pointed at the session emulator."""
    return boto_client(url)
