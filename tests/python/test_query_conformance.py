"""botocore's query protocol cases (input-query.json, output-query.json), run through the seam.

Reads tests/conformance/protocols (AWS's data, vendored with its LICENSE and NOTICE).
Every case of both files is collected; the ones not run as written are named in
SKIPPED with the reason (botocore's own ignore list, and why it ignores them), and
the cases botocore ignores that we pass anyway are run.
"""

from __future__ import annotations

from typing import Any

import pytest
from pawscore.protocol import build_request

from tests.python.form_xml_cases import (
    ENDPOINT,
    api_for,
    botocore_ignores,
    case_counts,
    cases,
    check_endpoint_path_kept,
    check_flattened_lists_read_as_botocore,
    check_idempotency_token,
    check_parsed,
    check_serialized,
    suite_named,
)

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

INPUT_CASES = cases("query", "input", SKIPPED)
OUTPUT_CASES = cases("query", "output", SKIPPED)


def test_every_case_is_run_or_named() -> None:
    assert case_counts("query") == {"input": 38, "output": 38}
    # Whatever botocore ignores is either named here or run (and passes).
    ignored = botocore_ignores("query")
    ran = {p.id for p in INPUT_CASES + OUTPUT_CASES}
    assert ignored - set(SKIPPED) == {"QueryComplexError"} <= ran
    assert len(INPUT_CASES) == 32 and len(OUTPUT_CASES) == 37


@pytest.mark.parametrize(("suite", "case"), INPUT_CASES)
def test_serialize(suite: dict[str, Any], case: dict[str, Any]) -> None:
    check_serialized("query", suite, case)


@pytest.mark.parametrize(("suite", "case"), OUTPUT_CASES)
def test_parse(suite: dict[str, Any], case: dict[str, Any]) -> None:
    check_parsed(suite, case)


# ---- what the cases above leave out


def test_flattened_list_member_name_follows_botocore() -> None:
    suite = suite_named("query", "input", "Test cases for QueryLists operation")
    case = next(c for c in suite["cases"] if c["id"] == "QueryFlattenedListArgWithXmlName")
    request = build_request(api_for(suite, case), "QueryLists", case["params"], ENDPOINT)
    assert request.body == b"Action=QueryLists&Version=2020-01-08&item.1=A&item.2=B"
    check_flattened_lists_read_as_botocore("query", "        ")


def test_idempotency_token_is_filled_with_a_uuid4() -> None:
    check_idempotency_token("query", "token")


def test_endpoint_path_is_kept() -> None:
    check_endpoint_path_kept("query")
