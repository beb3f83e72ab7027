"""Reading the shared event-stream fixtures and comparing decoded messages with them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from pawscore.eventstream import Message, UnreadableValue

from tests.paths import EVENTSTREAM_FIXTURES, REPO

ROOT = REPO
FIXTURES = EVENTSTREAM_FIXTURES
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Fixture:
    """One ``.bin`` stream and what decoding it must give."""

    name: str
    data: bytes
    expect: dict
    expect_r: dict

    def __str__(self) -> str:
        return self.name


def load_fixtures() -> list[Fixture]:
    """Every fixture, sorted by name."""
    out = []
    for path in sorted(FIXTURES.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        data = path.with_suffix(".bin").read_bytes()
        out.append(Fixture(path.stem, data, doc["expect"], doc.get("expect_r", doc["expect"])))
    return out


def python_value(kind: str, value: Any) -> object:
    """The Python decoder's value for a fixture header (type, JSON value)."""
    if kind == "bytes":
        return bytes.fromhex(value)
    if kind == "timestamp":
        return timestamp_value(value)
    if kind == "unreadable":
        return (value["type"], value["raw"])
    return value


def timestamp_value(millis: int) -> object:
    """A timestamp as a datetime, or ("timestamp-ms", millis) beyond datetime's range."""
    try:
        return EPOCH + timedelta(milliseconds=millis)
    except OverflowError:
        return ("timestamp-ms", millis)


def check_messages(messages: list[Message], expect: dict) -> None:
    """Assert that decoded messages equal a fixture's ``messages`` block exactly."""
    wanted = expect["messages"]
    assert len(messages) == len(wanted)
    for got, want in zip(messages, wanted, strict=True):
        assert list(got.headers) == [h["name"] for h in want["headers"]]
        for row in want["headers"]:
            value = got.headers[row["name"]]
            if isinstance(value, UnreadableValue):  # compared by wire type and bytes
                value = (value.type, value.raw.hex())
            assert value == python_value(row["type"], row["value"]), row["name"]
            assert type(value) is type(python_value(row["type"], row["value"])), row["name"]
        if "payload_hex" in want:
            assert got.payload == bytes.fromhex(want["payload_hex"])
        else:
            assert len(got.payload) == want["payload_length"]
            assert hashlib.sha256(got.payload).hexdigest() == want["payload_sha256"]
