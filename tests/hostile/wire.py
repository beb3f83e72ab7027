"""A raw TCP server on 127.0.0.1 that keeps every byte it receives, for the hostile tests.

``http.server`` parses what it reads, so a request split in two by an injected line
break would look like two tidy requests; this server keeps the bytes as they came,
per connection, and answers each request it can frame (head + Content-Length body)
with a fixed reply. Tests then assert that nothing arrived, or exactly what was signed.

``drip`` replies one byte at a time with a pause between bytes: a server that holds a
client without ever going silent long enough for a read timeout.
"""

from __future__ import annotations

import hashlib
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
    drip_from: int = 0
    close_after_reply: bool = False
    later: list[bytes] = field(default_factory=list)  # replies to the 2nd, 3rd... request
    answered: int = 0
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
        method, target, *_ = [*lines[0].decode("latin-1").split(" "), "", ""]
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
                if state.close_after_reply:
                    return
    except OSError:
        return
    finally:
        conn.close()


def _content_length(head: bytes) -> int:
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return int(match.group(1)) if match else 0


def _answer(state: WireServer, conn: socket.socket) -> None:
    with state.lock:
        n = state.answered
        state.answered += 1
    reply = state.later[min(n, len(state.later)) - 1] if n and state.later else state.reply
    if state.drip is None:
        conn.sendall(reply)
        return
    conn.sendall(reply[: state.drip_from])
    for i in range(state.drip_from, len(reply)):
        conn.sendall(reply[i : i + 1])
        time.sleep(state.drip)


@contextmanager
def wire_server(
    reply: bytes = OK_JSON,
    drip: float | None = None,
    drip_from: int = 0,
    close_after_reply: bool = False,
    later: list[bytes] | None = None,
) -> Iterator[WireServer]:
    """Run a WireServer on 127.0.0.1 for the ``with`` block."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    state = WireServer(
        url=f"http://127.0.0.1:{listener.getsockname()[1]}",
        reply=reply,
        drip=drip,
        drip_from=drip_from,
        close_after_reply=close_after_reply,
        later=list(later or []),
    )
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


def chunked_reply(pieces: list[bytes], headers: dict[str, str] | None = None) -> bytes:
    """A 200 event-stream response with one chunk per piece, and its end."""
    head = {"Content-Type": "application/vnd.amazon.eventstream", **(headers or {})}
    lines = ["HTTP/1.1 200 OK", *(f"{k}: {v}" for k, v in head.items())]
    lines.append("Transfer-Encoding: chunked")
    out = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    for piece in pieces:
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def check_signed_as_received(request: Request, access_key: str, secret_key: str) -> None:
    """Assert that ``request``'s signature covers exactly the bytes the server received.

    botocore's SigV4Auth recomputes the signature over the received request: every
    signed header with the value the server got (its bytes read as UTF-8, which is
    how SigV4 hashes text), the received path and query, and the received body.
    """
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    auth = (request.header("authorization") or b"").decode("ascii")
    match = re.fullmatch(
        r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
        r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})",
        auth,
    )
    assert match, f"not a SigV4 Authorization header: {auth!r}"
    key, _, region, service, signed_names, signature = match.groups()
    assert key == access_key
    headers = {}
    for name in signed_names.split(";"):
        raw = request.header(name)
        assert raw is not None, f"signed header {name} did not reach the server"
        try:
            headers[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AssertionError(
                f"header {name} reached the server as {raw!r}, not the UTF-8 that was signed"
            ) from exc
    host = headers.get("host", "127.0.0.1")
    aws_request = AWSRequest(
        method=request.method,
        url=f"http://{host}{request.target}",
        headers=headers,
        data=request.body,
    )
    token = headers.get("x-amz-security-token")
    signer = SigV4Auth(Credentials(access_key, secret_key, token), service, region)
    aws_request.context["timestamp"] = headers["x-amz-date"]
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    assert signature == expected, (
        "the signature does not cover the bytes received "
        f"(payload sha256 {hashlib.sha256(request.body).hexdigest()})"
    )
