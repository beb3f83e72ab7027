"""The protocol seam: metadata.protocol picks the module; an unknown one is refused."""

from __future__ import annotations

import pytest
from pawscore import PawsError, ec2, jsonprotocol, query, restjson
from pawscore.protocol import (
    PROTOCOLS,
    SUPPORTED_PROTOCOLS,
    UnsupportedProtocolError,
    protocol_for,
)


def test_each_protocol_has_its_three_functions() -> None:
    assert SUPPORTED_PROTOCOLS == ("rest-json", "json", "query", "ec2")
    assert PROTOCOLS["rest-json"].build_request is restjson.build_request
    assert PROTOCOLS["json"].parse_response is jsonprotocol.parse_response
    assert PROTOCOLS["json"].parse_error is jsonprotocol.parse_error
    assert PROTOCOLS["query"].build_request is query.build_request
    assert PROTOCOLS["query"].parse_response is query.parse_response
    assert PROTOCOLS["query"].parse_error is query.parse_error
    assert PROTOCOLS["ec2"].build_request is ec2.build_request
    assert PROTOCOLS["ec2"].parse_response is ec2.parse_response
    assert PROTOCOLS["ec2"].parse_error is ec2.parse_error


def test_the_metadata_picks_the_protocol() -> None:
    assert protocol_for({"metadata": {"protocol": "json"}}).name == "json"
    assert protocol_for({"metadata": {"protocol": "rest-json"}}).name == "rest-json"
    assert protocol_for({"metadata": {"protocol": "query"}}).name == "query"
    assert protocol_for({"metadata": {"protocol": "ec2"}}).name == "ec2"
    # Hand-built API data without a protocol (tests) is rest-json.
    assert protocol_for({"metadata": {}}).name == "rest-json"


@pytest.mark.parametrize("name", ["rest-xml", "smithy-rpc-v2-cbor"])
def test_an_unknown_protocol_is_refused_by_name(name: str) -> None:
    with pytest.raises(UnsupportedProtocolError, match=name) as info:
        protocol_for({"metadata": {"protocol": name}})
    assert isinstance(info.value, PawsError)
    assert "rest-json, json" in str(info.value)
