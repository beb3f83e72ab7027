"""Fixtures for the pawscore tests (defined in support.py)."""

import sys
from pathlib import Path

# tests/ is on sys.path (tests/python is a package), and tests/pawslocal would then
# shadow the real pawslocal package as a namespace package: put python/ first.
_PYTHON = str(Path(__file__).resolve().parents[2] / "python")
if _PYTHON not in sys.path:
    sys.path.insert(0, _PYTHON)

from .support import no_aws_env, server  # noqa: E402

__all__ = ["no_aws_env", "server"]
