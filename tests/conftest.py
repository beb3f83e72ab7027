"""Session-wide set-up shared by every test folder: the private R library, env guards."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rlib import session_library

# The tree's R packages, installed into a private library (tests/rlib.py). Set before
# any test module is imported: rpy2 starts R on import and reads R_LIBS then.
_R_LIB_VAR = "PAWSGEN_R_LIB"


def pytest_configure(config: pytest.Config) -> None:
    """Put the session's private R library first in R_LIBS for every R this run starts."""
    if shutil.which("R") is None:
        return
    try:
        lib = session_library()
    except RuntimeError as e:
        raise pytest.UsageError(str(e)) from None
    os.environ[_R_LIB_VAR] = str(lib)
    previous = os.environ.get("R_LIBS")
    os.environ["R_LIBS"] = str(lib) + (os.pathsep + previous if previous else "")


@pytest.fixture(scope="session")
def r_lib() -> Path:
    """The private R library holding this tree's R packages (first in R_LIBS)."""
    lib = os.environ.get(_R_LIB_VAR)
    if not lib:
        pytest.fail("R is not installed: the R tests need it")
    return Path(lib)


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
    # A test that starts R itself (rpy2 imported in its body) must not leave the
    # variable set for the module-scoped fixtures that start Python children next.
    _restore()
