"""Client configuration in paws' shape, resolved to concrete settings.

Order of precedence, as in botocore and paws: the config dict, then environment
variables, then the shared config file (through botocore's session).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .credentials import CredentialProvider, check_credentials_spec, missing_profile
from .errors import ConfigError, NoRegionError

CONFIG_KEYS = (
    "region",
    "endpoint",
    "credentials",
    "max_attempts",
    "connect_timeout",
    "read_timeout",
    "deadline",
)
# A region ends up in a host name: keep it to the characters AWS uses.
_REGION_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class ResolvedConfig:
    """Concrete settings for one client; its repr never shows secrets."""

    region: str
    endpoint: str
    credentials: CredentialProvider
    max_attempts: int = 3
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    deadline: float | None = None  # seconds for a whole call; None: no limit


def check_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return ``config`` as a dict after checking its keys and value types."""
    if config is None:
        return {}
    if not isinstance(config, Mapping):
        raise ConfigError(f"config must be a dict, got {type(config).__name__}")
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown config key(s): {', '.join(map(str, unknown))}; "
            f"expected some of {', '.join(CONFIG_KEYS)}"
        )
    for key in ("region", "endpoint"):
        value = config.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"config {key} must be a string, got {type(value).__name__}")
    region = config.get("region")
    if region and not _REGION_RE.fullmatch(region):
        raise ConfigError(f"config region {region!r} is not a valid region name")
    endpoint = config.get("endpoint")
    if endpoint:
        _check_endpoint(endpoint, "config endpoint")
    attempts = config.get("max_attempts")
    if attempts is not None and (
        isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
    ):
        raise ConfigError("config max_attempts must be an integer >= 1")
    for key in ("connect_timeout", "read_timeout", "deadline"):
        value = config.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value <= 0
        ):
            raise ConfigError(f"config {key} must be a positive number of seconds")
    creds = config.get("credentials")
    if creds is not None:
        if not isinstance(creds, Mapping):
            raise ConfigError("config credentials must be a dict")
        check_credentials_spec(creds)
    return dict(config)


def resolve_config(
    config: Mapping[str, Any] | None, api_metadata: Mapping[str, Any]
) -> ResolvedConfig:
    """Resolve region, endpoint, credentials and limits for a service."""
    cfg = check_config(config)
    creds_spec = cfg.get("credentials") or {}
    region = resolve_region(cfg.get("region"), creds_spec.get("profile"))
    endpoint = resolve_endpoint(cfg.get("endpoint"), region, api_metadata)
    return ResolvedConfig(
        region=region,
        endpoint=endpoint,
        credentials=CredentialProvider(creds_spec),
        max_attempts=cfg.get("max_attempts") or 3,
        connect_timeout=float(cfg.get("connect_timeout") or 10),
        read_timeout=float(cfg.get("read_timeout") or 60),
        deadline=float(cfg["deadline"]) if cfg.get("deadline") is not None else None,
    )


def resolve_region(region: str | None, profile: str | None = None) -> str:
    """Region from the config, then AWS_REGION / AWS_DEFAULT_REGION, then the profile."""
    if region:
        return region
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        value = os.environ.get(var)
        if value:
            return _checked_region(value, var)
    from_profile = _profile_region(profile)
    if from_profile:
        return _checked_region(from_profile, "the shared config file")
    raise NoRegionError(
        "no region: set config region, AWS_REGION or AWS_DEFAULT_REGION, or a region in the profile"
    )


def resolve_endpoint(endpoint: str | None, region: str, api_metadata: Mapping[str, Any]) -> str:
    """Endpoint from the config, then AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else AWS's."""
    if endpoint:
        return endpoint.rstrip("/")
    service_id = str(api_metadata.get("service_id") or api_metadata.get("endpoint_prefix", ""))
    per_service = "AWS_ENDPOINT_URL_" + re.sub(r"[^A-Z0-9]", "_", service_id.upper())
    for var in (per_service, "AWS_ENDPOINT_URL"):
        value = os.environ.get(var)
        if value:
            _check_endpoint(value, var)
            return value.rstrip("/")
    prefix = api_metadata["endpoint_prefix"]
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://{prefix}.{region}.{suffix}"


def _check_endpoint(endpoint: str, where: str) -> None:
    if not re.match(r"https?://[^/?#\s]+", endpoint):
        raise ConfigError(f"{where} {endpoint!r} must be an http:// or https:// URL")


def _checked_region(region: str, where: str) -> str:
    if not _REGION_RE.fullmatch(region):
        raise ConfigError(f"region {region!r} from {where} is not a valid region name")
    return region


def _profile_region(profile: str | None) -> str | None:
    import botocore.exceptions
    import botocore.session

    try:
        value = botocore.session.Session(profile=profile).get_config_variable("region")
    except botocore.exceptions.ProfileNotFound as exc:
        raise ConfigError(missing_profile(exc, profile)) from exc
    return value or None


__all__ = [
    "CONFIG_KEYS",
    "ResolvedConfig",
    "check_config",
    "resolve_config",
    "resolve_endpoint",
    "resolve_region",
]
