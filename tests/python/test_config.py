"""Config and credential resolution: precedence, clear errors, no secrets shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pawscore import ConfigError, CredentialsError, NoCredentialsError, NoRegionError
from pawscore.config import resolve_config
from pawscore.credentials import CredentialProvider

from .support import API, SECRET_KEY, SESSION_TOKEN, LambdaTestClient, client_config

META = API["metadata"]


def write_profiles(home: Path) -> None:
    (home / "config").write_text(
        "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-south-1\n"
    )
    (home / "credentials").write_text(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n"
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n"
        "aws_session_token = dev-token\n"
    )


def test_explicit_config_wins(no_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    cfg = resolve_config(client_config("http://127.0.0.1:9001/"), META)
    assert cfg.region == "us-east-1"
    assert cfg.endpoint == "http://127.0.0.1:9001"
    creds = cfg.credentials.get()
    assert creds is not None and creds.access_key_id == "AKIDTESTTEST"
    assert creds.session_token == SESSION_TOKEN
    assert (cfg.max_attempts, cfg.connect_timeout, cfg.read_timeout) == (3, 10.0, 60.0)


def test_region_and_endpoint_from_environment(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    cfg = resolve_config({}, META)
    assert cfg.region == "eu-central-1"
    assert cfg.endpoint == "https://lambda.eu-central-1.amazonaws.com"
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7000")
    assert resolve_config({}, META).region == "us-west-2"
    assert resolve_config({}, META).endpoint == "http://127.0.0.1:7000"
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:7001")
    assert resolve_config({}, META).endpoint == "http://127.0.0.1:7001"


def test_region_and_credentials_from_profiles(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profiles(no_aws_env)
    cfg = resolve_config({}, META)
    assert cfg.region == "eu-west-1"
    default = cfg.credentials.get()
    assert default is not None and default.access_key_id == "AKIDDEFAULT"
    dev = resolve_config({"credentials": {"profile": "dev"}}, META)
    assert dev.region == "ap-south-1"
    creds = dev.credentials.get()
    assert creds is not None
    assert (creds.access_key_id, creds.secret_access_key, creds.session_token) == (
        "AKIDDEV",
        "dev-secret",
        "dev-token",
    )


def test_credentials_from_environment_chain(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    creds = CredentialProvider({}).get()
    assert creds is not None and creds.access_key_id == "AKIDENV"


def test_no_region_is_a_typed_error(no_aws_env: Path) -> None:
    with pytest.raises(NoRegionError):
        resolve_config({}, META)


def test_no_credentials_is_a_typed_error(no_aws_env: Path) -> None:
    with pytest.raises(NoCredentialsError):
        CredentialProvider({}).get()
    with pytest.raises(NoCredentialsError, match="profile 'ghost'"):
        CredentialProvider({"profile": "ghost"}).get()


def test_anonymous_needs_no_credentials(no_aws_env: Path) -> None:
    assert CredentialProvider({"anonymous": True}).get() is None


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"regoin": "us-east-1"}, "unknown config key\\(s\\): regoin"),
        ({"region": 5}, "config region must be a string"),
        ({"region": "us east 1"}, "not a valid region name"),
        ({"endpoint": "127.0.0.1:9001"}, "must be an http:// or https:// URL"),
        ({"max_attempts": 0}, "max_attempts must be an integer >= 1"),
        ({"read_timeout": -1}, "read_timeout must be a positive number"),
        ({"credentials": {"creds": {"access_key": "x"}}}, "unknown credentials.creds key"),
        ({"credentials": {"profil": "x"}}, "unknown credentials setting"),
        ({"credentials": {"anonymous": "yes"}}, "anonymous must be True or False"),
    ],
)
def test_bad_config_is_rejected_at_construction(config: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LambdaTestClient(config)


def test_half_given_keys_are_rejected_without_echoing_the_secret() -> None:
    with pytest.raises(ConfigError) as info:
        CredentialProvider({"creds": {"secret_access_key": SECRET_KEY}}).get()
    assert SECRET_KEY not in str(info.value)


def test_reprs_hide_secrets(no_aws_env: Path) -> None:
    config = client_config("http://127.0.0.1:9001")
    client = LambdaTestClient(config)
    resolved = client.config
    texts = [
        repr(client),
        repr(resolved),
        repr(resolved.credentials),
        repr(resolved.credentials.get()),
    ]
    for text in texts:
        assert SECRET_KEY not in text and SESSION_TOKEN not in text
    assert "us-east-1" in repr(client)


def test_failed_credential_refresh_is_a_typed_error(no_aws_env: Path) -> None:
    import botocore.exceptions

    class Expired:
        """botocore refreshable credentials whose refresh fails."""

        def get_frozen_credentials(self) -> object:
            raise botocore.exceptions.CredentialRetrievalError(
                provider="custom-process", error_msg="helper: the login has expired"
            )

    provider = CredentialProvider({})
    provider._botocore = Expired()
    with pytest.raises(CredentialsError, match="could not refresh credentials") as info:
        provider.get()
    # The source and its reason (a credential_process's stderr) are named.
    assert "custom-process" in str(info.value)
    assert "helper: the login has expired" in str(info.value)
    assert isinstance(info.value, NoCredentialsError)


def test_missing_profile_from_environment_is_named(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "ghost")
    with pytest.raises(ConfigError, match="profile 'ghost' was not found"):
        resolve_config({}, META)
    with pytest.raises(NoCredentialsError, match="profile 'ghost' was not found"):
        CredentialProvider({}).get()
