"""R's rules engine against botocore's, on every rule set botocore ships.

For each service's endpoint rule set in the installed botocore, a grid of the standard
parameters (partitions, FIPS, dual-stack, a custom endpoint, no region) is resolved by
botocore's EndpointProvider; R's engine must give the same URL and signing region and
name, or an error where botocore gives one (with the same message, unless botocore's
names Python types or it fails inside its evaluator).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import botocore.loaders
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError

from .netservers import scratch_env

REGIONS = [
    "us-east-1",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eusc-de-east-1",
    "aws-global",
    None,
]
COMBOS: list[dict[str, Any]] = [
    {"Region": region, "UseFIPS": fips, "UseDualStack": dualstack}
    for region in REGIONS
    for fips in (False, True)
    for dualstack in (False, True)
] + [{"Region": "us-east-1", "Endpoint": "https://example.com/a/"}]

_PYTHON_TYPE_CHECKS = ("Both values must be", "Both arguments must be", "Input must be")

_R = """
parts <- jsonlite::fromJSON(Sys.getenv("PAWS_PARTITIONS"), simplifyVector = FALSE)
all <- jsonlite::fromJSON(Sys.getenv("PAWS_CASES"), simplifyVector = FALSE)
scope <- function(props) {
  scheme <- pawscore:::sigv4_scheme(props)
  list(scheme$signingRegion, scheme$signingName)
}
bad <- character()
n <- 0L
for (svc in all) {
  rules <- pawscore:::endpoint_rules(svc$ruleset, parts)
  for (case in svc$cases) {
    n <- n + 1L
    got <- tryCatch(pawscore:::evaluate_endpoint_rules(rules, case$params), error = function(e) e)
    ok <- if (!is.null(case$error)) {
      inherits(got, "paws_endpoint_error") &&
        (is.null(case$message) || identical(conditionMessage(got), case$message))
    } else {
      !inherits(got, "condition") && identical(got$url, case$url) &&
        identical(scope(got$properties), scope(case$properties))
    }
    if (!ok) bad <- c(bad, paste(svc$service, jsonlite::toJSON(case$params, auto_unbox = TRUE)))
  }
}
cat(jsonlite::toJSON(list(cases = n, bad = as.list(bad)), auto_unbox = TRUE))
"""


def _cases(loader: botocore.loaders.Loader, partitions: dict) -> list[dict[str, Any]]:
    out = []
    for service in loader.list_available_services("endpoint-rule-set-1"):
        ruleset = loader.load_service_model(service, "endpoint-rule-set-1")
        provider = EndpointProvider(ruleset, partitions)
        cases = []
        for combo in COMBOS:
            params = {
                k: v for k, v in combo.items() if v is not None and k in ruleset["parameters"]
            }
            case: dict[str, Any] = {"params": params}
            try:
                found = provider.resolve_endpoint(**params)
                case.update(url=found.url, properties=found.properties)
            except EndpointResolutionError as exc:
                message = exc.kwargs.get("msg")
                # The text of a type check in botocore's library names Python types.
                if message and message.startswith(_PYTHON_TYPE_CHECKS):
                    message = None
                case.update(error=True, message=message)
            except (KeyError, TypeError, ValueError):
                case.update(error=True)  # botocore fails inside its evaluator
            cases.append(case)
        out.append({"service": service, "ruleset": ruleset, "cases": cases})
    return out


def test_r_engine_equals_botocore_on_every_rule_set(tmp_path: Path) -> None:
    loader = botocore.loaders.Loader()
    partitions = loader.load_data("partitions")
    services = _cases(loader, partitions)
    assert len(services) > 300
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(services))
    parts_file = tmp_path / "partitions.json"
    parts_file.write_text(json.dumps(partitions))
    env = scratch_env(tmp_path, {"PAWS_CASES": str(cases_file), "PAWS_PARTITIONS": str(parts_file)})
    done = subprocess.run(
        ["Rscript", "-e", _R], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["cases"] == len(services) * len(COMBOS)
    assert result["bad"] == []
