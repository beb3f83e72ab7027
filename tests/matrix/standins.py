"""Loopback stand-ins for the AWS endpoints a credential chain talks to.

One threaded HTTP server on 127.0.0.1 plays every part, told apart by the first
path segment; the next two segments are the matrix row and the client
(``/<part>/<row>/<client>/...``), so each client of each row has its own state:

- ``lambda``: the capture server. Records the access key, region, service and
  host of each signed request and answers ``{}`` (GetFunction), or 503 for
  functions whose name starts with ``fail``.
- ``sts``: STS, forwarded to moto's server; records the credentials moto issues
  (role, session name, external id, duration, who signed) so a random key
  moto made for one client reads the same as the key it made for another.
  Roles whose name starts with ``denied`` get STS's AccessDenied instead.
- ``ecs``: the container credentials endpoint (``/ecs/<row>/<client>/<mode>``).
- ``imds``: IMDSv2 (token PUT, role name, role credentials).
- ``sso``: the SSO portal's GetRoleCredentials; ``oidc``: SSO OIDC CreateToken.

Keys issued by the stand-ins are labelled (``label()``): the label says which
part issued the key, for what, and the how-many-th issue it was for that row and
client, so a refresh shows as ``#2``.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

AUTH_RE = re.compile(r"Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
DEFAULT_SESSION_RE = re.compile(r"^(botocore|pawsgen)-session-\d+$")
IMDS_TOKEN = "imds-session-token"


def iso(when: datetime) -> str:
    """A time as AWS writes it in credential answers."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Capture:
    """One signed (or unsigned) request that reached the capture server."""

    row: str
    client: str
    function: str
    access_key: str | None
    region: str | None
    service: str | None
    host: str
    user_agent: str


@dataclass
class StandIns:
    """State shared by the handler threads; read by the tests."""

    moto_url: str
    port: int = 0
    captures: list[Capture] = field(default_factory=list)
    issued: dict[str, str] = field(default_factory=dict)  # access key -> description
    counts: dict[tuple[str, ...], int] = field(default_factory=lambda: defaultdict(int))
    requests: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """Base URL of the stand-ins."""
        return f"http://127.0.0.1:{self.port}"

    def issue(self, part: str, row: str, client: str, what: str) -> tuple[str, str]:
        """A fresh key pair, recorded as the ``n``-th issue of ``what`` for this row and client."""
        with self.lock:
            self.counts[(part, row, client)] += 1
            n = self.counts[(part, row, client)]
        key = f"ASIA{part.upper()}{secrets.token_hex(6).upper()}"
        self.record(key, f"{part}:{what}#{n}")
        return key, "s3cr3t" + secrets.token_hex(8)

    def record(self, key: str, description: str) -> None:
        """Remember what an issued key stands for."""
        with self.lock:
            self.issued[key] = description

    def label(self, key: str | None) -> str | None:
        """An issued key's description (signers resolved in turn); other keys as they are."""
        if key is None:
            return None
        desc = self.issued.get(key)
        if desc is None:
            return key
        return re.sub(r"by=(\S+?)\)", lambda m: f"by={self.label(m.group(1))})", desc)

    def captured(self, row: str, client: str) -> list[Capture]:
        """The capture server's records for one row and client, in arrival order."""
        with self.lock:
            return [c for c in self.captures if c.row == row and c.client == client]

    def hits(self, part: str, row: str, client: str) -> int:
        """How many requests a part saw for one row and client."""
        with self.lock:
            return sum(1 for p, r, c, _ in self.requests if (p, r, c) == (part, row, client))


