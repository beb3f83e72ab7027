"""Load a model from disk or from botocore, build the IR, render both packages, write them."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from .argorder import LOCK_NAME, lock_path, read_lock
from .ir import Service, build_service
from .protocols import check_protocol
from .python_out import render_python
from .r_out import render_r
from .render import MARKER, REPO

_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NotGeneratedError(OSError):
    """An output folder holds files that pawsgen did not write: it is never deleted."""


def read_json(path: Path) -> tuple[dict[str, Any], bytes]:
    """``(parsed, raw bytes)`` of a JSON file; ``name.json.gz`` is decompressed first."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return json.loads(raw), raw


def _sibling(model_path: Path, stem: str) -> dict[str, Any] | None:
    """``<stem>.json`` or ``<stem>.json.gz`` beside the model, parsed; None when absent."""
    for name in (f"{stem}.json", f"{stem}.json.gz"):
        path = model_path.with_name(name)
        if path.exists():
            return read_json(path)[0]
    return None


def botocore_data() -> tuple[Path, str]:
    """(botocore's data folder, botocore's version) of the installed botocore."""
    import botocore

    return Path(botocore.__file__).resolve().parent / "data", botocore.__version__


def botocore_services() -> tuple[str, ...]:
    """The names of the services the installed botocore has models for (its folder names)."""
    data, _ = botocore_data()
    return tuple(sorted(p.name for p in data.iterdir() if p.is_dir() and any(p.iterdir())))


def botocore_model_path(service: str) -> Path:
    """The newest ``service-2.json[.gz]`` of ``service`` in the installed botocore."""
    data, _ = botocore_data()
    folder = data / service
    versions = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for version in reversed(versions):
        for name in ("service-2.json", "service-2.json.gz"):
            if (folder / version / name).exists():
                return folder / version / name
    raise KeyError(f"botocore {botocore_data()[1]} has no service called {service!r}")


def model_label(path: Path) -> str:
    """How generated files name their model, the same from any working directory.

    Relative to the repository inside it; ``botocore <version> data/...`` for botocore's
    own files; else the absolute path.
    """
    resolved = path.resolve()
    try:
        return resolved.relative_to(REPO).as_posix()
    except ValueError:
        pass
    data, version = botocore_data()
    try:
        return f"botocore {version} data/{resolved.relative_to(data).as_posix()}"
    except ValueError:
        return resolved.as_posix()


def _botocore_name(model_path: Path) -> str | None:
    """``lambda`` for ``.../lambda/2015-03-31/service-2.json``: the botocore folder layout."""
    version = model_path.parent
    if _API_VERSION.match(version.name):
        return version.parent.name
    return None


def load_service(
    model_path: Path,
    operations: list[str] | None = None,
    label: str | None = None,
    *,
    supported_only: bool = True,
) -> Service:
    """The IR of the model at ``model_path`` (``service-2.json`` or ``service-2.json.gz``).

    ``examples-1``, ``paginators-1``, ``waiters-2`` and ``endpoint-rule-set-1``
    (``.json`` or ``.json.gz``) and the argument-order lock ``argument-order.json`` are read from beside
    the model when they exist; for a model in the installed botocore, the lock comes from
    ``models/<service>/<version>/`` in this repository when it has one.
    """
    model, raw = read_json(model_path)
    name = _botocore_name(model_path)
    if supported_only:
        check_protocol(model.get("metadata", {}), name)
    lock = read_lock(lock_path(model_path))
    if lock is None and name is not None:
        lock = read_lock(REPO / "models" / name / model_path.parent.name / LOCK_NAME)
    service = build_service(
        model,
        model_file=label or model_label(model_path),
        checksum=hashlib.sha256(raw).hexdigest(),
        examples=_sibling(model_path, "examples-1"),
        paginators=_sibling(model_path, "paginators-1"),
        waiters=_sibling(model_path, "waiters-2"),
        rule_set=_sibling(model_path, "endpoint-rule-set-1"),
        operations=operations,
        argument_order=lock,
        botocore_name=name,
        botocore_names=botocore_services() if name is not None else (),
        supported_only=supported_only,
    )
    return replace(service, model_path=model_path)


def render_all(service: Service) -> tuple[dict[str, str], dict[str, str]]:
    """(Python files, R files), each keyed by path relative to its package root."""
    return render_python(service), render_r(service)


def is_generated(root: Path) -> bool:
    """True when ``root`` is empty or a file directly inside it carries pawsgen's marker."""
    entries = list(root.iterdir())
    if not entries:
        return True
    for path in entries:
        if path.is_file():
            with path.open("rb") as handle:
                if MARKER.encode() in handle.read(400):
                    return True
    return False


def write_tree(files: dict[str, str], root: Path) -> None:
    """Replace ``root`` with exactly ``files``: stale generated files do not survive.

    A folder that exists and holds no generated-code marker (a stamped file at its top)
    is refused with :class:`NotGeneratedError`, and nothing is deleted.
    """
    if root.exists():
        if not root.is_dir() or not is_generated(root):
            raise NotGeneratedError(
                f"{root} exists and was not generated by pawsgen (no file in it carries "
                f"{MARKER!r}); refusing to replace it"
            )
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
