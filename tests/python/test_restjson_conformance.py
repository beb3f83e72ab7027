"""botocore's rest-json protocol cases, run through pawscore.restjson.

Reads tests/conformance/protocols (AWS's data, vendored with its LICENSE and NOTICE; found
through tests/paths.py). Skips only the cases botocore
itself ignores (protocol-tests-ignore-list.json) and the gaps named in KNOWN_GAPS.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from pawscore.restjson import build_request, parse_error, parse_response

from codegen.apidata import build_api_data
from tests.paths import PROTOCOLS
from tests.python.fixture_values import plain

CONFORMANCE = PROTOCOLS
ENDPOINT = "https://example.com"

# Cases we do not pass, each with the reason.
KNOWN_GAPS: dict[str, str] = {}


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))


def _ignored(direction: str) -> tuple[set[str], set[str]]:
    data = json.loads((CONFORMANCE / "protocol-tests-ignore-list.json").read_text())
    suites = set(data["general"].get(direction, {}).get("suites", []))
    cases = set(data["protocols"]["rest-json"].get(direction, {}).get("cases", []))
    return suites, cases


def _cases(filename: str, direction: str) -> list[Any]:
    suites, ignored = _ignored(direction)
    out = []
    for suite in _load(filename):
        if suite["description"] in suites:
            continue
        for case in suite["cases"]:
            if case["id"] in ignored:
                continue
            marks = []
            if case["id"] in KNOWN_GAPS:
                marks.append(pytest.mark.xfail(reason=KNOWN_GAPS[case["id"]], strict=True))
            out.append(pytest.param(suite, case, id=case["id"], marks=marks))
    return out


def _api(suite: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    model = {
        "metadata": {**suite["metadata"], "endpointPrefix": "example"},
        "shapes": suite["shapes"],
        "operations": {case["given"]["name"]: case["given"]},
    }
    return build_api_data(model)


def _query_pairs(query: str) -> list[str]:
    return sorted(p for p in query.split("&") if p)


@pytest.mark.parametrize(("suite", "case"), _cases("input-rest-json.json", "input"))
def test_serialize(suite: dict[str, Any], case: dict[str, Any]) -> None:
    api = _api(suite, case)
    expected = case["serialized"]
    request = build_request(api, case["given"]["name"], case["params"], ENDPOINT)
    url = urlsplit(request.url)
    want_path, _, want_query = expected["uri"].partition("?")
    assert request.method == expected["method"]
    assert url.path == want_path
    assert _query_pairs(url.query) == _query_pairs(want_query)
    if "host" in expected:
        assert url.netloc == expected["host"]
    headers = {k.lower(): v for k, v in request.headers.items()}
    for name, value in expected.get("headers", {}).items():
        assert headers.get(name.lower()) == value, name
    for name in expected.get("forbidHeaders", []):
        assert name.lower() not in headers
    for name in expected.get("requireHeaders", []):
        assert name.lower() in headers
    want_body = expected.get("body", "").encode("utf-8")
    if headers.get("content-type") == "application/json" and want_body:
        assert json.loads(request.body) == json.loads(want_body)
    else:
        assert request.body == want_body


@pytest.mark.parametrize(("suite", "case"), _cases("output-rest-json.json", "output"))
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
        if "errorMessage" in case:
            assert error.message == case["errorMessage"]
        want = {k: v for k, v in case["error"].items() if k not in ("Message", "message")}
        assert plain(error.fields) == want
        return
    result = parse_response(api, case["given"]["name"], status, headers, body)
    assert plain(result) == case["result"]
    # members come back in model order
    output = case["given"].get("output")
    if output:
        order = list(suite["shapes"][output["shape"]].get("members", {}))
        assert list(result) == [m for m in order if m in result]
