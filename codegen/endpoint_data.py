"""The endpoint rule set and partition table, shipped as data in each generated package.

Both files are copied byte for byte from beside the model (``endpoint-rule-set-1.json``
and ``partitions.json``, pinned by ``scripts/copy_model.py``); for a model read from the
installed botocore the rule set may be ``.json.gz`` (decompressed here) and the
partitions come from botocore's data folder. The runtimes find them in
the package that holds the generated client (docs/contracts.md, section 1c); nothing in
the API data points at them.
"""

from __future__ import annotations

import gzip
from pathlib import Path

RULE_SET = "endpoint-rule-set-1.json"
PARTITIONS = "partitions.json"


def _text(path: Path) -> str | None:
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.exists():
            raw = candidate.read_bytes()
            return (gzip.decompress(raw) if candidate.suffix == ".gz" else raw).decode("utf-8")
    return None


def endpoint_files(model_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(Python files, R files) to add to the generated packages; empty without a rule set."""
    folder = model_path.parent
    rule_set = _text(folder / RULE_SET)
    if rule_set is None:
        return {}, {}
    # beside the model (pinned), else botocore's data/partitions.json
    partitions = _text(folder / PARTITIONS) or _text(folder.parent.parent / PARTITIONS)
    if partitions is None:
        raise ValueError(f"{folder / RULE_SET} needs {PARTITIONS} beside it")
    texts = {RULE_SET: rule_set, PARTITIONS: partitions}
    python_files = dict(texts)
    r_files = {f"inst/{name}": text for name, text in texts.items()}
    return python_files, r_files
