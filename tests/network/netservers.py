"""Loopback servers for the network-settings tests: stalling, proxy, TLS; and both clients.

Every server listens on 127.0.0.1 only and records what it saw. ``run_python`` and
``run_r`` make the same InvokeWithResponseStream call through the generated
``pawslambda`` of each language, in a scratch environment, and report the outcome
as a kind of error (or ``ok``) plus the seconds the call took (measured inside R for R).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ACCESS_KEY = "AKIDNETTEST"
SECRET_KEY = "net-test-secret"

_NOT_FOUND_BODY = b'{"Type":"User","message":"Function not found: f"}'
NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
    b"x-amzn-ErrorType: ResourceNotFoundException\r\nx-amzn-RequestId: rid-1\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(_NOT_FOUND_BODY)
) + _NOT_FOUND_BODY

# The outcome names both languages share (R class -> Python class name).
R_KINDS = {
    "paws_read_timeout": "ReadTimeoutError",
    "paws_connect_timeout": "ConnectTimeoutError",
    "ResourceNotFoundException": "ResourceNotFoundException",
    "paws_endpoint_error": "EndpointResolutionError",
    "paws_connection_error": "EndpointConnectionError",
}
PY_KINDS = {
    "ReadTimeoutError": "ReadTimeoutError",
    "ConnectTimeoutError": "ConnectTimeoutError",
    "ResourceNotFoundException": "ResourceNotFoundException",
    "EndpointResolutionError": "EndpointResolutionError",
    "EndpointConnectionError": "EndpointConnectionError",
}


def read_request(conn: socket.socket) -> bytes:
    """The request head (and body, by Content-Length) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return data
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return head


class Server:
    """A threaded TCP server on 127.0.0.1 running ``handler(conn, server)`` per connection."""

    def __init__(
        self,
        handler: Callable[[socket.socket, Server], None],
        tls: ssl.SSLContext | None = None,
        backlog: int = 16,
    ) -> None:
        self.handler = handler
        self.seen: list[str] = []
        self.stop = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(backlog)
        self._sock.settimeout(0.2)
        self._tls = tls
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            if self._tls is not None:
                conn.settimeout(5)
                conn = self._tls.wrap_socket(conn, server_side=True)
            self.handler(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self._thread.join(2)
        self._sock.close()


def not_found(conn: socket.socket, server: Server) -> None:
    """Answer every request with Lambda's ResourceNotFoundException."""
    server.seen.append(read_request(conn).split(b"\r\n", 1)[0].decode())
    conn.sendall(NOT_FOUND)


def stall_before_headers(conn: socket.socket, server: Server) -> None:
    """Read the request, then send nothing until the test ends."""
    read_request(conn)
    server.stop.wait(30)


def stall_mid_body(conn: socket.socket, server: Server) -> None:
    """Send the headers and one event, then nothing until the test ends."""
    from pawscore.eventstream import encode_message

    read_request(conn)
    frame = encode_message(
        {":message-type": "event", ":event-type": "PayloadChunk"}, b"first chunk"
    )
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(frame) + frame + b"\r\n"
    )
    server.stop.wait(30)


def proxy(conn: socket.socket, server: Server) -> None:
    """A proxy that records the host each request is for.

    CONNECT (HTTPS) is refused after recording; a forwarded plain-HTTP request is
    answered by the proxy itself with ResourceNotFoundException.
    """
    head = read_request(conn).decode("latin-1")
    method, target = head.split(" ")[:2]
    if method == "CONNECT":
        server.seen.append(target)
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    host = target.split("://", 1)[1].split("/", 1)[0]
    server.seen.append(host)
    conn.sendall(NOT_FOUND)


class Unreachable:
    """A listener whose accept queue is full: connecting to it hangs until the timeout."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(0)
        self.port = self._sock.getsockname()[1]
        self._fill: list[socket.socket] = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self._fill.append(filler)
        time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        for filler in self._fill:
            filler.close()
        self._sock.close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost and its key, written to ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def scratch_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment without AWS or proxy settings, HOME at ``home``, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and not k.lower().endswith("_proxy")
    }
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / ".aws" / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=os.pathsep.join([str(ROOT / "python"), str(ROOT)]),
    )
    env.update(extra or {})
    return env


def call_config(**settings: Any) -> dict[str, Any]:
    """A client config with test keys, one attempt and the given settings."""
    return {
        "credentials": {"creds": {"access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY}},
        "max_attempts": 1,
        **settings,
    }


_PY_CALL = """
import json, os, sys, time
import pawslambda
config = json.loads(os.environ["PAWS_TEST_CONFIG"])
svc = pawslambda.client(config)
try:
    svc.config  # settle region, endpoint and credentials before the clock starts
except Exception:
    pass
start = time.monotonic()
try:
    svc.invoke_with_response_stream(FunctionName="f")
    out = {"kind": "ok"}
except Exception as exc:
    out = {"kind": type(exc).__name__, "message": str(exc)}
out["elapsed"] = time.monotonic() - start
print(json.dumps(out))
"""

_R_CALL = """
config <- jsonlite::fromJSON(Sys.getenv("PAWS_TEST_CONFIG"), simplifyVector = TRUE)
svc <- pawslambda::lambda(config = config)
start <- proc.time()[["elapsed"]]
out <- tryCatch(
  {
    svc$invoke_with_response_stream(FunctionName = "f")
    list(class = "ok")
  },
  error = function(e) list(class = class(e), message = conditionMessage(e))
)
out$elapsed <- proc.time()[["elapsed"]] - start
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA))
"""


def run_python(config: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Outcome of one call from a fresh Python process."""
    done = subprocess.run(
        [sys.executable, "-c", _PY_CALL],
        env={**env, "PAWS_TEST_CONFIG": json.dumps(config)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["kind"] = PY_KINDS.get(out["kind"], out["kind"])
    return out


def run_r(config: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Outcome of one call from a fresh R process (elapsed measured inside R)."""
    done = subprocess.run(
        ["Rscript", "-e", _R_CALL],
        env={**env, "PAWS_TEST_CONFIG": json.dumps(config)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    classes = out["class"] if isinstance(out["class"], list) else [out["class"]]
    out["kind"] = next((R_KINDS[c] for c in classes if c in R_KINDS), classes[0])
    return out


class SlowAccept(Server):
    """A server whose accept queue is full for ``delay`` seconds: connecting takes ~1 s.

    A client's first SYN is dropped; its retransmission (after about a second, on
    Linux) gets through once the queue has been drained.
    """

    def __init__(self, handler: Callable[[socket.socket, Server], None], delay: float) -> None:
        self._delay = delay
        super().__init__(handler, backlog=0)

    def _serve(self) -> None:
        fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            fillers.append(filler)
        self.stop.wait(self._delay)
        for filler in fillers:
            filler.close()
        super()._serve()
