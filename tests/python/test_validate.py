"""Parameter validation: every problem listed at once, nothing sent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pawscore import ParamValidationError
from pawscore.validate import validate

from codegen.apidata import build_api_data

from .support import API

MODEL: dict[str, Any] = {
    "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "2020-01-01"},
    "operations": {
        "Op": {
            "name": "Op",
            "http": {"method": "POST", "requestUri": "/items/{Id}"},
            "input": {"shape": "OpInput"},
        }
    },
    "shapes": {
        "OpInput": {
            "type": "structure",
            "required": ["Id", "Name"],
            "members": {
                "Id": {"shape": "Id", "location": "uri", "locationName": "Id"},
                "Name": {"shape": "Name"},
                "Mode": {"shape": "Mode"},
                "Count": {"shape": "Count"},
                "Big": {"shape": "Big"},
                "Ratio": {"shape": "Ratio"},
                "Flag": {"shape": "Flag"},
                "Data": {"shape": "Data"},
                "When": {"shape": "When"},
                "Tags": {"shape": "Tags"},
                "Items": {"shape": "Items"},
                "Inner": {"shape": "Inner"},
                "Choice": {"shape": "Choice"},
                "Odd": {"shape": "Odd"},
            },
        },
        "Id": {"type": "string", "min": 1, "pattern": "[a-z0-9-]+"},
        "Name": {"type": "string", "min": 2, "max": 5},
        "Mode": {"type": "string", "enum": ["Fast", "Slow"]},
        "Count": {"type": "integer", "min": 1, "max": 10},
        "Big": {"type": "long"},
        "Ratio": {"type": "double", "min": 0, "max": 1},
        "Flag": {"type": "boolean"},
        "Data": {"type": "blob", "max": 4},
        "When": {"type": "timestamp"},
        "Tags": {
            "type": "map",
            "key": {"shape": "Name"},
            "value": {"shape": "Name"},
            "max": 2,
        },
        "Items": {"type": "list", "member": {"shape": "Count"}, "min": 1},
        "Inner": {
            "type": "structure",
            "required": ["Mode"],
            "members": {"Mode": {"shape": "Mode"}, "Count": {"shape": "Count"}},
        },
        "Choice": {
            "type": "structure",
            "union": True,
            "members": {"A": {"shape": "Name"}, "B": {"shape": "Count"}},
        },
        # \p{L} is Java regex syntax Python's re cannot compile: patterns.py translates it.
        "Odd": {"type": "string", "pattern": "\\p{L}+"},
    },
}
DEMO = build_api_data(MODEL)


def problems(
    params: dict[str, Any], api: dict[str, Any] = DEMO, shape: str = "OpInput"
) -> list[str]:
    with pytest.raises(ParamValidationError) as info:
        validate(api, shape, params)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def test_valid_input_passes() -> None:
    validate(
        DEMO,
        "OpInput",
        {
            "Id": "abc-1",
            "Name": "ok",
            "Mode": "Fast",
            "Count": 10,
            "Big": 2**60,
            "Ratio": 0.5,
            "Flag": False,
            "Data": io.BytesIO(b"anything"),
            "When": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
            "Tags": {"ab": "cd"},
            "Items": [1, 2],
            "Inner": {"Mode": "Slow"},
            "Choice": {"A": "xy"},
            "Odd": "anything\u00e9",
        },
    )


def test_none_means_not_given() -> None:
    assert problems({"Id": "a", "Name": None}) == ["Name: required parameter is missing"]


def test_every_problem_is_listed_at_once() -> None:
    found = problems(
        {
            "Id": "BAD ID",
            "Mode": "Sync",
            "Count": 0,
            "Ratio": 1.5,
            "Flag": "yes",
            "Data": b"12345",
            "When": "2024-01-01",
            "Tags": {"a": "bb", "cc": "dd", "ee": "ff"},
            "Items": [],
            "Inner": {"Count": True},
            "Choice": {"A": "xy", "B": 3},
            "Nope": 1,
        }
    )
    assert found == [
        "Name: required parameter is missing",
        "Id: 'BAD ID' does not match the pattern [a-z0-9-]+",
        "Mode: 'Sync' is not one of Fast, Slow",
        "Count: 0 is below the minimum 1",
        "Ratio: 1.5 is above the maximum 1",
        "Flag: expected True or False, got str",
        "Data: length 5 is above the maximum of 4 bytes",
        "When: expected a datetime or epoch seconds (a number), got str",
        "Tags: length 3 is above the maximum of 2 entries",
        "Tags key 'a': length 1 is below the minimum of 2 characters",
        "Items: length 0 is below the minimum of 1 items",
        "Inner.Mode: required member is missing",
        "Inner.Count: expected an integer, got bool",
        "Choice: union Choice takes exactly one member, got 2",
        "Nope: unknown parameter; expected one of Id, Name, Mode, Count, Big, Ratio, "
        "Flag, Data, When, Tags, Items, Inner, Choice, Odd",
    ]


@pytest.mark.parametrize(
    ("member", "value", "message"),
    [
        ("Name", 12, "Name: expected a string, got int"),
        ("Name", "abcdef", "Name: length 6 is above the maximum of 5 characters"),
        ("Count", 1.0, "Count: expected an integer, got float"),
        ("Big", True, "Big: expected an integer, got bool"),
        ("Count", 2**31, "Count: 2147483648 is outside the 32-bit integer range"),
        ("Big", 2**63, "Big: 9223372036854775808 is outside the 64-bit integer range"),
        ("Big", -(2**63) - 1, "Big: -9223372036854775809 is outside the 64-bit integer range"),
        ("Ratio", "0.5", "Ratio: expected a number, got str"),
        ("Data", 5, "Data: expected bytes, bytearray, str or a file-like object, got int"),
        ("Data", "ééé", "Data: length 6 is above the maximum of 4 bytes"),
        ("Tags", ["x"], "Tags: expected a dict (map), got list"),
        ("Items", "12", "Items: expected a list, got str"),
        ("Items", [1, "2"], "Items[1]: expected an integer, got str"),
        ("Inner", "x", "Inner: expected a dict (structure Inner), got str"),
        ("Tags", {"ab": 1}, "Tags['ab']: expected a string, got int"),
    ],
)
def test_single_problem(member: str, value: Any, message: str) -> None:
    assert problems({"Id": "a", "Name": "ok", member: value}) == [message]


def test_lengths_count_characters_not_bytes() -> None:
    validate(DEMO, "OpInput", {"Id": "a", "Name": "ééééé"})


def test_epoch_numbers_and_tuples_accepted() -> None:
    validate(DEMO, "OpInput", {"Id": "a", "Name": "ok", "When": 1700000000.5, "Items": (1,)})


def test_params_must_be_a_dict() -> None:
    assert problems(["x"]) == ["parameters must be a dict, got list"]  # type: ignore[arg-type]


def test_lambda_invoke_with_response_stream() -> None:
    found = problems(
        {"InvocationType": "Sync", "LogType": "All", "Qualifier": "has space", "Payload": 3},
        API,
        "InvokeWithResponseStreamRequest",
    )
    assert "FunctionName: required parameter is missing" in found
    assert "InvocationType: 'Sync' is not one of RequestResponse, DryRun" in found
    assert "LogType: 'All' is not one of None, Tail" in found
    assert any(p.startswith("Qualifier: 'has space' does not match the pattern") for p in found)
    assert "Payload: expected bytes, bytearray, str or a file-like object, got int" in found
    assert len(found) == 5


def test_lambda_function_name_pattern_is_full_match() -> None:
    validate(API, "InvokeWithResponseStreamRequest", {"FunctionName": "my-function"})
    validate(
        API,
        "InvokeWithResponseStreamRequest",
        {"FunctionName": "arn:aws:lambda:us-west-2:123456789012:function:my-function:1"},
    )
    found = problems({"FunctionName": "bad/name"}, API, "InvokeWithResponseStreamRequest")
    assert len(found) == 1 and found[0].startswith("FunctionName: 'bad/name' does not match")


def test_sensitive_values_are_not_echoed() -> None:
    model = {
        "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "1"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "In"},
            }
        },
        "shapes": {
            "In": {"type": "structure", "members": {"Secret": {"shape": "Secret"}}},
            "Secret": {"type": "string", "pattern": "[0-9]+", "sensitive": True},
        },
    }
    found = problems({"Secret": "hunter2-password"}, build_api_data(model), "In")
    assert found == ["Secret: the value does not match the pattern [0-9]+"]


def test_sensitive_map_keys_are_not_echoed() -> None:
    # Lambda marks environment variable *names* sensitive, not only their values:
    # a problem inside such a map names the entry by position, never by its key.
    model = {
        "metadata": {"protocol": "rest-json", "endpointPrefix": "demo", "apiVersion": "1"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "In"},
            }
        },
        "shapes": {
            "In": {"type": "structure", "members": {"Vars": {"shape": "Vars"}}},
            "Vars": {"type": "map", "key": {"shape": "VarName"}, "value": {"shape": "VarValue"}},
            "VarName": {"type": "string", "pattern": "[A-Z_]+", "sensitive": True},
            "VarValue": {"type": "string", "sensitive": True},
        },
    }
    found = problems(
        {"Vars": {"DB_PASSWORD_HUNTER": 42, "bad-secret-name": "x"}},
        build_api_data(model),
        "In",
    )
    text = "\n".join(found)
    assert "DB_PASSWORD_HUNTER" not in text and "bad-secret-name" not in text, text
    assert found == [
        "Vars[#1]: expected a string, got int",
        "Vars key #2: the value does not match the pattern [A-Z_]+",
    ]
