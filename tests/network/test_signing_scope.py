"""The signing region and service come from the endpoint's sigv4 auth scheme, on the wire.

A rule set whose endpoint names its own signing region and name is put in place of
Lambda's in each language; the request the server receives is signed for that scope
in both.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .netservers import NOT_FOUND, ROOT, Server, call_config, read_request, scratch_env

RULESET = {
    "version": "1.0",
    "parameters": {
        "Region": {"type": "string", "builtIn": "AWS::Region", "required": False},
        "UseFIPS": {
            "type": "boolean",
            "builtIn": "AWS::UseFIPS",
            "required": True,
            "default": False,
        },
        "UseDualStack": {
            "type": "boolean",
            "builtIn": "AWS::UseDualStack",
            "required": True,
            "default": False,
        },
        "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint", "required": False},
    },
    "rules": [
        {
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "type": "endpoint",
            "endpoint": {
                "url": "{Endpoint}/scoped",
                "properties": {
                    "authSchemes": [
                        {
                            "name": "sigv4",
                            "signingName": "custom-svc",
                            "signingRegion": "eu-south-2",
                        }
                    ]
                },
                "headers": {},
            },
        }
    ],
}

_PY = """
import json, os
import pawscore.client
import pawslambda
from pawscore.endpoints import EndpointRules
rules = EndpointRules(json.loads(open(os.environ["PAWS_RULES"]).read()),
                      json.loads(open(os.environ["PAWS_PARTITIONS"]).read()))
pawscore.client.package_rules = lambda package: rules
try:
    pawslambda.client(json.loads(os.environ["PAWS_TEST_CONFIG"])).get_account_settings()
except Exception as exc:
    print(type(exc).__name__)
"""

_R = """
rules <- pawscore:::endpoint_rules(
  jsonlite::fromJSON(Sys.getenv("PAWS_RULES"), simplifyVector = FALSE),
  jsonlite::fromJSON(Sys.getenv("PAWS_PARTITIONS"), simplifyVector = FALSE)
)
assign("pawslambda", rules, envir = pawscore:::endpoint_cache)
config <- jsonlite::fromJSON(Sys.getenv("PAWS_TEST_CONFIG"), simplifyVector = TRUE)
tryCatch(pawslambda::lambda(config = config)$get_account_settings(),
  error = function(e) cat(class(e)[1]))
"""


def recorder(conn: socket.socket, server: Server) -> None:
    head = read_request(conn).decode("latin-1")
    server.seen.append(head)
    conn.sendall(NOT_FOUND)


@pytest.fixture
def capture() -> Iterator[Server]:
    server = Server(recorder)
    yield server
    server.close()


def test_request_is_signed_for_the_auth_scheme_scope(tmp_path: Path, capture: Server) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULESET))
    env = scratch_env(
        tmp_path,
        {
            "PAWS_RULES": str(rules),
            "PAWS_PARTITIONS": str(ROOT / "models" / "lambda" / "2015-03-31" / "partitions.json"),
            "PAWS_TEST_CONFIG": json.dumps(call_config(region="us-east-1", endpoint=capture.url)),
        },
    )
    for command in ([sys.executable, "-c", _PY], ["Rscript", "-e", _R]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == "ResourceNotFoundException", done.stderr
    assert len(capture.seen) == 2
    for head in capture.seen:
        request_line, *lines = head.split("\r\n")
        assert request_line.startswith("GET /scoped/2016-08-19/account-settings")
        auth = next(line for line in lines if line.lower().startswith("authorization:"))
        scope = auth.split("Credential=")[1].split(",")[0].split("/")
        assert scope[2:4] == ["eu-south-2", "custom-svc"]
