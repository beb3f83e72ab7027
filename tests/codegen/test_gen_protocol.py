"""Which protocol the API data names: botocore's resolution, and the json-only keys."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from codegen.apidata import build_api_data
from codegen.protocols import SUPPORTED_PROTOCOLS, resolved_protocol, unsupported_operations


def _model(**metadata: Any) -> dict[str, Any]:
    return {
        "metadata": {"endpointPrefix": "svc", **metadata},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "In"},
            }
        },
        "shapes": {"In": {"type": "structure", "members": {}}},
    }


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"protocol": "rest-json"}, "rest-json"),
        (
            {
                "protocol": "smithy-rpc-v2-cbor",
                "protocols": ["smithy-rpc-v2-cbor", "json", "query"],
            },
            "json",
        ),
        ({"protocol": "query", "protocols": ["query"]}, "query"),
        ({"protocol": "json", "protocols": ["json", "rest-json"]}, "json"),
    ],
)
def test_protocol_is_resolved_as_botocore_does(metadata: dict[str, Any], expected: str) -> None:
    assert resolved_protocol(metadata) == expected
    assert build_api_data(_model(**metadata))["metadata"]["protocol"] == expected


def test_every_installed_model_resolves_like_botocore() -> None:
    session = botocore.session.get_session()
    for name in session.get_available_services():
        service = session.get_service_model(name)
        assert resolved_protocol(dict(service.metadata)) == service.resolved_protocol, name


def test_json_keys_and_query_compatibility() -> None:
    meta = build_api_data(
        _model(protocol="json", jsonVersion="1.0", targetPrefix="AmazonSQS", awsQueryCompatible={})
    )["metadata"]
    assert (meta["json_version"], meta["target_prefix"], meta["aws_query_compatible"]) == (
        "1.0",
        "AmazonSQS",
        True,
    )
    assert "aws_query_compatible" not in build_api_data(_model(protocol="json"))["metadata"]


def test_input_event_streams_are_refused() -> None:
    model = _model(protocol="rest-json")
    model["operations"]["Duplex"] = {
        "name": "Duplex",
        "http": {"method": "POST", "requestUri": "/duplex"},
        "input": {"shape": "DuplexIn"},
    }
    model["shapes"].update(
        {
            "DuplexIn": {
                "type": "structure",
                "members": {"Events": {"shape": "Events"}},
                "payload": "Events",
            },
            "Events": {"type": "structure", "eventstream": True, "members": {}},
        }
    )
    assert list(unsupported_operations(model)) == ["Duplex"]
    assert list(build_api_data(model)["operations"]) == ["Op"]
    with pytest.raises(ValueError, match="Duplex: input event streams"):
        build_api_data(model, ["Duplex"])


def test_the_generator_and_the_runtimes_support_the_same_protocols() -> None:
    from pawscore.protocol import SUPPORTED_PROTOCOLS as RUNTIME

    assert set(SUPPORTED_PROTOCOLS) == set(RUNTIME)


def test_ec2_names_are_carried_as_query_name_and_location_name() -> None:
    model = _model(protocol="ec2", apiVersion="2016-11-15")
    model["shapes"]["In"]["members"] = {
        "Both": {"shape": "S", "locationName": "lower", "queryName": "Upper"},
        "Located": {"shape": "S", "locationName": "located"},
        "Plain": {"shape": "S"},
    }
    model["shapes"]["S"] = {"type": "string"}
    api = build_api_data(model)
    assert api["metadata"]["protocol"] == "ec2"
    assert api["shapes"]["In"]["members"] == {
        "Both": {"shape": "S", "location_name": "lower", "query_name": "Upper"},
        "Located": {"shape": "S", "location_name": "located"},
        "Plain": {"shape": "S"},
    }
    from pawscore.ec2 import build_request

    request = build_request(api, "Op", {"Both": "a", "Located": "b", "Plain": "c"}, "https://x")
    assert request.body == b"Action=Op&Version=2016-11-15&Upper=a&Located=b&Plain=c"
