"""The botocore sweep (``bench/codegen_sweep.py``, run in full by ``make bench``) on a
few services, one of each protocol: supported ones generate, import, parse and install
(EC2 too: its 765 operations); rest-xml is refused by name. The full run's counts are
in bench/results/."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from codegen_helpers import REPO

# botocore service -> the protocol it speaks (json variants by version)
SERVICES = {
    "lambda": "rest-json",
    "dynamodb": "json 1.0",
    "acm": "json 1.1",
    "sts": "query",
    "s3": "rest-xml",
    "ec2": "ec2",
}


def test_sweep_generates_supported_and_refuses_the_rest_by_name() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "python")])}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench/codegen_sweep.py"),
         "--only", ",".join(SERVICES), "--install", "4"],
        capture_output=True, text=True, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)
    assert summary["failures"] == []
    assert summary["per_protocol"] == {
        "rest-json": {"generated": 1},
        "json": {"generated": 2},
        "query": {"generated": 1},
        "rest-xml": {"refused": 1},
        "ec2": {"generated": 1},
    }
    # The R install sample holds every protocol variant the runtimes speak.
    assert summary["r_install_sample"] == {
        "pawslambda": "rest-json",
        "pawsdynamodb": "json 1.0",
        "pawsacm": "json 1.1",
        "pawssts": "query",
        "pawsec2": "ec2",
    }
    assert summary["r_packages_installed"] == 5
    assert summary["r_files_parsed"] > 0
