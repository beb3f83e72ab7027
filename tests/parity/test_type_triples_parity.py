"""The type table's triples, three ways: the R value, converted through rpy2 with the
table (rconvert), equals the Python value, for every wire value of the fixture."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pawscore.restjson import parse_response
from rpy2 import robjects as ro

from tests.paths import TYPE_TRIPLES

from .rconvert import to_python

TRIPLES = json.loads(TYPE_TRIPLES.read_text(encoding="utf-8"))
_R_PARSE = ro.r(
    "function(api_json, body) pawscore:::parse_response("
    "jsonlite::fromJSON(api_json, simplifyVector = FALSE), 'Op', 200L, character(), "
    "charToRaw(enc2utf8(body)))"
)


def _api(shape: dict[str, Any]) -> dict[str, Any]:
    return {
        "metadata": {"protocol": "rest-json"},
        "operations": {
            "Op": {"name": "Op", "http_method": "POST", "request_uri": "/", "output": "Out"}
        },
        "shapes": {
            **TRIPLES["shapes"],
            "Out": {"type": "structure", "members": {"V": {"shape": "T"}}},
            "T": shape,
        },
    }


CASES = [c for c in TRIPLES["cases"] if "error" not in c["r"]]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_r_value_converts_to_the_python_value(case: dict[str, Any]) -> None:
    api = _api(case["shape"])
    body = '{"V": ' + case["wire"] + "}"
    python = parse_response(api, "Op", 200, {}, body.encode("utf-8"))
    r_value = _R_PARSE(json.dumps(api), body)
    assert to_python(api, "Out", r_value) == python
