"""The small JMESPath subset botocore's paginators and waiters use, the same in R.

Supported: member names joined by ``.``, ``[N]`` / ``[-N]`` indexes, ``[]`` flatten
projections (``Reservations[].Instances[].State.Name``), ``a || b``, ``length(x)`` and
comparisons (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) with a literal
(`` `"x"` ``, `` `1` ``, `` `true` ``, ``'raw'``) on the right. Mirrors r/pawscore/R/paths.R; an
expression outside this subset raises ``PathError`` instead of a wrong answer.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import PawsError

_PROJECTED = object()  # marks a list produced by a projection, which flattens further


class PathError(PawsError):
    """A path expression outside the supported subset."""


_COMPARE = re.compile(r"^(.*?)\s*(==|!=|<=|>=|<|>)\s*(?:`(.*)`|'(.*)')$")
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]|\[\]|\.")


class _TypeMismatch(Exception):
    """A function got a value of the wrong kind: the whole expression gives None."""


def search(data: Any, expression: str) -> Any:
    """Evaluate ``expression`` against ``data``; None where a member is missing.

    A function applied to a value of the wrong kind (``length(null)``) makes the whole
    expression None, as botocore's waiters treat jmespath's type errors: no match.
    """
    try:
        return _search(data, expression)
    except _TypeMismatch:
        return None


def _search(data: Any, expression: str) -> Any:
    expr = expression.strip()
    if "||" in expr:
        for part in expr.split("||"):
            value = _search(data, part)
            if value not in (None, [], {}, "", False):
                return value
        return value
    m = _COMPARE.match(expr)
    if m:
        left = _search(data, m[1])
        if m[4] is not None:  # 'raw string'
            right: Any = m[4]
        else:
            try:
                right = json.loads(m[3])
            except ValueError:
                raise PathError(f"unsupported literal in {expression!r}") from None
        return _compare(left, m[2], right)
    if expr.startswith("length(") and expr.endswith(")"):
        value = _search(data, expr[7:-1])
        if not isinstance(value, (list, dict, str)):
            raise _TypeMismatch
        return len(value)
    return _walk(data, expr, expression)


def _compare(left: Any, op: str, right: Any) -> bool | None:
    if op in ("==", "!="):
        equal = left == right and type(left) is type(right)
        return equal if op == "==" else not equal
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
        return None
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _walk(data: Any, expr: str, whole: str) -> Any:
    steps: list[re.Match[str]] = []
    pos = 0
    while pos < len(expr):  # the whole expression must parse before anything is read
        m = _STEP.match(expr, pos)
        if not m:
            raise PathError(f"unsupported path expression: {whole!r}")
        steps.append(m)
        pos = m.end()
    current: Any = data
    projected = False
    for m in steps:
        token = m.group(0)
        if token == ".":
            continue
        if token == "[]":
            if not isinstance(current, list):
                return None
            flat: list[Any] = []
            for item in current:
                flat.extend(item if projected and isinstance(item, list) else [item])
            current = [x for x in flat if x is not None]
            projected = True
            continue
        if projected:
            current = [_step(item, m) for item in current]
            current = [x for x in current if x is not None]
        else:
            current = _step(current, m)
            if current is None:
                return None
    return current


def _step(value: Any, m: re.Match[str]) -> Any:
    name, index = m.group(1), m.group(2)
    if name is not None:
        return value.get(name) if isinstance(value, dict) else None
    if not isinstance(value, list):
        return None
    i = int(index)
    return value[i] if -len(value) <= i < len(value) else None


__all__ = ["PathError", "search"]
