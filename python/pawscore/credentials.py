"""Credentials for signing: explicit keys, a named profile, or botocore's default chain.

Resolution is lazy (the first request triggers it) and the secret parts never appear
in a repr, so a client or config can be printed or logged safely.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError, CredentialsError, NoCredentialsError, ProfileNotFound

_CREDS_KEYS = ("access_key_id", "secret_access_key", "session_token", "expiration")
_CREDENTIALS_KEYS = ("creds", "profile", "anonymous")


@dataclass(frozen=True, repr=False)
class Credentials:
    """An access key pair with an optional session token."""

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def __repr__(self) -> str:
        token = ", session_token=<hidden>" if self.session_token else ""
        return (
            f"Credentials(access_key_id={self.access_key_id!r}, secret_access_key=<hidden>{token})"
        )


class CredentialProvider:
    """Finds credentials on first use and hands out fresh frozen copies after that."""

    def __init__(self, spec: Mapping[str, Any] | None = None) -> None:
        spec = dict(spec or {})
        check_credentials_spec(spec)
        self.anonymous = bool(spec.get("anonymous", False))
        self.profile: str | None = spec.get("profile") or None
        self._explicit = _explicit(spec.get("creds"))
        self._botocore: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        if self.anonymous:
            source = "anonymous"
        elif self._explicit is not None:
            source = "explicit"
        elif self.profile:
            source = f"profile {self.profile!r}"
        else:
            source = "default chain"
        return f"CredentialProvider({source})"

    def get(self) -> Credentials | None:
        """Return the current credentials, or None when the client is anonymous."""
        if self.anonymous:
            return None
        if self._explicit is not None:
            return self._explicit
        with self._lock:
            if self._botocore is None:
                self._botocore = _from_botocore(self.profile)
        # botocore's refreshable credentials renew themselves here when near expiry.
        frozen = _frozen(self._botocore)
        return Credentials(frozen.access_key, frozen.secret_key, frozen.token or None)


def check_credentials_spec(spec: Mapping[str, Any]) -> None:
    """Raise ConfigError when ``spec`` (config["credentials"]) is malformed."""
    unknown = sorted(set(spec) - set(_CREDENTIALS_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown credentials setting(s): {', '.join(unknown)}; "
            f"expected some of {', '.join(_CREDENTIALS_KEYS)}"
        )
    profile = spec.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise ConfigError("credentials.profile must be a string")
    anonymous = spec.get("anonymous")
    if anonymous is not None and not isinstance(anonymous, bool):
        raise ConfigError("credentials.anonymous must be True or False")
    creds = spec.get("creds")
    if creds is not None:
        if not isinstance(creds, Mapping):
            raise ConfigError("credentials.creds must be a dict")
        unknown = sorted(set(creds) - set(_CREDS_KEYS))
        if unknown:
            raise ConfigError(
                f"unknown credentials.creds key(s): {', '.join(unknown)}; "
                f"expected some of {', '.join(_CREDS_KEYS)}"
            )
        for key in ("access_key_id", "secret_access_key", "session_token"):
            value = creds.get(key)
            if value is not None and not isinstance(value, str):
                # Name the key only: the value may be a secret.
                raise ConfigError(f"credentials.creds.{key} must be a string")


def _explicit(creds: Mapping[str, Any] | None) -> Credentials | None:
    if not creds:
        return None
    key_id = creds.get("access_key_id") or ""
    secret = creds.get("secret_access_key") or ""
    if not key_id and not secret:
        return None
    if not key_id or not secret:
        raise ConfigError("credentials.creds needs both access_key_id and secret_access_key")
    return Credentials(key_id, secret, creds.get("session_token") or None)


def _frozen(found: Any) -> Any:
    """botocore's current credentials; a failed refresh is a typed error, not botocore's."""
    try:
        return found.get_frozen_credentials()
    except Exception as exc:
        reason = _reason(exc)
        if reason is None:
            raise
        raise CredentialsError(f"could not refresh credentials: {reason}") from exc


def _reason(exc: BaseException) -> str | None:
    """What went wrong in a credential source, for a message; None for a bug to re-raise.

    botocore's messages name the source and reason (an STS error code, a
    credential_process's stderr, the ``aws sso login`` hint); they hold no secret.
    """
    import botocore.exceptions

    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        op = getattr(exc, "operation_name", "") or "the call"
        return f"{op} failed with {error.get('Code', 'an error')}: {error.get('Message', '')}"
    if isinstance(exc, botocore.exceptions.BotoCoreError | _MfaRequired):
        return f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError):  # a token file that cannot be read
        return f"{type(exc).__name__}: {exc.strerror} ({exc.filename})"
    if isinstance(exc, RuntimeError) and "refreshed credentials are still expired" in str(exc):
        return str(exc)
    return None


class _MfaRequired(Exception):
    """An assume-role profile with mfa_serial: a code cannot be prompted for here."""


def _no_mfa_prompt(prompt: str = "") -> str:
    raise _MfaRequired(
        "the profile sets mfa_serial, which needs an MFA code typed at a prompt; "
        "pawsgen cannot prompt: get temporary credentials with the code "
        "(aws sts get-session-token) and use them instead"
    )


def missing_profile(exc: Exception, profile: str | None) -> str:
    """The name of the profile botocore could not find (AWS_PROFILE when none was given)."""
    name = getattr(exc, "kwargs", {}).get("profile") or profile
    return f"profile {name!r} was not found"


def _from_botocore(profile: str | None) -> Any:
    import botocore.exceptions
    import botocore.session

    try:
        session = botocore.session.Session(profile=profile)
        # botocore would read an MFA code from the terminal; a library call must not.
        resolver = session.get_component("credential_provider")
        assume_role = resolver.get_provider("assume-role")
        assume_role._prompter = _no_mfa_prompt  # botocore has no public setting for it
        found = session.get_credentials()
    except botocore.exceptions.ProfileNotFound as exc:
        raise ProfileNotFound(missing_profile(exc, profile)) from exc
    except Exception as exc:
        reason = _reason(exc)
        if reason is None:
            raise
        raise CredentialsError(f"could not load credentials: {reason}") from exc
    if found is None:
        where = f"profile {profile!r}" if profile else "the default credential chain"
        raise NoCredentialsError(f"no credentials found in {where}")
    return found


__all__ = ["CredentialProvider", "Credentials", "check_credentials_spec"]
