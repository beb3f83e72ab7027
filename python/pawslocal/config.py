"""Emulator configuration: credentials, account, per-function settings and faults.

The config file is TOML (see docs/pawslocal.md); ``load_config`` also accepts an
already-parsed dict so tests can build one inline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import tomllib

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_TIMEOUT_S = 3.0
DEFAULT_MEMORY_MB = 128


class Credentials(NamedTuple):
    """An access key pair the emulator accepts; the secret never shows in a repr."""

    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:
        return f"Credentials(access_key_id={self.access_key_id!r}, secret_access_key='***')"


DEFAULT_CREDENTIALS = Credentials("AKIDPAWSLOCAL", "pawslocal/secret/not-a-real-key-0000000000")


class ConfigError(ValueError):
    """The configuration file or dict is malformed."""


@dataclass(frozen=True)
class FunctionConfig:
    """Settings of one function: which handler runs it, limits, versions, aliases, fault."""

    name: str
    handler: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    # version number -> handler name (published versions may run other code)
    versions: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    # extra variables the handler sees in os.environ, as Lambda's function configuration
    environment: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The whole emulator configuration."""

    region: str = DEFAULT_REGION
    account: str = DEFAULT_ACCOUNT
    credentials: tuple[Credentials, ...] = (DEFAULT_CREDENTIALS,)
    # True when the config names its keys: then only those keys are accepted
    credentials_configured: bool = False
    functions: dict[str, FunctionConfig] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)
    host: str | None = None
    port: int | None = None


def load_config(source: str | Path | dict[str, Any] | Config | None) -> Config:
    """Read a TOML file (path) or a dict shaped like one into a ``Config``."""
    if source is None:
        return Config()
    if isinstance(source, Config):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ConfigError(f"config file not found: {path}") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"config file {path} is not valid TOML: {e}") from e
        return _checked(data, where=str(path))
    if isinstance(source, dict):
        return _checked(source, where="config")
    raise ConfigError(f"config must be a path, dict or Config, not {type(source).__name__}")


def _checked(data: dict[str, Any], where: str) -> Config:
    try:
        return _from_dict(data, where)
    except ConfigError:
        raise
    except (TypeError, ValueError) as e:  # a value of the wrong type, e.g. port = "x"
        raise ConfigError(f"{where}: {e}") from None


def _from_dict(data: dict[str, Any], where: str) -> Config:
    _only_keys(data, {"server", "credentials", "functions", "faults"}, where)
    server = _table(data.get("server", {}), f"{where}: [server]")
    _only_keys(server, {"region", "account", "host", "port"}, f"{where}: [server]")
    account = str(server.get("account", DEFAULT_ACCOUNT))
    if not (len(account) == 12 and account.isdigit()):
        raise ConfigError(f"{where}: server.account must be 12 digits, got {account!r}")
    creds = _credentials(data.get("credentials"), where)
    functions = {
        name: _function(name, _table(spec, f"{where}: [functions.{name}]"), where)
        for name, spec in _table(data.get("functions", {}), f"{where}: [functions]").items()
    }
    faults = {
        str(k): str(v) for k, v in _table(data.get("faults", {}), f"{where}: [faults]").items()
    }
    port = server.get("port")
    return Config(
        region=str(server.get("region", DEFAULT_REGION)),
        account=account,
        credentials=creds,
        credentials_configured=data.get("credentials") is not None,
        functions=functions,
        faults=faults,
        host=server.get("host"),
        port=int(port) if port is not None else None,
    )


def _credentials(value: Any, where: str) -> tuple[Credentials, ...]:
    if value is None:
        return (DEFAULT_CREDENTIALS,)
    entries = value if isinstance(value, list) else [value]
    out = []
    for entry in entries:
        entry = _table(entry, f"{where}: [credentials]")
        try:
            out.append(Credentials(str(entry["access_key_id"]), str(entry["secret_access_key"])))
        except KeyError as e:
            raise ConfigError(f"{where}: credentials entry lacks {e.args[0]}") from None
    return tuple(out)


def _function(name: str, spec: dict[str, Any], where: str) -> FunctionConfig:
    _only_keys(
        spec,
        {"handler", "timeout", "memory", "versions", "aliases", "fault", "environment"},
        f"{where}: [functions.{name}]",
    )
    handler = str(spec.get("handler", name))
    raw_versions = spec.get("versions", {})
    if isinstance(raw_versions, list):
        versions = {str(v): handler for v in raw_versions}
    else:
        versions = {str(k): str(v) for k, v in _table(raw_versions, "versions").items()}
    for v in versions:
        if not v.isdigit():
            raise ConfigError(f"{where}: function {name}: version {v!r} is not a number")
    aliases = {str(k): str(v) for k, v in _table(spec.get("aliases", {}), "aliases").items()}
    for alias, target in aliases.items():
        if target != "$LATEST" and target not in versions:
            raise ConfigError(
                f"{where}: function {name}: alias {alias!r} points to unknown version {target!r}"
            )
    environment = {
        str(k): str(v) for k, v in _table(spec.get("environment", {}), "environment").items()
    }
    timeout = float(spec.get("timeout", DEFAULT_TIMEOUT_S))
    if timeout <= 0:
        raise ConfigError(f"{where}: function {name}: timeout must be positive")
    return FunctionConfig(
        name=name,
        handler=handler,
        timeout_s=timeout,
        memory_mb=int(spec.get("memory", DEFAULT_MEMORY_MB)),
        versions=versions,
        aliases=aliases,
        fault=str(spec["fault"]) if "fault" in spec else None,
        environment=environment,
    )


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table, got {type(value).__name__}")
    return value


def _only_keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
