"""Every R path of the session loads the tree's R packages from the private library."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.rlib import r_packages, tree_hash

PACKAGES = [p.name for p in r_packages()]


def test_the_library_is_built_from_this_tree(r_lib: Path) -> None:
    assert r_lib.name == tree_hash(r_packages())
    assert (r_lib / ".complete").exists()
    assert sorted(p.name for p in r_lib.iterdir() if p.is_dir()) == sorted(PACKAGES)


def test_pawscore_comes_before_the_packages_that_import_it() -> None:
    assert PACKAGES[0] == "pawscore"


@pytest.mark.parametrize("package", PACKAGES)
def test_rscript_finds_the_package_in_the_session_library(package: str, r_lib: Path) -> None:
    done = subprocess.run(
        ["Rscript", "--vanilla", "-e", f'cat(find.package("{package}"))'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout).resolve() == (r_lib / package).resolve()


def test_rpy2_finds_pawscore_in_the_session_library(r_lib: Path) -> None:
    from rpy2 import robjects as ro

    found = ro.r('find.package("pawscore")')[0]
    assert Path(found).resolve() == (r_lib / "pawscore").resolve()
