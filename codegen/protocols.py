"""The protocols the pawscore runtimes implement: the one list the generator checks.

A model whose ``metadata.protocol`` is not here is refused with a message naming the
protocol, so the generator never emits a client that would send wrong requests. A
runtime that gains a protocol (both languages, docs/contracts.md) adds it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SUPPORTED_PROTOCOLS: tuple[str, ...] = ("rest-json",)


class UnsupportedProtocolError(ValueError):
    """The model's protocol is not implemented by the runtimes."""


def check_protocol(metadata: Mapping[str, Any], service: str | None = None) -> str:
    """The model's protocol; :class:`UnsupportedProtocolError` when the runtimes lack it."""
    protocol = str(metadata.get("protocol", ""))
    if protocol not in SUPPORTED_PROTOCOLS:
        name = service or metadata.get("serviceId") or metadata.get("endpointPrefix", "the model")
        raise UnsupportedProtocolError(
            f"{name} uses the {protocol or 'unspecified'!r} protocol, which the pawscore "
            f"runtimes do not implement (supported: {', '.join(SUPPORTED_PROTOCOLS)}); "
            "nothing was generated"
        )
    return protocol
