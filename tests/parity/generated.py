"""Service packages generated for a test from the installed botocore (``--service``).

The packages go to a temporary folder, so a test can use a service the repository does
not commit, and proves ``python -m codegen generate --service NAME`` works: Python
packages are imported from there, R packages installed into a library there and put
first on the embedded R's library path (rpy2).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from rpy2 import robjects as ro

ROOT = Path(__file__).resolve().parents[2]


class Generated:
    """Generated packages: Python modules imported, R packages installed in ``lib``.

    ``services`` maps each package suffix to (botocore service name, operations or None).
    """

    def __init__(self, root: Path, services: dict[str, tuple[str, list[str] | None]]) -> None:
        self.root = root
        self.python: dict[str, ModuleType] = {}
        self.lib = root / "rlib"
        self.lib.mkdir()
        sys.path.insert(0, str(root / "py"))
        self.services = services
        self.logs: dict[str, str] = {}
        for name, (service, ops) in services.items():
            pkg = f"paws{name}"
            cmd = [
                sys.executable, "-m", "codegen", "generate", "--service", service,
                *(["--operations", ",".join(ops)] if ops else []),
                "--python-out", str(root / "py" / pkg), "--r-out", str(root / "r" / pkg),
            ]  # fmt: skip
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            assert proc.returncode == 0, proc.stdout + proc.stderr
            self.logs[name] = proc.stderr
            install = ["R", "CMD", "INSTALL", "--no-multiarch", "-l", str(self.lib)]
            proc = subprocess.run([*install, str(root / "r" / pkg)], capture_output=True, text=True)
            assert proc.returncode == 0, proc.stdout + proc.stderr
            # A committed package of the same name, imported or loaded earlier in the
            # session, must not stand in for the one generated here.
            self._forget(pkg)
            ro.r(f'if (isNamespaceLoaded("{pkg}")) unloadNamespace("{pkg}")')
            self.python[name] = importlib.import_module(pkg)
        self._old_lib_paths = list(ro.r(".libPaths()"))
        ro.r(f'.libPaths(c("{self.lib.as_posix()}", .libPaths()))')

    @staticmethod
    def _forget(pkg: str) -> None:
        for mod in [m for m in sys.modules if m == pkg or m.startswith(f"{pkg}.")]:
            del sys.modules[mod]

    def close(self) -> None:
        sys.path.remove(str(self.root / "py"))
        for name in self.services:
            self._forget(f"paws{name}")
            ro.r(f'if (isNamespaceLoaded("paws{name}")) unloadNamespace("paws{name}")')
        ro.r[".libPaths"](ro.StrVector(self._old_lib_paths))


R_CALL = ro.r(
    """
    function(pkg, service, endpoint, region, key, secret, method, args) {
      ctor <- getExportedValue(pkg, service)
      svc <- ctor(config = list(region = region, endpoint = endpoint,
        credentials = list(creds = list(access_key_id = key, secret_access_key = secret))))
      tryCatch(
        list(value = do.call(svc[[method]], args)),
        paws_service_error = function(e) list(error = list(
          code = e$code, message = e$message, status_code = e$status_code, class = class(e),
          fields = e$fields))
      )
    }
    """
)


def r_call(pkg: str, service: str, config: dict[str, Any], method: str, args: Any) -> Any:
    """Call ``svc[[method]]`` of the R package ``pkg`` built with ``config``; an R list
    holding ``value`` or ``error`` (code, message, status_code, class)."""
    creds = config["credentials"]["creds"]
    return R_CALL(
        pkg, service, config["endpoint"], config["region"],
        creds["access_key_id"], creds["secret_access_key"], method, args,
    )  # fmt: skip
