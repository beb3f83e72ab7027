"""codegen/naming.py: snake_case, reserved words, collisions."""

from __future__ import annotations

import pytest

from codegen import naming


@pytest.mark.parametrize(
    ("op", "snake"),
    [
        ("InvokeWithResponseStream", "invoke_with_response_stream"),
        ("ListFunctionsByCodeSigningConfig", "list_functions_by_code_signing_config"),
        ("GetFunctionURLConfig", "get_function_url_config"),
        ("ListFunctionUrlConfigs", "list_function_url_configs"),
        ("PutFunctionConcurrency", "put_function_concurrency"),
        ("Invoke", "invoke"),
    ],
)
def test_snake_case_matches_botocore(op: str, snake: str) -> None:
    assert naming.snake_case(op) == snake
    assert naming.service_function("lambda", op) == f"lambda_{snake}"


def test_python_reserved_and_taken_names_are_escaped() -> None:
    assert naming.python_arg("for") == "for_"
    assert naming.python_arg("self") == "self_"
    assert naming.python_arg("stream") == "stream_"
    assert naming.python_arg("on_event") == "on_event_"
    assert naming.python_arg("FunctionName") == "FunctionName"
    assert naming.python_arg("x-amz-meta") == "x_amz_meta_"


def test_r_reserved_and_taken_names_are_escaped() -> None:
    for word in ("if", "function", "TRUE", "NULL", "NA_integer_", "in"):
        assert naming.r_arg(word) == f"{word}_"
    assert naming.r_arg(".on_event") == ".on_event_"
    assert naming.r_arg("Payload") == "Payload"
    assert naming.r_arg("Content-Type") == "Content_Type_"
    assert naming.r_name("for") == "`for`"
    assert naming.r_name("Content-Type") == "`Content-Type`"
    assert naming.r_name("Name") == "Name"


def test_collisions_are_reported() -> None:
    naming.check_unique("op", [("A", "a"), ("B", "b"), ("A", "a")])
    with pytest.raises(naming.NameCollisionError, match="'GetFooBar' and 'GetFOOBar'"):
        naming.check_unique("op", [("GetFooBar", "get_foo_bar"), ("GetFOOBar", "get_foo_bar")])


def test_model_with_colliding_operations_is_rejected() -> None:
    from codegen.ir import build_service

    model = {
        "metadata": {"serviceId": "X", "protocol": "rest-json", "endpointPrefix": "x"},
        "operations": {
            "GetFooBar": {"name": "GetFooBar", "http": {"method": "GET", "requestUri": "/a"}},
            "GetFOOBar": {"name": "GetFOOBar", "http": {"method": "GET", "requestUri": "/b"}},
        },
        "shapes": {},
    }
    assert naming.snake_case("GetFOOBar") == naming.snake_case("GetFooBar")
    with pytest.raises(naming.NameCollisionError):
        build_service(model, model_file="m.json", checksum="0")


def test_structures_named_like_builtins_get_a_suffix() -> None:
    from codegen.naming import client_class, python_class

    assert python_class("list") == "list_"
    assert python_class("bool") == "bool_"
    assert python_class("Tag") == "Tag"
    assert client_class("Pinpoint SMS Voice") == "PinpointSMSVoiceClient"
    assert client_class("Lambda") == "LambdaClient"
