"""A raw event-stream HTTP server for client benchmarks (``bench/client_speed.py``).

Answers every POST with an InvokeWithResponseStream body built from pre-encoded
frames, so the server costs next to nothing and the clients are what is measured.
The request body is JSON: ``{"n": frames, "size": payload bytes, "delay": s}``;
``delay`` > 0 sends the first frame, waits, then sends the rest. Frames are
``PayloadChunk`` events and the stream ends with ``InvokeComplete``. Requests are
not authenticated (clients sign them anyway). Keep-alive, one thread per connection.

Run: ``python bench/raw_server.py`` prints ``http://127.0.0.1:<port>`` and serves
until killed.
"""

from __future__ import annotations

import json
import socket
import socketserver
import sys
import time
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

from pawscore.eventstream import encode_message

HEADERS = {
    ":event-type": "PayloadChunk",
    ":content-type": "application/octet-stream",
    ":message-type": "event",
}
COMPLETE = encode_message(
    {
        ":event-type": "InvokeComplete",
        ":content-type": "application/json",
        ":message-type": "event",
    },
    b"{}",
)
BLOCK_BYTES = 1 << 20  # frames are sent in blocks of about this size


@lru_cache(maxsize=16)
def frame(size: int) -> bytes:
    """One PayloadChunk frame with a ``size``-byte payload."""
    return encode_message(HEADERS, (bytes(range(256)) * (size // 256 + 1))[:size])


class Handler(socketserver.BaseRequestHandler):
    """Serves requests on one connection until the client closes it."""

    def handle(self) -> None:
        """Read a request, answer it, repeat."""
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buf = b""
        while True:
            while b"\r\n\r\n" not in buf:
                data = sock.recv(65536)
                if not data:
                    return
                buf += data
            head, buf = buf.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(buf) < length:
                data = sock.recv(65536)
                if not data:
                    return
                buf += data
            body, buf = buf[:length], buf[length:]
            spec = json.loads(body or b"{}")
            self.answer(sock, int(spec.get("n", 1)), int(spec.get("size", 16)), spec)

    def answer(self, sock: socket.socket, n: int, size: int, spec: dict) -> None:
        """Send the status line, headers and ``n`` frames plus InvokeComplete."""
        one = frame(size)
        total = n * len(one) + len(COMPLETE)
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
            b"X-Amz-Executed-Version: $LATEST\r\nX-Amzn-RequestId: bench\r\n"
            + f"Content-Length: {total}\r\n\r\n".encode()
        )
        delay = float(spec.get("delay", 0))
        if delay > 0 and n > 0:
            sock.sendall(one)
            time.sleep(delay)
            n -= 1
        per_block = max(1, BLOCK_BYTES // len(one))
        block = one * per_block
        while n >= per_block:
            sock.sendall(block)
            n -= per_block
        sock.sendall(one * n + COMPLETE)


class Server(socketserver.ThreadingTCPServer):
    """Threaded, reusable address, daemon threads."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def main() -> None:
    """Serve on an ephemeral loopback port; print the URL first."""
    with Server(("127.0.0.1", 0), Handler) as server:
        print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
