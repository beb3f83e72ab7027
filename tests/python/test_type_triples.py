"""The type table (docs/contracts.md) on the Python side, from the shared triples fixture.

The same file (tests/fixtures/types/type_triples.json, synced into the R package) is
read by r/pawscore/tests/testthat/test-types.R, so both runtimes are held to one table.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pawscore.restjson import parse_response

from tests.paths import TYPE_TRIPLES

TRIPLES = json.loads(TYPE_TRIPLES.read_text(encoding="utf-8"))
PY_TYPES = {
    "dict": dict,
    "list": list,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "bytes": bytes,
    "datetime": dt.datetime,
}


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


def test_the_table_covers_every_model_type() -> None:
    kinds = {case["shape"]["type"] for case in TRIPLES["cases"]}
    assert kinds == {
        "structure", "list", "map", "string", "integer", "long",
        "float", "double", "boolean", "timestamp", "blob",
    }  # fmt: skip


@pytest.mark.parametrize("case", TRIPLES["cases"], ids=lambda c: c["name"])
def test_python_value_matches_the_table(case: dict[str, Any]) -> None:
    body = ('{"V": ' + case["wire"] + "}").encode("utf-8")
    value = parse_response(_api(case["shape"]), "Op", 200, {}, body)["V"]
    want = case["python"]
    assert type(value) is PY_TYPES[want["type"]]
    if want["type"] == "bytes":
        assert value.hex() == want["value"]
    elif want["type"] == "datetime":
        assert value.tzinfo is not None and value.utcoffset() == dt.timedelta(0)
        assert value.isoformat() == want["value"]
    else:
        assert value == want["value"]
