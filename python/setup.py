"""Build hook for the optional C accelerator ``pawscore._native``.

Everything else about the distribution is in pyproject.toml.  The extension is
optional: without a C compiler the install still succeeds and pawscore uses its
pure-Python decoder.  Its CRC-32 is the R package's own file
(``r/pawscore/src/crc32.c``, compiled through ``native/crc32_shared.c``), so the
build runs from this source tree (``pip install ./python``, or
``scripts/build_native.py`` for the in-place build the editable install uses).
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent
R_SRC = HERE.parent / "r" / "pawscore" / "src"

NATIVE = Extension(
    "pawscore._native",
    sources=["native/eventstream.c", "native/crc32_shared.c"],
    include_dirs=[str(R_SRC)],
    depends=[str(R_SRC / "crc32.c"), str(R_SRC / "crc32.h")],
    # scripts/build_native.py requires it (a failure is an error there)
    optional=os.environ.get("PAWSCORE_NATIVE_REQUIRED") != "1",
)

setup(ext_modules=[NATIVE])
