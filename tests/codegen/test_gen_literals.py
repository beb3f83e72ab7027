"""codegen/literals.py: the API data written as R means the same as the Python literal."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from codegen_helpers import rscript

from codegen.literals import py_literal, r_literal, r_string

VALUE = {
    "a": [1, 2, 2147483647, 2147483648, -5],
    "b": {"c": True, "d": False, "e": 1.5, "for": "x", "Content-Type": "y"},
    "s": 'quote " back \\ tab \t newline \n caf\u00e9 \U0001f600',
    "empty": [],
    "nested": [{"k": [{"deep": "v" * 90}]}],
}


def test_python_literal_round_trips() -> None:
    assert ast.literal_eval(py_literal(VALUE)) == VALUE


def test_r_literal_is_ascii_and_wrapped() -> None:
    text = r_literal(VALUE)
    assert text.isascii()
    assert all(len(line) <= 100 for line in text.splitlines() if "vvvv" not in line)
    assert "2147483647L" in text and "2147483648.0" in text
    assert "`for` = " in text and "`Content-Type` = " in text
    assert r_string("a\u00e9") == '"a\\u{00e9}"'


def test_r_literal_evaluates_to_the_same_value(tmp_path: Path) -> None:
    src = tmp_path / "v.R"
    src.write_text("v <- " + r_literal(VALUE) + "\n", encoding="ascii")
    out = rscript(
        f'source("{src}"); cat(jsonlite::toJSON(v, auto_unbox = TRUE, digits = NA, null = "null"))'
    )
    back = json.loads(out)
    assert back == VALUE
