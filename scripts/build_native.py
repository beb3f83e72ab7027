"""Build ``pawscore._native`` into the source tree (python/pawscore/_native*.so, gitignored).

The editable install and pytest import pawscore from python/, so the C accelerator
is built there, beside the sources.  Does nothing when the built module is newer
than every C source it is made from; ``--force`` rebuilds anyway.  Called by
scripts/setup.sh (so by ``make setup``, ``make test`` and ``make demo``).

    python scripts/build_native.py [--force]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_DIR = ROOT / "python"
BUILD_LIB = PYTHON_DIR / "build" / "native"  # gitignored
SOURCES = [
    PYTHON_DIR / "setup.py",
    *sorted((PYTHON_DIR / "native").glob("*.c")),
    ROOT / "r" / "pawscore" / "src" / "crc32.c",
    ROOT / "r" / "pawscore" / "src" / "crc32.h",
]


def target() -> Path:
    """Where the in-place build puts the module for this interpreter."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    return PYTHON_DIR / "pawscore" / f"_native{suffix}"


def stale(out: Path) -> bool:
    """True when ``out`` is missing or older than one of its sources."""
    if not out.exists():
        return True
    built = out.stat().st_mtime
    return any(src.stat().st_mtime > built for src in SOURCES)


def main() -> int:
    """Build when stale; exit status 1 when the build fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args()
    out = target()
    if not args.force and not stale(out):
        return 0
    print(f"build_native: building {out.relative_to(ROOT)}", flush=True)
    # Built aside, then renamed into place: a process that has the old module
    # loaded keeps its (unlinked) file instead of seeing it rewritten under it.
    build = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--build-lib", str(BUILD_LIB), "--force"],
        cwd=PYTHON_DIR,
        env={**os.environ, "PAWSCORE_NATIVE_REQUIRED": "1"},
        capture_output=True,
        text=True,
    )
    built = BUILD_LIB / out.relative_to(PYTHON_DIR)
    if build.returncode != 0 or not built.exists():
        sys.stderr.write(build.stdout + build.stderr)
        sys.stderr.write(f"build_native: could not build {out.name}\n")
        return 1
    os.replace(built, out)  # keeps the link time: newer than the sources it was built from
    return 0


if __name__ == "__main__":
    sys.exit(main())
