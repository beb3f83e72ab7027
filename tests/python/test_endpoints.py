"""Endpoints from the rule set (pawscore.endpoints): AWS's own test cases and the settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pawscore import ConfigError, EndpointResolutionError
from pawscore.config import check_config
from pawscore.endpoints import (
    EndpointRules,
    endpoint_settings,
    evaluate,
    package_rules,
    resolve_endpoint,
)

from tests.paths import ENDPOINT_TESTS, PAWSCORE_R_TEST_DATA, REPO

ROOT = REPO
CASES = json.loads((ENDPOINT_TESTS / "lambda-endpoint-tests-1.json").read_text())["testCases"]
META = {"endpoint_prefix": "lambda", "service_id": "Lambda", "signing_name": "lambda"}


def rules() -> EndpointRules:
    found = package_rules("pawslambda")
    assert found is not None
    return found


def url_for(config: dict[str, Any], region: str) -> str:
    cfg = check_config(config)
    profile = (cfg.get("credentials") or {}).get("profile")
    settings = endpoint_settings(cfg, profile, META)
    return resolve_endpoint(rules(), region, settings, META).url


def test_all_71_cases_are_here() -> None:
    assert len(CASES) == 71


@pytest.mark.parametrize("case", CASES, ids=[c["documentation"] for c in CASES])
def test_lambda_endpoint_case(case: dict[str, Any]) -> None:
    params = case.get("params", {})
    if "error" in case["expect"]:
        with pytest.raises(EndpointResolutionError) as caught:
            evaluate(rules(), params)
        assert str(caught.value) == case["expect"]["error"]
    else:
        assert evaluate(rules(), params).url == case["expect"]["endpoint"]["url"]


def test_the_generated_package_ships_the_pinned_rules() -> None:
    model_dir = ROOT / "models" / "lambda" / "2015-03-31"
    assert rules().ruleset == json.loads((model_dir / "endpoint-rule-set-1.json").read_text())
    assert rules().partitions == json.loads((model_dir / "partitions.json").read_text())


def test_partitions_get_their_domains(no_aws_env: Path) -> None:
    assert url_for({}, "us-iso-east-1") == "https://lambda.us-iso-east-1.c2s.ic.gov"
    assert url_for({}, "us-isob-east-1") == "https://lambda.us-isob-east-1.sc2s.sgov.gov"
    assert url_for({}, "eusc-de-east-1") == "https://lambda.eusc-de-east-1.amazonaws.eu"
    assert url_for({}, "cn-north-1") == "https://lambda.cn-north-1.amazonaws.com.cn"


def test_fips_and_dualstack_from_config_env_and_profile(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fips = {"use_fips_endpoint": True}
    assert url_for(fips, "us-east-1") == "https://lambda-fips.us-east-1.amazonaws.com"
    monkeypatch.setenv("AWS_USE_DUALSTACK_ENDPOINT", "TRUE")
    assert url_for({}, "us-east-1") == "https://lambda.us-east-1.api.aws"
    no_dualstack = {"use_dualstack_endpoint": False}
    assert url_for(no_dualstack, "us-east-1") == "https://lambda.us-east-1.amazonaws.com"
    monkeypatch.delenv("AWS_USE_DUALSTACK_ENDPOINT")
    (no_aws_env / "config").write_text(
        "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n"
    )
    assert url_for({}, "us-west-2") == "https://lambda-fips.us-west-2.api.aws"
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "1")  # only "true" is true, as in botocore
    assert url_for({}, "us-west-2") == "https://lambda.us-west-2.api.aws"


def test_configured_endpoint_urls(no_aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (no_aws_env / "config").write_text(
        "[default]\nendpoint_url = http://127.0.0.1:4001\nservices = local\n"
        "[profile plain]\nendpoint_url = http://127.0.0.1:4002\n"
        "[services local]\nlambda =\n  endpoint_url = http://127.0.0.1:4003\n"
        "s3 =\n  endpoint_url = http://127.0.0.1:4004\n"
    )
    assert url_for({}, "us-east-1") == "http://127.0.0.1:4003"
    monkeypatch.setenv("AWS_PROFILE", "plain")
    assert url_for({}, "us-east-1") == "http://127.0.0.1:4002"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4005")
    assert url_for({}, "us-east-1") == "http://127.0.0.1:4005"
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:4006")
    assert url_for({}, "us-east-1") == "http://127.0.0.1:4006"
    explicit = {"endpoint": "http://127.0.0.1:4007"}
    assert url_for(explicit, "us-east-1") == "http://127.0.0.1:4007"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert url_for({}, "us-east-1") == "https://lambda.us-east-1.amazonaws.com"
    assert url_for(explicit, "us-east-1") == "http://127.0.0.1:4007"


def test_fips_with_custom_endpoint_and_missing_services_section(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # botocore turns FIPS and dual-stack off when an endpoint URL is set.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4001")
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    monkeypatch.setenv("AWS_USE_DUALSTACK_ENDPOINT", "true")
    assert url_for({}, "us-east-1") == "http://127.0.0.1:4001"
    # The rules themselves refuse the combination.
    with pytest.raises(EndpointResolutionError, match="FIPS and custom endpoint"):
        evaluate(rules(), {"Region": "us-east-1", "UseFIPS": True, "Endpoint": "http://x"})
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    monkeypatch.delenv("AWS_USE_FIPS_ENDPOINT")
    (no_aws_env / "config").write_text("[default]\nservices = nowhere\n")
    with pytest.raises(ConfigError):
        url_for({}, "us-east-1")


def test_signing_scope_from_the_auth_scheme() -> None:
    ruleset = {
        "version": "1.0",
        "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region", "required": True}},
        "rules": [
            {
                "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                "type": "endpoint",
                "endpoint": {
                    "url": "https://svc.{P#dnsSuffix}/{{literal}}",
                    "properties": {
                        "authSchemes": [
                            {"name": "sigv4a", "signingName": "other"},
                            {
                                "name": "sigv4",
                                "signingName": "svc-signing",
                                "signingRegion": "{Region}-x",
                            },
                        ]
                    },
                    "headers": {},
                },
            }
        ],
    }
    own = EndpointRules(ruleset, rules().partitions)
    got = evaluate(own, {"Region": "eu-west-1"})
    assert got.url == "https://svc.amazonaws.com/{literal}"
    assert (got.signing_name, got.signing_region) == ("svc-signing", "eu-west-1-x")
    with pytest.raises(EndpointResolutionError):
        evaluate(own, {})


def test_vendored_copies_are_identical() -> None:
    """The R package's standalone copies equal the pinned model files and the pytest copy."""
    r_dir = PAWSCORE_R_TEST_DATA / "endpoints"
    model_dir = ROOT / "models" / "lambda" / "2015-03-31"
    ours = ENDPOINT_TESTS
    for name in ("lambda-endpoint-tests-1.json", "LICENSE.txt", "NOTICE"):
        assert (r_dir / name).read_bytes() == (ours / name).read_bytes()
    for name in ("endpoint-rule-set-1.json", "partitions.json"):
        assert (r_dir / name).read_bytes() == (model_dir / name).read_bytes()


