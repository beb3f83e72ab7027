"""Which proxy a URL goes through: Python's proxy_for == R's proxy_for == botocore's choice.

The same table of environments and URLs is decided by pawscore in both languages and
by botocore (``botocore.utils.get_environ_proxies``, what its endpoints use), each in
a fresh process so that only the table's variables are set.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .netservers import scratch_env

P = "http://127.0.0.1:3128"
CASES = [
    ({"HTTPS_PROXY": P}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTPS_PROXY": P}, "http://127.0.0.1:9001"),
    ({"HTTP_PROXY": P}, "http://127.0.0.1:9001"),
    ({"http_proxy": P, "HTTP_PROXY": "http://127.0.0.1:1"}, "http://127.0.0.1:9001"),
    ({"HTTPS_PROXY": "127.0.0.1:3128"}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTPS_PROXY": P, "NO_PROXY": "amazonaws.com"}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTPS_PROXY": P, "NO_PROXY": ".amazonaws.com"}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTPS_PROXY": P, "no_proxy": "example.com, *"}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTPS_PROXY": P, "NO_PROXY": "*"}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTPS_PROXY": P, "NO_PROXY": "zonaws.com"}, "https://lambda.us-east-1.amazonaws.com"),
    ({"HTTP_PROXY": P, "NO_PROXY": "127.0.0.1"}, "http://127.0.0.1:9001"),
    ({"HTTP_PROXY": P, "NO_PROXY": "127.0.0.1:9001"}, "http://127.0.0.1:9001"),
    ({"HTTP_PROXY": P, "NO_PROXY": "localhost"}, "http://127.0.0.1:9001"),
]

_PY = """
import json, os, sys
import botocore.utils
from pawscore.http import proxy_for
url = os.environ["PAWS_URL"]
scheme = url.split(":", 1)[0]
boto = botocore.utils.get_environ_proxies(url).get(scheme)
if boto and "://" not in boto:
    boto = "http://" + boto
print(json.dumps({"python": proxy_for(url), "botocore": boto}))
"""

_R = """
cat(jsonlite::toJSON(list(r = pawscore:::proxy_for(Sys.getenv("PAWS_URL"))), null = "null",
  auto_unbox = TRUE))
"""


def test_proxy_choice_is_the_same_everywhere(tmp_path: Path) -> None:
    outcomes = set()
    for env, url in CASES:
        process_env = scratch_env(tmp_path, {**env, "PAWS_URL": url})
        py = subprocess.run(
            [sys.executable, "-c", _PY], env=process_env, capture_output=True, text=True, check=True
        )
        r = subprocess.run(
            ["Rscript", "-e", _R], env=process_env, capture_output=True, text=True, check=True
        )
        got = json.loads(py.stdout)
        got.update(json.loads(r.stdout))
        assert got["python"] == got["botocore"] == got["r"], (env, url, got)
        outcomes.add(got["r"])
    # The table has rows that go through the proxy and rows that go direct.
    assert outcomes == {P, None}
