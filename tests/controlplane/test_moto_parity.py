"""Lambda's control plane against moto's server: botocore == pawslambda (Python) == (R).

These calls go through the generic rest-json path (JSON bodies with nested structures,
blobs, maps, longs, uri labels, query strings, 204 answers, service errors), the part
of the runtimes the streaming tests do not reach.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from parity.threeway import botocore_outcome, python_outcome, r_outcome
from pawscore import ParamValidationError
from pawslambda import client as pawslambda_client

from .conftest import zip_bytes


@pytest.fixture(scope="module")
def function_arn(boto_kwargs: dict[str, Any], role_arn: str) -> str:
    """A function created with botocore, for the read-only comparisons."""
    out = boto3.client("lambda", **boto_kwargs).create_function(
        FunctionName="made-by-botocore",
        Runtime="python3.11",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": zip_bytes()},
        Tags={"team": "pawsgen", "stage": "test"},
        Environment={"Variables": {"K": "v"}},
        MemorySize=256,
    )
    return out["FunctionArn"]


READS = [
    ("get_function", {"FunctionName": "made-by-botocore"}),
    ("get_function_configuration", {"FunctionName": "made-by-botocore"}),
    ("list_functions", {}),
    ("get_function", {"FunctionName": "no-such-function"}),
]


@pytest.mark.parametrize(
    ("method", "args"), READS, ids=[f"{m}-{i}" for i, (m, _) in enumerate(READS)]
)
def test_three_clients_agree(
    paws_config: dict[str, Any],
    function_arn: str,
    method: str,
    args: dict[str, Any],
) -> None:
    expected = botocore_outcome(paws_config, method, args)
    assert python_outcome(paws_config, method, args) == expected
    assert r_outcome(paws_config, method, args) == expected


def test_maps_agree(paws_config: dict[str, Any], function_arn: str) -> None:
    args = {"Resource": function_arn}
    expected = botocore_outcome(paws_config, "list_tags", args)
    assert expected["value"]["Tags"] == {"team": "pawsgen", "stage": "test"}
    assert python_outcome(paws_config, "list_tags", args) == expected
    assert r_outcome(paws_config, "list_tags", args) == expected


@pytest.mark.parametrize("language", ["python", "r"])
def test_create_and_delete_from_each_language(
    paws_config: dict[str, Any],
    role_arn: str,
    language: str,
) -> None:
    name = f"made-by-{language}"
    create = {
        "FunctionName": name,
        "Runtime": "python3.11",
        "Role": role_arn,
        "Handler": "app.handler",
        "Code": {"ZipFile": zip_bytes()},
        "Timeout": 7,
        "Tags": {"lang": language},
    }
    outcome = python_outcome if language == "python" else r_outcome

    def call(method: str, args: dict[str, Any]) -> dict[str, Any]:
        return outcome(paws_config, method, args)

    created = call("create_function", create)["value"]
    assert created["FunctionName"] == name and created["Timeout"] == 7
    seen = botocore_outcome(paws_config, "get_function", {"FunctionName": name})["value"]
    assert seen["Configuration"]["CodeSize"] == len(zip_bytes())  # the blob arrived whole
    assert seen["Tags"] == {"lang": language}
    # botocore deletes a twin, so the expected answer comes from it too (204, no body)
    twin = {**create, "FunctionName": f"{name}-twin"}
    botocore_outcome(paws_config, "create_function", twin)
    expected = botocore_outcome(
        paws_config, "delete_function", {"FunctionName": twin["FunctionName"]}
    )
    assert expected == {"value": {"StatusCode": 204}}
    assert call("delete_function", {"FunctionName": name}) == expected
    gone = botocore_outcome(paws_config, "get_function", {"FunctionName": name})
    assert gone["error"]["code"] == "ResourceNotFoundException"


def test_invalid_input_is_rejected_before_sending(paws_config: dict[str, Any]) -> None:
    before = botocore_outcome(paws_config, "list_functions", {})["value"]["Functions"]
    with pytest.raises(ParamValidationError) as info:
        pawslambda_client(paws_config).create_function(
            FunctionName="never-created",
            Role=None,  # type: ignore[arg-type]
            Code={"ZipFile": "not bytes but a str is fine", "S3Bucket": 3},  # type: ignore[dict-item]
            Timeout="ten",  # type: ignore[arg-type]
            MemorySize=64,
        )
    problems = "\n".join(info.value.problems)
    for fragment in ("Role", "S3Bucket", "Timeout", "MemorySize"):
        assert fragment in problems, problems
    after = botocore_outcome(paws_config, "list_functions", {})["value"]["Functions"]
    assert after == before
