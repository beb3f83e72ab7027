"""Endpoint settings, three ways: botocore == pawslambda (Python) == pawslambda (R).

For each row (environment variables, a shared config file, the client config) the
three clients are asked, in fresh processes with a scratch HOME, where they would send
a Lambda call and for which region and service they would sign it. botocore is asked by a real
call stopped just before sending (its URL and the region in its Authorization header);
pawscore in each language by its resolved config. All three agree, or all three fail
with a configuration error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .netservers import ACCESS_KEY, SECRET_KEY, scratch_env

SERVICES = "[services local]\nlambda =\n  endpoint_url = http://127.0.0.1:4003\n"

# id, environment, config file, client config (region etc.)
ROWS: list[tuple[str, dict[str, str], str, dict[str, Any]]] = [
    ("default", {}, "", {"region": "us-west-2"}),
    ("env-region", {"AWS_DEFAULT_REGION": "eu-central-1"}, "", {}),
    ("profile-region", {}, "[default]\nregion = ap-south-1\n", {}),
    ("env-fips", {"AWS_USE_FIPS_ENDPOINT": "true"}, "", {"region": "us-east-1"}),
    ("env-dualstack", {"AWS_USE_DUALSTACK_ENDPOINT": "true"}, "", {"region": "eu-west-1"}),
    (
        "profile-fips-dualstack",
        {},
        "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n",
        {"region": "us-east-2"},
    ),
    ("fips-not-true", {"AWS_USE_FIPS_ENDPOINT": "yes"}, "", {"region": "us-east-1"}),
    ("gov-fips", {"AWS_USE_FIPS_ENDPOINT": "true"}, "", {"region": "us-gov-west-1"}),
    ("china", {}, "", {"region": "cn-northwest-1"}),
    ("china-dualstack", {"AWS_USE_DUALSTACK_ENDPOINT": "true"}, "", {"region": "cn-north-1"}),
    ("iso", {}, "", {"region": "us-iso-east-1"}),
    ("isob", {}, "", {"region": "us-isob-east-1"}),
    ("eusc", {}, "", {"region": "eusc-de-east-1"}),
    ("unknown-region", {}, "", {"region": "xx-moon-1"}),
    ("env-endpoint-service", {"AWS_ENDPOINT_URL_LAMBDA": "http://127.0.0.1:4001"}, "", {}),
    ("env-endpoint-global", {"AWS_ENDPOINT_URL": "http://127.0.0.1:4002"}, "", {}),
    ("profile-endpoint", {}, "[default]\nendpoint_url = http://127.0.0.1:4004\n", {}),
    ("services-section", {}, "[default]\nservices = local\n" + SERVICES, {}),
    (
        "env-beats-services",
        {"AWS_ENDPOINT_URL": "http://127.0.0.1:4002"},
        "[default]\nservices = local\n" + SERVICES,
        {},
    ),
    (
        "ignore-configured",
        {
            "AWS_ENDPOINT_URL": "http://127.0.0.1:4002",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        },
        "[default]\nservices = local\n" + SERVICES,
        {},
    ),
    (
        "ignore-in-profile",
        {},
        "[default]\nendpoint_url = http://127.0.0.1:4004\nignore_configured_endpoint_urls = true\n",
        {},
    ),
    (
        "named-profile",
        {"AWS_PROFILE": "work"},
        "[default]\nregion = us-east-1\n[profile work]\nregion = sa-east-1\n"
        "use_dualstack_endpoint = true\n",
        {},
    ),
    (
        "fips-with-endpoint",
        {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:4002"},
        "",
        {},
    ),
    ("missing-services-section", {}, "[default]\nservices = nowhere\n", {}),
    ("invalid-region", {}, "", {"region": "us-east-1.evil.example/"}),
    (
        "dualstack-with-profile-endpoint",
        {},
        "[default]\nuse_dualstack_endpoint = true\nendpoint_url = http://127.0.0.1:4004\n",
        {},
    ),
]

_BOTOCORE = """
import json, os, sys
import botocore.exceptions
import botocore.session
row = json.loads(os.environ["PAWS_ROW"])
class Stop(Exception):
    pass
