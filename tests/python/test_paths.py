"""The JMESPath subset of paginators and waiters: ours == jmespath, and R == Python.

Every expression in the installed botocore's paginators-1.json (output tokens,
result keys, more_results) and waiters-2.json (acceptor arguments) is evaluated on
data built to follow it, some of it with members missing or of other kinds. Those
inside the subset must give jmespath's answer; those outside must raise PathError,
never a wrong answer. The same cases then run through R's path_search().
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import botocore
import jmespath
import pytest
from pawscore.paths import PathError, search

DATA = Path(botocore.__file__).parent / "data"


def _load(path: Path) -> Any:
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def _expressions() -> list[str]:
    found: set[str] = set()
    for path in DATA.glob("*/*/paginators-1.json*"):
        for cfg in _load(path).get("pagination", {}).values():
            for key in ("output_token", "result_key", "more_results"):
                value = cfg.get(key)
                found.update(value if isinstance(value, list) else [value] if value else [])
    for path in DATA.glob("*/*/waiters-2.json*"):
        for cfg in _load(path).get("waiters", {}).values():
            found.update(a["argument"] for a in cfg["acceptors"] if "argument" in a)
    return sorted(found)


EXPRESSIONS = _expressions()
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _build(expr: str, rng: random.Random) -> Any:
    """Data in which the member names of ``expr`` exist, nested as its steps say."""
    names = _NAME.findall(re.sub(r"`[^`]*`", "", expr))
    leaf: Any = rng.choice(["Active", "Failed", 3, True, None, "x", [], ["a", "b"]])
    value = leaf
    for name in reversed(names):
        if name == "length":
            continue
        inner = {name: value}
        if rng.random() < 0.1:
            inner = {"other": value}  # a missing member
        value = [inner, {name: leaf}] if rng.random() < 0.5 else inner
    return value if isinstance(value, dict) else {"root": value}


def _cases() -> list[tuple[str, Any]]:
    rng = random.Random(20261201)
    return [(e, _build(e, rng)) for e in EXPRESSIONS for _ in range(4)]


CASES = _cases()


def _jmespath(expr: str, data: Any) -> Any:
    # botocore's waiters take a type error in an expression (length(null)) as "no
    # match"; ours gives None there, which matches nothing either.
    try:
        return jmespath.search(expr, data)
    except jmespath.exceptions.JMESPathTypeError:
        return None


def _ours(expr: str, data: Any) -> Any:
    try:
        return search(data, expr)
    except PathError:
        return "<unsupported>"


def test_botocore_has_expressions_to_check() -> None:
    assert len(EXPRESSIONS) > 500


def test_supported_expressions_match_jmespath() -> None:
    supported = 0
    for expr, data in CASES:
        got = _ours(expr, data)
        if got == "<unsupported>":
            continue
        supported += 1
        assert got == _jmespath(expr, data), (expr, data)
    # nearly every expression botocore ships is inside the subset
    assert supported / len(CASES) > 0.97


def test_r_agrees_with_python(tmp_path: Path) -> None:
    cases = CASES[::3]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([{"expr": e, "data": d} for e, d in cases]))
    script = """
    cases <- jsonlite::fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)
    out <- lapply(cases, function(case) tryCatch(
      list(value = pawscore:::path_search(case$data, case$expr)),
      paws_usage_error = function(e) list(value = "<unsupported>")))
    cat(jsonlite::toJSON(out, auto_unbox = TRUE, null = "null"))
    """
    proc = subprocess.run(
        ["Rscript", "-e", script, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert proc.returncode == 0, proc.stderr
    r_values = json.loads(proc.stdout)
    mismatches = []
    for (expr, data), r in zip(cases, r_values, strict=True):
        py = _ours(expr, data)
        rv = r.get("value")
        # jsonlite writes R's empty list as [] and a length-1 vector as a scalar
        if rv != py and not (py in ([], {}) and rv in ([], {}, None)):
            mismatches.append((expr, data, py, rv))
    assert mismatches == []


@pytest.mark.parametrize(
    ("expr", "data", "want"),
    [
        ("a.b", {"a": {"b": 1}}, 1),
        ("a[].b[]", {"a": [{"b": [1, 2]}, {"b": [3]}]}, [1, 2, 3]),
        ("x[-1]", {"x": [1, 2, 3]}, 3),
        ("x || y", {"x": None, "y": 2}, 2),
        ('s == `"Active"`', {"s": "Active"}, True),
        ("length(l) > `0`", {"l": []}, False),
    ],
)
def test_examples(expr: str, data: Any, want: Any) -> None:
    assert search(data, expr) == want == jmespath.search(expr, data)


def test_outside_the_subset_is_an_error_not_a_guess() -> None:
    with pytest.raises(PathError):
        search({"a": [1]}, "a[?b == `1`]")
