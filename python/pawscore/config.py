"""Client configuration in paws' shape, resolved to concrete settings.

Order of precedence, as in botocore and paws: the config dict, then environment
variables, then the shared config file (through botocore's session). The endpoint comes
from the service's endpoint rule set (``endpoints.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .credentials import CredentialProvider, check_credentials_spec, missing_profile
from .endpoints import EndpointRules, endpoint_settings, resolve_endpoint
from .errors import ConfigError, NoRegionError, ProfileNotFound
from .retry import DEFAULT_ATTEMPTS, RETRY_MODES

CONFIG_KEYS = (
    "region",
    "endpoint",
    "credentials",
    "max_attempts",
    "retry_mode",
    "connect_timeout",
    "read_timeout",
    "use_fips_endpoint",
    "use_dualstack_endpoint",
    "proxy",
    "ca_bundle",
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
    retry_mode: str = "standard"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    signing_region: str | None = None  # from the endpoint's auth scheme; else region
    signing_name: str | None = None  # from the endpoint's auth scheme; else the model's
    proxies: Mapping[str, str] | None = None  # {"http": url, "https": url}; None: environment
    ca_bundle: str | None = None
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
    mode = config.get("retry_mode")
    if mode is not None and mode not in RETRY_MODES:
        raise ConfigError(f"config retry_mode must be one of {', '.join(RETRY_MODES)}")
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
    for key in ("use_fips_endpoint", "use_dualstack_endpoint"):
        value = config.get(key)
        if value is not None and not isinstance(value, bool):
            raise ConfigError(f"config {key} must be True or False")
    _check_proxy(config.get("proxy"))
    bundle = config.get("ca_bundle")
    if bundle is not None and not (isinstance(bundle, str) and bundle):
        raise ConfigError("config ca_bundle must be the path of a PEM file")
    creds = config.get("credentials")
    if creds is not None:
        if not isinstance(creds, Mapping):
            raise ConfigError("config credentials must be a dict")
        check_credentials_spec(creds)
    return dict(config)


def resolve_config(
    config: Mapping[str, Any] | None,
    api_metadata: Mapping[str, Any],
    rules: EndpointRules | None = None,
) -> ResolvedConfig:
    """Resolve region, endpoint, credentials, limits and network settings for a service.

    ``rules`` is the service's endpoint rule set (see ``endpoints.package_rules``).
    """
    cfg = check_config(config)
    creds_spec = cfg.get("credentials") or {}
    profile = creds_spec.get("profile")
    region = resolve_region(cfg.get("region"), profile)
    settings = endpoint_settings(cfg, profile, api_metadata)
    endpoint = resolve_endpoint(rules, region, settings, api_metadata)
    mode, attempts = resolve_retry(cfg, profile)
    return ResolvedConfig(
        region=region,
        endpoint=endpoint.url,
        credentials=CredentialProvider(creds_spec),
        max_attempts=attempts,
        retry_mode=mode,
        connect_timeout=float(cfg.get("connect_timeout") or 10),
        read_timeout=float(cfg.get("read_timeout") or 60),
        signing_region=endpoint.signing_region,
        signing_name=endpoint.signing_name,
        proxies=_proxies(cfg.get("proxy")),
        ca_bundle=resolve_ca_bundle(cfg.get("ca_bundle"), profile),
        deadline=float(cfg["deadline"]) if cfg.get("deadline") is not None else None,
    )


def resolve_ca_bundle(given: str | None, profile: str | None = None) -> str | None:
    """The CA bundle: config ``ca_bundle``, then AWS_CA_BUNDLE, then the profile's ``ca_bundle``."""
    if given:
        return given
    value = os.environ.get("AWS_CA_BUNDLE") or profile_settings(profile)[0].get("ca_bundle")
    return os.path.expanduser(value) if value else None


def _check_proxy(proxy: Any) -> None:
    if proxy is None:
        return
    urls = proxy.values() if isinstance(proxy, Mapping) else [proxy]
    if isinstance(proxy, Mapping) and set(proxy) - {"http", "https"}:
        raise ConfigError("config proxy keys must be 'http' and/or 'https'")
    for url in urls:
        if not (isinstance(url, str) and re.match(r"[a-z][a-z0-9+.-]*://[^/?#\s]+", url)):
            raise ConfigError("config proxy must be a proxy URL such as http://host:3128")


def _proxies(proxy: Any) -> dict[str, str] | None:
    """The config's proxy as {"http": url, "https": url}; None to use the environment."""
    if proxy is None:
        return None
    if isinstance(proxy, str):
        return {"http": proxy, "https": proxy}
    return dict(proxy)


def profile_settings(profile: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the profile's settings, the whole parsed config file), as botocore reads them."""
    import botocore.exceptions
    import botocore.session

    session = botocore.session.Session(profile=profile)
    try:
        return dict(session.get_scoped_config()), dict(session.full_config)
    except botocore.exceptions.ProfileNotFound as exc:
        raise ProfileNotFound(missing_profile(exc, profile)) from exc


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


def resolve_retry(cfg: Mapping[str, Any], profile: str | None = None) -> tuple[str, int]:
    """Retry mode and attempts: config, then AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, then the profile.

    Without a setting the mode is standard (botocore's default is legacy: a
    deliberate difference) and the attempts are the mode's default.
    """
    scoped: dict[str, Any] | None = None

    def from_profile(key: str) -> Any:
        nonlocal scoped
        if scoped is None:
            scoped = profile_settings(profile)[0]
        return scoped.get(key)

    mode = cfg.get("retry_mode")
    where = "config retry_mode"
    if mode is None and os.environ.get("AWS_RETRY_MODE"):
        mode, where = os.environ["AWS_RETRY_MODE"], "AWS_RETRY_MODE"
    if mode is None and from_profile("retry_mode"):
        mode, where = from_profile("retry_mode"), "retry_mode in the profile"
    mode = mode or "standard"
    if mode not in RETRY_MODES:
        raise ConfigError(f"{where} {mode!r} is not one of {', '.join(RETRY_MODES)}")
    attempts = cfg.get("max_attempts")
    if attempts is None:
        for value, name in (
            (os.environ.get("AWS_MAX_ATTEMPTS"), "AWS_MAX_ATTEMPTS"),
            (from_profile("max_attempts"), "max_attempts in the profile"),
        ):
            if not value:
                continue
            text = str(value).strip()
            if not text.isdigit() or int(text) < 1:
                raise ConfigError(f"{name} must be a whole number of at least 1")
            attempts = int(text)
            break
    return mode, attempts or DEFAULT_ATTEMPTS[mode]


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
        raise ProfileNotFound(missing_profile(exc, profile)) from exc
    return value or None


__all__ = [
    "CONFIG_KEYS",
    "ResolvedConfig",
    "check_config",
    "profile_settings",
    "resolve_ca_bundle",
    "resolve_config",
    "resolve_region",
    "resolve_retry",
]
