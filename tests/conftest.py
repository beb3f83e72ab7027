"""Session-wide guards shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Starting R inside this process (rpy2, imported while tests are collected) sets
# LD_LIBRARY_PATH to the system library folder; a Python child started after that
# loads the system libpython instead of this interpreter's and cannot import its
# packages. The variable is put back as the session found it before any fixture or
# test runs (autouse fixtures of a scope come first), and again before each test.
_ORIGINAL_LD_LIBRARY_PATH = os.environ.get("LD_LIBRARY_PATH")


def _restore() -> None:
    if _ORIGINAL_LD_LIBRARY_PATH is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = _ORIGINAL_LD_LIBRARY_PATH


@pytest.fixture(scope="session", autouse=True)
def _restore_ld_library_path_for_session() -> None:
    _restore()


@pytest.fixture(autouse=True)
def _restore_ld_library_path() -> Iterator[None]:
    _restore()
    yield
