"""A raw TCP server on 127.0.0.1 that keeps every byte it receives, for the hostile tests.

``http.server`` parses what it reads, so a request split in two by an injected line
break would look like two tidy requests; this server keeps the bytes as they came,
per connection, and answers each request it can frame (head + Content-Length body)
with a fixed reply. Tests then assert that nothing arrived, or exactly what was signed.

``drip`` replies one byte at a time with a pause between bytes: a server that holds a
client without ever going silent long enough for a read timeout.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

OK_JSON = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


@dataclass
class Request:
    """One request framed out of a connection's bytes."""

    method: str
    target: str
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> bytes | None:
        """The raw bytes of the first header called ``name`` (any case), if any."""
        want = name.lower().encode()
        return next((v for k, v in self.headers if k.lower() == want), None)


@dataclass
class WireServer:
    """What reached the server: the raw bytes of each connection, in order."""

    url: str = ""
    reply: bytes = OK_JSON
    drip: float | None = None
    connections: list[bytearray] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> bytes:
        """Every byte received, all connections joined."""
        with self.lock:
            return b"".join(bytes(c) for c in self.connections)

    def requests(self) -> list[Request]:
        """The requests found in the bytes received (a split request shows as two)."""
        return parse_requests(self.received())


def parse_requests(data: bytes) -> list[Request]:
    """Frame HTTP/1.1 requests out of raw bytes (Content-Length bodies only)."""
    out = []
    while b"\r\n\r\n" in data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        method, target, *_ = lines[0].decode("latin-1").split(" ") + ["", ""]
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers.append((name.strip(), value.strip()))
        length = int(next((v for k, v in headers if k.lower() == b"content-length"), b"0"))
        out.append(Request(method, target, headers, rest[:length]))
        data = rest[length:]
    return out


def _serve_connection(state: WireServer, conn: socket.socket) -> None:
    buf = bytearray()
    with state.lock:
        state.connections.append(buf)
    conn.settimeout(30)
    pending = b""
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            with state.lock:
                buf.extend(data)
            pending += data
            # Answer each complete request (head plus its Content-Length body).
            while b"\r\n\r\n" in pending:
                head_len = pending.index(b"\r\n\r\n") + 4
                length = _content_length(pending[:head_len])
                if len(pending) < head_len + length:
                    break
                pending = pending[head_len + length :]
                _answer(state, conn)
    except OSError:
        return
    finally:
        conn.close()


def _content_length(head: bytes) -> int:
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return int(match.group(1)) if match else 0


def _answer(state: WireServer, conn: socket.socket) -> None:
    if state.drip is None:
        conn.sendall(state.reply)
        return
    for i in range(len(state.reply)):
        conn.sendall(state.reply[i : i + 1])
        time.sleep(state.drip)


@contextmanager
def wire_server(reply: bytes = OK_JSON, drip: float | None = None) -> Iterator[WireServer]:
    """Run a WireServer on 127.0.0.1 for the ``with`` block."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    state = WireServer(url=f"http://127.0.0.1:{listener.getsockname()[1]}", reply=reply, drip=drip)
    stop = threading.Event()

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=_serve_connection, args=(state, conn), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def reply_with(status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 response with a Content-Length body."""
    reason = {200: "OK", 204: "No Content", 404: "Not Found", 500: "Internal Server Error"}
    lines = [f"HTTP/1.1 {status} {reason.get(status, 'Status')}"]
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    all_headers["Content-Length"] = str(len(body))
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
