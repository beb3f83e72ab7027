"""The ec2 protocol on the same bytes in both runtimes: same values, same refusals.

The ec2 variant of test_query_two_languages.py (whose R helpers it reuses): answers
with no result wrapper (members under the root, beside ``<requestId>``), EC2's lists
of ``<item>``, errors as ``<Response><Errors><Error>`` with ``<RequestID>``, request
names from ``query_name`` / capitalized ``location_name``, every list flattened and
empty lists left out. Request bodies must be byte-identical; answers, hostile or
mutated, must give equal values or be refused by both.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from pawscore.ec2 import build_request, parse_error
from rpy2 import robjects as ro

from .test_query_two_languages import (
    _R_BUILD_MANY,
    _R_ERROR,
    _mutate,
    _outcomes,
    _python_params,
    _random_params,
)
from .test_query_two_languages import API as QUERY_API

API: dict[str, Any] = copy.deepcopy(QUERY_API)
API["metadata"] = {"protocol": "ec2", "api_version": "2016-11-15"}
del API["operations"]["Op"]["result_wrapper"]
_MEMBERS = API["shapes"]["Out"]["members"]
_MEMBERS["S"]["location_name"] = "stringValue"  # sent as StringValue
_MEMBERS["Names"]["location_name"] = "nameSet"  # sent as NameSet.N
_MEMBERS["Flat"] = {"shape": "Names", "location_name": "item", "query_name": "FlatQ"}
del _MEMBERS["Flat2"]
_MEMBERS["Nested"]["location_name"] = "nested"
API["shapes"]["Names"]["member"]["location_name"] = "item"


def _wrap(inner: str) -> bytes:
    return (
        '<OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        "<requestId>r-1</requestId>" + inner + "</OpResponse>"
    ).encode()


ACCEPTED: dict[str, tuple[bytes, dict[str, Any]]] = {
    "scalars": (
        _wrap("<stringValue> caf\u00e9 &amp; </stringValue><I>7</I><B>true</B><D>2.5</D>"),
        {"S": " caf\u00e9 & ", "I": 7, "B": True, "D": 2.5},
    ),
    "item-lists": (
        _wrap("<nameSet><item>a</item><item/></nameSet><item><item>x</item><item>y</item></item>"),
        {"Names": ["a", ""], "Flat": ["x", "y"]},
    ),
    "nested": (
        _wrap("<nested><stringValue>in</stringValue><nested><I>2</I></nested></nested>"),
        {"Nested": {"S": "in", "Nested": {"I": 2}}},
    ),
    "a-result-element-is-just-unknown": (
        _wrap("<OpResult><stringValue>no</stringValue></OpResult><stringValue>yes</stringValue>"),
        {"S": "yes"},
    ),
    "no-members": (b"<OpResponse><requestId>r</requestId></OpResponse>", {}),
    "blank-body": (b" \n", {}),
}

HOSTILE: dict[str, bytes] = {
    "entities": b'<!DOCTYPE r [<!ENTITY x "y">]>' + _wrap("<stringValue>&x;</stringValue>"),
    "deep": b"<OpResponse>" + b"<nested>" * 120 + b"</nested>" * 120 + b"</OpResponse>",
    "latin-1": _wrap("<stringValue>caf\u00e9</stringValue>").replace(b"\xc3\xa9", b"\xe9"),
    "bad-integer": _wrap("<I>12abc</I>"),
    "truncated": _wrap("<I>1</I>")[:-5],
}


def test_answers_give_equal_values_and_hostile_ones_are_refused_by_both() -> None:
    names = list(ACCEPTED) + list(HOSTILE)
    bodies = [ACCEPTED[n][0] for n in ACCEPTED] + list(HOSTILE.values())
    for name, (python, r) in zip(names, _outcomes(API, bodies), strict=True):
        if name in ACCEPTED:
            assert python == {"value": ACCEPTED[name][1]}, name
        else:
            assert python == {"refused": True}, name
        assert r == python, name


ERRORS: dict[str, tuple[int, bytes, dict[str, Any]]] = {
    "ec2": (
        400,
        b"<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code>"
        b'<Message>Invalid id: "1343124"</Message></Error></Errors>'
        b"<RequestID>ec2-id</RequestID></Response>",
        {
            "code": "InvalidInstanceID.Malformed",
            "message": 'Invalid id: "1343124"',
            "request_id": "ec2-id",
            "fields": {},
        },
    ),
    "modeled": (
        404,
        b"<Response><Errors><Error><Code>NoSuchEntity</Code><Message>gone</Message>"
        b"<Detail>7</Detail></Error></Errors><RequestID>ec2-id</RequestID></Response>",
        {
            "code": "NoSuchEntity",
            "message": "gone",
            "request_id": "ec2-id",
            "fields": {"Detail": 7},
        },
    ),
    "not-xml": (
        503,
        b"<html><body>busy</body></html>",
        {"code": "Http503", "message": "", "request_id": "hdr-id", "fields": {}},
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_agree(name: str) -> None:
    status, body, want = ERRORS[name]
    error = parse_error(API, status, {"x-amzn-RequestId": "hdr-id"}, body)
    python = {
        "code": error.code,
        "message": error.message,
        "request_id": error.request_id,
        "fields": error.fields,
    }
    assert python == want
    r = _R_ERROR(json.dumps(API), status, ro.vectors.ByteVector(body))
    assert "paws_service_error" in list(r.rx2("class"))
    assert str(r.rx2("code")[0]) == want["code"]
    assert str(r.rx2("message")[0]) == want["message"]
    assert str(r.rx2("request_id")[0]) == want["request_id"]
    assert (json.loads(str(r.rx2("fields")[0])) or {}) == want["fields"]


def test_request_bodies_are_byte_identical() -> None:
    fixed = [
        {"S": "a b", "Names": ["x", "y"], "Flat": ["p"], "Tags": {"k": "v"}, "B": False},
        {"Names": [], "Flat": [], "Nested": {"S": "in", "Names": ["deep"]}},
    ]
    rng = random.Random(31)
    cases = fixed + [_random_params(rng) for _ in range(400)]
    python = [
        build_request(API, "Op", _python_params(p), "https://example.com").body.decode("ascii")
        for p in cases
    ]
    r = list(_R_BUILD_MANY(json.dumps(API), json.dumps(cases)))
    assert python[:2] == [
        "Action=Op&Version=2016-11-15&StringValue=a%20b&B=false&NameSet.1=x&NameSet.2=y"
        "&FlatQ.1=p&Tags.entry.1.key=k&Tags.entry.1.value=v",
        "Action=Op&Version=2016-11-15&Nested.StringValue=in&Nested.NameSet.1=deep",
    ]
    different = [(p, a, b) for p, a, b in zip(cases, python, r, strict=True) if a != b]
    assert different == []
    assert sum(len(b) for b in python) > 40_000


def test_mutated_answers_give_the_same_outcome_in_both() -> None:
    fuzz_api = copy.deepcopy(API)
    del fuzz_api["shapes"]["Out"]["members"]["L"]  # beyond 2^53 R refuses by design
    seeds = [ACCEPTED[n][0] for n in ("scalars", "item-lists", "nested")]
    seeds.append(_wrap("<T>2014-04-29T18:30:38.123Z</T><Blob>aGk=</Blob><D>-1e3</D>"))
    rng = random.Random(17)
    bodies = [_mutate(rng, rng.choice(seeds)) for _ in range(800)]
    outcomes = _outcomes(fuzz_api, bodies)
    disagreements = []
    for body, (python, r) in zip(bodies, outcomes, strict=True):
        # Python's int holds more than 32 bits; R's integer refuses it (the type table).
        if "value" in python and r == {"refused": True} and _beyond_int32(python["value"]):
            continue
        if python != r:
            disagreements.append((body, python, r))
    assert disagreements == []
    refused = sum("refused" in p for p, _ in outcomes)
    assert 80 < refused < len(bodies) - 80, refused


def _beyond_int32(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_beyond_int32(v) for v in value.values())
    if isinstance(value, list):
        return any(_beyond_int32(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**31 - 1
