"""botocore's ec2 protocol cases (input-ec2.json, output-ec2.json), run through the seam.

Reads tests/conformance/protocols (AWS's data, vendored with its LICENSE and NOTICE).
Every case of both files is collected; the ones not run as written are named in
SKIPPED with the reason, and what they test is tested below them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from pawscore.protocol import build_request, parse_error, parse_response, protocol_for

from codegen.apidata import build_api_data
from tests.paths import PROTOCOLS
from tests.python.fixture_values import plain

ENDPOINT = "https://example.com"

# Cases not run as written, each with its reason (no silent skips).
SKIPPED: dict[str, str] = {
    # general ignore list: suites botocore skips for every protocol
    "SDKAppliedContentEncoding_ec2Query": "request compression (requestcompression trait) "
    "is not implemented by pawscore; botocore skips the suite too",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query": "request compression, as above",
    "Ec2ProtocolIdempotencyTokenAutoFill": "expects the fixed token the harness injects; "
    "the fresh uuid4 fill is tested in test_idempotency_token_is_filled_with_a_uuid4",
    "Ec2ProtocolIdempotencyTokenAutoFillIsSet": "botocore skips the suite; the given "
    "token is tested in test_idempotency_token_is_filled_with_a_uuid4",
    "Ec2QueryHostWithPath": "an endpoint with a path; botocore skips the suite (its "
    "harness cannot set one); the path rule is tested in test_endpoint_path_is_kept",
    # ec2 ignore list
    "Ec2XmlLists": "flattened lists whose member has a locationName: botocore reads "
    "<item>, the Smithy case writes <flattenedList>; we follow botocore, as the query "
    "protocol does (see test_flattened_list_member_name_follows_botocore)",
}

_IGNORE = json.loads((PROTOCOLS / "protocol-tests-ignore-list.json").read_text())


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((PROTOCOLS / name).read_text(encoding="utf-8"))


def _cases(direction: str) -> list[Any]:
    out = []
    for suite in _load(f"{direction}-ec2.json"):
        for case in suite["cases"]:
            if case["id"] in SKIPPED:
                continue
            out.append(pytest.param(suite, case, id=case["id"]))
    return out


INPUT_CASES = _cases("input")
OUTPUT_CASES = _cases("output")


def test_every_case_is_run_or_named() -> None:
    counts = {d: sum(len(s["cases"]) for s in _load(f"{d}-ec2.json")) for d in ("input", "output")}
    assert counts == {"input": 29, "output": 29}
    # Whatever botocore ignores is either named here or run (and passes).
    ignored = set(_IGNORE["protocols"]["ec2"]["input"]["cases"])
    ignored |= set(_IGNORE["protocols"]["ec2"]["output"]["cases"])
    ran = {p.id for p in INPUT_CASES + OUTPUT_CASES}
    assert (
        ignored - set(SKIPPED)
        == {
            "Ec2QueryEndpointTraitWithHostLabel",
            "Ec2Lists",
            "Ec2TimestampsInput",
            "Ec2ComplexError",
        }
        <= ran
    )
    assert len(INPUT_CASES) == 24 and len(OUTPUT_CASES) == 28


def _api(suite: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    model = {
        "metadata": {**suite["metadata"], "endpointPrefix": "example"},
        "shapes": suite["shapes"],
        "operations": {case["given"]["name"]: case["given"]},
    }
    return build_api_data(model)


@pytest.mark.parametrize(("suite", "case"), INPUT_CASES)
def test_serialize(suite: dict[str, Any], case: dict[str, Any]) -> None:
    api = _api(suite, case)
    assert protocol_for(api).name == "ec2"
    expected = case["serialized"]
    request = build_request(api, case["given"]["name"], case["params"], ENDPOINT)
    url = urlsplit(request.url)
    assert request.method == expected["method"]
    assert url.path + (f"?{url.query}" if url.query else "") == expected["uri"]
    assert url.netloc == expected.get("host", "example.com")
    headers = {k.lower(): v for k, v in request.headers.items()}
    for name, value in expected.get("headers", {}).items():
        got = headers.get(name.lower())
        if name.lower() == "content-type":
            # botocore sends "; charset=utf-8" after the media type the case names.
            assert got == f"{value}; charset=utf-8"
        else:
            assert got == value, name
    for name in expected.get("forbidHeaders", []):
        assert name.lower() not in headers
    for name in expected.get("requireHeaders", []):
        assert name.lower() in headers
    assert headers["content-length"] == str(len(request.body))
    # The body is exact: same pairs, same order, same percent-encoding.
    assert request.body.decode("ascii") == expected["body"]


@pytest.mark.parametrize(("suite", "case"), OUTPUT_CASES)
def test_parse(suite: dict[str, Any], case: dict[str, Any]) -> None:
    api = _api(suite, case)
    response = case["response"]
    status = response["status_code"]
    headers = response.get("headers", {})
    body = response.get("body", "").encode("utf-8")
    if "errorCode" in case:
        error = parse_error(api, status, headers, body)
        assert error.code == case["errorCode"]
        assert error.status_code == status
        assert error.request_id == "foo-id"
        if "errorMessage" in case:
            assert error.message == case["errorMessage"]
        want = {k: v for k, v in case["error"].items() if k not in ("Message", "message")}
        assert plain(error.fields) == want
        return
    result = parse_response(api, case["given"]["name"], status, headers, body)
    assert plain(result) == case["result"]
    output = case["given"].get("output")
    if output:
        order = list(suite["shapes"][output["shape"]].get("members", {}))
        assert list(result) == [m for m in order if m in result]


# ---- what the cases above leave out


def _suite(direction: str, description: str) -> dict[str, Any]:
    return next(s for s in _load(f"{direction}-ec2.json") if s["description"] == description)


def test_flattened_list_member_name_follows_botocore() -> None:
    suite = _suite("output", "Test cases for XmlLists operation")
    case = suite["cases"][0]
    api = _api(suite, case)
    body = case["response"]["body"].replace(
        "<flattenedList>hi</flattenedList>\n    <flattenedList>bye</flattenedList>",
        "<item>hi</item>\n    <item>bye</item>",
    )
    result = plain(parse_response(api, "XmlLists", 200, {}, body.encode()))
    want = dict(case["result"])
    # Both flattened members name their elements <item>: both read the same two.
    want["flattenedList2"] = want["flattenedList"]
    assert result == want


def test_idempotency_token_is_filled_with_a_uuid4() -> None:
    suite = _suite("input", "Test cases for QueryIdempotencyTokenAutoFill operation")
    auto, given = suite["cases"]
    api = _api(suite, auto)
    request = build_request(api, auto["given"]["name"], auto["params"], ENDPOINT)
    pairs = dict(parse_qsl(request.body.decode()))
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", pairs["Token"]
    )
    request = build_request(api, given["given"]["name"], given["params"], ENDPOINT)
    assert request.body.decode() == given["serialized"]["body"]


def test_endpoint_path_is_kept() -> None:
    suite = _suite("input", "Test cases for HostWithPathOperation operation")
    case = suite["cases"][0]
    request = build_request(_api(suite, case), "HostWithPathOperation", {}, ENDPOINT + "/custom")
    assert urlsplit(request.url).path == case["serialized"]["uri"]
    assert request.body.decode() == case["serialized"]["body"]


def test_ec2_differs_from_query_on_the_same_shapes() -> None:
    """Lists flattened (member names unused), empty lists not sent, no result wrapper."""
    suite = _suite("input", "Test cases for QueryLists operation")
    case = next(c for c in suite["cases"] if c["id"] == "Ec2ListMemberWithXmlName")
    api = _api(suite, case)
    params = {"ListArg": [], "ListArgWithXmlNameMember": ["A"], "ListArgWithXmlName": ["B"]}
    ec2_body = build_request(api, "QueryLists", params, ENDPOINT).body.decode()
    assert ec2_body == "Action=QueryLists&Version=2020-01-08&ListArgWithXmlNameMember.1=A&Hi.1=B"
    query_api = {**api, "metadata": {**api["metadata"], "protocol": "query"}}
    query_body = build_request(query_api, "QueryLists", params, ENDPOINT).body.decode()
    assert query_body == (
        "Action=QueryLists&Version=2020-01-08&ListArg=&ListArgWithXmlNameMember.item.1=A"
        "&Hi.item.1=B"
    )
    out_suite = _suite("output", "Test cases for SimpleScalarXmlProperties operation")
    out_case = out_suite["cases"][0]
    out_api = _api(out_suite, out_case)
    wrapped = (
        b"<SimpleScalarXmlPropertiesResponse><SimpleScalarXmlPropertiesResult>"
        b"<stringValue>x</stringValue></SimpleScalarXmlPropertiesResult>"
        b"<stringValue>y</stringValue><requestId>r</requestId></SimpleScalarXmlPropertiesResponse>"
    )
    # ec2 reads the root's own children: a <...Result> element is just an unknown one.
    assert parse_response(out_api, "SimpleScalarXmlProperties", 200, {}, wrapped) == {
        "stringValue": "y"
    }
