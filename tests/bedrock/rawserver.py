"""A raw event-stream server for the Bedrock tests, run as its own process.

``python rawserver.py DIR PORT`` answers ``POST /model/<id>/...`` with the bytes of
``DIR/<id>.bin`` (status 200, ``application/vnd.amazon.eventstream``), written in two
pieces so the clients decode across reads; ``DIR/<id>.status`` overrides the status
(then the body is sent as JSON). A separate process, because R runs inside the test
process through rpy2 and holds it while it waits for an answer.
"""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote


class Handler(BaseHTTPRequestHandler):
    """Serves the scripted bytes for the model id in the path."""

    protocol_version = "HTTP/1.1"
    folder = Path(".")

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path.split("/")
        model_id = unquote(parts[2]) if len(parts) > 2 else ""
        body_file = self.folder / f"{model_id}.bin"
        if not body_file.exists():
            self.send_error(404)
            return
        body = body_file.read_bytes()
        status_file = self.folder / f"{model_id}.status"
        status = int(status_file.read_text()) if status_file.exists() else 200
        self.send_response(status)
        kind = "application/vnd.amazon.eventstream" if status == 200 else "application/json"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "req-bedrock-1")
        self.end_headers()
        half = len(body) // 2
        for piece in (body[:half], body[half:]):
            self.wfile.write(piece)
            self.wfile.flush()


def main() -> None:
    Handler.folder = Path(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
