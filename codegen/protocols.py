"""The protocols the pawscore runtimes implement: the one list the generator checks.

A model whose protocol is not here is refused with a message naming the protocol, so
the generator never emits a client that would send wrong requests. A runtime that gains
a protocol (both languages, docs/contracts.md) adds it here; it must equal
``pawscore.protocol.SUPPORTED_PROTOCOLS`` (a test checks).

The protocol is the one botocore resolves: a model listing several (``protocols``) is
spoken in the first of botocore's preference order, so the CBOR-first services that
also offer json (CloudWatch, GameLift, Snowball, ...) speak json.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SUPPORTED_PROTOCOLS: tuple[str, ...] = ("rest-json", "json", "query", "ec2")

# botocore's order of preference when a model offers several protocols
# (botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS).
PROTOCOL_PREFERENCE = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")


class UnsupportedProtocolError(ValueError):
    """The model's protocol is not implemented by the runtimes."""


def check_protocol(metadata: Mapping[str, Any], service: str | None = None) -> str:
    """The model's protocol; :class:`UnsupportedProtocolError` when the runtimes lack it."""
    protocol = resolved_protocol(metadata) or ""
    if protocol not in SUPPORTED_PROTOCOLS:
        name = service or metadata.get("serviceId") or metadata.get("endpointPrefix", "the model")
        raise UnsupportedProtocolError(
            f"{name} uses the {protocol or 'unspecified'!r} protocol, which the pawscore "
            f"runtimes do not implement (supported: {', '.join(SUPPORTED_PROTOCOLS)}); "
            "nothing was generated"
        )
    return protocol


def resolved_protocol(metadata: Mapping[str, Any]) -> str | None:
    """The protocol a client speaks, as botocore resolves it (``resolved_protocol``)."""
    offered = metadata.get("protocols") or []
    for preferred in PROTOCOL_PREFERENCE:
        if preferred in offered:
            return preferred
    legacy = metadata.get("protocol")
    return str(legacy) if legacy is not None else None


def unsupported_operations(model: Mapping[str, Any]) -> dict[str, str]:
    """Operations the runtimes cannot call, each with the reason; they are left out.

    An input event stream (Bedrock's InvokeModelWithBidirectionalStream, Transcribe's
    streaming) sends events while reading others, which needs HTTP/2: no such
    operation is generated, rather than one that cannot work.
    """
    shapes = model.get("shapes", {})
    out = {}
    for name, op in model.get("operations", {}).items():
        input_shape = shapes.get(op.get("input", {}).get("shape", ""), {})
        for ref in input_shape.get("members", {}).values():
            if shapes.get(ref.get("shape", ""), {}).get("eventstream"):
                out[name] = "input event streams (bidirectional, HTTP/2) are not supported"
    return out
