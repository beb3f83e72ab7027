"""The argument-order lock: positional arguments that stay put when AWS inserts members.

botocore models sometimes gain a member in the middle of an input structure. In pure
model order that moves every later argument one place to the right, so a positional
call written against the older model silently passes its values to other members.
The lock file (``argument-order.json`` beside ``service-2.json``) records, for each
operation, the argument order already published::

    {"Invoke": ["FunctionName", "InvocationType", ...], ...}

The generator orders an operation's arguments as the lock's members that still exist
in the model, in lock order, then the members the lock does not name, in model order.
Without a lock file arguments follow the model. ``python -m codegen lock`` creates or
extends the lock from a (newer) model: existing entries keep their order, new members
are appended, new operations get model order, removed members are dropped with a
warning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LOCK_NAME = "argument-order.json"

Lock = dict[str, list[str]]


def lock_path(model_path: Path) -> Path:
    """Where the lock of the model at ``model_path`` lives: beside it."""
    return model_path.with_name(LOCK_NAME)


def read_lock(path: Path) -> Lock | None:
    """The lock at ``path``; None when there is no such file."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(op, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
        for op, names in data.items()
    ):
        raise ValueError(f"{path}: expected an object of operation -> list of member names")
    for op, names in data.items():
        if len(set(names)) != len(names):
            raise ValueError(f"{path}: {op} lists a member twice")
    return data


def dump_lock(lock: Lock) -> str:
    """The lock file's text: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(lock, indent=2, sort_keys=True) + "\n"


def write_lock(path: Path, lock: Lock) -> None:
    """Write ``lock`` to ``path`` (see :func:`dump_lock`)."""
    path.write_text(dump_lock(lock), encoding="utf-8")


def model_arguments(model: dict[str, Any]) -> Lock:
    """Each operation's input members in model order (an empty list without input)."""
    shapes = model.get("shapes", {})
    out: Lock = {}
    for name, op in model.get("operations", {}).items():
        input_name = op.get("input", {}).get("shape")
        members = shapes[input_name].get("members", {}) if input_name else {}
        out[name] = list(members)
    return out


def argument_order(model_order: Sequence[str], locked: Sequence[str] | None) -> list[str]:
    """Locked members still in the model (lock order), then the others (model order)."""
    if not locked:
        return list(model_order)
    present = set(model_order)
    head = [m for m in locked if m in present]
    taken = set(head)
    return head + [m for m in model_order if m not in taken]


def merge_lock(lock: Lock | None, model: dict[str, Any]) -> tuple[Lock, list[str]]:
    """``lock`` extended with ``model``: (new lock, warnings about what was dropped)."""
    lock = lock or {}
    current = model_arguments(model)
    merged: Lock = {}
    warnings: list[str] = []
    for op in sorted(lock.keys() - current.keys()):
        warnings.append(f"operation {op} is not in the model; dropped from the lock")
    for op, members in current.items():
        if op not in lock:
            merged[op] = list(members)
            continue
        gone = [m for m in lock[op] if m not in members]
        for m in gone:
            warnings.append(
                f"{op}: member {m} is not in the model; dropped from the lock "
                "(later positional arguments move one place left)"
            )
        merged[op] = argument_order(members, lock[op])
    return dict(sorted(merged.items())), warnings
