"""Model patterns: translated from Java's dialect, read alike by Python and R.

The R side of the agreement is r/pawscore/tests/testthat/test-patterns.R, which
compares its results with the ones written here by the pytest driver.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pawscore import ParamValidationError
from pawscore.patterns import full_match, translate
from pawscore.validate import validate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "patterns" / "model_patterns.json"


def load_fixture() -> dict[str, Any]:
    """The patterns and probe strings both languages check."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def python_results() -> list[list[bool] | None]:
    """Per pattern: the full-match result per probe, or None when skipped."""
    data = load_fixture()
    out: list[list[bool] | None] = []
    for pattern in data["patterns"]:
        results = [full_match(pattern, probe) for probe in data["probes"]]
        out.append(None if results[0] is None else [bool(r) for r in results])
    return out


def test_almost_every_model_pattern_is_checked() -> None:
    results = python_results()
    assert len(results) > 1800
    # re compiled none of the \p{..} patterns; what is left is what the engines
    # cannot read alike (\b, lone surrogates, \z, Java-only properties, &&).
    assert sum(r is None for r in results) <= 45


@pytest.mark.parametrize("pattern", load_fixture()["tag_patterns"])
def test_tag_patterns_take_unicode_letters(pattern: str) -> None:
    assert full_match(pattern, "caf\u00e9 au lait") is True
    assert full_match(pattern, "\u65e5\u672c\u8a9e") is True
    assert full_match(pattern, "a;b") is False


@pytest.mark.parametrize(
    ("pattern", "translated"),
    [
        (
            r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]*",
            r"[\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*",
        ),
        (r"[\p{L}\p{N}\p{Z}-_]*", r"[\p{L}\p{N}\p{Z}\-_]*"),
        (r"\p{Alnum}+", r"[\u0030-\u0039\u0041-\u005a\u0061-\u007a]+"),
        (r"[\x{0022}a]", r"[\u0022a]"),
        (r"\d{3}", r"[\u0030-\u0039]{3}"),
        (r"\p{IsL}", r"\p{L}"),
    ],
)
def test_translation(pattern: str, translated: str) -> None:
    assert translate(pattern) == translated


@pytest.mark.parametrize(
    "pattern",
    [r"\bword\b", r"[\uD800]", r"[\p{Print}&&[^|:/]]+", r"[a-z]{2}{0,3}", r"a${1,2}", r"\p{LD}"],
)
def test_what_the_engines_read_differently_is_skipped(pattern: str) -> None:
    assert translate(pattern) is None
    assert full_match(pattern, "anything") is None


def test_ascii_shorthands_as_in_java() -> None:
    # Python's own \w and \d would take these; Java, PCRE and the model do not.
    assert full_match(r"\w+", "caf\u00e9") is False
    assert full_match(r"\d+", "\u0661\u0662") is False
    assert full_match(r"[\S]+", "a\u00a0b") is True  # \u00a0 is not ASCII space
    assert full_match(r"[\S]+", "a b") is False


def test_validation_uses_the_translated_pattern() -> None:
    api = {
        "shapes": {
            "In": {"type": "structure", "members": {"Key": {"shape": "TagKey"}}},
            "TagKey": {"type": "string", "pattern": r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"},
        }
    }
    validate(api, "In", {"Key": "\u00e9quipe"})
    with pytest.raises(ParamValidationError, match="does not match the pattern"):
        validate(api, "In", {"Key": "aws:reserved"})
