"""Runs the R client's testthat suite (tests/e2e/testthat) against the emulator."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pawslocal

from .conftest import Emulator

TESTTHAT_DIR = Path(__file__).with_name("testthat")

# Runs every test file, then fails unless all expectations passed and none was skipped.
R_RUNNER = r"""
res <- as.data.frame(testthat::test_dir(commandArgs(TRUE)[1], reporter = "summary",
                                        stop_on_failure = FALSE))
cat(sprintf("\nR: %d tests, %d failed, %d errors, %d skipped\n",
            nrow(res), sum(res$failed), sum(res$error), sum(res$skipped)))
quit(status = if (nrow(res) == 0 || sum(res$failed) > 0 || any(res$error) ||
                  sum(res$skipped) > 0) 1 else 0)
"""


def test_r_client_testthat_suite(emulator: Emulator) -> None:
    creds = pawslocal.DEFAULT_CREDENTIALS
    env = dict(
        os.environ,
        PAWS_TEST_ENDPOINT=emulator.url,
        PAWS_TEST_ACCESS_LOG=str(emulator.log_path),
        PAWS_TEST_ACCESS_KEY_ID=creds.access_key_id,
        PAWS_TEST_SECRET_ACCESS_KEY=creds.secret_access_key,
    )
    proc = subprocess.run(
        ["Rscript", "-e", R_RUNNER, str(TESTTHAT_DIR)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 failed, 0 errors, 0 skipped" in proc.stdout
