"""Compare committed generated output with what the generator writes now."""

from __future__ import annotations

import difflib
from pathlib import Path


def compare(expected: dict[str, str], actual_root: Path, actual: dict[str, str]) -> list[str]:
    """Lines describing every difference; empty when ``actual`` equals ``expected``."""
    problems: list[str] = []
    for rel in sorted(expected.keys() - actual.keys()):
        problems.append(f"missing: {actual_root / rel}")
    for rel in sorted(actual.keys() - expected.keys()):
        problems.append(f"not generated (stale): {actual_root / rel}")
    for rel in sorted(expected.keys() & actual.keys()):
        if expected[rel] != actual[rel]:
            diff = list(
                difflib.unified_diff(
                    actual[rel].splitlines(),
                    expected[rel].splitlines(),
                    f"committed/{rel}",
                    f"generated/{rel}",
                    lineterm="",
                    n=1,
                )
            )
            changed = sum(1 for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---"))
            problems.append(f"differs: {actual_root / rel} ({changed} lines)")
            problems.extend("    " + d for d in diff[:12])
    return problems
