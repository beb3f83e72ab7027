"""Endpoints from the service's endpoint rule set, as botocore and the AWS SDKs resolve them.

A generated package ships its model's ``endpoint-rule-set-1.json`` and botocore's
``partitions.json`` as package data (docs/contracts.md, section 1c). The rules are
evaluated by botocore's ``EndpointProvider`` with the standard parameters ``Region``,
``UseFIPS``, ``UseDualStack`` and ``Endpoint``; the R runtime has its own engine
(``r/pawscore/R/endpoints.R``) and both pass AWS's endpoint test cases.

The settings are read where botocore reads them: FIPS and dual-stack from the config,
``AWS_USE_FIPS_ENDPOINT`` / ``AWS_USE_DUALSTACK_ENDPOINT`` and the profile's
``use_fips_endpoint`` / ``use_dualstack_endpoint``; a configured endpoint URL from
``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_ENDPOINT_URL``, the profile's ``services`` section
and its ``endpoint_url``, all skipped when ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` (or
the profile's ``ignore_configured_endpoint_urls``) is true.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError, EndpointResolutionError

RULE_SET_FILE = "endpoint-rule-set-1.json"
PARTITIONS_FILE = "partitions.json"
_URL_RE = re.compile(r"https?://[^/?#\s]+")


class EndpointRules:
    """A service's rule set and the partition table its ``aws.partition`` reads."""

    def __init__(self, ruleset: Mapping[str, Any], partitions: Mapping[str, Any]) -> None:
        self.ruleset = ruleset
        self.partitions = partitions
        self._provider: Any = None

    def __repr__(self) -> str:
        return f"EndpointRules(version={self.ruleset.get('version')!r})"

    def provider(self) -> Any:
        """botocore's evaluator for these rules, built once."""
        if self._provider is None:
            import botocore.endpoint_provider

            self._provider = botocore.endpoint_provider.EndpointProvider(
                dict(self.ruleset), dict(self.partitions)
            )
        return self._provider


