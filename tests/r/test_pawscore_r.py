"""Run the R runtime's testthat suite (r/pawscore) from pytest, live tier included.

The package is the session's (tests/rlib.py installs the tree's R packages into a
private library first in R_LIBS). Its tests read only data shipped inside the
package (tests/testthat/data, kept fresh by tests/r/test_r_test_data.py) and replay
recorded responses, so `R CMD check` runs them without Python (`make check-r`). Here
they run once more with a pawslocal emulator serving examples/functions.py plus
faulty functions, which un-skips the live tier (test-client-live.R). A test fails
when any R expectation fails, errors or skips; R's output is shown then.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.sync_r_test_data import EMULATOR_CONFIG
from tests.paths import PAWSCORE_R_TESTTHAT, REPO

TEST_FILES = sorted(p.name for p in PAWSCORE_R_TESTTHAT.glob("test-*.R"))


def _run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A pawslocal emulator serving examples/functions.py plus faulty functions."""
    import pawslocal

    with pawslocal.serve(
        functions=str(REPO / "examples" / "functions.py"), config=EMULATOR_CONFIG
    ) as url:
        yield url


def _summary(output: str) -> dict[str, int] | None:
    match = re.search(r"PAWS_R_RESULT failed=(\d+) errors=(\d+) skipped=(\d+) passed=(\d+)", output)
    if not match:
        return None
    keys = ("failed", "errors", "skipped", "passed")
    return dict(zip(keys, (int(g) for g in match.groups()), strict=True))


RUNNER = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(testthat))
res <- testthat::test_dir(
  args[1], filter = args[2], package = "pawscore", load_package = "installed",
  reporter = testthat::ProgressReporter$new(show_praise = FALSE),
  stop_on_failure = FALSE, stop_on_warning = FALSE
)
df <- as.data.frame(res)
cat(sprintf("\nPAWS_R_RESULT failed=%d errors=%d skipped=%d passed=%d\n",
  sum(df$failed), sum(df$error), sum(df$skipped), sum(df$passed)))
"""


@pytest.mark.parametrize("test_file", TEST_FILES)
def test_testthat_file(test_file: str, r_lib: Path, endpoint: str, tmp_path: Path) -> None:
    """One testthat file passes in full, nothing skipped, against the emulator."""
    stem = test_file.removeprefix("test-").removesuffix(".R")
    env = {
        **os.environ,
        "PAWS_TEST_ENDPOINT": endpoint,
        # Keep the developer's own AWS settings out of the R tests.
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_LAMBDA",
    ):
        env.pop(var, None)
    proc = _run(
        ["Rscript", "-e", RUNNER, str(PAWSCORE_R_TESTTHAT), f"^{re.escape(stem)}$"],
        env=env,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    summary = _summary(output)
    assert proc.returncode == 0 and summary is not None, f"Rscript failed:\n{output}"
    assert summary["failed"] == 0 and summary["errors"] == 0, f"R tests failed:\n{output}"
    assert summary["passed"] > 0, f"no R expectation ran:\n{output}"
    assert summary["skipped"] == 0, f"R tests skipped with a server present:\n{output}"
