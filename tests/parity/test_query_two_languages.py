"""The query protocol on the same bytes in both runtimes: same values, same refusals.

Python reads XML with its expat builder (pawscore.query), R with xml2 (R/query.R);
each answer goes through the clients' own wrapping (Python ``client._parse``, R
``as_response_error``), so a refusal is ``ResponseParseError`` / ``paws_response_error``.
Hostile XML (DOCTYPE and entities, deep nesting, bytes that are not UTF-8, ...) must be
refused by both; well-formed answers must give equal values (rconvert, the type table).
Request bodies must be byte-identical, floats included.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from typing import Any

import pytest
from pawscore import ResponseParseError
from pawscore.client import _parse
from pawscore.http import HttpResponse
from pawscore.query import MAX_XML_DEPTH, build_request, parse_error
from rpy2 import robjects as ro

from .rconvert import to_python

API: dict[str, Any] = {
    "metadata": {"protocol": "query", "api_version": "2010-05-08"},
    "operations": {
        "Op": {
            "name": "Op",
            "http_method": "POST",
            "request_uri": "/",
            "input": "Out",
            "output": "Out",
            "result_wrapper": "OpResult",
            "errors": ["NoSuchEntityException"],
        }
    },
    "shapes": {
        "Out": {
            "type": "structure",
            "members": {
                "S": {"shape": "Str"},
                "I": {"shape": "Int"},
                "L": {"shape": "Long"},
                "D": {"shape": "Dbl"},
                "B": {"shape": "Bool"},
                "T": {"shape": "Time"},
                "Blob": {"shape": "Bytes"},
                "Names": {"shape": "Names"},
                "Flat": {"shape": "Names", "flattened": True, "location_name": "Item"},
                # Same wire name: a key written twice keeps its first place, last value.
                "Flat2": {"shape": "Names", "flattened": True, "location_name": "Item"},
                "Tags": {"shape": "Tags"},
                "Nested": {"shape": "Out"},
            },
        },
        "Str": {"type": "string"},
        "Int": {"type": "integer"},
        "Long": {"type": "long"},
        "Dbl": {"type": "double"},
        "Bool": {"type": "boolean"},
        "Time": {"type": "timestamp"},
        "Bytes": {"type": "blob"},
        "Names": {"type": "list", "member": {"shape": "Str"}},
        "Tags": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
        "NoSuchEntityException": {
            "type": "structure",
            "members": {"message": {"shape": "Str"}, "Detail": {"shape": "Int"}},
            "exception": True,
            "error": {"code": "NoSuchEntity", "http_status_code": 404, "sender_fault": True},
        },
    },
}

_R_PARSE = ro.r(
    """
    function(api_json, body) {
      api <- jsonlite::fromJSON(api_json, simplifyVector = FALSE)
      tryCatch(
        list(value = pawscore:::as_response_error(
          pawscore:::parse_response(api, "Op", 200L, character(), body), "the Op response"
        )),
        paws_response_error = function(e) list(refused = conditionMessage(e)),
        error = function(e) list(other = conditionMessage(e))
      )
    }
    """
)
_R_ERROR = ro.r(
    """
    function(api_json, status, body) {
      api <- jsonlite::fromJSON(api_json, simplifyVector = FALSE)
      e <- pawscore:::parse_error(api, status, c(`x-amzn-RequestId` = "hdr-id"), body)
      list(code = e$code, message = e$message, request_id = e$request_id,
           class = class(e), fields = jsonlite::toJSON(e$fields, auto_unbox = TRUE))
    }
    """
)
_R_BUILD = ro.r(
    """
    function(api_json, params_json) {
      api <- jsonlite::fromJSON(api_json, simplifyVector = FALSE)
      params <- jsonlite::fromJSON(params_json, simplifyVector = FALSE)
      if (!is.null(params[["T"]])) params[["T"]] <- as.POSIXct(params[["T"]], origin = "1970-01-01", tz = "UTC")
      if (!is.null(params$Blob)) params$Blob <- charToRaw(params$Blob)
      rawToChar(pawscore:::build_request(api, "Op", params, "https://example.com")$body)
    }
    """
)
_R_FLOATS = ro.r("function(x) vapply(x, pawscore:::python_float_text, '')")


def _wrap(inner: str) -> bytes:
    return (
        '<OpResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><OpResult>'
        + inner
        + "</OpResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
        "</OpResponse>"
    ).encode()


def _python(body: bytes) -> dict[str, Any]:
    response = HttpResponse.__new__(HttpResponse)
    response.status = 200
    response.headers = {}
    try:
        return {"value": _parse(API, "Op", response, body)}
    except ResponseParseError as exc:
        return {"refused": str(exc)}


def _r(body: bytes) -> dict[str, Any]:
    out = _R_PARSE(json.dumps(API), ro.vectors.ByteVector(body))
    names = list(out.names)
    if names == ["value"]:
        return {"value": to_python(API, "Out", out.rx2("value"))}
    if names == ["refused"]:
        return {"refused": str(out.rx2("refused")[0])}
    raise AssertionError(f"R raised an untyped error: {out.rx2('other')[0]}")


def _nested(depth: int) -> bytes:
    """An answer whose elements nest ``depth`` deep in all (the root counts as 1)."""
    inner_levels = depth - 2  # <OpResponse><OpResult> are the first two
    return (
        b"<OpResponse><OpResult>"
        + b"<Nested>" * (inner_levels - 1)
        + b"<S>deep</S>"
        + b"</Nested>" * (inner_levels - 1)
        + b"</OpResult></OpResponse>"
    )


HOSTILE: dict[str, bytes] = {
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<OpResponse><OpResult><S>&lol2;</S></OpResult></OpResponse>",
    "external-entity": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
    b'"file:///etc/passwd">]><OpResponse><OpResult><S>&x;</S></OpResult></OpResponse>',
    "doctype-only": b"<!DOCTYPE OpResponse><OpResponse><OpResult/></OpResponse>",
    "undefined-entity": _wrap("<S>&nope;</S>"),
    f"nested-{MAX_XML_DEPTH + 1}": _nested(MAX_XML_DEPTH + 1),
    "nested-300": _nested(300),
    "nested-5000": _nested(5000),
    "latin-1-bytes": _wrap("<S>caf\u00e9</S>").replace(b"\xc3\xa9", b"\xe9"),
    "utf-16": "<OpResponse><OpResult><S>x</S></OpResult></OpResponse>".encode("utf-16"),
    "declared-latin-1": b'<?xml version="1.0" encoding="ISO-8859-1"?>' + _wrap("<S>x</S>"),
    "nul-byte": _wrap("<S>a\x00b</S>"),
    "truncated": _wrap("<S>x</S>")[:-10],
    "junk-after-root": _wrap("<S>x</S>") + b"<more/>",
    "two-roots-text": b"hello",
    "html": b"<html><body><p>busy</body></html>",
    "bad-integer": _wrap("<I>12abc</I>"),
    "integer-words": _wrap("<I>twelve</I>"),
    "hex-number": _wrap("<D>0x1A</D>"),
    "bad-boolean": _wrap("<B>True</B>"),
    "bad-timestamp": _wrap("<T>yesterday</T>"),
    "bad-base64": _wrap("<Blob>***</Blob>"),
    "map-entry-stray-tag": _wrap("<Tags><entry><key>k</key><oops>v</oops></entry></Tags>"),
    "map-entry-no-key": _wrap("<Tags><entry><value>v</value></entry></Tags>"),
}

ACCEPTED: dict[str, bytes] = {
    "scalars": _wrap(
        "<S> caf\u00e9 &amp; &#x263A; </S><I> +007 </I><L>9007199254740992</L><D>-1.5e3</D>"
        "<B>false</B><T>2014-04-29T18:30:38.123456Z</T><Blob>aGk=\n</Blob>"
    ),
    "words": _wrap("<D>-Infinity</D>"),
    "cdata-and-comments": _wrap("<S>a<!-- c --><![CDATA[<b>&]]>z</S>"),
    "lists-and-maps": _wrap(
        "<Names><member>a</member><member/></Names><Item>x</Item><Item>y</Item>"
        "<Tags><entry><key>k1</key><value>v1</value></entry><entry><key>k2</key></entry>"
        "<entry><key>k1</key><value>again</value></entry></Tags>"
    ),
    "repeated-scalar-first-wins": _wrap("<S>first</S><S>second</S>"),
    "unknown-elements": _wrap("<Zzz><deep>1</deep></Zzz><S>ok</S>"),
    "text-after-child": _wrap("<S>before<x/>after</S>"),
    "no-result-wrapper": b"<OpResponse><ResponseMetadata/></OpResponse>",
    "blank-body": b" \r\n\t",
    f"nested-{MAX_XML_DEPTH}": _nested(MAX_XML_DEPTH),
    "bom": b"\xef\xbb\xbf" + _wrap("<S>x</S>"),
    "declared-utf-8": b'<?xml version="1.0" encoding="UTF-8"?>' + _wrap("<S>x</S>"),
    "prefixed-names": b'<a:OpResponse xmlns:a="urn:a"><a:OpResult><a:S>p</a:S>'
    b"</a:OpResult></a:OpResponse>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_xml_is_refused_by_both(name: str) -> None:
    body = HOSTILE[name]
    python, r = _python(body), _r(body)
    assert "refused" in python, python
    assert "refused" in r, r


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_well_formed_answers_give_equal_values(name: str) -> None:
    body = ACCEPTED[name]
    python, r = _python(body), _r(body)
    assert "value" in python, python
    assert r == python


def test_what_the_accepted_answers_hold() -> None:
    got = _python(ACCEPTED["scalars"])["value"]
    assert got == {
        "S": " caf\u00e9 & \u263a ",
        "I": 7,
        "L": 2**53,
        "D": -1500.0,
        "B": False,
        "T": dt.datetime(2014, 4, 29, 18, 30, 38, 123456, tzinfo=dt.timezone.utc),
        "Blob": b"hi",
    }
    lists = _python(ACCEPTED["lists-and-maps"])["value"]
    assert lists == {
        "Names": ["a", ""],
        "Flat": ["x", "y"],
        "Flat2": ["x", "y"],
        "Tags": {"k1": "again"},
    }
    assert _python(ACCEPTED["cdata-and-comments"])["value"] == {"S": "a<b>&z"}
    assert _python(ACCEPTED["text-after-child"])["value"] == {"S": "before"}
    assert _python(ACCEPTED["no-result-wrapper"])["value"] == {}
    assert math.isinf(_python(ACCEPTED["words"])["value"]["D"])


def test_a_long_beyond_2_53_is_an_error_in_r_only() -> None:
    # docs/contracts.md §1a: R holds longs as doubles, exact to 2^53; beyond that an
    # error, never a rounded number. Python's int holds it.
    body = _wrap("<L>9007199254740993</L>")
    assert _python(body) == {"value": {"L": 2**53 + 1}}
    assert "beyond 2^53" in _r(body)["refused"]


ERRORS: dict[str, tuple[int, bytes, dict[str, Any]]] = {
    "modeled": (
        404,
        b"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
        b"<Message>The user with name x cannot be found.</Message><Detail>7</Detail>"
        b"<Extra><A>1</A><A>2</A></Extra></Error><RequestId>rid-9</RequestId></ErrorResponse>",
        {
            "code": "NoSuchEntity",
            "message": "The user with name x cannot be found.",
            "request_id": "rid-9",
            "fields": {"Detail": 7, "Extra": {"A": "1"}},
            "class": "NoSuchEntityException",
        },
    ),
    "ec2-style": (
        400,
        b"<Response><Errors><Error><Code>Throttling</Code><Message>slow</Message></Error>"
        b"</Errors><RequestID>ec2-id</RequestID></Response>",
        {"code": "Throttling", "message": "slow", "request_id": "ec2-id", "fields": {}},
    ),
    "doctype": (
        500,
        b'<!DOCTYPE x [<!ENTITY a "b">]><ErrorResponse><Error><Code>&a;</Code></Error>'
        b"</ErrorResponse>",
        {"code": "Http500", "message": "", "request_id": "hdr-id", "fields": {}},
    ),
    "html": (
        503,
        b"<html><body>busy</body></html>",
        {"code": "Http503", "message": "", "request_id": "hdr-id", "fields": {}},
    ),
    "empty": (502, b"", {"code": "Http502", "message": "", "request_id": "hdr-id", "fields": {}}),
    "modeled-member-does-not-fit": (
        404,
        b"<ErrorResponse><Error><Code>NoSuchEntity</Code><Message>m</Message>"
        b"<Detail>seven</Detail></Error></ErrorResponse>",
        {
            "code": "NoSuchEntity",
            "message": "m",
            "request_id": "hdr-id",
            "fields": {"Detail": "seven"},
            "class": "NoSuchEntityException",
        },
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
    assert python == {k: v for k, v in want.items() if k != "class"}
    r = _R_ERROR(json.dumps(API), status, ro.vectors.ByteVector(body))
    classes = list(r.rx2("class"))
    assert classes[0] == want["code"] and "paws_service_error" in classes
    if "class" in want:
        assert want["class"] in classes
    assert str(r.rx2("code")[0]) == want["code"]
    assert str(r.rx2("message")[0]) == want["message"]
    assert str(r.rx2("request_id")[0]) == want["request_id"]
    r_fields = json.loads(str(r.rx2("fields")[0]))
    assert (r_fields or {}) == want["fields"]


REQUESTS: list[dict[str, Any]] = [
    {"S": "a b&c=d/e~f_g.h-i+j\u00e9\u263a", "I": -3, "L": 2**52, "B": True},
    {"D": 10.8, "Names": ["x", "y z"], "Flat": ["p", "q"], "Tags": {"k 1": "v", "k2": "w"}},
    {"Names": [], "Tags": {}, "Nested": {"S": "in", "Nested": {"Names": ["deep"]}}},
    {"T": 1398796238.123456, "Blob": "bytes\u00e9", "D": 1e-7},
    {"T": 1398796238, "D": 1e22, "B": False},
    {"Flat": ["a", "b", "c"], "Flat2": ["z"]},
]


@pytest.mark.parametrize("params", REQUESTS, ids=lambda p: ",".join(p))
def test_request_bodies_are_byte_identical(params: dict[str, Any]) -> None:
    given = dict(params)
    if "T" in given:
        given["T"] = dt.datetime.fromtimestamp(given["T"], dt.timezone.utc)
    python = build_request(API, "Op", given, "https://example.com").body.decode("ascii")
    r = str(_R_BUILD(json.dumps(API), json.dumps(params))[0])
    assert r == python
    assert python.startswith("Action=Op&Version=2010-05-08&")
    if "Flat2" in params:
        assert python.endswith("&Item.1=z&Item.2=b&Item.3=c")


def test_floats_are_written_as_python_writes_them() -> None:
    rng = random.Random(8)
    values = [0.1, 10.8, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5, 5e-324, -0.0, 0.0,
              1.7976931348623157e308, 2.5, -1e22, 100.0, 0.30000000000000004]  # fmt: skip
    values += [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(2000)]
    r = list(_R_FLOATS(ro.FloatVector(values)))
    python = [repr(v) for v in values]
    mismatches = [(v, a, b) for v, a, b in zip(values, python, r, strict=True) if a != b]
    assert mismatches == []


# ---- differential fuzz: mutated answers, same outcome in both languages

_FUZZ_API = {
    **API,
    "shapes": {
        **API["shapes"],
        # No long: beyond 2^53 R refuses by design (tested above).
        "Out": {
            "type": "structure",
            "members": {k: v for k, v in API["shapes"]["Out"]["members"].items() if k != "L"},
        },
    },
}
_R_PARSE_MANY = ro.r(
    """
    function(api_json, bodies) {
      api <- jsonlite::fromJSON(api_json, simplifyVector = FALSE)
      lapply(bodies, function(body) tryCatch(
        list(value = pawscore:::as_response_error(
          pawscore:::parse_response(api, "Op", 200L, character(), body), "the Op response"
        )),
        paws_response_error = function(e) list(refused = conditionMessage(e)),
        # No answer may warn: a warning is turned into an error and reported.
        warning = function(w) list(other = paste("warning:", conditionMessage(w))),
        error = function(e) list(other = conditionMessage(e))
      ))
    }
    """
)
_SEEDS = [ACCEPTED["scalars"], ACCEPTED["lists-and-maps"], ACCEPTED["cdata-and-comments"],
          _wrap("<Nested><S>a</S><Nested><I>1</I><Names><member>x</member></Names></Nested>"
                "</Nested><B>true</B><D>2.5</D>")]  # fmt: skip
_PIECES = [b"<", b">", b"&", b";", b"/", b"!", b"-", b"[", b"]", b'"', b"=", b" ", b"\n",
           b"&amp;", b"&#0;", b"&#x41;", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"\xc3\xa9",
           b"\xff", b"\x00", b"<S>", b"</S>", b"<member>", b"</member>", b"<entry>",
           b"</entry>", b"<key>", b"<value>", b"9", b"-", b".", b"e", b"x", b"T", b"Z",
           b"<?xml version='1.0'?>", b"<!DOCTYPE", b"xmlns:a='u'", b"<a:S>", b"</a:S>"]  # fmt: skip


_TEXT_PIECES = [b"9", b"0", b"-", b"+", b".", b"e", b"E", b"x", b" ", b"\n", b"true", b"false",
                b"NaN", b"Infinity", b"=", b"/", b"&amp;", b"&#x41;", b"\xc3\xa9", b"<x/>",
                b"<![CDATA[7]]>", b"<!--c-->", b"T", b":", b"Z", b"2014-04-29T18:30:38"]  # fmt: skip
_TEXT_RE = re.compile(rb">([^<]*)<")


def _mutate(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    texts = [m.span(1) for m in _TEXT_RE.finditer(body)]
    if rng.random() < 0.6 and texts:
        # Inside element text: values that are or are not of their type.
        start, end = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(start, end)
            if rng.random() < 0.3 and end > start:
                del data[at : at + 1]
            else:
                data[at:at] = rng.choice(_TEXT_PIECES)
        return bytes(data)
    for _ in range(1 if rng.random() < 0.7 else 2):
        at = rng.randrange(len(data) + 1)
        op = rng.random()
        if op < 0.35:
            data[at:at] = rng.choice(_PIECES)
        elif op < 0.6 and data:
            del data[at : at + rng.randint(1, 8)]
        elif op < 0.8 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        else:
            start = rng.randrange(len(data) + 1)
            data[at:at] = data[start : start + rng.randint(1, 40)]
    return bytes(data)


def _int32_overflow(value: Any) -> bool:
    """Python holds an integer beyond 32 bits; R's integer(1) refuses it (type table)."""
    if isinstance(value, dict):
        return any(_int32_overflow(v) for v in value.values())
    if isinstance(value, list):
        return any(_int32_overflow(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**31 - 1


def _outcomes(api: dict[str, Any], bodies: list[bytes]) -> list[tuple[dict[str, Any], Any]]:
    """(Python, R) outcome of each answer of operation ``Op``: a value or a refusal.

    R parses them all in one call; an R error other than a typed refusal fails here.
    """
    response = HttpResponse.__new__(HttpResponse)
    response.status = 200
    response.headers = {}
    python: list[dict[str, Any]] = []
    for body in bodies:
        try:
            python.append({"value": _parse(api, "Op", response, body)})
        except ResponseParseError:
            python.append({"refused": True})
    r_out = _R_PARSE_MANY(json.dumps(api), [ro.vectors.ByteVector(b) for b in bodies])
    out = []
    for body, py, r in zip(bodies, python, r_out, strict=True):
        names = list(r.names)
        assert names != ["other"], f"R raised an untyped error on {body!r}: {r.rx2('other')[0]}"
        r_value = {"refused": True} if names == ["refused"] else {
            "value": to_python(api, "Out", r.rx2("value"))
        }  # fmt: skip
        out.append((py, r_value))
    return out


def test_mutated_answers_give_the_same_outcome_in_both() -> None:
    rng = random.Random(13)
    bodies = [_mutate(rng, rng.choice(_SEEDS)) for _ in range(1500)]
    outcomes = _outcomes(_FUZZ_API, bodies)
    disagreements = []
    for body, (py, r_value) in zip(bodies, outcomes, strict=True):
        if "value" in py and _int32_overflow(py["value"]) and r_value == {"refused": True}:
            continue
        if py != r_value:
            disagreements.append((body, py, r_value))
    assert disagreements == []
    # The corpus exercises both outcomes.
    refused = sum("refused" in py for py, _ in outcomes)
    assert 150 < refused < len(bodies) - 150, refused


def _random_text(rng: random.Random) -> str:
    alphabet = "aZ09 -_.~/+=&%?#\t\n\u00e9\u263a\U0001f600<>\"'\\"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def _random_params(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, make in (
        ("S", lambda: _random_text(rng)),
        ("I", lambda: rng.randint(-(2**31) + 1, 2**31 - 1)),
        ("L", lambda: rng.randint(-(2**53), 2**53)),
        (
            "D",
            lambda: rng.choice([rng.uniform(-1e6, 1e6), rng.random() * 10 ** rng.randint(-20, 20)]),
        ),
        ("B", lambda: rng.random() < 0.5),
        ("T", lambda: rng.randint(0, 4_000_000_000_000_000) / 1_000_000),
        ("Blob", lambda: _random_text(rng)),
        ("Names", lambda: [_random_text(rng) for _ in range(rng.randint(0, 3))]),
        ("Flat", lambda: [_random_text(rng) for _ in range(rng.randint(0, 3))]),
        (
            "Tags",
            lambda: {
                f"k{i}{_random_text(rng)}": _random_text(rng) for i in range(rng.randint(0, 3))
            },
        ),
    ):
        if rng.random() < 0.5:
            out[name] = make()
    if depth < 2 and rng.random() < 0.3:
        out["Nested"] = _random_params(rng, depth + 1)
    return out


_R_BUILD_MANY = ro.r(
    """
    function(api_json, params_json) {
      api <- jsonlite::fromJSON(api_json, simplifyVector = FALSE)
      all <- jsonlite::fromJSON(params_json, simplifyVector = FALSE)
      fix <- function(p) {
        if (!is.null(p[["T"]])) p[["T"]] <- as.POSIXct(p[["T"]], origin = "1970-01-01", tz = "UTC")
        if (!is.null(p[["L"]])) p[["L"]] <- as.numeric(p[["L"]])
        if (!is.null(p[["Tags"]]) && !length(p[["Tags"]])) p[["Tags"]] <- structure(list(), names = character())
        if (!is.null(p[["Nested"]])) p[["Nested"]] <- fix(p[["Nested"]])
        p
      }
      vapply(all, function(p) {
        rawToChar(pawscore:::build_request(api, "Op", fix(p), "https://example.com")$body)
      }, "")
    }
    """
)


def _python_params(params: dict[str, Any]) -> dict[str, Any]:
    out = dict(params)
    if "T" in out:
        micros = round(out["T"] * 1_000_000)
        out["T"] = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
            microseconds=micros
        )
    if "Nested" in out:
        out["Nested"] = _python_params(out["Nested"])
    return out


def test_random_inputs_give_byte_identical_bodies() -> None:
    rng = random.Random(21)
    cases = [_random_params(rng) for _ in range(400)]
    python = [
        build_request(API, "Op", _python_params(p), "https://example.com").body.decode("ascii")
        for p in cases
    ]
    r = list(_R_BUILD_MANY(json.dumps(API), json.dumps(cases)))
    different = [(p, a, b) for p, a, b in zip(cases, python, r, strict=True) if a != b]
    assert different == []
    assert sum(len(b) for b in python) > 40_000  # the bodies are not trivially short
