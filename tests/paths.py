"""Where the tests find their data: the one place Python tests resolve folders.

Every path is inside the repository; no test reads outside it. AWS's conformance data
is vendored under ``tests/conformance/`` (see its README for provenance and licences).
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CONFORMANCE = REPO / "tests" / "conformance"
SIGV4_SUITE = CONFORMANCE / "sigv4"
PROTOCOLS = CONFORMANCE / "protocols"
ENDPOINT_TESTS = CONFORMANCE / "endpoints"
SEED_PAGE = CONFORMANCE / "seed" / "lambda_invoke_with_response_stream.txt"

FIXTURES = REPO / "tests" / "fixtures"
EVENTSTREAM_FIXTURES = FIXTURES / "eventstream"
TYPE_TRIPLES = FIXTURES / "types" / "type_triples.json"

R_PACKAGES = REPO / "r"
PAWSCORE_R = R_PACKAGES / "pawscore"
PAWSCORE_R_TESTTHAT = PAWSCORE_R / "tests" / "testthat"
# The data the R runtime's own tests read, synced from the folders above by
# scripts/sync_r_test_data.py so that `R CMD check` finds it inside the package.
PAWSCORE_R_TEST_DATA = PAWSCORE_R_TESTTHAT / "data"