@pytest.mark.parametrize(
    "bad",
    [
        {"use_fips_endpoint": "true"},
        {"use_dualstack_endpoint": 1},
        {"proxy": 3128},
        {"proxy": "127.0.0.1:3128"},
        {"proxy": {"ftp": "http://127.0.0.1:3128"}},
        {"ca_bundle": ""},
    ],
)
def test_new_config_keys_are_checked(bad: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        check_config(bad)


def test_network_settings_resolve_in_order(
    no_aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pawscore.config import resolve_config

    base = {"region": "us-east-1", "credentials": {"anonymous": True}}
    cfg = resolve_config({**base, "proxy": "http://127.0.0.1:3128"}, META)
    assert cfg.proxies == {"http": "http://127.0.0.1:3128", "https": "http://127.0.0.1:3128"}
    assert cfg.ca_bundle is None
    (no_aws_env / "config").write_text("[default]\nca_bundle = /from/profile.pem\n")
    assert resolve_config(base, META).ca_bundle == "/from/profile.pem"
    monkeypatch.setenv("AWS_CA_BUNDLE", "/from/env.pem")
    assert resolve_config(base, META).ca_bundle == "/from/env.pem"
    assert resolve_config({**base, "ca_bundle": "/given.pem"}, META).ca_bundle == "/given.pem"


def test_a_subclass_of_the_generated_client_keeps_the_rules(no_aws_env: Path) -> None:
    import pawslambda

    class MyClient(pawslambda.client().__class__):
        pass

    anonymous = {"region": "us-iso-east-1", "credentials": {"anonymous": True}}
    assert MyClient(anonymous).config.endpoint == "https://lambda.us-iso-east-1.c2s.ic.gov"
