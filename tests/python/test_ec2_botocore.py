"""pawscore's ec2 protocol against botocore's own serializer and parser, on random data.

Two sources of shapes: a small botocore-format model (lower-case ``locationName``s,
a ``queryName``, lists with and without member names, maps, nested structures, every
scalar type), and the EC2 model botocore ships (random inputs to a spread of its
operations). Each goes through ``codegen.apidata`` for pawscore and through
``botocore.model.ServiceModel`` for botocore. Random inputs must give the same form
body byte for byte as botocore's ``EC2Serializer``; random answers, written as EC2
writes them (no result wrapper, ``<requestId>``), must parse to the values botocore's
``EC2QueryParser`` gives (less its ``ResponseMetadata``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from xml.sax.saxutils import escape

import pytest
from botocore.loaders import create_loader
from botocore.model import ServiceModel
from botocore.parsers import EC2QueryParser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence
from pawscore.ec2 import build_request, parse_response

from codegen.apidata import build_api_data
from tests.python.form_xml_cases import scalar_xml

MODEL: dict[str, Any] = {
    "metadata": {
        "protocol": "ec2",
        "apiVersion": "2016-11-15",
        "endpointPrefix": "example",
        "serviceId": "Example",
        "signatureVersion": "v4",
    },
    "operations": {
        "Op": {
            "name": "Op",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "Shape"},
            "output": {"shape": "Shape"},
        }
    },
    "shapes": {
        "Shape": {
            "type": "structure",
            "members": {
                "S": {"shape": "Str", "locationName": "s"},
                "Renamed": {"shape": "Str", "locationName": "otherName"},
                "Queried": {"shape": "Str", "locationName": "lower", "queryName": "Q"},
                "I": {"shape": "Int", "locationName": "i"},
                "L": {"shape": "Long"},
                "D": {"shape": "Dbl", "locationName": "d"},
                "F": {"shape": "Flt"},
                "B": {"shape": "Bool", "locationName": "b"},
                "T": {"shape": "Time", "locationName": "t"},
                "Epoch": {"shape": "EpochTime"},
                "Blob": {"shape": "Bytes", "locationName": "blob"},
                "Names": {"shape": "Names", "locationName": "nameSet"},
                "Items": {"shape": "ItemList", "locationName": "ItemSet"},
                "Tags": {"shape": "Tags"},
                "Structs": {"shape": "StructList", "locationName": "structSet"},
                "Nested": {"shape": "Shape", "locationName": "nested"},
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
        "Names": {"type": "list", "member": {"shape": "Str", "locationName": "item"}},
        "ItemList": {"type": "list", "member": {"shape": "Str"}},
        "Tags": {
            "type": "map",
            "key": {"shape": "Str", "locationName": "name"},
            "value": {"shape": "Str"},
        },
        "StructList": {"type": "list", "member": {"shape": "Pair", "locationName": "item"}},
        "Pair": {
            "type": "structure",
            "members": {
                "Key": {"shape": "Str", "locationName": "key"},
                "Count": {"shape": "Int", "locationName": "count"},
            },
        },
    },
}
API = build_api_data(MODEL)
OPERATION = ServiceModel(MODEL, "example").operation_model("Op")

_ALPHABET = "aZ09 -_.~/+=&%?#\t\u00e9\u263a\U0001f600<>\"'\\]]>"
_UTC = dt.timezone.utc


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 10)))


def _moment(rng: random.Random) -> dt.datetime:
    micros = rng.randint(0, 4_000_000_000) * 1_000_000 + rng.choice([0, rng.randint(1, 999_999)])
    return dt.datetime(1970, 1, 1, tzinfo=_UTC) + dt.timedelta(microseconds=micros)


def _random(rng: random.Random, shapes: dict[str, Any], name: str, depth: int) -> Any:
    """A random value of the (botocore-format) shape ``name``, in model order."""
    shape = shapes[name]
    kind = shape["type"]
    if kind == "structure":
        out = {}
        for member, ref in shape.get("members", {}).items():
            deeper = shapes[ref["shape"]]["type"] in ("structure", "list", "map")
            if rng.random() < (0.5 if not deeper or depth < 3 else 0.0):
                out[member] = _random(rng, shapes, ref["shape"], depth + 1)
        return out
    if kind == "list":
        return [
            _random(rng, shapes, shape["member"]["shape"], depth) for _ in range(rng.randint(0, 3))
        ]
    if kind == "map":
        return {
            f"k{i}{_text(rng)}": _random(rng, shapes, shape["value"]["shape"], depth)
            for i in range(rng.randint(0, 3))
        }
    if kind == "string":
        return _text(rng)
    if kind == "integer":
        return rng.randint(-(2**31), 2**31 - 1)
    if kind == "long":
        return rng.randint(-(2**63), 2**63 - 1)
    if kind == "double":
        return rng.choice([rng.uniform(-1e9, 1e9), rng.random() * 10 ** rng.randint(-30, 30)])
    if kind == "float":
        return float(rng.randint(-1000, 1000)) / 8
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "timestamp":
        moment = _moment(rng)
        return moment.replace(microsecond=0) if shape.get("timestampFormat") else moment
    if kind == "blob":
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
    raise AssertionError(kind)


def _botocore_body(serializer: Any, params: dict[str, Any], operation: Any) -> str:
    return percent_encode_sequence(serializer.serialize_to_request(params, operation)["body"])


@pytest.mark.parametrize("seed", range(4))
def test_random_inputs_serialize_as_botocore_does(seed: int) -> None:
    rng = random.Random(seed)
    serializer = create_serializer("ec2", include_validation=False)
    for _ in range(150):
        params = _random(rng, MODEL["shapes"], "Shape", 0)
        ours = build_request(API, "Op", params, "https://example.com").body.decode("ascii")
        assert ours == _botocore_body(serializer, params, OPERATION), params


def test_random_inputs_to_ec2_operations_serialize_as_botocore_does() -> None:
    model = create_loader().load_service_model("ec2", "service-2")
    service = ServiceModel(model, "ec2")
    rng = random.Random(7)
    names = rng.sample(sorted(model["operations"]), 80)
    api = build_api_data(model, names)
    serializer = create_serializer("ec2", include_validation=False)
    compared = 0
    for name in names:
        operation = service.operation_model(name)
        if operation.input_shape is None:
            continue
        for _ in range(5):
            params = _random(rng, model["shapes"], operation.input_shape.name, 0)
            # botocore fills idempotency tokens in a handler, not in its serializer.
            members = operation.input_shape.members
            for member, shape in members.items():
                if shape.metadata.get("idempotencyToken") and member not in params:
                    params[member] = "token"
            params = {m: params[m] for m in members if m in params}  # model order
            ours = build_request(api, name, params, "https://ec2.example.com").body.decode()
            assert ours == _botocore_body(serializer, params, operation), (name, params)
            compared += 1
    assert compared >= 300


# ---- answers written as EC2 writes them


def _xml(shape_name: str, value: Any) -> str:
    """``value`` as the children of its shape's element (EC2 lists: ``<item>``s)."""
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
            member_kind = shapes[member["shape"]]["type"]
            inner = "".join(
                f"<{member_tag}>"
                + (
                    _xml(member["shape"], v)
                    if member_kind == "structure"
                    else scalar_xml(member_kind, v)
                )
                + f"</{member_tag}>"
                for v in item
            )
            parts.append(f"<{tag}>{inner}</{tag}>")
        elif kind == "map":
            key_tag = target["key"].get("locationName", "key")
            value_tag = target["value"].get("locationName", "value")
            entries = "".join(
                f"<entry><{key_tag}>{escape(k)}</{key_tag}><{value_tag}>{escape(v)}</{value_tag}></entry>"
                for k, v in item.items()
            )
            parts.append(f"<{tag}>{entries}</{tag}>")
        else:
            fmt = target.get("timestampFormat")
            parts.append(f"<{tag}>{scalar_xml(kind, item, fmt)}</{tag}>")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(4))
def test_random_answers_parse_as_botocore_parses_them(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(150):
        value = _random(rng, MODEL["shapes"], "Shape", 0)
        body = (
            '<OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            "<requestId>rid</requestId>" + _xml("Shape", value) + "</OpResponse>"
        ).encode("utf-8")
        theirs = EC2QueryParser().parse(
            {"body": body, "headers": {}, "status_code": 200}, OPERATION.output_shape
        )
        assert theirs.pop("ResponseMetadata")["RequestId"] == "rid"
        ours = parse_response(API, "Op", 200, {}, body)
        assert ours == theirs, body
        assert ours == value  # and both give back what was written