def capture(request, **kwargs):
    scope = request.headers["Authorization"].decode().split("Credential=")[1].split(",")[0]
    url = request.url.rsplit("/2016-08-19/account-settings", 1)[0]
    parts = scope.split("/")
    raise Stop(json.dumps({"url": url, "region": parts[2], "service": parts[3]}))
out = {}
try:
    session = botocore.session.get_session()
    client = session.create_client(
        "lambda", region_name=row.get("region"),
        aws_access_key_id=row["key"], aws_secret_access_key=row["secret"])
    client.meta.events.register("before-send", capture)
    client.get_account_settings()
except Stop as stop:
    out = json.loads(str(stop))
except (botocore.exceptions.InvalidConfigError, botocore.exceptions.InvalidRegionError):
    out = {"error": "ConfigError"}
except Exception as exc:
    out = {"error": type(exc).__name__}
print(json.dumps(out))
"""

_PAWS_PY = """
import json, os
import pawslambda
from pawscore import ConfigError, EndpointResolutionError
row = json.loads(os.environ["PAWS_ROW"])
config = {"credentials": {"creds": {"access_key_id": row["key"], "secret_access_key": row["secret"]}}}
if row.get("region"):
    config["region"] = row["region"]
try:
    cfg = pawslambda.client(config).config
    service = cfg.signing_name or pawslambda.client()._api["metadata"]["signing_name"]
    out = {"url": cfg.endpoint, "region": cfg.signing_region or cfg.region, "service": service}
except EndpointResolutionError:
    out = {"error": "EndpointResolutionError"}
except ConfigError:
    out = {"error": "ConfigError"}
print(json.dumps(out))
"""

_PAWS_R = """
row <- jsonlite::fromJSON(Sys.getenv("PAWS_ROW"))
config <- list(credentials = list(creds = list(
  access_key_id = row$key, secret_access_key = row$secret
)))
if (!is.null(row$region)) config$region <- row$region
out <- tryCatch(
  {
    cfg <- pawscore:::resolve_config(
      config, pawslambda:::.lambda_api$metadata, pawscore:::package_endpoint_rules("pawslambda")
    )
    list(
      url = cfg$endpoint, region = cfg$signing_region %||% cfg$region,
      service = cfg$signing_name %||% pawslambda:::.lambda_api$metadata$signing_name
    )
  },
  paws_endpoint_error = function(e) list(error = "EndpointResolutionError"),
  paws_config_error = function(e) list(error = "ConfigError")
)
cat(jsonlite::toJSON(out, auto_unbox = TRUE))
"""


def _run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "config_file", "config"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_three_clients_agree(
    tmp_path: Path, env: dict[str, str], config_file: str, config: dict[str, Any]
) -> None:
    needs_region = not config.get("region") and "region" not in config_file
    base = {"AWS_DEFAULT_REGION": "us-east-1"} if needs_region else {}
    process_env = scratch_env(tmp_path, {**base, **env})
    (tmp_path / ".aws" / "config").write_text(config_file)
    row = {"key": ACCESS_KEY, "secret": SECRET_KEY, **config}
    process_env["PAWS_ROW"] = json.dumps(row)
    botocore_out = _run([sys.executable, "-c", _BOTOCORE], process_env)
    python_out = _run([sys.executable, "-c", _PAWS_PY], process_env)
    r_out = _run(
        ["Rscript", "-e", "`%||%` <- function(x, y) if (is.null(x)) y else x\n" + _PAWS_R],
        process_env,
    )
    assert "url" in botocore_out or botocore_out == {"error": "ConfigError"}
    assert python_out == botocore_out
    assert r_out == botocore_out


def test_rows_cover_errors_and_every_partition() -> None:
    ids = {r[0] for r in ROWS}
    assert {"fips-with-endpoint", "china", "iso", "isob", "eusc", "gov-fips"} <= ids
    assert {"missing-services-section", "invalid-region"} <= ids
    assert len(ROWS) >= 20
