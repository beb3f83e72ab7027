"""The README's R-only install: build the two tarballs and install them with R alone.

No Python is involved in the steps the README gives (R CMD build, R CMD INSTALL into
a library); this runs exactly those in a scratch folder and loads the result in a
fresh R with only that library, so an R user without Python can follow them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_tarballs_build_install_and_load_without_python(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    # Only R's own settings: no PYTHONPATH, no R_LIBS pointing at a test library.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "R_LIBS"))}
    for pkg in ("pawscore", "pawslambda"):
        _run(["R", "CMD", "build", "--no-build-vignettes", str(ROOT / "r" / pkg)], tmp_path, env)
    tarballs = sorted(tmp_path.glob("*.tar.gz"))
    assert [t.name.split("_")[0] for t in tarballs] == ["pawscore", "pawslambda"]
    _run(["R", "CMD", "INSTALL", f"--library={lib}", *map(str, tarballs)], tmp_path, env)
    out = _run(
        [
            "Rscript",
            "-e",
            f".libPaths('{lib}'); library(pawslambda); "
            "cat(find.package('pawslambda'), packageVersion('pawscore') >= '0.1.0', "
            "is.function(lambda_invoke_with_response_stream), sep = '\\n')",
        ],
        tmp_path,
        env,
    )
    where, new_enough, exported = out.strip().splitlines()
    assert Path(where).parent == lib
    assert new_enough == "TRUE" and exported == "TRUE"
