"""Paginators: every page of a list operation, as boto3's ``get_paginator()`` gives them.

The service's paginator settings come from botocore's ``paginators-1.json`` through
the API data (``api["paginators"][<Operation>]``, docs/contracts.md): which input
member carries the token, which output members give the next one, the page-size
member and the result lists. Mirrors R's ``paginate()`` (r/pawscore/R/paginate.R):
the same pages, the same truncation for ``MaxItems`` and the same resume tokens.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .errors import PawsError
from .paths import search

PageCall = Callable[[dict[str, Any]], dict[str, Any]]
# boto3's resume-token key and format (base64 of json.dumps), kept so that a token from
# either library, or from R, resumes a walk in any of them
_TRUNCATE = "boto_truncate_amount"


class PaginationError(PawsError):
    """Pagination cannot go on: the service returned the same token twice, or a bad token."""


class Paginator:
    """Pages of one operation; ``paginate(**params)`` starts a walk over them."""

    def __init__(self, call: PageCall, config: Mapping[str, Any], op_name: str) -> None:
        self._call = call
        self._config = config
        self.operation = op_name

    @property
    def result_keys(self) -> list[str]:
        """The output members that hold each page's items."""
        return list(self._config.get("result_key", []))

    def paginate(self, **params: Any) -> PageIterator:
        """Iterate the pages of the operation called with ``params``.

        ``PaginationConfig`` may hold ``MaxItems`` (items in total, over all pages),
        ``PageSize`` (items per call) and ``StartingToken`` (a ``resume_token`` from an
        earlier walk).
        """
        options = dict(params.pop("PaginationConfig", None) or {})
        unknown = set(options) - {"MaxItems", "PageSize", "StartingToken"}
        if unknown:
            raise PaginationError(f"unknown PaginationConfig key(s): {', '.join(sorted(unknown))}")
        return PageIterator(self._call, self._config, params, options)


class PageIterator:
    """The pages of one walk; ``resume_token`` tells where a walk cut by MaxItems stopped."""

    def __init__(
        self,
        call: PageCall,
        config: Mapping[str, Any],
        params: dict[str, Any],
        options: Mapping[str, Any],
    ) -> None:
        self._call = call
        self._config = config
        self._params = {k: v for k, v in params.items() if v is not None}
        self._max_items = options.get("MaxItems")
        self._page_size = options.get("PageSize")
        self._starting = options.get("StartingToken")
        self.resume_token: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        cfg = self._config
        inputs: list[str] = list(cfg["input_token"])
        params = dict(self._params)
        if self._page_size is not None:
            if "limit_key" not in cfg:
                raise PaginationError("this operation has no page size setting")
            params[cfg["limit_key"]] = self._page_size
        tokens, skip = _parse_token(self._starting, inputs)
        primary = cfg["result_key"][0] if cfg.get("result_key") else None
        total = 0
        while True:
            for name, value in zip(inputs, tokens, strict=True):
                if value is None:
                    params.pop(name, None)
                else:
                    params[name] = value
            page = self._call(dict(params))
            items = search(page, primary) if primary else None
            count = len(items) if isinstance(items, list) else 0
            skipped, skip = skip, 0  # items of this page a resumed walk had already given
            if skipped:
                page = _drop_first(page, cfg["result_key"], skipped)
                count = max(count - skipped, 0)
            if self._max_items is not None and total + count > self._max_items:
                keep = self._max_items - total
                yield _keep_first(page, cfg["result_key"], keep)
                self.resume_token = _make_token(inputs, tokens, skipped + keep)
                return
            total += count
            nxt = [search(page, expr) for expr in cfg["output_token"]]
            more = search(page, cfg["more_results"]) if "more_results" in cfg else None
            yield page
            done = all(v in (None, "") for v in nxt) or ("more_results" in cfg and not more)
            if done:
                self.resume_token = None
                return
            if nxt == tokens:
                raise PaginationError(f"the service sent the same next token twice: {nxt!r}")
            tokens = nxt
            if self._max_items is not None and total >= self._max_items:
                self.resume_token = _make_token(inputs, tokens, 0)
                return

    def search(self, expression: str) -> Iterator[Any]:
        """Apply ``expression`` to every page; yield each element of list results.

        As boto3's ``PageIterator.search``: a list result gives its elements one by
        one, any other result (``None`` included) is yielded as it is. The expression
        is the JMESPath subset of :mod:`pawscore.paths`; anything else raises
        ``PathError`` before the first page is requested.
        """
        search(None, expression)  # refuse an unsupported expression before any call
        for page in self:
            result = search(page, expression)
            if isinstance(result, list):
                yield from result
            else:
                yield result

    def build_full_result(self) -> dict[str, Any]:
        """All pages merged: result lists joined, other members from the first page.

        Adds ``NextToken`` when the walk stopped at ``MaxItems`` before the end, as
        boto3 does.
        """
        cfg = self._config
        keys: list[str] = list(cfg.get("result_key", []))
        merged: dict[str, Any] = {}
        for n, page in enumerate(self):
            for key in keys:
                value = search(page, key)
                if value is None:
                    continue
                if key not in merged:
                    merged[key] = list(value) if isinstance(value, list) else value
                elif isinstance(value, list):
                    merged[key].extend(value)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    merged[key] += value
                elif isinstance(value, str):
                    merged[key] += value
            if n == 0:
                for key in cfg.get("non_aggregate_keys", []):
                    value = search(page, key)
                    if value is not None:
                        merged[key] = value
        if self.resume_token is not None:
            merged["NextToken"] = self.resume_token
        return merged


def _drop_first(page: dict[str, Any], keys: list[str], n: int) -> dict[str, Any]:
    out = dict(page)
    for key in keys:
        if isinstance(out.get(key), list):
            out[key] = out[key][n:]
    return out


def _keep_first(page: dict[str, Any], keys: list[str], n: int) -> dict[str, Any]:
    out = dict(page)
    for key in keys:
        if isinstance(out.get(key), list):
            out[key] = out[key][:n]
    return out


def _make_token(inputs: list[str], tokens: list[Any], truncate: int) -> str:
    """boto3's resume token: base64 of the JSON of every input token (and the truncation)."""
    doc: dict[str, Any] = dict(zip(inputs, tokens, strict=True))
    if truncate:
        doc[_TRUNCATE] = truncate
    return base64.b64encode(json.dumps(doc).encode()).decode()


def _parse_token(token: str | None, inputs: list[str]) -> tuple[list[Any], int]:
    """(input token values, items to skip on the first page) from a resume token."""
    if token is None:
        return [None] * len(inputs), 0
    try:
        doc = json.loads(base64.b64decode(token, validate=True))
    except (binascii.Error, ValueError):
        doc = None
    if not isinstance(doc, dict):
        if len(inputs) != 1:
            raise PaginationError(f"StartingToken is not a token of this operation: {token!r}")
        return [token], 0
    skip = doc.pop(_TRUNCATE, 0)
    if not set(doc) <= set(inputs) or not isinstance(skip, int):
        raise PaginationError(f"StartingToken is not a token of this operation: {token!r}")
    return [doc.get(name) for name in inputs], skip


__all__ = ["PageIterator", "PaginationError", "Paginator"]
