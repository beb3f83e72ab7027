"""Test support: the Lambda API data, a small client, and a real streaming server.

The server is a plain ``http.server`` on 127.0.0.1 that answers each request from a
plan (a list of response scripts). Scripts send real event-stream frames built with
``pawscore.eventstream.encode_message``, flushed one by one, and can cut the
connection in the middle of a frame.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pawscore import Client, ServiceError
from pawscore.eventstream import encode_message

from codegen.apidata import build_api_data, error_code
from tests.paths import REPO

ROOT = REPO
MODEL = ROOT / "models" / "lambda" / "2015-03-31" / "service-2.json"
OPERATIONS = ["InvokeWithResponseStream", "Invoke", "GetFunction", "ListFunctions"]

API = build_api_data(json.loads(MODEL.read_text(encoding="utf-8")), OPERATIONS)
ERRORS: dict[str, type[ServiceError]] = {
    error_code(name, shape): type(name, (ServiceError,), {})
    for name, shape in API["shapes"].items()
    if shape.get("exception")
}

ACCESS_KEY = "AKIDTESTTEST"
SECRET_KEY = "test-secret-key-do-not-print"
SESSION_TOKEN = "test-session-token-do-not-print"


class LambdaTestClient(Client):
    """The smallest generated-style client: API data and error classes only."""

    _api = API
    _errors = ERRORS


def client_config(url: str, **extra: Any) -> dict[str, Any]:
    """A config pointing at ``url`` with explicit test credentials."""
    return {
        "region": "us-east-1",
        "endpoint": url,
        "credentials": {
            "creds": {
                "access_key_id": ACCESS_KEY,
                "secret_access_key": SECRET_KEY,
                "session_token": SESSION_TOKEN,
            }
        },
        **extra,
    }


# ----------------------------------------------------------------- event frames


def chunk_frame(payload: bytes) -> bytes:
    """A PayloadChunk event frame."""
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": "PayloadChunk",
            ":content-type": "application/octet-stream",
        },
        payload,
    )


def complete_frame(**members: str) -> bytes:
    """An InvokeComplete event frame with the given members."""
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": "InvokeComplete",
            ":content-type": "application/json",
        },
        json.dumps(members).encode(),
    )


def exception_frame(code: str, message: str) -> bytes:
    """An exception message frame."""
    return encode_message(
        {
            ":message-type": "exception",
            ":exception-type": code,
            ":content-type": "application/json",
        },
        json.dumps({"message": message}).encode(),
    )


# ----------------------------------------------------------------- the server


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int = 0


Script = Callable[["Handler"], None]


@dataclass
class StreamServer:
    """Answers requests from ``plan`` in order; records what it received."""

    url: str = ""
    plan: list[Script] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_script(self) -> Script:
        with self.lock:
            if not self.plan:
                return error_script(599, "NoPlan", "the test planned no more responses")
            return self.plan.pop(0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: StreamServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state = self.server.state  # type: ignore[attr-defined]
        state.seen.append(
            Seen(self.command, self.path, dict(self.headers.items()), body, self.client_address[1])
        )
        try:
            state.next_script()(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up first (tests of close())

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    # helpers for scripts
    def start_chunked(self, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.amazon.eventstream")
        self.send_header("X-Amz-Executed-Version", "$LATEST")
        self.send_header("x-amzn-RequestId", "req-1")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def end_chunks(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def cut(self) -> None:
        """Drop the connection without finishing the response."""
        self.wfile.flush()
        self.close_connection = True


def events_script(
    frames: list[bytes],
    *,
    cut_inside_frame: int | None = None,
    gate: threading.Event | None = None,
    state: StreamServer | None = None,
) -> Script:
    """200 with the frames, one chunk each; optionally cut frame N halfway.

    With ``gate``, wait for it before each frame after the first and note whether it
    was set (the test's callback sets it), so the test can check the callback ran
    before the next bytes were sent.
    """

    def script(h: Handler) -> None:
        h.start_chunked()
        for i, frame in enumerate(frames):
            if gate is not None and i > 0:
                ok = gate.wait(timeout=10)
                if state is not None:
                    state.notes.append(("gate", i, ok))
                gate.clear()
            if cut_inside_frame == i:
                h.send_chunk(frame[: len(frame) // 2])
                h.cut()
                return
            h.send_chunk(frame)
        h.end_chunks()

    return script


def error_script(
    status: int, code: str, message: str, *, header: bool = True, extra: dict | None = None
) -> Script:
    """A JSON error response, code in x-amzn-ErrorType (or only in the body)."""

    def script(h: Handler) -> None:
        doc = {"message": message, **(extra or {})}
        if not header:
            doc["__type"] = code
        body = json.dumps(doc).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("x-amzn-RequestId", "req-err")
        if header:
            h.send_header("x-amzn-ErrorType", f"{code}:http://internal.amazon.com/")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return script


def raw_script(
    status: int, body: bytes, headers: dict[str, str] | None = None, *, declared: int | None = None
) -> Script:
    """A response with a Content-Length body; ``declared`` can claim more than is sent."""

    def script(h: Handler) -> None:
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(declared if declared is not None else len(body)))
        h.end_headers()
        h.wfile.write(body)
        if declared is not None and declared != len(body):
            h.cut()

    return script


@pytest.fixture
def server() -> Iterator[StreamServer]:
    """A fresh streaming server on 127.0.0.1 for one test."""
    state = StreamServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.state = state  # type: ignore[attr-defined]
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def no_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Isolate from the machine's AWS settings: empty config files, no AWS_* variables."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    config = tmp_path / "config"
    creds = tmp_path / "credentials"
    config.write_text("")
    creds.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path
