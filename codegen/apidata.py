"""Normalize a botocore service model into pawsgen's *API data* (docs/contracts.md, section 1).

The API data is the only description of a service the runtimes read. It is a plain
nested value (dicts, lists, str, int, bool) so that it can be written as a Python
literal and as an R literal and mean exactly the same thing on both sides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

_METADATA_KEYS = {
    "apiVersion": "api_version",
    "endpointPrefix": "endpoint_prefix",
    "signingName": "signing_name",
    "serviceId": "service_id",
    "protocol": "protocol",
    "serviceFullName": "service_full_name",
    "uid": "uid",
    "jsonVersion": "json_version",
    "targetPrefix": "target_prefix",
    "globalEndpoint": "global_endpoint",
}

# Shape-level keys kept, by shape type, with their API-data names.
_SHAPE_KEYS = {
    "string": {
        "enum": "enum",
        "min": "min",
        "max": "max",
        "pattern": "pattern",
        "sensitive": "sensitive",
    },
    "blob": {"min": "min", "max": "max", "streaming": "streaming", "sensitive": "sensitive"},
    "integer": {"min": "min", "max": "max"},
    "long": {"min": "min", "max": "max"},
    "float": {"min": "min", "max": "max"},
    "double": {"min": "min", "max": "max"},
    "boolean": {},
    "timestamp": {"timestampFormat": "timestamp_format"},
    "list": {"min": "min", "max": "max"},
    "map": {"min": "min", "max": "max"},
    "structure": {
        "required": "required",
        "payload": "payload",
        "exception": "exception",
        "fault": "fault",
        "eventstream": "event_stream",
        "event": "event",
        "union": "union",
        "document": "document",
    },
}

# Member-reference keys kept, with their API-data names.
_MEMBER_KEYS = {
    "location": "location",
    "locationName": "location_name",
    "timestampFormat": "timestamp_format",
    "jsonvalue": "jsonvalue",
    "idempotencyToken": "idempotency_token",
    "eventpayload": "event_payload",
    "eventheader": "event_header",
    "hostLabel": "host_label",
    "deprecated": "deprecated",
}


def build_api_data(
    model: dict[str, Any],
    operations: Iterable[str] | None = None,
    model_file: str | None = None,
) -> dict[str, Any]:
    """Return the API data for ``model`` (a parsed service-2.json).

    ``operations`` restricts the output to those operation names (model order is kept);
    ``model_file`` is recorded in the metadata so generated files can say where they came from.
    """
    service = ServiceModel(model)
    wanted = set(operations) if operations is not None else None
    if wanted is not None:
        unknown = wanted - set(service.operation_names)
        if unknown:
            raise KeyError(f"operations not in the model: {', '.join(sorted(unknown))}")

    metadata = {
        new: model["metadata"][old]
        for old, new in _METADATA_KEYS.items()
        if old in model.get("metadata", {})
    }
    protocol = resolved_protocol(model.get("metadata", {}))
    if protocol is not None:
        metadata["protocol"] = protocol
    if "awsQueryCompatible" in model.get("metadata", {}):
        # A service moved from the query protocol (SQS): its old error codes come in
        # the x-amzn-query-error header, and it is sent x-amzn-query-mode: true.
        metadata["aws_query_compatible"] = True
    if "signing_name" not in metadata and "endpoint_prefix" in metadata:
        metadata["signing_name"] = metadata["endpoint_prefix"]
    if model_file is not None:
        metadata["model_file"] = model_file

    ops: dict[str, Any] = {}
    roots: list[str] = []
    refused = unsupported_operations(model)
    # model order: the order of the "operations" object in the JSON
    for name in model.get("operations", {}):
        if wanted is not None and name not in wanted:
            continue
        if name in refused:
            if wanted is not None:
                raise ValueError(f"{name}: {refused[name]}")
            continue
        op = service.operation_model(name)
        ops[name] = _operation(op)
        roots.extend(n for n in (ops[name].get("input"), ops[name].get("output")) if n)
        roots.extend(ops[name]["errors"])

    shapes: dict[str, Any] = {}
    for root in roots:
        _collect(service, model["shapes"], root, shapes)
    # Stable order: model order of the shapes object.
    ordered = {name: shapes[name] for name in model["shapes"] if name in shapes}
    _apply_customizations(metadata.get("uid"), ordered)
    return {"metadata": metadata, "operations": ops, "shapes": ordered}


# botocore's order of preference when a model offers several protocols
# (botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS).
PROTOCOL_PREFERENCE = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")


def resolved_protocol(metadata: dict[str, Any]) -> str | None:
    """The protocol a client speaks, as botocore resolves it.

    A model listing several (``protocols``: CloudWatch's ``smithy-rpc-v2-cbor``,
    ``json``, ``query``) is spoken in the first of botocore's preference order, so
    CloudWatch, GameLift, Snowball and the other CBOR-first services speak json.
    """
    offered = metadata.get("protocols") or []
    for preferred in PROTOCOL_PREFERENCE:
        if preferred in offered:
            return preferred
    legacy = metadata.get("protocol")
    return str(legacy) if legacy is not None else None


def unsupported_operations(model: dict[str, Any]) -> dict[str, str]:
    """Operations the runtimes cannot call, each with the reason; they are left out.

    An input event stream (Bedrock's InvokeModelWithBidirectionalStream, Transcribe's
    streaming) sends events while reading others, which needs HTTP/2: no such
    operation is generated, rather than one that cannot work.
    """
    service = ServiceModel(model)
    out = {}
    for name in model.get("operations", {}):
        if service.operation_model(name).get_event_stream_input() is not None:
            out[name] = "input event streams (bidirectional, HTTP/2) are not supported"
    return out


CUSTOMIZATIONS_DIR = Path(__file__).with_name("customizations")


def _apply_customizations(uid: str | None, shapes: dict[str, Any]) -> None:
    """Add what a service's behaviour needs but its model does not say.

    ``customizations/<uid>.json`` holds extra API-data keys per shape, e.g. the event
    an event stream must end with (``final_event``), without which a stream cut at a
    frame boundary would look complete. Only keys listed in ``_CUSTOM_SHAPE_KEYS``
    are accepted, and only on shapes present in the output.
    """
    path = CUSTOMIZATIONS_DIR / f"{uid}.json"
    if uid is None or not path.exists():
        return
    custom = json.loads(path.read_text(encoding="utf-8"))
    for shape_name, extra in custom.get("shapes", {}).items():
        unknown = set(extra) - _CUSTOM_SHAPE_KEYS
        if unknown:
            raise ValueError(f"{path.name}: unsupported keys {sorted(unknown)} on {shape_name}")
        if shape_name in shapes:
            shapes[shape_name].update(extra)


_CUSTOM_SHAPE_KEYS = {"final_event"}


def _operation(op: OperationModel) -> dict[str, Any]:
    http = op.http
    out: dict[str, Any] = {
        "name": op.name,
        "http_method": http.get("method", "POST"),
        "request_uri": http.get("requestUri", "/"),
        "response_code": int(http.get("responseCode", 200)),
    }
    if op.input_shape is not None:
        out["input"] = op.input_shape.name
    if op.output_shape is not None:
        out["output"] = op.output_shape.name
    out["errors"] = [shape.name for shape in op.error_shapes]
    if op.get_event_stream_output() is not None:
        out["event_stream_output"] = True
    host_prefix = op.endpoint.get("hostPrefix") if op.endpoint else None
    if host_prefix:
        out["host_prefix"] = host_prefix
    return out


def _collect(service: ServiceModel, raw_shapes: dict[str, Any], name: str, acc: dict) -> None:
    if name in acc:
        return
    shape = service.shape_for(name)
    raw = raw_shapes[name]
    entry: dict[str, Any] = {"type": shape.type_name}
    acc[name] = entry  # registered before recursion: recursive shapes terminate
    for old, new in _SHAPE_KEYS.get(shape.type_name, {}).items():
        if old in raw:
            entry[new] = _plain(raw[old])
    if shape.type_name == "structure":
        if "error" in raw:
            entry["error"] = _error(raw["error"])
        members: dict[str, Any] = {}
        for member_name, ref in raw.get("members", {}).items():
            members[member_name] = _member_ref(ref)
            _collect(service, raw_shapes, ref["shape"], acc)
        entry["members"] = members
        # keep key order: type, constraints..., members last for readability
    elif shape.type_name == "list":
        entry["member"] = _member_ref(raw["member"])
        _collect(service, raw_shapes, raw["member"]["shape"], acc)
    elif shape.type_name == "map":
        entry["key"] = _member_ref(raw["key"])
        entry["value"] = _member_ref(raw["value"])
        _collect(service, raw_shapes, raw["key"]["shape"], acc)
        _collect(service, raw_shapes, raw["value"]["shape"], acc)


def _member_ref(ref: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"shape": ref["shape"]}
    for old, new in _MEMBER_KEYS.items():
        if old in ref:
            out[new] = _plain(ref[old])
    return out


def _error(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "code" in raw:
        out["code"] = raw["code"]
    if "httpStatusCode" in raw:
        out["http_status_code"] = int(raw["httpStatusCode"])
    if raw.get("senderFault"):
        out["sender_fault"] = True
    return out


def _plain(value: Any) -> Any:
    """Numbers stay numbers, lists stay lists; bools and strings unchanged."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def error_code(shape_name: str, shape: dict[str, Any]) -> str:
    """The wire error code of an error shape: its ``error.code`` or else its name."""
    return shape.get("error", {}).get("code", shape_name)


__all__ = ["Shape", "build_api_data", "error_code"]
