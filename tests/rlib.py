"""The private R library every test session uses: the tree's R packages, installed.

``tests/conftest.py`` calls :func:`session_library` before any test module is imported
(rpy2 starts R on import and reads ``R_LIBS`` then) and puts the library first in
``R_LIBS``, so Rscript, ``R CMD`` and rpy2 all load the packages of this working tree
and never a copy in the system library. The library is keyed by a hash of the
packages' files: an R edit gives a new key and a fresh install; an unchanged tree
reuses the last one (``build/rlib/<hash>/``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.paths import R_PACKAGES, REPO

BUILD = REPO / "build" / "rlib"
# Build products that may sit in a source folder and are not part of the package.
_IGNORED = ("*.o", "*.so", "*.dll", "*.Rcheck", ".Rhistory")


def r_packages() -> list[Path]:
    """The R packages of the tree, each after the local packages it imports."""
    found = {p.parent.name: p.parent for p in sorted(R_PACKAGES.glob("*/DESCRIPTION"))}

    def deps(name: str) -> set[str]:
        text = (found[name] / "DESCRIPTION").read_text(encoding="utf-8")
        return {other for other in found if other != name and other in text}

    ordered: list[str] = []
    while len(ordered) < len(found):
        ready = [n for n in found if n not in ordered and deps(n) <= set(ordered)]
        ordered += ready or [n for n in found if n not in ordered]  # a cycle: any order
    return [found[n] for n in ordered]


def tree_hash(packages: list[Path]) -> str:
    """A hash of every file of the packages (paths and contents), build products aside."""
    digest = hashlib.sha256()
    ignore = shutil.ignore_patterns(*_IGNORED)
    for pkg in packages:
        for path in sorted(pkg.rglob("*")):
            if not path.is_file() or ignore(str(path.parent), [path.name]):
                continue
            if path.relative_to(pkg).parts[0] == "tests":
                continue  # not installed: a test edit needs no new library
            digest.update(path.relative_to(R_PACKAGES).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def session_library() -> Path:
    """Install the tree's R packages (once per tree state); the library's folder.

    Raises RuntimeError with R's output when an install fails.
    """
    packages = r_packages()
    lib = BUILD / tree_hash(packages)
    BUILD.mkdir(parents=True, exist_ok=True)
    with (BUILD / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another session may be installing the same
        if (lib / ".complete").exists():
            return lib
        with tempfile.TemporaryDirectory(dir=BUILD, prefix="tmp-") as tmp:
            staging = Path(tmp) / "lib"
            staging.mkdir()
            for pkg in packages:
                # Install from a copy, so no object files land in the source tree.
                source = Path(tmp) / "src" / pkg.name
                shutil.copytree(pkg, source, ignore=shutil.ignore_patterns(*_IGNORED))
                done = subprocess.run(
                    ["R", "CMD", "INSTALL", "--no-multiarch", "-l", str(staging), str(source)],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "R_LIBS": str(staging)},
                    check=False,
                )
                if done.returncode != 0:
                    raise RuntimeError(
                        f"R CMD INSTALL {pkg.relative_to(REPO)} failed:\n"
                        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
                    )
            (staging / ".complete").write_text("installed from the working tree\n")
            staging.rename(lib)
            # Keep this library and the one before it (a session may still use it).
            kept = sorted(
                (d for d in BUILD.iterdir() if d.is_dir() and not d.name.startswith("tmp-")),
                key=lambda d: d.stat().st_mtime,
                reverse=True,
            )
            for old in kept[2:]:
                shutil.rmtree(old, ignore_errors=True)
    return lib
