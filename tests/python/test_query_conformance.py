"""botocore's query protocol cases (input-query.json, output-query.json), run through the seam.

Reads tests/conformance/protocols (AWS's data, vendored with its LICENSE and NOTICE).
Every case of both files is collected; the ones not run as written are named in
SKIPPED with the reason (botocore's own ignore list, and why it ignores them), and
the cases botocore ignores that we pass anyway are run.
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
    "SDKAppliedContentEncoding_awsQuery": "request compression (requestcompression trait) "
    "is not implemented by pawscore; botocore skips the suite too",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery": "request compression, as above",
    "QueryProtocolIdempotencyTokenAutoFill": "expects the fixed token the harness injects; "
    "the fresh uuid4 fill is tested in test_idempotency_token_is_filled_with_a_uuid4",
    "QueryProtocolIdempotencyTokenAutoFillIsSet": "botocore skips the suite; the given "
    "token is tested in test_idempotency_token_is_filled_with_a_uuid4",
    "QueryHostWithPath": "an endpoint with a path; botocore skips the suite (its "
    "harness cannot set one); the path rule is tested in test_endpoint_path_is_kept",
    # query ignore list
    "QueryFlattenedListArgWithXmlName": "botocore (which real services are built "
    "against) puts the list member's locationName in place of the member name "
    "(item.1); the Smithy case wants Hi.1. We follow botocore: test_flattened_list_"
    "member_name_follows_botocore",
    "QueryXmlLists": "flattened lists whose member has a locationName: botocore reads "
    "<item>, the Smithy case writes <flattenedList>; we follow botocore (see "
    "test_flattened_list_member_name_follows_botocore)",
}

_IGNORE = json.loads((PROTOCOLS / "protocol-tests-ignore-list.json").read_text())


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((PROTOCOLS / name).read_text(encoding="utf-8"))


def _cases(direction: str) -> list[Any]:
    out = []
    for suite in _load(f"{direction}-query.json"):
        for case in suite["cases"]:
            if case["id"] in SKIPPED:
                continue
            out.append(pytest.param(suite, case, id=case["id"]))
    return out


INPUT_CASES = _cases("input")
OUTPUT_CASES = _cases("output")


def test_every_case_is_run_or_named() -> None:
    counts = {
        d: sum(len(s["cases"]) for s in _load(f"{d}-query.json")) for d in ("input", "output")
    }
    assert counts == {"input": 38, "output": 38}
    # Whatever botocore ignores is either named here or run (and passes).
    ignored = set(_IGNORE["protocols"]["query"]["input"]["cases"])
    ignored |= set(_IGNORE["protocols"]["query"]["output"]["cases"])
    ran = {p.id for p in INPUT_CASES + OUTPUT_CASES}
    assert ignored - set(SKIPPED) == {"QueryComplexError"} <= ran
    assert len(INPUT_CASES) == 32 and len(OUTPUT_CASES) == 37


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
    assert protocol_for(api).name == "query"
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
    return next(s for s in _load(f"{direction}-query.json") if s["description"] == description)


def test_flattened_list_member_name_follows_botocore() -> None:
    suite = _suite("input", "Test cases for QueryLists operation")
    case = next(c for c in suite["cases"] if c["id"] == "QueryFlattenedListArgWithXmlName")
    request = build_request(_api(suite, case), "QueryLists", case["params"], ENDPOINT)
    assert request.body == b"Action=QueryLists&Version=2020-01-08&item.1=A&item.2=B"
    out_suite = _suite("output", "Test cases for XmlLists operation")
    out_case = out_suite["cases"][0]
    api = _api(out_suite, out_case)
    body = out_case["response"]["body"].replace(
        "<flattenedList>hi</flattenedList>\n        <flattenedList>bye</flattenedList>",
        "<item>hi</item>\n        <item>bye</item>",
    )
    result = plain(parse_response(api, "XmlLists", 200, {}, body.encode()))
    want = dict(out_case["result"])
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
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", pairs["token"]
    )
    request = build_request(api, given["given"]["name"], given["params"], ENDPOINT)
    assert request.body.decode() == given["serialized"]["body"]


def test_endpoint_path_is_kept() -> None:
    suite = _suite("input", "Test cases for HostWithPathOperation operation")
    case = suite["cases"][0]
    request = build_request(_api(suite, case), "HostWithPathOperation", {}, ENDPOINT + "/custom")
    assert urlsplit(request.url).path == case["serialized"]["uri"]
    assert request.body.decode() == case["serialized"]["body"]
