"""Differential fuzz: the same damaged bytes give the same outcome in Python and R.

30,000 seeded mutations of valid Lambda response streams (tests/hostile/es_fuzz.py),
each cut into pieces of random sizes, go through the Python client's event layer and
through the R client's response sink (all cases in one Rscript run, started first
so that it works while Python does).  Python runs every case twice: with its C
accelerator (``pawscore._native``) and in pure Python; both must agree with R.  The events delivered and the typed error that
ends each stream must be identical: 0 disagreements.  boto3 is the reference for
the streams we accept: on those, botocore's EventStream must deliver the same events.

Runs in about 20 s on two cores (most of it R); the count and seed are fixed, so a
failure reproduces exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.native import KINDS, python_decoder

from .es_fuzz import make_cases
from .es_harness import Case, Outcome, botocore_outcome, python_outcome, r_library, r_outcomes

SEED = 20261201
COUNT = 30_000
TYPED = {
    "ChecksumMismatch",
    "InvalidFrame",
    "InvalidHeaderType",
    "TruncatedStream",
    "ResponseParseError",
    "ServiceError",
}


Fuzz = tuple[list[Case], dict[str, list[Outcome]], list[Outcome]]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Fuzz:
    """The cases, their Python outcomes (by decoder kind), and their R outcomes."""
    cases = make_cases(SEED, COUNT)
    workdir = tmp_path_factory.mktemp("es-fuzz")
    python: dict[str, list[Outcome]] = {}
    with ThreadPoolExecutor(max_workers=1) as pool:
        r_future = pool.submit(r_outcomes, r_library(), cases, workdir)
        for kind in KINDS:
            with python_decoder(kind):
                python[kind] = [python_outcome(case) for case in cases]
        r = r_future.result()
    return cases, python, r


@pytest.fixture(params=KINDS)
def fuzz(
    request: pytest.FixtureRequest, outcomes: Fuzz
) -> tuple[list[Case], list[Outcome], list[Outcome]]:
    """The cases, the Python outcomes of one decoder kind, and the R outcomes."""
    cases, python, r = outcomes
    return cases, python[request.param], r


def _report(
    cases: list[Case],
    python: list[Outcome],
    other: Sequence[Outcome] | Mapping[int, Outcome],
    bad: list[int],
) -> str:
    lines = [f"{len(bad)} of {len(cases)} cases disagree; the first few:"]
    for i in bad[:5]:
        lines.append(f"case {i}: pieces {[p.hex() for p in cases[i]]}"[:2000])
        lines.append(f"  Python: {json.dumps(python[i])[:1000]}")
        lines.append(f"  other:  {json.dumps(other[i])[:1000]}")
    return "\n".join(lines)


def test_python_and_r_agree_on_every_mutated_stream(
    fuzz: tuple[list[Case], list[Outcome], list[Outcome]],
) -> None:
    cases, python, r = fuzz
    assert len(cases) == len(python) == len(r) == COUNT
    bad = [i for i in range(COUNT) if python[i] != r[i]]
    assert not bad, _report(cases, python, r, bad)


def test_every_outcome_is_typed_and_every_kind_is_reached(
    fuzz: tuple[list[Case], list[Outcome], list[Outcome]],
) -> None:
    _, python, _ = fuzz
    kinds = Counter((o["error"] or ["none"])[0] for o in python)
    assert set(kinds) == TYPED | {"none"}, kinds
    # Each kind is common enough that a change in its handling shows.
    assert min(kinds.values()) > 500, kinds
    assert sum(1 for o in python if o["events"]) > COUNT // 3


def test_boto3_delivers_the_same_events_on_the_streams_we_accept(
    fuzz: tuple[list[Case], list[Outcome], list[Outcome]],
) -> None:
    cases, python, _ = fuzz
    accepted = [i for i in range(COUNT) if python[i]["error"] is None]
    assert len(accepted) > COUNT // 5
    bad = [i for i in accepted if botocore_outcome(cases[i]) != python[i]]
    assert not bad, _report(cases, python, {i: botocore_outcome(cases[i]) for i in bad[:5]}, bad)


def test_the_cases_are_the_same_for_a_seed() -> None:
    assert make_cases(SEED, 50) == make_cases(SEED, 50)
    assert make_cases(SEED, 50) != make_cases(SEED + 1, 50)