@dataclass(frozen=True)
class Endpoint:
    """A resolved endpoint: its URL, and the region and service name to sign for."""

    url: str
    signing_region: str | None = None
    signing_name: str | None = None
    headers: Mapping[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class EndpointSettings:
    """The endpoint settings found in the config, the environment and the profile."""

    use_fips: bool = False
    use_dualstack: bool = False
    endpoint_url: str | None = None


@functools.lru_cache(maxsize=16)
def package_rules(package: str) -> EndpointRules | None:
    """The rule set shipped in a generated ``package``, or None when it has none."""
    try:
        root = importlib.resources.files(package)
    except (ModuleNotFoundError, TypeError):
        return None
    ruleset, partitions = root / RULE_SET_FILE, root / PARTITIONS_FILE
    if not (ruleset.is_file() and partitions.is_file()):
        return None
    return EndpointRules(
        json.loads(ruleset.read_text(encoding="utf-8")),
        json.loads(partitions.read_text(encoding="utf-8")),
    )


def evaluate(rules: EndpointRules, params: Mapping[str, Any]) -> Endpoint:
    """Evaluate the rule set for ``params`` (``Region``, ``UseFIPS``, ...).

    Raises EndpointResolutionError with the rule set's own message when a rule says
    the parameters are invalid (say, FIPS with a custom endpoint).
    """
    import botocore.endpoint_provider
    import botocore.exceptions

    given = {k: v for k, v in params.items() if v is not None}
    try:
        found = rules.provider().resolve_endpoint(**given)
    except botocore.exceptions.EndpointResolutionError as exc:
        raise EndpointResolutionError(str(exc.kwargs.get("msg") or exc)) from exc
    except (TypeError, ValueError, KeyError) as exc:
        raise EndpointResolutionError(f"endpoint rules failed: {exc}") from exc
    assert isinstance(found, botocore.endpoint_provider.RuleSetEndpoint)
    region, name = signing_scope(found.properties)
    return Endpoint(found.url, region, name, dict(found.headers or {}))


def signing_scope(properties: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    """(signingRegion, signingName) of the first SigV4 auth scheme, when the rules give one."""
    for scheme in (properties or {}).get("authSchemes") or []:
        if scheme.get("name") == "sigv4":
            return scheme.get("signingRegion"), scheme.get("signingName")
    return None, None


def endpoint_settings(
    config: Mapping[str, Any], profile: str | None, api_metadata: Mapping[str, Any]
) -> EndpointSettings:
    """FIPS, dual-stack and the configured endpoint URL, read as botocore reads them."""
    from .config import profile_settings

    scoped, full = profile_settings(profile)
    use_fips = _flag(config.get("use_fips_endpoint"), "AWS_USE_FIPS_ENDPOINT", scoped)
    use_dualstack = _flag(
        config.get("use_dualstack_endpoint"), "AWS_USE_DUALSTACK_ENDPOINT", scoped
    )
    url = config.get("endpoint") or None
    if url is None and not _flag(None, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", scoped):
        url = configured_endpoint_url(api_metadata, scoped, full)
    return EndpointSettings(use_fips, use_dualstack, url)


def _flag(given: bool | None, env_var: str, scoped: Mapping[str, Any]) -> bool:
    """A boolean setting: the config value, then the environment, then the profile.

    Like botocore, only the text ``true`` (any case) is true.
    """
    if given is not None:
        return bool(given)
    value = os.environ.get(env_var)
    if value is None:
        value = scoped.get(env_var.removeprefix("AWS_").lower())
    return isinstance(value, str) and value.strip().lower() == "true"


def service_env_name(api_metadata: Mapping[str, Any]) -> str:
    """The service's key in endpoint settings: its service id, snake_case ("lambda")."""
    service_id = str(api_metadata.get("service_id") or api_metadata.get("endpoint_prefix", ""))
    return re.sub(r"[^a-z0-9]", "_", service_id.lower())


def configured_endpoint_url(
    api_metadata: Mapping[str, Any], scoped: Mapping[str, Any], full: Mapping[str, Any]
) -> str | None:
    """The endpoint URL from the environment or the shared config file, else None."""
    key = service_env_name(api_metadata)
    for var in ("AWS_ENDPOINT_URL_" + key.upper(), "AWS_ENDPOINT_URL"):
        value = os.environ.get(var)
        if value:
            return check_endpoint_url(value, var)
    section_name = scoped.get("services")
    if section_name:
        section = (full.get("services") or {}).get(section_name)
        if not section:
            raise ConfigError(
                f"the profile names services section {section_name!r}, which does not exist"
            )
        value = (section.get(key) or {}).get("endpoint_url")
        if value:
            return check_endpoint_url(value, f"services section {section_name!r}")
    value = scoped.get("endpoint_url")
    if value:
        return check_endpoint_url(value, "the profile's endpoint_url")
    return None


def check_endpoint_url(url: str, where: str) -> str:
    """``url`` when it is an http(s) URL; a ConfigError naming ``where`` otherwise."""
    if not _URL_RE.match(url):
        raise ConfigError(f"{where} {url!r} must be an http:// or https:// URL")
    return url


def resolve_endpoint(
    rules: EndpointRules | None,
    region: str,
    settings: EndpointSettings,
    api_metadata: Mapping[str, Any],
) -> Endpoint:
    """The endpoint for ``region`` and ``settings``.

    A service without a rule set (hand-written API data in tests) gets the configured
    URL, or AWS's usual ``https://<prefix>.<region>.<partition domain>``.
    """
    if rules is not None:
        # As in botocore, an endpoint URL (given or configured) turns FIPS and
        # dual-stack off rather than meeting the rules' "not supported" errors.
        custom = settings.endpoint_url is not None
        found = evaluate(
            rules,
            {
                "Region": region,
                "UseFIPS": settings.use_fips and not custom,
                "UseDualStack": settings.use_dualstack and not custom,
                "Endpoint": settings.endpoint_url,
            },
        )
        return Endpoint(found.url.rstrip("/"), found.signing_region, found.signing_name)
    if settings.endpoint_url:
        return Endpoint(settings.endpoint_url.rstrip("/"))
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return Endpoint(f"https://{api_metadata['endpoint_prefix']}.{region}.{suffix}")


__all__ = [
    "Endpoint",
    "EndpointRules",
    "EndpointSettings",
    "configured_endpoint_url",
    "endpoint_settings",
    "evaluate",
    "package_rules",
    "resolve_endpoint",
    "signing_scope",
]
