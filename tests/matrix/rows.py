"""The parity matrix: one row per setup, declared as data.

A row is a scratch HOME (``files``, relative to it), environment variables
(``env``), a pawslambda config in paws' shape (``config``; the runner gives
botocore the same settings) and the calls to make (GetFunction on the capture
server, one function name per call; names starting with ``fail`` get a 503).

Text in ``files`` and ``env`` may hold ``{url}`` (the stand-ins), ``{row}``,
``{client}``, ``{home}`` and ``{python}``; the runner fills them in for each
client, so each client of each row has its own HOME and stand-in state. An env
value of ``None`` unsets a variable the base environment sets.

``expect`` is what every client must give, one entry per call: the label of the
signing key (an issued key's label, see standins.py), ``<unsigned>``, or
``error:<kind>``; ``region`` and ``attempts`` complete it. ``differs`` names a
deliberate difference from botocore: ``(reason, {field: botocore's value})``;
botocore is then checked against ``expect`` with those fields replaced. ``messages`` are texts the Python and R error messages must
hold. To add rows (endpoints, proxies, timeouts), append ``Row``s to ``ROWS``
(or another list passed to the runner): the runner needs nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"


def role(name: str) -> str:
    """An IAM role ARN in the test account."""
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


@dataclass(frozen=True)
class Row:
    """One setup of the matrix and what every client must do in it."""

    name: str
    expect: list[str]
    files: dict[str, str] = field(default_factory=dict)
    env: dict[str, str | None] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    calls: list[str] = field(default_factory=lambda: ["f1"])
    messages: list[str] = field(default_factory=list)
    # (why, what botocore gives instead): fields of botocore's observation that
    # differ on purpose ({"skip": True} when botocore cannot run the setup).
    differs: tuple[str, dict[str, Any]] | None = None
    # The signing region every call must show.
    region: str = "eu-west-1"
    # Requests the capture server must see per call (None: 1 for a success, 0
    # for an error before sending).
    attempts: list[int] | None = None


def sso_cache(key: str, token: str, expires: str, **extra: str) -> tuple[str, str]:
    """A ~/.aws/sso/cache file as `aws sso login` writes it (named by sha1 of ``key``)."""
    name = hashlib.sha1(key.encode()).hexdigest()
    body = {"accessToken": token, "expiresAt": expires, **extra}
    return f".aws/sso/cache/{name}.json", json.dumps(body)


FUTURE = "2099-01-01T00:00:00Z"
PAST = "2020-01-01T00:00:00Z"

BASE_KEYS = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s3cr3tBASE\n"
WORK_KEYS = "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = s3cr3tWORK\n"
DEFAULT_KEYS = "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s3cr3tDEFAULT\n"
ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s3cr3tENV"}
ECS = "{url}/ecs/{row}/{client}"
IMDS = {
    "AWS_EC2_METADATA_DISABLED": None,
    "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{url}/imds/{row}/{client}/",
}
PROCESS = "bin/creds.py"
PROCESS_SCRIPT = """import json, sys
mode = sys.argv[1]
if mode == "fail":
    sys.stderr.write("helper: the login has expired\\n")
    sys.exit(3)
print(json.dumps({"Version": 2 if mode == "v2" else 1, "AccessKeyId": "AKIDPROCESS",
                  "SecretAccessKey": "s3cr3tPROCESS", "SessionToken": "PROCESSTOKEN",
                  "Expiration": "2099-01-01T00:00:00Z"}))