class _Handler(BaseHTTPRequestHandler):
    server_version = "standins/1"
    protocol_version = "HTTP/1.1"
    state: StandIns

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self,
        status: int,
        body: bytes | str,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> None:
        body = self._body()
        path, _, query = self.path.partition("?")
        parts = path.strip("/").split("/")
        part, row, client = [*parts, "", "", ""][:3]
        rest = parts[3:]
        with self.state.lock:
            self.state.requests.append((part, row, client, dict(self.headers)))
        handler = getattr(self, f"_do_{part}", None)
        if handler is None:
            self._send(404, '{"message": "no such stand-in"}')
            return
        handler(row, client, rest, query, body)

    do_GET = do_POST = do_PUT = _route

    # -- capture --------------------------------------------------------------------

    def _do_lambda(self, row: str, client: str, rest: list[str], query: str, body: bytes) -> None:
        auth = self.headers.get("Authorization", "")
        m = AUTH_RE.search(auth)
        function = urllib.parse.unquote(rest[-1]) if rest else ""
        capture = Capture(
            row=row,
            client=client,
            function=function,
            access_key=m.group(1) if m else None,
            region=m.group(3) if m else None,
            service=m.group(4) if m else None,
            host=self.headers.get("Host", ""),
            user_agent=self.headers.get("User-Agent", ""),
        )
        with self.state.lock:
            self.state.captures.append(capture)
        if function.startswith("fail"):
            self._send(
                503,
                '{"Type": "Service", "message": "try later"}',
                headers={"x-amzn-ErrorType": "ServiceException"},
            )
            return
        self._send(200, "{}")

    # -- STS (moto) -----------------------------------------------------------------

    def _do_sts(self, row: str, client: str, rest: list[str], query: str, body: bytes) -> None:
        form = dict(urllib.parse.parse_qsl(body.decode()))
        action = form.get("Action", "")
        role = form.get("RoleArn", "")
        if role.rsplit("/", 1)[-1].startswith("denied"):
            self._send(
                403,
                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                "<Message>not authorized to assume the role</Message></Error></ErrorResponse>",
                "text/xml",
            )
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
        headers["Host"] = "sts.amazonaws.com"
        request = urllib.request.Request(
            self.state.moto_url + "/", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, answer = err.code, err.read()
        m = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", answer)
        if status == 200 and m:
            with self.state.lock:
                self.state.counts[("sts", row, client)] += 1
                n = self.state.counts[("sts", row, client)]
            session = form.get("RoleSessionName", "")
            if DEFAULT_SESSION_RE.match(session):
                session = "<default>"
            signer = AUTH_RE.search(self.headers.get("Authorization", ""))
            details = [f"role={role}", f"session={session}"]
            for key in ("ExternalId", "DurationSeconds", "WebIdentityToken"):
                if key in form:
                    details.append(f"{key}={form[key]}")
            if signer:
                details.append(f"region={signer.group(3)}")
            details.append(f"by={signer.group(1) if signer else 'unsigned'})")
            self.state.record(m.group(1).decode(), f"sts:{action}({' '.join(details)}#{n}")
        self._send(status, answer, "text/xml")

    # -- ECS ------------------------------------------------------------------------

    def _do_ecs(self, row: str, client: str, rest: list[str], query: str, body: bytes) -> None:
        """Modes: ``long`` (6 h), ``short`` (12 min: advisory refresh each use),
        ``expired``, ``short-then-500`` / ``brief-then-500`` (12 / 5 min, then errors),
        ``token`` (needs Authorization: ecs-token), ``broken`` (500)."""
        mode = rest[0] if rest else "long"
        n = self.state.hits("ecs", row, client)
        if mode == "broken" or (mode.endswith("-then-500") and n > 1):
            self._send(500, '{"message": "broken"}')
            return
        if mode == "token" and self.headers.get("Authorization") != "ecs-token":
            self._send(401, '{"message": "bad token"}')
            return
        minutes = {
            "long": 360,
            "short": 12,
            "expired": -5,
            "short-then-500": 12,
            "brief-then-500": 5,
            "token": 360,
        }.get(mode, 360)
        key, secret = self.state.issue("ecs", row, client, mode)
        self._send(
            200,
            json.dumps(
                {
                    "AccessKeyId": key,
                    "SecretAccessKey": secret,
                    "Token": "ECSTOKEN",
                    "Expiration": iso(datetime.now(UTC) + timedelta(minutes=minutes)),
                }
            ),
        )

    # -- IMDSv2 ---------------------------------------------------------------------

    def _do_imds(self, row: str, client: str, rest: list[str], query: str, body: bytes) -> None:
        """IMDSv2; under ``/imds/<row>/<client>/v1/`` an IMDSv1-only service (token PUT: 403)."""
        v1 = bool(rest) and rest[0] == "v1"
        sub = "/".join(rest[1:] if v1 else rest)
        if self.command == "PUT" and sub == "latest/api/token":
            if v1:
                self._send(403, "", "text/plain")
                return
            if not self.headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
                self._send(400, "")
                return
            self._send(200, IMDS_TOKEN, "text/plain")
            return
        if not v1 and self.headers.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
            self._send(401, "", "text/plain")
            return
        if sub == "latest/meta-data/iam/security-credentials":
            self._send(200, "ec2-role", "text/plain")
            return
        if sub == "latest/meta-data/iam/security-credentials/ec2-role":
            key, secret = self.state.issue("imds", row, client, "ec2-role")
            self._send(
                200,
                json.dumps(
                    {
                        "Code": "Success",
                        "Type": "AWS-HMAC",
                        "AccessKeyId": key,
                        "SecretAccessKey": secret,
                        "Token": "IMDSTOKEN",
                        "Expiration": iso(datetime.now(UTC) + timedelta(hours=6)),
                    }
                ),
            )
            return
        self._send(404, "", "text/plain")

    # -- SSO portal and OIDC --------------------------------------------------------

    def _do_sso(self, row: str, client: str, rest: list[str], query: str, body: bytes) -> None:
        params = dict(urllib.parse.parse_qsl(query))
        token = self.headers.get("x-amz-sso_bearer_token", "")
        if not token.startswith("good-"):
            self._send(
                401,
                '{"message": "Session token not found or invalid"}',
                headers={"x-amzn-ErrorType": "UnauthorizedException"},
            )
            return
        what = f"{params.get('account_id')}/{params.get('role_name')}/{token}"
        key, secret = self.state.issue("sso", row, client, what)
        expires = int((datetime.now(UTC) + timedelta(hours=1)).timestamp() * 1000)
        self._send(
            200,
            json.dumps(
                {
                    "roleCredentials": {
                        "accessKeyId": key,
                        "secretAccessKey": secret,
                        "sessionToken": "SSOTOKEN",
                        "expiration": expires,
                    }
                }
            ),
        )

    def _do_oidc(self, row: str, client: str, rest: list[str], query: str, body: bytes) -> None:
        request = json.loads(body or b"{}")
        if (
            request.get("grantType") != "refresh_token"
            or request.get("refreshToken") != "refresh-me"
        ):
            self._send(
                400,
                '{"error": "invalid_grant"}',
                headers={"x-amzn-ErrorType": "InvalidGrantException"},
            )
            return
        self._send(
            200,
            json.dumps(
                {
                    "accessToken": "good-refreshed",
                    "expiresIn": 3600,
                    "tokenType": "Bearer",
                    "refreshToken": "refresh-me",
                }
            ),
        )


@contextmanager
def serve(moto_url: str) -> Iterator[StandIns]:
    """Run the stand-ins on a free loopback port for the ``with`` block."""
    state = StandIns(moto_url=moto_url)
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
