"""Retry policy: what is retried, how long it waits, and when it gives up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pawscore import ConfigError, EndpointConnectionError, ServiceError, TruncatedStream
from pawscore.config import check_config, resolve_retry
from pawscore.http import user_agent
from pawscore.retry import DEFAULT_ATTEMPTS, RetryPolicy, call_with_retries


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


def test_retry_settings_come_from_config_then_environment_then_profile(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (no_aws_env / "config").write_text("[default]\nretry_mode = legacy\nmax_attempts = 7\n")
    assert resolve_retry({}) == ("legacy", 7)
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    assert resolve_retry({}) == ("adaptive", 2)
    assert resolve_retry({"retry_mode": "standard", "max_attempts": 4}) == ("standard", 4)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "many")
    with pytest.raises(ConfigError, match="AWS_MAX_ATTEMPTS"):
        resolve_retry({})
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    monkeypatch.setenv("AWS_RETRY_MODE", "bogus")
    with pytest.raises(ConfigError, match="AWS_RETRY_MODE"):
        resolve_retry({})
    with pytest.raises(ConfigError, match="retry_mode"):
        check_config({"retry_mode": "fast"})


@pytest.mark.parametrize(("mode", "attempts"), [("legacy", 5), ("standard", 3), ("adaptive", 3)])
def test_each_mode_has_botocores_default_attempts(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch, mode: str, attempts: int
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", mode)
    assert resolve_retry({}) == (mode, attempts)
    assert DEFAULT_ATTEMPTS[mode] == attempts


def test_adaptive_mode_waits_the_whole_backoff_after_throttling() -> None:
    policy = RetryPolicy(mode="adaptive", base=0.1, rand=lambda: 0.5)
    throttled = ServiceError("x", code="ThrottlingException", status_code=400)
    assert policy.delay(2, throttled) == 0.2
    assert policy.delay(2, ServiceError("x", code="X", status_code=500)) == 0.1


def test_user_agent_names_pawsgen_python_and_urllib3() -> None:
    assert re.fullmatch(
        r"pawsgen/\d+\.\d+\.\d+ ua/2\.1 os/\w+ lang/python#\d+\.\d+\.\d+ md/urllib3#[\w.]+",
        user_agent(),
    )
