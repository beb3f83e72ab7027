"""Every json-protocol service of the installed botocore: our headers are botocore's.

For each service botocore speaks json to (its ``resolved_protocol``, so the
CBOR-first services that offer json are in), the first operation with no input
serializes exactly as botocore's own json serializer does it: method, path,
``X-Amz-Target``, ``Content-Type``, ``x-amzn-query-mode`` and the ``{}`` body.
"""

from __future__ import annotations

import json
from typing import Any

import botocore.session
from botocore.serialize import create_serializer
from pawscore.protocol import build_request

from codegen.apidata import build_api_data


def _json_services() -> list[str]:
    session = botocore.session.get_session()
    return [
        name
        for name in session.get_available_services()
        if session.get_service_model(name).resolved_protocol == "json"
    ]


def test_every_json_service_sends_what_botocore_sends() -> None:
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    serializer = create_serializer("json", include_validation=False)
    names = _json_services()
    assert len(names) >= 140
    for name in names:
        service = session.get_service_model(name)
        op_name = service.operation_names[0]
        operation = service.operation_model(op_name)
        raw: dict[str, Any] = loader.load_service_model(name, "service-2")
        api = build_api_data(raw, [op_name])
        theirs = serializer.serialize_to_request({}, operation)
        ours = build_request(api, op_name, {}, "https://example.com")
        assert ours.method == theirs["method"], name
        assert ours.url == "https://example.com" + theirs["url_path"], name
        headers = {k.lower(): v for k, v in ours.headers.items()}
        for key, value in theirs["headers"].items():
            assert headers.get(key.lower()) == value, (name, key)
        assert set(headers) - {"content-length"} == {k.lower() for k in theirs["headers"]}, name
        # Idempotency tokens are filled in by us, by a botocore handler before serializing.
        members = (
            api["shapes"][api["operations"][op_name]["input"]]["members"]
            if operation.input_shape
            else {}
        )
        tokens = {m for m, ref in members.items() if ref.get("idempotency_token")}
        body = {k: v for k, v in json.loads(ours.body).items() if k not in tokens}
        assert body == json.loads(theirs["body"]), name
