"""Load a model from disk, build the IR, render both packages and write them out."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from .argorder import lock_path, read_lock
from .ir import Service, build_service
from .python_out import render_python
from .r_out import render_r


def model_label(path: Path) -> str:
    """How generated files name their model: relative to the working directory when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def load_service(
    model_path: Path, operations: list[str] | None = None, label: str | None = None
) -> Service:
    """The IR of the model at ``model_path``.

    ``examples-1.json``, ``paginators-1.json``, ``waiters-2.json`` and the argument-order
    lock ``argument-order.json`` are read from beside the model when they exist.
    """
    raw = model_path.read_bytes()
    model = json.loads(raw)
    examples = _beside(model_path, "examples-1.json")
    return build_service(
        model,
        model_file=label or model_label(model_path),
        checksum=hashlib.sha256(raw).hexdigest(),
        examples=examples,
        operations=operations,
        argument_order=read_lock(lock_path(model_path)),
        paginators=_beside(model_path, "paginators-1.json"),
        waiters=_beside(model_path, "waiters-2.json"),
    )


def _beside(model_path: Path, name: str) -> dict[str, Any] | None:
    """A botocore side file (examples, paginators, waiters) next to the model, if any."""
    path = model_path.with_name(name)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def render_all(service: Service) -> tuple[dict[str, str], dict[str, str]]:
    """(Python files, R files), each keyed by path relative to its package root."""
    return render_python(service), render_r(service)


def write_tree(files: dict[str, str], root: Path) -> None:
    """Replace ``root`` with exactly ``files``: stale generated files do not survive."""
    if root.exists():
        shutil.rmtree(root)
    for rel, text in sorted(files.items()):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def read_tree(root: Path) -> dict[str, str]:
    """The files under ``root`` as written by :func:`write_tree` (caches ignored)."""
    out: dict[str, str] = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out[path.relative_to(root).as_posix()] = path.read_bytes().decode("utf-8", "replace")
    return out
