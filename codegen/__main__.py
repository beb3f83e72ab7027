"""Command line: ``python -m codegen [generate|check|diff|lock] ...``."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .apidata import unsupported_operations
from .argorder import lock_path, merge_lock, read_lock, write_lock
from .check import compare
from .diff import diff_models, to_markdown
from .generate import load_service, read_tree, render_all, write_tree
from .ir import service_prefix

DEFAULT_MODEL = "models/lambda/2015-03-31/service-2.json"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=DEFAULT_MODEL, help="botocore service-2.json")
    parser.add_argument("--operations", help="comma-separated operation names (default: all)")
    parser.add_argument("--python-out", default="python/pawslambda", type=Path)
    parser.add_argument("--r-out", default="r/pawslambda", type=Path)


def _ops(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def cmd_generate(args: argparse.Namespace) -> int:
    """Write both packages."""
    service = load_service(Path(args.model), _ops(args.operations))
    if args.operations is None:
        refused = unsupported_operations(json.loads(Path(args.model).read_text()))
        for name, reason in refused.items():
            print(f"left out {name}: {reason}", file=sys.stderr)
    py, r = render_all(service)
    write_tree(py, args.python_out)
    write_tree(r, args.r_out)
    print(
        f"wrote {len(py)} files to {args.python_out}, {len(r)} files to {args.r_out} "
        f"({len(service.operations)} operations)"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Regenerate into a temporary directory; non-zero when the committed output differs."""
    service = load_service(Path(args.model), _ops(args.operations))
    py, r = render_all(service)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pawsgen-check-") as tmp:
        for files, committed, name in ((py, args.python_out, "python"), (r, args.r_out, "r")):
            fresh = Path(tmp) / name
            write_tree(files, fresh)
            problems += compare(read_tree(fresh), committed, read_tree(committed))
    if problems:
        print("generated code is out of date; run `python -m codegen` and commit:")
        print("\n".join(problems))
        return 1
    print(f"generated code is up to date ({len(py) + len(r)} files)")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Print the Markdown changelog entry between two models."""
    old = json.loads(Path(args.old).read_text())
    new = json.loads(Path(args.new).read_text())
    prefix = service_prefix(new.get("metadata", {}).get("serviceId", "service"))
    title = args.title or f"{args.old} -> {args.new}"
    print(to_markdown(diff_models(old, new), title, prefix), end="")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    """Create or extend the argument-order lock from a model (codegen/argorder.py)."""
    model_path = Path(args.model)
    path = Path(args.lock) if args.lock else lock_path(model_path)
    before = read_lock(path)
    lock, warnings = merge_lock(before, json.loads(model_path.read_text()))
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
