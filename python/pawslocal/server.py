"""The HTTP front: routes Lambda data-plane requests, checks them, streams responses."""

from __future__ import annotations

import base64
import binascii
import json
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from . import faults as faultlib
from . import frames
from .auth import AuthError, verify
from .config import Config, Credentials
from .errors import error_body
from .functions import Registry, ResolveError, Target
from .runtime import Chunk, ClientContext, Failure, Invocation

MAX_PAYLOAD = 6 * 1024 * 1024  # 6,291,456 bytes, Lambda's synchronous request limit
MAX_CLIENT_CONTEXT = 3583
# Past this we stop reading an oversized body and drop the connection instead.
_DRAIN_LIMIT = 64 * 1024 * 1024
FAULT_HEADER = "X-Pawslocal-Fault"

_STREAM_RE = re.compile(r"^/2021-11-15/functions/(?P<fn>[^/]+)/response-streaming-invocations$")
_INVOKE_RE = re.compile(r"^/2015-03-31/functions/(?P<fn>[^/]+)/invocations$")
_STREAM_TYPES = ("RequestResponse", "DryRun")
_INVOKE_TYPES = ("Event", "RequestResponse", "DryRun")


class ApiError(Exception):
    """An error response to send before any of the response body has gone out."""

    def __init__(self, status: int, code: str, message: str, extra: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


class _StopStream(Exception):
    """A fault ended the response early; the connection must not be reused."""


class LambdaServer(ThreadingHTTPServer):
    """A threading HTTP server holding the emulator's functions and settings."""

    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        registry: Registry,
        config: Config,
        *,
        auth: bool = True,
        credentials: tuple[Credentials, ...] | None = None,
        faults: Mapping[str, str] | None = None,
        access_log: TextIO | None = None,
    ) -> None:
        self.registry = registry
        self.config = config
        self.auth = auth
        creds = credentials if credentials is not None else config.credentials
        self.credentials = {c.access_key_id: c for c in creds}
        # Keys named by the caller or the config file are the only ones accepted; with
        # none named, any well-formed signature is (see docs/pawslocal.md, "Signatures").
        self.strict_keys = credentials is not None or config.credentials_configured
        self.faults = {**config.faults, **dict(faults or {})}
        for spec in [*self.faults.values(), *(f.fault for f in registry.functions.values())]:
            faultlib.parse(spec)  # fail at start-up, not on the first request
        self.status_counter = faultlib.StatusCounter()
        self.access_log = access_log
        self._log_lock = threading.Lock()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up; report anything else as the base class does."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        """The base URL clients use as their endpoint."""
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def fault_spec(self, function_name: str) -> str | None:
        """The configured fault spec for a function (by name, or ``*`` for all)."""
        fc = self.registry.functions.get(function_name)
        return (
            self.faults.get(function_name)
            or self.faults.get("*")
            or (fc.fault if fc is not None else None)
        )

    def log_line(self, text: str) -> None:
        """Write one access-log line, if logging is on."""
        if self.access_log is not None:
            with self._log_lock:
                self.access_log.write(text + "\n")
                self.access_log.flush()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pawslocal"
    sys_version = ""
    server: LambdaServer

    def setup(self) -> None:
        super().setup()
        # Each frame must leave at once, not wait for Nagle to batch it.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # replaced by one line per request in _dispatch

    def do_POST(self) -> None:
        self._dispatch()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_POST

    # -- request handling -----------------------------------------------------

    def _dispatch(self) -> None:
        request_id = str(uuid.uuid4())
        self._request_id = request_id
        self._status = 0
        try:
            self._serve(request_id)
        except ApiError as e:
            self._send_error(e)
        except _StopStream:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:
            # A bug in the emulator: answer like a failing service if nothing has been
            # sent yet; otherwise drop the connection so no client takes the
            # truncated response as complete.
            traceback.print_exc()
            self.close_connection = True
            if self._status == 0:
                self._send_error(
                    ApiError(500, "ServiceException", f"pawslocal internal error: {e!r}")
                )
        self.server.log_line(f"{request_id} {self.command} {self.path} {self._status}")

    def _serve(self, request_id: str) -> None:
        split = urlsplit(self.path)
        stream_match = _STREAM_RE.match(split.path)
        invoke_match = _INVOKE_RE.match(split.path)
        body = self._read_body()
        if self.command != "POST" or not (stream_match or invoke_match):
            raise ApiError(404, "UnknownOperationException", "Unknown operation")
        match = stream_match or invoke_match
        assert match is not None
        region = self._authenticate(body)
        query = parse_qs(split.query, keep_blank_values=True)
        qualifier = query.get("Qualifier", [None])[0]
        invocation_type = self.headers.get("X-Amz-Invocation-Type") or "RequestResponse"
        allowed = _STREAM_TYPES if stream_match else _INVOKE_TYPES
        _check_enum(invocation_type, allowed, "invocationType")
        log_type = self.headers.get("X-Amz-Log-Type") or "None"
        _check_enum(log_type, ("None", "Tail"), "logType")
        try:
            target = self.server.registry.resolve(unquote(match["fn"]), qualifier, region)
        except ResolveError as e:
            raise ApiError(e.status, e.code, e.message) from None
        plan = self._fault_plan(target)
        self._apply_status_fault(plan, target)
        client_context = _client_context(self.headers.get("X-Amz-Client-Context"))
        event = _event(body)
        if invocation_type == "DryRun":
            self._send_simple(204, b"", {})
            return
        if stream_match:
            self._stream(target, event, client_context, log_type == "Tail", plan)
        elif invocation_type == "Event":
            invocation = Invocation(target, event, request_id, client_context)
            threading.Thread(target=_drain, args=(invocation, self.server), daemon=True).start()
            self._send_simple(202, b"", {})
        else:
            self._invoke(target, event, client_context, log_type == "Tail", plan)

    def _authenticate(self, body: bytes) -> str:
        """Verify SigV4 (unless auth is off); return the region the request is for."""
        if not self.server.auth:
            return self.server.config.region
        try:
            identity = verify(
                self.command,
                self.path,
                self.headers.items(),
                body,
                self.server.credentials,
                accept_unknown_keys=not self.server.strict_keys,
            )
        except AuthError as e:
            raise ApiError(e.status, e.code, e.message) from None
        return identity.region

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked_body()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ApiError(400, "InvalidRequestContentException", "Bad Content-Length") from None
        if length > MAX_PAYLOAD:
            self._discard(length)
            _too_large()
        return self.rfile.read(length) if length else b""

    def _read_chunked_body(self) -> bytes:
        out = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                raise ApiError(400, "InvalidRequestContentException", "Bad chunked body") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                break
            if len(out) + size > MAX_PAYLOAD:
                self.close_connection = True
                _too_large()
            out += self.rfile.read(size)
            self.rfile.readline(1024)
        return bytes(out)

    def _discard(self, length: int) -> None:
        if length > _DRAIN_LIMIT:
            self.close_connection = True
            return
        left = length
        while left > 0:
            got = self.rfile.read(min(left, 1 << 16))
            if not got:
                break
            left -= len(got)

    def _fault_plan(self, target: Target) -> faultlib.FaultPlan:
        spec = self.headers.get(FAULT_HEADER) or self.server.fault_spec(target.function.name)
        try:
            return faultlib.parse(spec)
        except faultlib.FaultSpecError as e:
            raise ApiError(
                400, "InvalidParameterValueException", f"Invalid {FAULT_HEADER}: {e}"
            ) from None

    def _apply_status_fault(self, plan: faultlib.FaultPlan, target: Target) -> None:
        fault = plan.get("status")
        if fault is None:
            return
        default_key = f"{target.function.name}|{fault.arg}|{sorted(fault.options.items())}"
        if self.server.status_counter.should_fire(fault, default_key):
            status, code, message = faultlib.status_error(fault)
            extra = {"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded"}
            raise ApiError(status, code, message, extra if status == 429 else None)

    # -- responses ------------------------------------------------------------

    def _base_headers(self) -> None:
        self.send_header("x-amzn-RequestId", self._request_id)
        self.send_header("Date", self.date_time_string())

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line (without the default Server/Date headers)."""
        self._status = code
        self.send_response_only(code, message)

    def _send_simple(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self._base_headers()
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _send_error(self, e: ApiError) -> None:
        body = error_body(e.status, e.code, e.message, e.extra)
        headers = {"x-amzn-ErrorType": e.code, "Content-Type": "application/json"}
        if e.status == 429:
            headers["Retry-After"] = "1"
        if self.close_connection:
            headers["Connection"] = "close"
        try:
            self._send_simple(e.status, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _stream(
        self,
        target: Target,
        event: Any,
        client_context: ClientContext | None,
        tail: bool,
        plan: faultlib.FaultPlan,
    ) -> None:
        invocation = Invocation(target, event, self._request_id, client_context)
        writer = _FrameWriter(self, plan)
        outcomes = invocation.outcomes()
        failure: Failure | None = None
        try:
            self.send_response(200)
            self._base_headers()
            self.send_header("Content-Type", "application/vnd.amazon.eventstream")
            self.send_header("X-Amz-Executed-Version", target.version)
            self.send_header("Transfer-Encoding", "chunked")
            if any(plan.get(kind) for kind in _CLOSING_FAULTS):
                # The fault may end this response early and drop the connection: say
                # so, or a client's pool would send its next request down a dead socket.
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            for outcome in outcomes:
                if isinstance(outcome, Failure):
                    failure = outcome
                elif isinstance(outcome, Chunk):
                    data = outcome.data
                    # A frame holds at most 16 MiB; bigger chunks go out as several.
                    for start in range(0, max(len(data), 1), frames.MAX_CHUNK):
                        writer.frame(frames.payload_chunk(data[start : start + frames.MAX_CHUNK]))
        finally:
            outcomes.close()
        invocation.finish_log()
        self.server.log_line(invocation.log.text().rstrip("\n"))
        writer.frame(
            frames.invoke_complete(
                error_code=failure.code if failure else None,
                error_details=failure.details_json() if failure else None,
                log_result=_log_result(invocation) if tail else None,
            )
        )
        writer.end()

    def _invoke(
        self,
        target: Target,
        event: Any,
        client_context: ClientContext | None,
        tail: bool,
        plan: faultlib.FaultPlan,
    ) -> None:
        invocation = Invocation(target, event, self._request_id, client_context)
        body = bytearray()
        failure: Failure | None = None
        outcomes = invocation.outcomes()
        try:
            for outcome in outcomes:
                if isinstance(outcome, Failure):
                    failure = outcome
                elif isinstance(outcome, Chunk):
                    body += outcome.data
                    if len(body) > MAX_PAYLOAD:
                        failure = _response_too_large(len(body))
                        break
        finally:
            outcomes.close()
        invocation.finish_log()
        self.server.log_line(invocation.log.text().rstrip("\n"))
        headers = {"Content-Type": "application/json", "X-Amz-Executed-Version": target.version}
        if failure is not None:
            body = bytearray(json.dumps(failure.details).encode())
            headers["X-Amz-Function-Error"] = "Unhandled"
        if tail:
            headers["X-Amz-Log-Result"] = _log_result(invocation)
        stall = plan.get("stall")
        if stall is not None:
            time.sleep(stall.int_opt("ms", 0) / 1000)
        cut = plan.get("cut-mid-frame")
        if cut is None:
            self._send_simple(200, bytes(body), headers)
            return
        # Promise the whole body, deliver part of it, hang up.
        self.close_connection = True
        self.send_response(200)
        self._base_headers()
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(bytes(body[: cut.int_opt("bytes", len(body) // 2)]))
        _hang_up(self.connection)
        raise _StopStream()


class _FrameWriter:
    """Writes frames as HTTP chunks, one flush each, applying the request's faults."""

    def __init__(self, handler: _Handler, plan: faultlib.FaultPlan) -> None:
        self._handler = handler
        self._plan = plan
        self._sent = 0
        self._stalled = False

    def _write(self, data: bytes) -> None:
        self._handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def frame(self, data: bytes) -> None:
        """Send one frame, unless a fault decides otherwise."""
        plan = self._plan
        if plan:
            data = self._before_frame(data)
        self._write(data)
        self._sent += 1

    def _before_frame(self, data: bytes) -> bytes:
        plan = self._plan
        stall = plan.get("stall")
        if stall and not self._stalled and self._sent == stall.int_opt("after", 1):
            self._stalled = True
            time.sleep(stall.int_opt("ms", 1000) / 1000)
        for kind, build, name_key, name, message in _ENDING_FRAMES:
            spec = plan.get(kind)
            if spec and self._sent == spec.int_opt("after", 0):
                opts = spec.options
                self._write(build(opts.get(name_key, name), opts.get("message", message)))
                self.end()
                raise _StopStream()
        for kind in ("cut-mid-frame", "truncate"):
            cut = plan.get(kind)
            if cut and self._sent == cut.int_opt("after", 1):
                part = data[: min(cut.int_opt("bytes", len(data) // 2), len(data) - 1)]
                if kind == "truncate":
                    if part:
                        self._write(part)
                    self.end()
                else:
                    # The chunk header promises the whole frame; only part arrives.
                    self._handler.wfile.write(b"%x\r\n%s" % (len(data), part))
                    _hang_up(self._handler.connection)
                raise _StopStream()
        bad = plan.get("bad-crc")
        if bad and self._sent + 1 == bad.int_opt("frame", 1):
            corrupt = bytearray(data)
            pos = 8 if bad.options.get("part", "message") == "prelude" else len(corrupt) - 4
            corrupt[pos] ^= 0xFF
            data = bytes(corrupt)
        return data

    def end(self) -> None:
        """Close the chunked body."""
        self._handler.wfile.write(b"0\r\n\r\n")


# Faults after which the emulator closes the connection (the response says so up front).
_CLOSING_FAULTS = ("cut-mid-frame", "truncate", "exception", "error")

# Faults that end the stream with one frame: (fault kind, frame builder, option naming
# the error, its default, default message).
_ENDING_FRAMES = (
    ("exception", frames.exception_frame, "type", "ServiceException", "Injected exception event"),
    ("error", frames.error_frame, "code", "InternalFailure", "Injected error event"),
)


def _hang_up(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _drain(invocation: Invocation, server: LambdaServer) -> None:
    for _ in invocation.outcomes():
        pass
    invocation.finish_log()
    server.log_line(invocation.log.text().rstrip("\n"))


def _log_result(invocation: Invocation) -> str:
    return base64.b64encode(invocation.log.tail()).decode("ascii")


def _check_enum(value: str, allowed: tuple[str, ...], member: str) -> None:
    if value not in allowed:
        raise ApiError(
            400,
            "ValidationException",
            f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]",
        )


def _too_large() -> None:
    raise ApiError(
        413,
        "RequestTooLargeException",
        f"Request must be smaller than {MAX_PAYLOAD} bytes for the InvokeFunction operation",
    )


def _response_too_large(size: int) -> Failure:
    return Failure(
        "Unhandled",
        {
            "errorMessage": (
                f"Response payload size ({size} bytes) exceeded maximum allowed payload "
                f"size ({MAX_PAYLOAD} bytes)."
            ),
            "errorType": "Function.ResponseSizeTooLarge",
        },
    )


def _event(body: bytes) -> Any:
    if not body:
        return {}
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ApiError(
            400,
            "InvalidRequestContentException",
            f"Could not parse request body into json: Could not parse payload into json: {e}",
        ) from None


def _client_context(header: str | None) -> ClientContext | None:
    if header is None:
        return None
    if len(header) > MAX_CLIENT_CONTEXT:
        raise ApiError(
            400,
            "InvalidParameterValueException",
            f"Client context must be at most {MAX_CLIENT_CONTEXT} bytes of base64-encoded data.",
        )
    try:
        data = json.loads(base64.b64decode(header, validate=True).decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(
            400,
            "InvalidRequestContentException",
            "Client context must be a valid Base64-encoded JSON object.",
        ) from None
    return ClientContext(
        client=data.get("client"), custom=data.get("custom"), env=data.get("env"), raw=data
    )
