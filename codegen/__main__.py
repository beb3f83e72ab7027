"""Command line: ``python -m codegen [generate|check|diff|lock] ...``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .argorder import lock_path, merge_lock, read_lock, write_lock
from .check import compare
from .diff import diff_models, to_markdown
from .endpoint_data import endpoint_files
from .generate import (
    botocore_model_path,
    load_service,
    read_json,
    read_tree,
    render_all,
    write_tree,
)
from .ir import Service
from .naming import service_prefix
from .render import REPO


def _common(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--model",
        type=Path,
        help="botocore service-2.json or .json.gz (default: every models/*/*/service-2.json)",
    )
    source.add_argument(
        "--service",
        help="a service of the installed botocore, e.g. lambda: its newest model, rule set "
        "and paginators",
    )
    parser.add_argument("--operations", help="comma-separated operation names (default: all)")
    parser.add_argument(
        "--python-out", type=Path, help="Python package folder (default: python/<package>)"
    )
    parser.add_argument("--r-out", type=Path, help="R package folder (default: r/<package>)")


def _ops(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def pinned_models() -> list[Path]:
    """Every pinned model of the repository: ``models/<service>/<version>/service-2.json``."""
    return sorted(REPO.glob("models/*/*/service-2.json"))


def _load(args: argparse.Namespace) -> list[Service]:
    """The IR of each model the arguments name: ``--service``, ``--model``, else every
    pinned model (each into ``python/<package>`` and ``r/<package>``)."""
    if args.service:
        paths = [botocore_model_path(args.service)]
    elif args.model is not None:
        paths = [args.model]
    else:
        paths = pinned_models()
        if len(paths) > 1 and (args.python_out or args.r_out or args.operations):
            raise ValueError("--python-out, --r-out and --operations need --model or --service")
    return [load_service(path, _ops(args.operations)) for path in paths]


def _outs(args: argparse.Namespace, service: Service) -> tuple[Path, Path]:
    """The output folders: as given, else ``python/<package>`` and ``r/<package>`` of the repo."""
    return (
        args.python_out or REPO / "python" / service.package,
        args.r_out or REPO / "r" / service.package,
    )


def _render(service: Service) -> tuple[dict[str, str], dict[str, str]]:
    """Both packages' files plus the endpoint rule set and partitions of the model."""
    py, r = render_all(service)
    if service.model_path is None:  # an IR built in memory has no files beside it
        return py, r
    py_extra, r_extra = endpoint_files(service.model_path)
    return {**py, **py_extra}, {**r, **r_extra}


def cmd_generate(args: argparse.Namespace) -> int:
    """Write both packages of each model."""
    for service in _load(args):
        py, r = _render(service)
        py_out, r_out = _outs(args, service)
        write_tree(py, py_out)
        write_tree(r, r_out)
        print(
            f"wrote {len(py)} files to {py_out}, {len(r)} files to {r_out} "
            f"({len(service.operations)} operations)"
        )
        for name, reason in service.left_out.items():
            print(f"left out {name}: {reason}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Regenerate into a temporary directory; non-zero when the committed output differs."""
    problems: list[str] = []
    count = 0
    for service in _load(args):
        py, r = _render(service)
        count += len(py) + len(r)
        with tempfile.TemporaryDirectory(prefix="pawsgen-check-") as tmp:
            for files, committed, name in zip(
                (py, r), _outs(args, service), ("python", "r"), strict=True
            ):
                fresh = Path(tmp) / name
                write_tree(files, fresh)
                problems += compare(read_tree(fresh), committed, read_tree(committed))
    if problems:
        print("generated code is out of date; run `python -m codegen` and commit:")
        print("\n".join(problems))
        return 1
    print(f"generated code is up to date ({count} files)")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Print the Markdown changelog entry between two models."""
    old = read_json(Path(args.old))[0]
    new = read_json(Path(args.new))[0]
    prefix = service_prefix(new.get("metadata", {}).get("serviceId", "service"))
    title = args.title or f"{args.old} -> {args.new}"
    print(to_markdown(diff_models(old, new), title, prefix), end="")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    """Create or extend the argument-order lock from a model (codegen/argorder.py)."""
    model_path = Path(args.model)
    path = Path(args.lock) if args.lock else lock_path(model_path)
    before = read_lock(path)
    lock, warnings = merge_lock(before, read_json(model_path)[0])
    for warning in warnings:
        print(f"codegen lock: warning: {warning}", file=sys.stderr)
    write_lock(path, lock)
    old = before or {}
    added_ops = sum(1 for op in lock if op not in old)
    added_members = sum(
        1 for op, names in lock.items() if op in old for n in names if n not in old[op]
    )
    verb = "extended" if before is not None else "created"
    print(
        f"{verb} {path}: {len(lock)} operations "
        f"({added_ops} new, {added_members} members appended, {len(warnings)} dropped)"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; with no subcommand it generates (``--check`` checks instead)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    _common(sub.add_parser("generate", help="write the Python and R packages"))
    _common(sub.add_parser("check", help="fail when committed output is stale"))
    diff = sub.add_parser("diff", help="changelog Markdown between two models")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--title")
    lock = sub.add_parser("lock", help="create or extend the argument-order lock")
    lock.add_argument("--model", required=True, help="botocore service-2.json (the new one)")
    lock.add_argument("--lock", help="lock file (default: argument-order.json beside the model)")
    if not argv or argv[0] not in ("generate", "check", "diff", "lock", "-h", "--help"):
        if "--check" in argv:
            argv = ["check", *[a for a in argv if a != "--check"]]
        else:
            argv = ["generate", *argv]
    args = parser.parse_args(argv)
    handler = {"generate": cmd_generate, "check": cmd_check, "diff": cmd_diff, "lock": cmd_lock}[
        args.command
    ]
    try:
        return handler(args)
    except (KeyError, ValueError, OSError) as exc:
        # Bad model paths, unknown operations, name collisions: one line, no traceback.
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"codegen: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
