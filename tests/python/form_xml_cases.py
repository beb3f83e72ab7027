"""AWS's protocol cases for the form-encoded, XML-answered protocols (query and ec2).

Both protocols' suites share their checks: a request body is exact (same pairs, same
order, same percent-encoding), an answer parses to the case's values in model order,
and an error carries the case's code, message, request id and fields. Each test
module names the cases it does not run, with the reason (no silent skips).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

import pytest
from pawscore.protocol import build_request, parse_error, parse_response, protocol_for

from codegen.apidata import build_api_data
from tests.paths import PROTOCOLS
from tests.python.fixture_values import plain

ENDPOINT = "https://example.com"
IGNORE = json.loads((PROTOCOLS / "protocol-tests-ignore-list.json").read_text())
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def load(protocol: str, direction: str) -> list[dict[str, Any]]:
    """The suites of ``<direction>-<protocol>.json``."""
    return json.loads((PROTOCOLS / f"{direction}-{protocol}.json").read_text(encoding="utf-8"))


def cases(protocol: str, direction: str, skipped: Mapping[str, str]) -> list[Any]:
    """pytest params (suite, case) for every case not named in ``skipped``."""
    return [
        pytest.param(suite, case, id=case["id"])
        for suite in load(protocol, direction)
        for case in suite["cases"]
        if case["id"] not in skipped
    ]


def case_counts(protocol: str) -> dict[str, int]:
    """How many cases each direction's file holds."""
    return {d: sum(len(s["cases"]) for s in load(protocol, d)) for d in ("input", "output")}


def botocore_ignores(protocol: str) -> set[str]:
    """The case ids botocore's own harness ignores for ``protocol``."""
    lists = IGNORE["protocols"][protocol]
    return set(lists["input"]["cases"]) | set(lists["output"]["cases"])


def api_for(suite: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """The API data of a one-operation model made of the suite and the case."""
    model = {
        "metadata": {**suite["metadata"], "endpointPrefix": "example"},
        "shapes": suite["shapes"],
        "operations": {case["given"]["name"]: case["given"]},
    }
    return build_api_data(model)


def suite_named(protocol: str, direction: str, description: str) -> dict[str, Any]:
    """The suite of ``<direction>-<protocol>.json`` with this description."""
    return next(s for s in load(protocol, direction) if s["description"] == description)


def check_serialized(protocol: str, suite: dict[str, Any], case: dict[str, Any]) -> None:
    """The request for an input case is the one the case describes."""
    api = api_for(suite, case)
    assert protocol_for(api).name == protocol
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
    assert request.body.decode("ascii") == expected["body"]


def check_parsed(suite: dict[str, Any], case: dict[str, Any]) -> None:
    """An output case's answer parses to its values (or error), members in model order."""
    api = api_for(suite, case)
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


def check_flattened_lists_read_as_botocore(protocol: str, indent: str) -> None:
    """Flattened members named <item>: both lists read the same two items, as in botocore."""
    suite = suite_named(protocol, "output", "Test cases for XmlLists operation")
    case = suite["cases"][0]
    body = case["response"]["body"].replace(
        f"<flattenedList>hi</flattenedList>\n{indent}<flattenedList>bye</flattenedList>",
        f"<item>hi</item>\n{indent}<item>bye</item>",
    )
    result = plain(parse_response(api_for(suite, case), "XmlLists", 200, {}, body.encode()))
    want = dict(case["result"])
    want["flattenedList2"] = want["flattenedList"]
    assert result == want


def check_idempotency_token(protocol: str, wire_name: str) -> None:
    """A missing idempotency token is filled with a fresh uuid4; a given one is sent."""
    suite = suite_named(protocol, "input", "Test cases for QueryIdempotencyTokenAutoFill operation")
    auto, given = suite["cases"]
    api = api_for(suite, auto)
    request = build_request(api, auto["given"]["name"], auto["params"], ENDPOINT)
    assert re.fullmatch(UUID4, dict(parse_qsl(request.body.decode()))[wire_name])
    request = build_request(api, given["given"]["name"], given["params"], ENDPOINT)
    assert request.body.decode() == given["serialized"]["body"]


def check_endpoint_path_kept(protocol: str) -> None:
    """An endpoint with a path keeps it in front of the operation's."""
    suite = suite_named(protocol, "input", "Test cases for HostWithPathOperation operation")
    case = suite["cases"][0]
    request = build_request(api_for(suite, case), "HostWithPathOperation", {}, ENDPOINT + "/custom")
    assert urlsplit(request.url).path == case["serialized"]["uri"]
    assert request.body.decode() == case["serialized"]["body"]


def scalar_xml(kind: str, value: Any, fmt: str | None = None) -> str:
    """A scalar as an XML answer writes it (for the tests that write answers)."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        if fmt == "unixTimestamp":
            return str(int(value.timestamp()))
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if kind == "blob":
        return base64.b64encode(value).decode()
    if kind in ("float", "double"):
        return repr(value)
    return escape(str(value))