"""


def assume(profile: str, *lines: str) -> str:
    """A config-file profile section."""
    return "\n".join([f"[profile {profile}]", *lines]) + "\n"


def sts(
    role_name: str,
    extra: str = "",
    by: str = "AKIDBASE",
    n: int = 1,
    action: str = "AssumeRole",
    session: str = "<default>",
    region: str = "eu-west-1",
) -> str:
    """The label of a key moto issued through the STS stand-in."""
    parts = [f"role={role(role_name)}", f"session={session}"]
    if extra:
        parts.append(extra)
    if by != "unsigned":
        parts.append(f"region={region}")
    return f"sts:{action}({' '.join(parts)} by={by})#{n}"


STANDARD = ["error:service_error:ServiceException"]

ROWS: list[Row] = [
    # -- explicit, environment and shared files; precedence -----------------------------
    Row("env-keys", ["AKIDENV"], env=ENV_KEYS),
    Row("env-keys-session-token", ["AKIDENV"], env={**ENV_KEYS, "AWS_SESSION_TOKEN": "TOKENENV"}),
    Row(
        "config-creds-beat-env",
        ["AKIDCONFIG"],
        env=ENV_KEYS,
        config={
            "credentials": {
                "creds": {"access_key_id": "AKIDCONFIG", "secret_access_key": "s3cr3tCONFIG"}
            }
        },
    ),
    Row(
        "explicit-profile-beats-env-keys",
        ["AKIDWORK"],
        env=ENV_KEYS,
        files={".aws/credentials": WORK_KEYS},
        config={"credentials": {"profile": "work"}},
    ),
    Row(
        "aws-profile-loses-to-env-keys",
        ["AKIDENV"],
        env={**ENV_KEYS, "AWS_PROFILE": "work"},
        files={".aws/credentials": WORK_KEYS},
    ),
    Row(
        "aws-profile-missing-with-env-keys",
        ["error:profile_not_found"],
        env={**ENV_KEYS, "AWS_PROFILE": "nosuch"},
        messages=["nosuch"],
    ),
    Row(
        "explicit-profile-missing",
        ["error:profile_not_found"],
        files={".aws/credentials": WORK_KEYS},
        config={"credentials": {"profile": "nosuch"}},
        messages=["nosuch"],
    ),
    Row(
        "default-profile-credentials-file",
        ["AKIDDEFAULT"],
        files={".aws/credentials": DEFAULT_KEYS},
    ),
    Row(
        "credentials-file-beats-config-file",
        ["AKIDWORK"],
        env={"AWS_PROFILE": "work"},
        files={
            ".aws/credentials": WORK_KEYS,
            ".aws/config": assume(
                "work", "aws_access_key_id = AKIDCFG", "aws_secret_access_key = s3cr3tCFG"
            ),
        },
    ),
    Row(
        "config-file-keys",
        ["AKIDCFG"],
        env={"AWS_PROFILE": "cfgonly"},
        files={
            ".aws/config": assume(
                "cfgonly", "aws_access_key_id = AKIDCFG", "aws_secret_access_key = s3cr3tCFG"
            )
        },
    ),
    Row(
        "region-from-profile",
        ["AKIDWORK"],
        region="ap-southeast-2",
        env={"AWS_DEFAULT_REGION": None, "AWS_PROFILE": "work"},
        files={
            ".aws/credentials": WORK_KEYS,
            ".aws/config": assume("work", "region = ap-southeast-2"),
        },
    ),
    Row(
        "aws-region-is-read",
        ["AKIDENV"],
        region="ap-south-1",
        env={**ENV_KEYS, "AWS_REGION": "ap-south-1"},
        differs=(
            "botocore ignores AWS_REGION; pawsgen reads it first, as the other AWS SDKs do",
            {"region": "eu-west-1"},
        ),
    ),
    Row("no-credentials", ["error:no_credentials"]),
    Row(
        "partial-env-keys",
        ["error:credentials_error"],
        env={"AWS_ACCESS_KEY_ID": "AKIDENV"},
        messages=["AWS_SECRET_ACCESS_KEY"],
    ),
    Row("anonymous", ["<unsigned>"], env=ENV_KEYS, config={"credentials": {"anonymous": True}}),
    # -- assume role --------------------------------------------------------------------
    Row(
        "assume-role-source-profile",
        [sts("dev")],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume("dev", f"role_arn = {role('dev')}", "source_profile = base"),
        },
        env={"AWS_PROFILE": "dev"},
    ),
    Row(
        "assume-role-options",
        [sts("dev", "ExternalId=ext-42 DurationSeconds=900", session="matrix-session")],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume(
                "dev",
                f"role_arn = {role('dev')}",
                "source_profile = base",
                "role_session_name = matrix-session",
                "external_id = ext-42",
                "duration_seconds = 900",
            ),
        },
        config={"credentials": {"profile": "dev"}},
    ),
    Row(
        "assume-role-chain",
        [sts("top", by=sts("mid"), n=2)],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume("top", f"role_arn = {role('top')}", "source_profile = mid")
            + assume("mid", f"role_arn = {role('mid')}", "source_profile = base"),
        },
        env={"AWS_PROFILE": "top"},
    ),
    Row(
        "assume-role-self-source",
        [sts("self", by="AKIDSELF")],
        files={
            ".aws/credentials": "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = s3cr3tSELF\n",
            ".aws/config": assume("self", f"role_arn = {role('self')}", "source_profile = self"),
        },
        env={"AWS_PROFILE": "self"},
    ),
    Row(
        "assume-role-credential-source-environment",
        [sts("envrole", by="AKIDENV")],
        env=ENV_KEYS,
        files={
            ".aws/config": assume(
                "envrole", f"role_arn = {role('envrole')}", "credential_source = Environment"
            )
        },
        config={"credentials": {"profile": "envrole"}},
    ),
    Row(
        "assume-role-credential-source-ecs",
        [sts("ecsrole", by="ecs:long#1")],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/long", "AWS_PROFILE": "ecsrole"},
        files={
            ".aws/config": assume(
                "ecsrole", f"role_arn = {role('ecsrole')}", "credential_source = EcsContainer"
            )
        },
    ),
    Row(
        "assume-role-credential-source-imds",
        [sts("ec2role", by="imds:ec2-role#1")],
        env={**IMDS, "AWS_PROFILE": "ec2role"},
        files={
            ".aws/config": assume(
                "ec2role",
                f"role_arn = {role('ec2role')}",
                "credential_source = Ec2InstanceMetadata",
            )
        },
    ),
    Row(
        "assume-role-sts-denied",
        ["error:credentials_error"],
        messages=["AccessDenied"],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume(
                "dev", f"role_arn = {role('denied-role')}", "source_profile = base"
            ),
        },
        env={"AWS_PROFILE": "dev"},
    ),
    Row(
        "assume-role-mfa",
        ["error:credentials_error"],
        messages=["mfa_serial"],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume(
                "dev",
                f"role_arn = {role('dev')}",
                "source_profile = base",
                f"mfa_serial = arn:aws:iam::{ACCOUNT}:mfa/me",
            ),
        },
        env={"AWS_PROFILE": "dev"},
        differs=(
            "botocore prompts for the MFA code on the terminal; a library call "
            "cannot, so pawsgen raises a typed error naming mfa_serial",
            {"skip": True},
        ),
    ),
    Row(
        "assume-role-loop",
        ["error:credentials_error"],
        files={
            ".aws/config": assume("a", f"role_arn = {role('a')}", "source_profile = b")
            + assume("b", f"role_arn = {role('b')}", "source_profile = a")
        },
        env={"AWS_PROFILE": "a"},
    ),
    Row(
        "assume-role-two-sources",
        ["error:credentials_error"],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume(
                "dev",
                f"role_arn = {role('dev')}",
                "source_profile = base",
                "credential_source = Environment",
            ),
        },
        env={"AWS_PROFILE": "dev"},
    ),
    Row(
        "assume-role-missing-source-profile",
        ["error:credentials_error"],
        files={".aws/config": assume("dev", f"role_arn = {role('dev')}", "source_profile = ghost")},
        env={"AWS_PROFILE": "dev"},
    ),
    Row(
        "assume-role-refresh",
        [sts("short", "DurationSeconds=900", n=1), sts("short", "DurationSeconds=900", n=2)],
        calls=["f1", "f2"],
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume(
                "short",
                f"role_arn = {role('short')}",
                "source_profile = base",
                "duration_seconds = 900",
            ),
        },
        env={"AWS_PROFILE": "short"},
    ),
    Row(
        "assume-role-source-profile-process",
        [sts("proc", by="AKIDPROCESS")],
        files={
            PROCESS: PROCESS_SCRIPT,
            ".aws/config": assume("dev", f"role_arn = {role('proc')}", "source_profile = p")
            + assume("p", "credential_process = {python} {home}/bin/creds.py ok"),
        },
        env={"AWS_PROFILE": "dev"},
    ),
    Row(
        "env-keys-beat-assume-role-profile",
        ["AKIDENV"],
        env={**ENV_KEYS, "AWS_PROFILE": "dev"},
        files={
            ".aws/credentials": BASE_KEYS,
            ".aws/config": assume("dev", f"role_arn = {role('dev')}", "source_profile = base"),
        },
    ),
    Row(
        "assume-role-credential-source-environment-empty",
        ["error:credentials_error"],
        files={
            ".aws/config": assume(
                "envrole", f"role_arn = {role('envrole')}", "credential_source = Environment"
            )
        },
        config={"credentials": {"profile": "envrole"}},
    ),
    # -- web identity ----------------------------------------------------------------------
    Row(
        "web-identity-env",
        [
            sts(
                "web",
                "WebIdentityToken=jwt-token",
                by="unsigned",
                action="AssumeRoleWithWebIdentity",
                session="web-session",
            )
        ],
        files={"token.jwt": "jwt-token"},
        env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token.jwt",
            "AWS_ROLE_ARN": role("web"),
            "AWS_ROLE_SESSION_NAME": "web-session",
        },
    ),
    Row(
        "web-identity-profile",
        [
            sts(
                "webp",
                "WebIdentityToken=jwt-token",
                by="unsigned",
                action="AssumeRoleWithWebIdentity",
            )
        ],
        files={
            "token.jwt": "jwt-token",
            ".aws/config": assume(
                "webp", f"role_arn = {role('webp')}", "web_identity_token_file = {home}/token.jwt"
            ),
        },
        env={"AWS_PROFILE": "webp"},
    ),
    Row(
        "web-identity-beats-shared-credentials",
        [
            sts(
                "web",
                "WebIdentityToken=jwt-token",
                by="unsigned",
                action="AssumeRoleWithWebIdentity",
                session="web-session",
            )
        ],
        files={"token.jwt": "jwt-token", ".aws/credentials": DEFAULT_KEYS},
        env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token.jwt",
            "AWS_ROLE_ARN": role("web"),
            "AWS_ROLE_SESSION_NAME": "web-session",
        },
    ),
    Row(
        "web-identity-token-file-missing",
        ["error:credentials_error"],
        env={"AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/no-such-token", "AWS_ROLE_ARN": role("web")},
    ),
    # -- SSO -------------------------------------------------------------------------------
    Row(
        "sso-session",
        [f"sso:{ACCOUNT}/ReadOnly/good-1#1"],
        files=dict(
            [
                sso_cache("my-sso", "good-1", FUTURE),
                (
                    ".aws/config",
                    assume(
                        "sso",
                        "sso_session = my-sso",
                        f"sso_account_id = {ACCOUNT}",
                        "sso_role_name = ReadOnly",
                    )
                    + "[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\n"
                    "sso_region = us-east-1\n",
                ),
            ]
        ),
        env={"AWS_PROFILE": "sso"},
    ),
    Row(
        "sso-legacy",
        [f"sso:{ACCOUNT}/Admin/good-legacy#1"],
        files=dict(
            [
                sso_cache("https://legacy.awsapps.com/start", "good-legacy", FUTURE),
                (
                    ".aws/config",
                    assume(
                        "old",
                        "sso_start_url = https://legacy.awsapps.com/start",
                        "sso_region = us-east-1",
                        f"sso_account_id = {ACCOUNT}",
                        "sso_role_name = Admin",
                    ),
                ),
            ]
        ),
        env={"AWS_PROFILE": "old"},
    ),
    Row(
        "sso-session-refresh",
        [f"sso:{ACCOUNT}/ReadOnly/good-refreshed#1"],
        files=dict(
            [
                sso_cache(
                    "my-sso",
                    "good-old",
                    PAST,
                    clientId="cid",
                    clientSecret="s3cr3tCLIENT",
                    refreshToken="refresh-me",
                    registrationExpiresAt=FUTURE,
                    region="us-east-1",
                    startUrl="https://example.awsapps.com/start",
                ),
                (
                    ".aws/config",
                    assume(
                        "sso",
                        "sso_session = my-sso",
                        f"sso_account_id = {ACCOUNT}",
                        "sso_role_name = ReadOnly",
                    )
                    + "[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\n"
                    "sso_region = us-east-1\n",
                ),
            ]
        ),
        env={"AWS_PROFILE": "sso"},
    ),
    Row(
        "sso-legacy-expired",
        ["error:credentials_error"],
        messages=["aws sso login"],
        files=dict(
            [
                sso_cache("https://legacy.awsapps.com/start", "good-legacy", PAST),
                (
                    ".aws/config",
                    assume(
                        "old",
                        "sso_start_url = https://legacy.awsapps.com/start",
                        "sso_region = us-east-1",
                        f"sso_account_id = {ACCOUNT}",
                        "sso_role_name = Admin",
                    ),
                ),
            ]
        ),
        env={"AWS_PROFILE": "old"},
    ),
    Row(
        "sso-rejected-token",
        ["error:credentials_error"],
        messages=["aws sso login"],
        files=dict(
            [
                sso_cache("https://legacy.awsapps.com/start", "revoked", FUTURE),
                (
                    ".aws/config",
                    assume(
                        "old",
                        "sso_start_url = https://legacy.awsapps.com/start",
                        "sso_region = us-east-1",
                        f"sso_account_id = {ACCOUNT}",
                        "sso_role_name = Admin",
                    ),
                ),
            ]
        ),
        env={"AWS_PROFILE": "old"},
    ),
    Row(
        "sso-no-cached-token",
        ["error:credentials_error"],
        files={
            ".aws/config": assume(
                "sso",
                "sso_session = my-sso",
                f"sso_account_id = {ACCOUNT}",
                "sso_role_name = ReadOnly",
            )
            + "[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\n"
            "sso_region = us-east-1\n"
        },
        env={"AWS_PROFILE": "sso"},
    ),
    Row(
        "sso-profile-incomplete",
        ["error:credentials_error"],
        files={
            ".aws/config": assume("sso", "sso_session = my-sso", f"sso_account_id = {ACCOUNT}")
            + "[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\n"
            "sso_region = us-east-1\n"
        },
        env={"AWS_PROFILE": "sso"},
    ),
    # -- credential_process ------------------------------------------------------------------
    Row(
        "credential-process",
        ["AKIDPROCESS"],
        files={
            PROCESS: PROCESS_SCRIPT,
            ".aws/config": assume("proc", "credential_process = {python} {home}/bin/creds.py ok"),
        },
        env={"AWS_PROFILE": "proc"},
    ),
    Row(
        "credential-process-fails",
        ["error:credentials_error"],
        messages=["helper: the login has expired"],
        files={
            PROCESS: PROCESS_SCRIPT,
            ".aws/config": assume("proc", "credential_process = {python} {home}/bin/creds.py fail"),
        },
        env={"AWS_PROFILE": "proc"},
    ),
    Row(
        "credential-process-bad-version",
        ["error:credentials_error"],
        files={
            PROCESS: PROCESS_SCRIPT,
            ".aws/config": assume("proc", "credential_process = {python} {home}/bin/creds.py v2"),
        },
        env={"AWS_PROFILE": "proc"},
    ),
    Row(
        "credentials-file-beats-process",
        ["AKIDWORK"],
        files={
            PROCESS: PROCESS_SCRIPT,
            ".aws/credentials": WORK_KEYS,
            ".aws/config": assume("work", "credential_process = {python} {home}/bin/creds.py ok"),
        },
        env={"AWS_PROFILE": "work"},
    ),
    # -- container credentials --------------------------------------------------------------
    Row("ecs-full-uri", ["ecs:long#1"], env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/long"}),
    Row(
        "ecs-authorization-token",
        ["ecs:token#1"],
        env={
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/token",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ecs-token",
        },
    ),
    Row(
        "ecs-authorization-token-file",
        ["ecs:token#1"],
        files={"ecs.token": "ecs-token"},
        env={
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/token",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/ecs.token",
        },
    ),
    Row(
        "ecs-broken",
        ["error:credentials_error"],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/broken"},
    ),
    Row(
        "shared-credentials-beat-ecs",
        ["AKIDDEFAULT"],
        files={".aws/credentials": DEFAULT_KEYS},
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/long"},
    ),
    # -- expiry and refresh -----------------------------------------------------------------
    Row(
        "refresh-far-expiry-reuses",
        ["ecs:long#1"] * 3,
        calls=["f1", "f2", "f3"],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/long"},
    ),
    Row(
        "refresh-advisory-window",
        ["ecs:short#2", "ecs:short#3", "ecs:short#4"],
        calls=["f1", "f2", "f3"],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/short"},
    ),
    Row(
        "refresh-advisory-failure-keeps-key",
        ["ecs:short-then-500#1"] * 2,
        calls=["f1", "f2"],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/short-then-500"},
    ),
    Row(
        "refresh-mandatory-failure",
        ["error:credentials_error"],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/brief-then-500"},
    ),
    Row(
        "refresh-still-expired",
        ["error:credentials_error"],
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/expired"},
    ),
    # -- IMDSv2 -----------------------------------------------------------------------------
    Row("imds-v2", ["imds:ec2-role#1"], env=IMDS),
    Row(
        "imds-endpoint-from-profile",
        ["imds:ec2-role#1"],
        env={"AWS_EC2_METADATA_DISABLED": None},
        files={
            ".aws/config": "[default]\nec2_metadata_service_endpoint = {url}/imds/{row}/{client}/\n"
        },
    ),
    Row(
        "imds-disabled", ["error:no_credentials"], env={**IMDS, "AWS_EC2_METADATA_DISABLED": "true"}
    ),
    Row(
        "ecs-beats-imds",
        ["ecs:long#1"],
        env={**IMDS, "AWS_CONTAINER_CREDENTIALS_FULL_URI": ECS + "/long"},
    ),
    # -- retries ----------------------------------------------------------------------------
    Row(
        "retry-env-max-attempts",
        STANDARD,
        calls=["fail1"],
        attempts=[2],
        env={**ENV_KEYS, "AWS_MAX_ATTEMPTS": "2"},
    ),
    Row(
        "retry-profile-max-attempts",
        STANDARD,
        calls=["fail1"],
        attempts=[4],
        env={"AWS_RETRY_MODE": "standard"},
        files={".aws/credentials": DEFAULT_KEYS, ".aws/config": "[default]\nmax_attempts = 4\n"},
    ),
    Row(
        "retry-config-beats-env",
        STANDARD,
        calls=["fail1"],
        attempts=[1],
        env={**ENV_KEYS, "AWS_MAX_ATTEMPTS": "4"},
        config={"max_attempts": 1},
    ),
    Row(
        "retry-mode-legacy-env",
        STANDARD,
        calls=["fail1"],
        attempts=[2],
        env={**ENV_KEYS, "AWS_RETRY_MODE": "legacy", "AWS_MAX_ATTEMPTS": "2"},
    ),
    Row(
        "retry-mode-legacy-default-attempts",
        STANDARD,
        calls=["fail1"],
        attempts=[5],
        env={**ENV_KEYS, "AWS_RETRY_MODE": "legacy"},
    ),
    Row(
        "retry-mode-adaptive",
        STANDARD,
        calls=["fail1"],
        attempts=[2],
        env={**ENV_KEYS, "AWS_RETRY_MODE": "adaptive", "AWS_MAX_ATTEMPTS": "2"},
    ),
    Row(
        "retry-mode-from-profile",
        STANDARD,
        calls=["fail1"],
        attempts=[2],
        files={
            ".aws/credentials": DEFAULT_KEYS,
            ".aws/config": "[default]\nretry_mode = standard\nmax_attempts = 2\n",
        },
    ),
    Row(
        "retry-config-mode",
        STANDARD,
        calls=["fail1"],
        attempts=[2],
        env=ENV_KEYS,
        config={"retry_mode": "standard", "max_attempts": 2},
    ),
    Row(
        "retry-default",
        STANDARD,
        calls=["fail1"],
        attempts=[3],
        env=ENV_KEYS,
        differs=(
            "with no retry setting botocore uses legacy mode (5 attempts); pawsgen "
            "uses standard mode (3 attempts), the mode AWS recommends",
            {"attempts": 5},
        ),
    ),
    Row("retry-mode-invalid", ["error:config_error"], env={**ENV_KEYS, "AWS_RETRY_MODE": "bogus"}),
    Row("retry-success-is-not-retried", ["AKIDENV"], env={**ENV_KEYS, "AWS_MAX_ATTEMPTS": "4"}),
    # -- more precedence and failure rows ---------------------------------------------------
    Row(
        "imds-unreachable",
        ["error:no_credentials"],
        env={
            "AWS_EC2_METADATA_DISABLED": None,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9/",
        },
    ),
    Row(
        "aws-default-profile-beats-aws-profile",
        ["AKIDWORK"],
        env={"AWS_DEFAULT_PROFILE": "work", "AWS_PROFILE": "base"},
        files={".aws/credentials": WORK_KEYS + BASE_KEYS},
    ),
    Row(
        "aws-profile-default-missing",
        ["error:profile_not_found"],
        env={"AWS_PROFILE": "default"},
        files={".aws/credentials": WORK_KEYS},
    ),
    Row(
        "imds-v1-fallback",
        ["imds:ec2-role#1"],
        env={
            "AWS_EC2_METADATA_DISABLED": None,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{url}/imds/{row}/{client}/v1/",
        },
    ),
    Row(
        "imds-endpoint-beats-ipv6-mode",
        ["imds:ec2-role#1"],
        env={**IMDS, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv6"},
    ),
    Row(
        "web-identity-env-token-file-with-profile-role",
        [
            sts(
                "webp",
                "WebIdentityToken=jwt-token",
                by="unsigned",
                action="AssumeRoleWithWebIdentity",
            )
        ],
        files={
            "token.jwt": "jwt-token",
            "other.jwt": "other-token",
            ".aws/config": assume(
                "webp",
                f"role_arn = {role('webp')}",
                "web_identity_token_file = {home}/other.jwt",
            ),
        },
        env={"AWS_PROFILE": "webp", "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token.jwt"},
    ),
    Row(
        "imds-v1-disabled",
        ["error:credentials_error"],
        env={
            "AWS_EC2_METADATA_DISABLED": None,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{url}/imds/{row}/{client}/v1/",
            "AWS_EC2_METADATA_V1_DISABLED": "true",
        },
    ),
    Row(
        "imds-v1-disabled-v2-works",
        ["imds:ec2-role#1"],
        env={**IMDS, "AWS_EC2_METADATA_V1_DISABLED": "true"},
    ),
]
