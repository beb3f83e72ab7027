"""The *API data* (docs/contracts.md, section 1), derived from the IR.

The API data is the only description of a service the runtimes read: a plain nested
value (dicts, lists, str, int, bool) written as a Python and as an R literal. It is
made by :meth:`codegen.ir.Service.to_api_data`; this module keeps the one-call form.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .ir import build_service


def build_api_data(
    model: dict[str, Any],
    operations: Iterable[str] | None = None,
    model_file: str | None = None,
) -> dict[str, Any]:
    """The API data of ``model`` (a parsed service-2.json), whatever its protocol.

    ``operations`` restricts the output to those operation names (model order is kept);
    ``model_file`` is recorded in the metadata so generated files can say where they came from.
    """
    service = build_service(
        model,
        model_file=model_file,
        operations=list(operations) if operations is not None else None,
        supported_only=False,
    )
    return service.to_api_data()


def error_code(shape_name: str, shape: dict[str, Any]) -> str:
    """The wire error code of an error shape in the API data: its ``error.code`` or its name."""
    return str(shape.get("error", {}).get("code", shape_name))


__all__ = ["build_api_data", "error_code"]
