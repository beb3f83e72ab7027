"""Retry policy: what is retried, how long it waits, and when it gives up."""

from __future__ import annotations

import pytest
from pawscore import EndpointConnectionError, ServiceError, TruncatedStream
from pawscore.retry import RetryPolicy, call_with_retries


def failing(errors: list[Exception], result: str = "ok"):
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return result

    return attempt, calls


def test_backoff_is_exponential_full_jitter_and_capped() -> None:
    policy = RetryPolicy(rand=lambda: 1.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.05, 0.1, 0.2, 0.4]
    assert policy.delay(30) == 20.0
    assert RetryPolicy(rand=lambda: 0.25).delay(3) == 0.05


@pytest.mark.parametrize(
    "error",
    [
        ServiceError("x", code="ServiceException", status_code=500),
        ServiceError("x", code="Whatever", status_code=502),
        ServiceError("x", code="Whatever", status_code=503),
        ServiceError("x", code="Whatever", status_code=504),
        ServiceError("x", code="TooManyRequestsException", status_code=429),
        ServiceError("x", code="ThrottlingException", status_code=400),
        ServiceError("x", code="Throttling", status_code=400),
        ServiceError("x", code="RequestLimitExceeded", status_code=400),
        ServiceError("x", code="ProvisionedThroughputExceededException", status_code=400),
        EndpointConnectionError("refused"),
    ],
)
def test_retryable(error: Exception) -> None:
    sleeps: list[float] = []
    attempt, calls = failing([error, error])
    assert call_with_retries(attempt, RetryPolicy(sleep=sleeps.append)) == "ok"
    assert len(calls) == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    "error",
    [
        ServiceError("x", code="ResourceNotFoundException", status_code=404),
        ServiceError("x", code="InvalidParameterValueException", status_code=400),
        ServiceError("x", code="Http501", status_code=501),
        TruncatedStream("cut"),
    ],
)
def test_not_retryable(error: Exception) -> None:
    attempt, calls = failing([error])
    with pytest.raises(type(error)):
        call_with_retries(attempt, RetryPolicy(sleep=lambda s: None))
    assert len(calls) == 1


def test_gives_up_after_max_attempts() -> None:
    errors = [ServiceError("x", code="ServiceException", status_code=500) for _ in range(5)]
    attempt, calls = failing(errors)
    with pytest.raises(ServiceError):
        call_with_retries(attempt, RetryPolicy(max_attempts=4, sleep=lambda s: None))
    assert len(calls) == 4


def test_single_attempt_never_sleeps() -> None:
    sleeps: list[float] = []
    attempt, calls = failing([EndpointConnectionError("refused")])
    with pytest.raises(EndpointConnectionError):
        call_with_retries(attempt, RetryPolicy(max_attempts=1, sleep=sleeps.append))
    assert sleeps == [] and len(calls) == 1
