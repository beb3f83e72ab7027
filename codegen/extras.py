"""Paginator and waiter settings for the API data, from botocore's side files.

``paginators-1.json`` and ``waiters-2.json`` sit beside ``service-2.json``. Both
become plain API-data keys (docs/contracts.md, section 1): ``paginators`` keyed by
operation name, ``waiters`` keyed by waiter name, each kept only for operations the
API data holds, with token and key lists always given as lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def pagination_data(paginators: dict[str, Any] | None, operations: Iterable[str]) -> dict[str, Any]:
    """``api["paginators"]``: per operation, its tokens, page-size member and result keys."""
    wanted = set(operations)
    out: dict[str, Any] = {}
    for op, cfg in ((paginators or {}).get("pagination") or {}).items():
        if op not in wanted:
            continue
        entry: dict[str, Any] = {
            "input_token": _as_list(cfg["input_token"]),
            "output_token": _as_list(cfg["output_token"]),
        }
        if "limit_key" in cfg:
            entry["limit_key"] = cfg["limit_key"]
        if "result_key" in cfg:
            entry["result_key"] = _as_list(cfg["result_key"])
        if "more_results" in cfg:
            entry["more_results"] = cfg["more_results"]
        if cfg.get("non_aggregate_keys"):
            entry["non_aggregate_keys"] = _as_list(cfg["non_aggregate_keys"])
        out[op] = entry
    return out


def waiter_data(waiters: dict[str, Any] | None, operations: Iterable[str]) -> dict[str, Any]:
    """``api["waiters"]``: per waiter, its operation, delay, attempts and acceptors."""
    wanted = set(operations)
    out: dict[str, Any] = {}
    for name, cfg in ((waiters or {}).get("waiters") or {}).items():
        if cfg["operation"] not in wanted:
            continue
        acceptors = []
        for acc in cfg["acceptors"]:
            entry = {"matcher": acc["matcher"], "expected": acc["expected"], "state": acc["state"]}
            if "argument" in acc:
                entry["argument"] = acc["argument"]
            acceptors.append(entry)
        out[name] = {
            "operation": cfg["operation"],
            "delay": cfg["delay"],
            "max_attempts": cfg["maxAttempts"],
            "acceptors": acceptors,
        }
    return out
