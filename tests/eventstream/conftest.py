"""An R library holding this tree's pawscore, for the R and parity tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .shared import ROOT


@pytest.fixture(scope="session")
def r_lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install r/pawscore (a clean copy, so no build files land in the tree) once.

    ``PAWSCORE_R_LIB`` names a library that already holds it, to skip the build.
    """
    given = os.environ.get("PAWSCORE_R_LIB")
    if given:
        return Path(given)
    base = tmp_path_factory.mktemp("r")
    source = base / "src" / "pawscore"
    shutil.copytree(
        ROOT / "r" / "pawscore",
        source,
        ignore=shutil.ignore_patterns("*.o", "*.so", "*.dll"),
    )
    lib = base / "lib"
    lib.mkdir()
    proc = subprocess.run(
        ["R", "CMD", "INSTALL", "--no-docs", f"--library={lib}", str(source)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return lib
