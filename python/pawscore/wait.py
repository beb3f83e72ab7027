"""Waiters: poll an operation until the resource reaches a state, as boto3's ``get_waiter()``.

The settings come from botocore's ``waiters-2.json`` through the API data
(``api["waiters"][<Name>]``): the operation to call, the delay between calls, the
most attempts, and the acceptors that turn each answer (or error) into success,
failure or "retry". Mirrors R's ``wait_until()`` (r/pawscore/R/wait.R).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from .errors import PawsError, ServiceError
from .paths import search

WaitCall = Callable[[dict[str, Any]], dict[str, Any]]


class WaiterError(PawsError):
    """The waiter reached a failure state, met an unexpected error, or ran out of attempts.

    ``reason`` says which; ``last_response`` is the last answer (or None after an error).
    """

    def __init__(self, name: str, reason: str, last_response: Any = None) -> None:
        super().__init__(f"Waiter {name} failed: {reason}")
        self.name = name
        self.reason = reason
        self.last_response = last_response


class Waiter:
    """One waiter of a service; ``wait(**params)`` polls until done."""

    def __init__(self, call: WaitCall, config: Mapping[str, Any], name: str) -> None:
        self._call = call
        self._config = config
        self.name = name
        self.sleep: Callable[[float], None] = time.sleep  # tests may replace it

    def wait(self, **params: Any) -> None:
        """Call the operation with ``params`` until an acceptor says success.

        ``WaiterConfig`` may hold ``Delay`` (seconds between calls) and
        ``MaxAttempts``. Raises ``WaiterError`` on a failure state, an error no
        acceptor expects, or when the attempts run out.
        """
        options = dict(params.pop("WaiterConfig", None) or {})
        unknown = set(options) - {"Delay", "MaxAttempts"}
        if unknown:
            raise WaiterError(self.name, f"unknown WaiterConfig key(s): {sorted(unknown)}")
        delay = float(options.get("Delay", self._config["delay"]))
        attempts = int(options.get("MaxAttempts", self._config["max_attempts"]))
        last: Any = None
        for attempt in range(1, attempts + 1):
            try:
                last, error = self._call(dict(params)), None
            except ServiceError as exc:
                last, error = None, exc
            state = match_acceptors(self._config["acceptors"], last, error)
            if state == "success":
                return
            if state == "failure":
                raise WaiterError(self.name, "a failure state was reached", last)
            if state is None and error is not None:
                raise WaiterError(self.name, f"unexpected error: {error.code}") from error
            if attempt < attempts:
                self.sleep(delay)
        raise WaiterError(self.name, f"max attempts exceeded ({attempts})", last)


def match_acceptors(
    acceptors: list[Mapping[str, Any]], response: Any, error: ServiceError | None
) -> str | None:
    """The state of the first acceptor that matches, or None."""
    for acc in acceptors:
        if _matches(acc, response, error):
            return str(acc["state"])
    return None


def _matches(acc: Mapping[str, Any], response: Any, error: ServiceError | None) -> bool:
    matcher, expected = acc["matcher"], acc["expected"]
    if matcher == "error":
        if isinstance(expected, bool):  # true: any error; false: no error
            return (error is not None) == expected
        return error is not None and error.code == expected
    if matcher == "status":
        status = error.status_code if error is not None else 200
        return status == expected
    if error is not None:
        return False
    value = search(response, acc["argument"])
    if matcher == "path":
        return bool(value == expected and type(value) is type(expected))
    if not isinstance(value, list) or not value:
        return False
    if matcher == "pathAll":
        return all(v == expected and type(v) is type(expected) for v in value)
    if matcher == "pathAny":
        return any(v == expected and type(v) is type(expected) for v in value)
    raise WaiterError("?", f"unknown matcher {matcher!r}")


__all__ = ["Waiter", "WaiterError", "match_acceptors"]
