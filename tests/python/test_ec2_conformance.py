"""botocore's ec2 protocol cases (input-ec2.json, output-ec2.json), run through the seam.

Reads tests/conformance/protocols (AWS's data, vendored with its LICENSE and NOTICE).
Every case of both files is collected; the ones not run as written are named in
SKIPPED with the reason, and what they test is tested below them.
"""

from __future__ import annotations

from typing import Any

import pytest
from pawscore.protocol import build_request, parse_response

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

INPUT_CASES = cases("ec2", "input", SKIPPED)
OUTPUT_CASES = cases("ec2", "output", SKIPPED)


def test_every_case_is_run_or_named() -> None:
    assert case_counts("ec2") == {"input": 29, "output": 29}
    # Whatever botocore ignores is either named here or run (and passes).
    ignored = botocore_ignores("ec2")
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


@pytest.mark.parametrize(("suite", "case"), INPUT_CASES)
def test_serialize(suite: dict[str, Any], case: dict[str, Any]) -> None:
    check_serialized("ec2", suite, case)


@pytest.mark.parametrize(("suite", "case"), OUTPUT_CASES)
def test_parse(suite: dict[str, Any], case: dict[str, Any]) -> None:
    check_parsed(suite, case)


# ---- what the cases above leave out


def test_flattened_list_member_name_follows_botocore() -> None:
    check_flattened_lists_read_as_botocore("ec2", "    ")


def test_idempotency_token_is_filled_with_a_uuid4() -> None:
    check_idempotency_token("ec2", "Token")


def test_endpoint_path_is_kept() -> None:
    check_endpoint_path_kept("ec2")


def test_ec2_differs_from_query_on_the_same_shapes() -> None:
    """Lists flattened (member names unused), empty lists not sent, no result wrapper."""
    suite = suite_named("ec2", "input", "Test cases for QueryLists operation")
    case = next(c for c in suite["cases"] if c["id"] == "Ec2ListMemberWithXmlName")
    api = api_for(suite, case)
    params = {"ListArg": [], "ListArgWithXmlNameMember": ["A"], "ListArgWithXmlName": ["B"]}
    ec2_body = build_request(api, "QueryLists", params, ENDPOINT).body.decode()
    assert ec2_body == "Action=QueryLists&Version=2020-01-08&ListArgWithXmlNameMember.1=A&Hi.1=B"
    query_api = {**api, "metadata": {**api["metadata"], "protocol": "query"}}
    query_body = build_request(query_api, "QueryLists", params, ENDPOINT).body.decode()
    assert query_body == (
        "Action=QueryLists&Version=2020-01-08&ListArg=&ListArgWithXmlNameMember.item.1=A"
        "&Hi.item.1=B"
    )
    out_suite = suite_named("ec2", "output", "Test cases for SimpleScalarXmlProperties operation")
    out_case = out_suite["cases"][0]
    out_api = api_for(out_suite, out_case)
    wrapped = (
        b"<SimpleScalarXmlPropertiesResponse><SimpleScalarXmlPropertiesResult>"
        b"<stringValue>x</stringValue></SimpleScalarXmlPropertiesResult>"
        b"<stringValue>y</stringValue><requestId>r</requestId></SimpleScalarXmlPropertiesResponse>"
    )
    # ec2 reads the root's own children: a <...Result> element is just an unknown one.
    assert parse_response(out_api, "SimpleScalarXmlProperties", 200, {}, wrapped) == {
        "stringValue": "y"
    }
