"""Retries in botocore's modes: legacy, standard and adaptive; exponential backoff with jitter.

legacy defaults to 5 attempts, standard and adaptive to 3. In adaptive mode a
throttling answer makes the client wait the whole backoff instead of a random part.

Only whole attempts are retried: a request that failed to connect, or a response
that came back as a retryable error. Once a response body has started to reach
the caller (an event was delivered) nothing is retried; the client reads event
streams outside ``call_with_retries``, so that holds by construction.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import HttpError, ServiceError
from .http import Deadline

T = TypeVar("T")

TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
THROTTLING_STATUS = frozenset({429})
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
RETRY_MODES = ("legacy", "standard", "adaptive")
DEFAULT_ATTEMPTS = {"legacy": 5, "standard": 3, "adaptive": 3}
TRANSIENT_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)


@dataclass
class RetryPolicy:
    """How many attempts, how long to wait between them, and what is worth retrying."""

    max_attempts: int = 3
    mode: str = "standard"
    base: float = 0.05
    cap: float = 20.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rand: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, failures: int, exc: BaseException | None = None) -> float:
        """Seconds to wait after the ``failures``-th failed attempt (1-based): full jitter."""
        backoff = min(self.cap, self.base * 2 ** (failures - 1))
        if self.mode == "adaptive" and is_throttling(exc):
            return backoff
        return self.rand() * backoff

    def is_retryable(self, exc: BaseException) -> bool:
        """True for throttling, transient 5xx and connection failures."""
        if isinstance(exc, ServiceError):
            return (
                exc.status_code in TRANSIENT_STATUS
                or exc.status_code in THROTTLING_STATUS
                or exc.code in THROTTLING_CODES
                or exc.code in TRANSIENT_CODES
            )
        return isinstance(exc, HttpError)


def is_throttling(exc: BaseException | None) -> bool:
    """True for a throttling answer (HTTP 429 or a throttling error code)."""
    return isinstance(exc, ServiceError) and (
        exc.status_code in THROTTLING_STATUS or exc.code in THROTTLING_CODES
    )


def call_with_retries(
    attempt: Callable[[], T], policy: RetryPolicy, deadline: Deadline | None = None
) -> T:
    """Run ``attempt`` until it succeeds, fails for good, or attempts run out.

    With ``deadline``, no wait outlasts it, and a failure worth retrying after it
    has passed raises the deadline's timeout error instead.
    """
    failures = 0
    while True:
        try:
            return attempt()
        except (ServiceError, HttpError) as exc:
            failures += 1
            if failures >= policy.max_attempts or not policy.is_retryable(exc):
                raise
            if deadline is not None and deadline.expired():
                raise deadline.error() from exc
            wait = policy.delay(failures, exc)
            if deadline is not None:
                wait = min(wait, max(0.0, deadline.remaining()))
            policy.sleep(wait)


__all__ = [
    "DEFAULT_ATTEMPTS",
    "RETRY_MODES",
    "THROTTLING_CODES",
    "TRANSIENT_STATUS",
    "RetryPolicy",
    "call_with_retries",
]
