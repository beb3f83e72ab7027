"""The endpoint rule set and partition table, shipped as data in each generated package.

Both files are copied byte for byte from beside the model (``endpoint-rule-set-1.json``
and ``partitions.json``, pinned by ``scripts/copy_model.py``). The runtimes find them in
the package that holds the generated client (docs/contracts.md, section 1c); nothing in
the API data points at them.
"""

from __future__ import annotations

from pathlib import Path

RULE_SET = "endpoint-rule-set-1.json"
PARTITIONS = "partitions.json"


def endpoint_files(model_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(Python files, R files) to add to the generated packages; empty without a rule set."""
    folder = model_path.parent
    if not (folder / RULE_SET).exists():
        return {}, {}
    if not (folder / PARTITIONS).exists():
        raise ValueError(f"{folder / RULE_SET} needs {PARTITIONS} beside it")
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in (RULE_SET, PARTITIONS)}
    python_files = dict(texts)
    r_files = {f"inst/{name}": text for name, text in texts.items()}
    return python_files, r_files
