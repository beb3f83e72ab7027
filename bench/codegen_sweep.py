"""Every model of the installed botocore through the generator: generated or refused by name.

For each service: a model whose protocol the runtimes implement must generate a Python
package that imports and an R package whose files parse; any other model must be
refused with a message naming its protocol. ``--install N`` also installs the R packages
of a sample of N generated services next to the tree's pawscore: one of each protocol
variant (rest-json, json 1.0, json 1.1), then services evenly spread over the names.
Counts per protocol go to stdout and bench/results/codegen_sweep.json.

    python bench/codegen_sweep.py [--install 20] [--only a,b,c]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "python")]

from codegen.generate import (  # noqa: E402
    botocore_data,
    botocore_model_path,
    botocore_services,
    load_service,
    read_json,
    render_all,
    write_tree,
)
from codegen.protocols import UnsupportedProtocolError, resolved_protocol  # noqa: E402


def _import(path: Path, name: str) -> None:
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


_PARSE = """
files <- readLines(file("stdin"))
bad <- character()
for (f in files) {
  ok <- tryCatch({ parse(f, keep.source = FALSE); TRUE }, error = function(e) {
    message(f, ": ", conditionMessage(e)); FALSE })
  if (!ok) bad <- c(bad, f)
}
cat(length(files) - length(bad), length(bad), "\\n")
"""


def _parse_r(files: list[Path]) -> tuple[int, int]:
    done = subprocess.run(
        ["Rscript", "--vanilla", "-e", _PARSE],
        input="\n".join(str(f) for f in files),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    ok, bad = (int(n) for n in done.stdout.split())
    if bad:
        print(done.stderr, file=sys.stderr)
    return ok, bad


def _install(pkgs: list[Path], lib: Path) -> int:
    lib.mkdir(parents=True, exist_ok=True)
    failed = 0
    for pkg in [ROOT / "r/pawscore", *pkgs]:
        done = subprocess.run(
            ["R", "CMD", "INSTALL", "--no-test-load", "-l", str(lib), str(pkg)],
            capture_output=True,
            text=True,
            check=False,
            env={**__import__("os").environ, "R_LIBS": str(lib)},
        )
        if done.returncode != 0:
            failed += 1
            print(f"R CMD INSTALL {pkg.name} failed:\n{done.stderr[-1500:]}", file=sys.stderr)
    return failed


def _sample(generated: list[tuple[Path, str]], n: int) -> list[tuple[Path, str]]:
    """``n`` of the generated packages: the first of each protocol variant, then
    services evenly spread over the (name-ordered) rest, in name order."""
    if n <= 0:
        return []
    picked: dict[Path, str] = {}
    for path, variant in generated:
        if variant not in picked.values():
            picked[path] = variant
    rest = [g for g in generated if g[0] not in picked]
    want = max(n - len(picked), 0)
    step = len(rest) / want if want else 0.0
    for i in range(min(want, len(rest))):
        path, variant = rest[int(i * step)]
        picked[path] = variant
    return [g for g in generated if g[0] in picked][: max(n, len(set(picked.values())))]


def main() -> int:
    """Sweep; non-zero when a supported model fails or an unsupported one is not refused."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--install", type=int, default=0)
    parser.add_argument("--only", help="comma-separated service names")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(botocore_services())
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: list[str] = []
    generated: list[tuple[Path, str]] = []  # R package folder, protocol variant
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pawsgen-sweep-") as tmp:
        r_files: list[Path] = []
        for name in names:
            path = botocore_model_path(name)
            # The protocol the client speaks, as botocore resolves it (CBOR-first
            # services that offer json speak json).
            metadata = read_json(path)[0]["metadata"]
            protocol = resolved_protocol(metadata) or ""
            try:
                service = load_service(path)
            except UnsupportedProtocolError as exc:
                if f"'{protocol}' protocol" not in str(exc):
                    failures.append(f"{name}: refusal does not name {protocol!r}: {exc}")
                counts[protocol]["refused"] += 1
                continue
            try:
                py, r = render_all(service)
                write_tree(py, Path(tmp) / "py" / service.package)
                write_tree(r, Path(tmp) / "r" / service.package)
                _import(Path(tmp) / "py" / service.package, f"sweep_{service.package}")
            except Exception as exc:  # a generator bug: report every one
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
                counts[protocol]["failed"] += 1
                continue
            counts[protocol]["generated"] += 1
            variant = protocol
            if protocol == "json":
                variant = f"json {metadata.get('jsonVersion', '1.0')}"
            generated.append((Path(tmp) / "r" / service.package, variant))
            r_files += sorted((Path(tmp) / "r" / service.package).rglob("*.R"))
        parsed, bad = _parse_r(r_files) if r_files else (0, 0)
        if bad:
            failures.append(f"{bad} generated R files do not parse")
        sample = _sample(generated, args.install)
        missing = {v for _, v in generated} - {v for _, v in sample}
        if sample and missing:
            failures.append(f"the R install sample lacks {sorted(missing)}")
        install_failed = _install([p for p, _ in sample], Path(tmp) / "lib") if sample else 0
        if install_failed:
            failures.append(f"{install_failed} R packages did not install")
    elapsed = time.perf_counter() - start
    summary = {
        "botocore": botocore_data()[1],
        "services": len(names),
        "per_protocol": {p: dict(c) for p, c in sorted(counts.items())},
        "r_files_parsed": parsed,
        "r_packages_installed": len(sample) - install_failed,
        "r_install_sample": {p.name: v for p, v in sample},
        "seconds": round(elapsed, 1),
        "failures": failures,
    }
    print(json.dumps(summary, indent=2))
    if not args.only:
        (ROOT / "bench/results").mkdir(exist_ok=True)
        (ROOT / "bench/results/codegen_sweep.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
