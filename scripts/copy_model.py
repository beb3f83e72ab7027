"""Copy one service's model files from botocore into a folder.

Usage: python scripts/copy_model.py SERVICE API_VERSION DEST [BOTOCORE]
       python scripts/copy_model.py --version [BOTOCORE]

BOTOCORE is a botocore wheel (``botocore-1.44.8-py3-none-any.whl``, as ``pip download
--no-deps botocore==1.44.8`` fetches it) or a folder holding botocore's package
(``.../site-packages`` or ``.../botocore``); without it, the installed botocore.
JSON files are stored decompressed with 2-space indents so diffs read well. Beside the
service's own files this copies botocore's ``partitions.json`` (the partition table the
endpoint rules engine reads; botocore keeps it at the top of its data folder).
``--version`` prints the botocore version the files would come from.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import zipfile
from pathlib import Path

MODEL_FILES = (
    "service-2.json",
    "paginators-1.json",
    "waiters-2.json",
    "examples-1.json",
    "endpoint-rule-set-1.json",
)


class Source:
    """botocore's data folder, read from an installed package, a folder or a wheel."""

    def __init__(self, spec: str | None) -> None:
        self.wheel: zipfile.ZipFile | None = None
        self.root: Path | None = None
        if spec is None:
            import botocore

            self.root = Path(botocore.__file__).resolve().parent
        elif spec.endswith(".whl"):
            self.wheel = zipfile.ZipFile(spec)
        else:
            folder = Path(spec)
            self.root = folder / "botocore" if (folder / "botocore").is_dir() else folder
            if not (self.root / "data").is_dir():
                raise SystemExit(f"copy_model: {spec} holds no botocore/data folder")

    def read(self, rel: str) -> bytes | None:
        """The bytes of ``botocore/<rel>``; None when there is no such file."""
        if self.wheel is not None:
            try:
                return self.wheel.read(f"botocore/{rel}")
            except KeyError:
                return None
        assert self.root is not None
        path = self.root / rel
        return path.read_bytes() if path.exists() else None

    def version(self) -> str:
        """botocore's ``__version__``."""
        init = (self.read("__init__.py") or b"").decode("utf-8")
        match = re.search(r"^__version__ = ['\"]([^'\"]+)['\"]", init, re.M)
        if match is None:
            raise SystemExit("copy_model: no __version__ in botocore/__init__.py")
        return match.group(1)


def main(service: str, api_version: str, dest: str, spec: str | None = None) -> None:
    """Write the model files of ``service`` found in botocore into ``dest``."""
    source = Source(spec)
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    found = 0
    files = [(f"data/{service}/{api_version}/{name}", name) for name in MODEL_FILES]
    for rel, name in [*files, ("data/partitions.json", "partitions.json")]:
        plain, packed = source.read(rel), source.read(rel + ".gz")
        if plain is not None:
            data = json.loads(plain.decode("utf-8"))
        elif packed is not None:
            data = json.loads(gzip.decompress(packed).decode("utf-8"))
        else:
            continue
        found += 1
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        (out / name).write_text(text, encoding="utf-8")
    if not found:
        raise SystemExit(f"copy_model: botocore has no {service}/{api_version} model")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--version"] and len(args) <= 2:
        print(Source(args[1] if len(args) == 2 else None).version())
    elif len(args) in (3, 4):
        main(*args)
    else:
        sys.exit(__doc__)
