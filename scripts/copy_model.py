"""Copy one service's model files from the installed botocore into a folder.

Usage: python scripts/copy_model.py SERVICE API_VERSION DEST
service-2.json is stored decompressed with 2-space indents so diffs read well.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import botocore


def main(service: str, api_version: str, dest: str) -> None:
    """Write service-2.json, paginators-1.json, waiters-2.json and examples-1.json into ``dest``."""
    src = Path(botocore.__file__).parent / "data" / service / api_version
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("service-2.json", "paginators-1.json", "waiters-2.json", "examples-1.json"):
        plain, packed = src / name, src / (name + ".gz")
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
