"""pawscore's query protocol against botocore's own serializer and parser, on random data.

One botocore-format model (flattened and renamed lists and maps, nested structures,
every scalar type) goes through ``codegen.apidata`` for pawscore and through
``botocore.model.ServiceModel`` for botocore. Random inputs must give the same form
body byte for byte (botocore's ``QuerySerializer`` and its percent-encoding); random
answers, written as a query service writes them, must parse to the same values as
botocore's ``QueryParser`` gives (less its ``ResponseMetadata``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from xml.sax.saxutils import escape

import pytest
from botocore.model import ServiceModel
from botocore.parsers import QueryParser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence
from pawscore.query import build_request, parse_response

from codegen.apidata import build_api_data
from tests.python.form_xml_cases import scalar_xml

MODEL: dict[str, Any] = {
    "metadata": {
        "protocol": "query",
        "apiVersion": "2020-01-08",
        "endpointPrefix": "example",
        "serviceId": "Example",
        "signatureVersion": "v4",
    },
    "operations": {
        "Op": {
            "name": "Op",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "Shape"},
            "output": {"shape": "Shape", "resultWrapper": "OpResult"},
        }
    },
    "shapes": {
        "Shape": {
            "type": "structure",
            "members": {
                "S": {"shape": "Str"},
                "Renamed": {"shape": "Str", "locationName": "Other"},
                "I": {"shape": "Int"},
                "L": {"shape": "Long"},
                "D": {"shape": "Dbl"},
                "F": {"shape": "Flt"},
                "B": {"shape": "Bool"},
                "T": {"shape": "Time"},
                "Epoch": {"shape": "EpochTime"},
                "Blob": {"shape": "Bytes"},
                "Names": {"shape": "Names"},
                "Items": {"shape": "ItemList"},
                "Flat": {"shape": "Names", "flattened": True},
                "FlatNamed": {"shape": "FlatItems"},
                "Tags": {"shape": "Tags"},
                "FlatTags": {"shape": "NamedTags", "flattened": True, "locationName": "Tag"},
                "Structs": {"shape": "StructList"},
                "Nested": {"shape": "Shape"},
            },
        },
        "Str": {"type": "string"},
        "Int": {"type": "integer"},
        "Long": {"type": "long"},
        "Dbl": {"type": "double"},
        "Flt": {"type": "float"},
        "Bool": {"type": "boolean"},
        "Time": {"type": "timestamp"},
        "EpochTime": {"type": "timestamp", "timestampFormat": "unixTimestamp"},
        "Bytes": {"type": "blob"},
        "Names": {"type": "list", "member": {"shape": "Str"}},
        "ItemList": {"type": "list", "member": {"shape": "Str", "locationName": "item"}},
        "FlatItems": {
            "type": "list",
            "member": {"shape": "Str", "locationName": "Entry"},
            "flattened": True,
        },
        "Tags": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
        "NamedTags": {
            "type": "map",
            "key": {"shape": "Str", "locationName": "Name"},
            "value": {"shape": "Str", "locationName": "Value"},
        },
        "StructList": {"type": "list", "member": {"shape": "Pair"}},
        "Pair": {
            "type": "structure",
            "members": {"Key": {"shape": "Str"}, "Count": {"shape": "Int"}},
        },
    },
}
API = build_api_data(MODEL)
OPERATION = ServiceModel(MODEL, "example").operation_model("Op")

_ALPHABET = "aZ09 -_.~/+=&%?#\t\u00e9\u263a\U0001f600<>\"'\\]]>"
_UTC = dt.timezone.utc


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 10)))


def _value(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    def moment() -> dt.datetime:
        micros = rng.randint(0, 4_000_000_000) * 1_000_000 + rng.choice(
            [0, rng.randint(1, 999_999)]
        )
        return dt.datetime(1970, 1, 1, tzinfo=_UTC) + dt.timedelta(microseconds=micros)

    makers = {
        "S": lambda: _text(rng),
        "Renamed": lambda: _text(rng),
        "I": lambda: rng.randint(-(2**31), 2**31 - 1),
        "L": lambda: rng.randint(-(2**63), 2**63 - 1),
        "D": lambda: rng.choice(
            [rng.uniform(-1e9, 1e9), rng.random() * 10 ** rng.randint(-30, 30)]
        ),
        "F": lambda: float(rng.randint(-1000, 1000)) / 8,
        "B": lambda: rng.random() < 0.5,
        "T": moment,
        "Epoch": lambda: moment().replace(microsecond=0),
        "Blob": lambda: bytes(rng.randrange(256) for _ in range(rng.randint(0, 12))),
        "Names": lambda: [_text(rng) for _ in range(rng.randint(0, 3))],
        "Items": lambda: [_text(rng) for _ in range(rng.randint(0, 3))],
        "Flat": lambda: [_text(rng) for _ in range(rng.randint(1, 3))],
        "FlatNamed": lambda: [_text(rng) for _ in range(rng.randint(1, 3))],
        "Tags": lambda: {f"k{i}{_text(rng)}": _text(rng) for i in range(rng.randint(0, 3))},
        "FlatTags": lambda: {f"t{i}{_text(rng)}": _text(rng) for i in range(rng.randint(1, 3))},
        "Structs": lambda: [
            {"Key": _text(rng), "Count": rng.randint(0, 9)} for _ in range(rng.randint(0, 3))
        ],
    }
    out = {name: make() for name, make in makers.items() if rng.random() < 0.5}
    if depth < 2 and rng.random() < 0.3:
        out["Nested"] = _value(rng, depth + 1)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_random_inputs_serialize_as_botocore_does(seed: int) -> None:
    rng = random.Random(seed)
    serializer = create_serializer("query", include_validation=False)
    for _ in range(150):
        params = _value(rng)
        ours = build_request(API, "Op", params, "https://example.com").body.decode("ascii")
        theirs = percent_encode_sequence(serializer.serialize_to_request(params, OPERATION)["body"])
        assert ours == theirs, params


# ---- answers written as a query service writes them


def _xml(shape_name: str, value: Any) -> str:
    """``value`` as the children of its shape's element (botocore's model, raw)."""
    shapes = MODEL["shapes"]
    parts = []
    for name, ref in shapes[shape_name]["members"].items():
        if name not in value:
            continue
        target = shapes[ref["shape"]]
        tag = ref.get("locationName", name)
        item = value[name]
        kind = target["type"]
        if kind == "structure":
            parts.append(f"<{tag}>{_xml(ref['shape'], item)}</{tag}>")
        elif kind == "list":
            member = target["member"]
            member_tag = member.get("locationName", "member")
            flat = ref.get("flattened") or target.get("flattened")
            member_kind = shapes[member["shape"]]["type"]

            def one(v: Any, member: dict[str, Any] = member, member_kind: str = member_kind) -> str:
                if member_kind == "structure":
                    return _xml(member["shape"], v)
                return scalar_xml(member_kind, v)

            if flat:
                flat_tag = member.get("locationName", tag)
                parts += [f"<{flat_tag}>{one(v)}</{flat_tag}>" for v in item]
            else:
                inner = "".join(f"<{member_tag}>{one(v)}</{member_tag}>" for v in item)
                parts.append(f"<{tag}>{inner}</{tag}>")
        elif kind == "map":
            key_tag = target["key"].get("locationName", "key")
            value_tag = target["value"].get("locationName", "value")
            entries = [
                f"<{key_tag}>{escape(k)}</{key_tag}><{value_tag}>{escape(v)}</{value_tag}>"
                for k, v in item.items()
            ]
            if ref.get("flattened") or target.get("flattened"):
                parts += [f"<{tag}>{e}</{tag}>" for e in entries]
            else:
                parts.append(
                    f"<{tag}>" + "".join(f"<entry>{e}</entry>" for e in entries) + f"</{tag}>"
                )
        else:
            fmt = target.get("timestampFormat")
            parts.append(f"<{tag}>{scalar_xml(kind, item, fmt)}</{tag}>")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(4))
def test_random_answers_parse_as_botocore_parses_them(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(150):
        value = _value(rng)
        body = (
            '<OpResponse xmlns="https://example.com/doc/2020-01-08/"><OpResult>'
            + _xml("Shape", value)
            + "</OpResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"
            "</OpResponse>"
        ).encode("utf-8")
        theirs = QueryParser().parse(
            {"body": body, "headers": {}, "status_code": 200}, OPERATION.output_shape
        )
        theirs.pop("ResponseMetadata")
        ours = parse_response(API, "Op", 200, {}, body)
        assert ours == theirs, body
        assert ours == value  # and both give back what was written
