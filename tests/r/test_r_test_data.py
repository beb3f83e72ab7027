"""The data shipped in the R package's tests is what its sources give today.

r/pawscore/tests/testthat/data is written by scripts/sync_r_test_data.py from the
repository's single sources (tests/conformance, tests/fixtures, the model through
codegen, botocore's signer). These tests fail when it is stale; the fix is to run
``python3 scripts/sync_r_test_data.py`` (``make generate`` does).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from pawscore.errors import EventStreamError, TruncatedStream
from pawscore.eventstream import EventStreamDecoder

from scripts import sync_r_test_data as sync
from tests.paths import PAWSCORE_R_TEST_DATA, REPO

RECORDED = PAWSCORE_R_TEST_DATA / "recorded.json"
# Headers whose values change from one response to the next.
VOLATILE = {"x-amzn-requestid", "date"}


def test_derived_files_are_fresh() -> None:
    stale = sync.stale_files()
    assert not stale, f"stale R test data {stale}: run python3 scripts/sync_r_test_data.py"


def test_stale_files_names_a_changed_file(tmp_path: Path) -> None:
    sync.write_derived(tmp_path)
    assert sync.stale_files(tmp_path) == []
    (tmp_path / "types" / "type_triples.json").write_text("{}")
    (tmp_path / "extra.json").write_text("{}")
    assert sync.stale_files(tmp_path) == ["extra.json", "types/type_triples.json"]


def _outline(recording: dict[str, Any]) -> dict[str, Any]:
    """What must not drift: status, header names and stable values, events, failure."""
    lines = recording["headers"].split("\r\n")
    headers = sorted(
        (name.strip().lower(), "" if name.strip().lower() in VOLATILE else value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    )
    body = base64.b64decode(recording["body"])
    events: list[Any] = []
    if "application/vnd.amazon.eventstream" in recording["headers"]:
        decoder = EventStreamDecoder()
        try:
            for part in (body[:5], body[5:]):  # a deferred error surfaces on the next call
                for message in decoder.feed(part):
                    events.append(
                        [message.headers.get(":message-type"), message.headers.get(":event-type")]
                    )
            decoder.finish()
        except EventStreamError as e:  # a recorded fault: its kind is part of the outline
            events.append(type(e).__name__)
    else:
        events.append(body if b"RequestId" not in body else len(body))
    return {
        "status": recording["status"],
        "headers": headers,
        "events": events,
        "failure": recording["failure"],
    }


def test_recordings_cover_every_request() -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert set(recorded) == set(sync.RECORDINGS)


def test_recordings_match_the_emulator_today() -> None:
    """Re-record from a fresh emulator: the same outline as the committed recordings.

    On a failure after a deliberate emulator change, re-record with
    ``python3 scripts/sync_r_test_data.py --record``.
    """
    committed = json.loads(RECORDED.read_text(encoding="utf-8"))
    fresh = sync.record_from_fresh_emulator()
    for name in sync.RECORDINGS:
        assert _outline(fresh[name]) == _outline(committed[name]), name


@pytest.mark.parametrize(
    ("name", "complete"), [("stream_cut", False), ("stream_truncate", False), ("stream_n3", True)]
)
def test_recordings_keep_chunked_bodies_as_sent(name: str, complete: bool) -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))[name]
    decoder = EventStreamDecoder()
    messages = decoder.feed(base64.b64decode(recorded["body"]))
    assert [m.headers[":event-type"] for m in messages[:2]] == ["PayloadChunk"] * 2
    if complete:
        decoder.finish()
        assert messages[-1].headers[":event-type"] == "InvokeComplete"
    else:
        with pytest.raises(TruncatedStream):
            decoder.finish()
    # Only a connection that broke mid-body carries curl's failure message.
    assert (recorded["failure"] is not None) == (name == "stream_cut")


def test_the_script_runs_from_any_folder(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "sync_r_test_data.py"), "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
