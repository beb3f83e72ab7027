"""Copy one service's model files from the installed botocore into a folder.

Usage: python scripts/copy_model.py SERVICE API_VERSION DEST
JSON files are stored decompressed with 2-space indents so diffs read well. Beside the
service's own files this copies botocore's ``partitions.json`` (the partition table the
endpoint rules engine reads; botocore keeps it at the top of its data folder).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import botocore

MODEL_FILES = (
    "service-2.json",
    "paginators-1.json",
    "waiters-2.json",
    "examples-1.json",
    "endpoint-rule-set-1.json",
)


def main(service: str, api_version: str, dest: str) -> None:
    """Write the model files, the endpoint rule set and partitions.json into ``dest``."""
    data_dir = Path(botocore.__file__).parent / "data"
    src = data_dir / service / api_version
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    files = [(src, name) for name in MODEL_FILES] + [(data_dir, "partitions.json")]
    for folder, name in files:
        plain, packed = folder / name, folder / (name + ".gz")
        if plain.exists():
            data = json.loads(plain.read_text(encoding="utf-8"))
        elif packed.exists():
            data = json.loads(gzip.decompress(packed.read_bytes()).decode("utf-8"))
        else:
            continue
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        (out / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
