"""HTTP transport on urllib3: one pool per client, bodies streamed as they arrive.

A body cut before its declared end (short Content-Length, broken chunked encoding)
raises IncompleteBody; it never looks like a clean end of data.

``read_timeout`` is an idle timeout: no byte for that long, before the headers or
between two reads of the body, raises ReadTimeoutError. Proxies come from the config
or, as in botocore, from HTTP_PROXY / HTTPS_PROXY unless NO_PROXY names the host; a CA
bundle replaces the system's trusted certificates.

Header values go out as their UTF-8 bytes, the bytes the signer hashed (as botocore
and the R runtime send them; http.client alone would write Latin-1).

A ``Deadline`` bounds a whole call. Read timeouts only bound each wait for bytes, so
a server that sends one byte every half second holds a client for ever; with a
deadline a watchdog timer shuts the connection's socket down when time is up, and
whatever read was waiting fails as ``ReadTimeoutError``.
"""

from __future__ import annotations

import contextvars
import http.client
import platform
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    IncompleteRead,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    SSLError,
)
from urllib3.exceptions import (
    HTTPError as _Urllib3Error,
)
from urllib3.exceptions import (
    ReadTimeoutError as _Urllib3ReadTimeout,
)
from urllib3.util.response import is_response_to_head

from . import eventstream
from .errors import (
    ConnectTimeoutError as _ConnectTimeout,
)
from .errors import (
    EndpointConnectionError,
    HttpError,
    IncompleteBody,
    ReadTimeoutError,
)

CHUNK = 256 * 1024
# Connections kept open per host: a client shared by this many threads reuses one
# connection per thread instead of opening a new one per call.
POOL_CONNECTIONS = 64

_SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token"})


@dataclass
class HttpRequest:
    """A request ready to sign and send; ``url`` carries the encoded query string.

    Every protocol module builds one (docs/contracts.md, section 3). Once signed, the
    secret header values are ``signer.HiddenValue`` objects.
    """

    method: str
    url: str
    headers: dict[str, Any] = field(default_factory=dict)
    body: bytes = b""

    def __repr__(self) -> str:
        # A signed request carries the session token, and a body can carry secrets
        # (environment variables): show neither.
        headers = {
            k: "<hidden>" if k.lower() in _SECRET_HEADERS else v for k, v in self.headers.items()
        }
        return (
            f"HttpRequest(method={self.method!r}, url={self.url!r}, headers={headers!r}, "
            f"body=<{len(self.body)} bytes>)"
        )


def joined_headers(headers: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """lower-case name -> (name as first sent, value): a repeated header's values are
    joined with ", " (RFC 9110, as botocore reads them), never cut to the last one.

    urllib3's header dict yields a repeated header once per value from ``items()``.
    """
    out: dict[str, tuple[str, str]] = {}
    for name, value in headers.items():
        key = name.lower()
        if key in out:
            first, before = out[key]
            out[key] = (first, f"{before}, {value}")
        else:
            out[key] = (name, value)
    return out


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Response headers keyed by lower-case name, repeated ones joined."""
    return {key: value for key, (_, value) in joined_headers(headers).items()}


@cache
def user_agent() -> str:
    """The User-Agent, as AWS SDKs identify themselves (same form as the R runtime).

    For example ``pawsgen/0.1.0 ua/2.1 os/linux lang/python#3.11.7 md/urllib3#2.2.1``.
    """
    import importlib.metadata

    try:
        version = importlib.metadata.version("pawsgen")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    os_name = platform.system().lower() or "other"
    lang = ".".join(str(part) for part in sys.version_info[:3])
    return (
        f"pawsgen/{version} ua/2.1 os/{os_name} lang/python#{lang} md/urllib3#{urllib3.__version__}"
    )


class Deadline:
    """The moment by which a whole call (retries, headers and body) must be over."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def __repr__(self) -> str:
        return f"Deadline(seconds={self.seconds:g}, remaining={self.remaining():.3f})"

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self._at - time.monotonic()

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self.remaining() <= 0

    def error(self) -> ReadTimeoutError:
        """The error a call that ran out of time raises."""
        return ReadTimeoutError(
            f"the call did not finish within its deadline of {self.seconds:g} s"
        )


class _Watch:
    """Shuts down the socket of the connection in use when the deadline passes."""

    def __init__(self, deadline: Deadline) -> None:
        self._lock = threading.Lock()
        self._conn: HTTPConnection | None = None
        self.fired = False
        self._timer = threading.Timer(max(0.0, deadline.remaining()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conn = conn
            if self.fired:
                self._shutdown()

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._conn = None

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        sock = getattr(self._conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # a recv waiting on it returns at once
            except OSError:
                pass


# The watch of the send in progress on this thread; the connection picks it up.
_CURRENT_WATCH: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar(
    "pawscore_watch", default=None
)


def _before_request(conn: HTTPConnection) -> None:
    """Hand ``conn`` to the deadline's watch, and connect now if it is not connected.

    http.client connects lazily, from inside ``send(header_bytes)``: a connection that
    fails there leaves the encoded headers, session token included, in the locals of
    the frames a traceback records. Connecting first means such a failure happens
    before the headers exist as bytes.
    """
    watch = _CURRENT_WATCH.get()
    if watch is not None:
        watch.attach(conn)
    if conn.sock is None:
        conn.connect()


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _before_request(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _before_request(self)
        super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def _wire_headers(headers: Mapping[str, Any]) -> dict[str, Any]:
    """Header values as the bytes to send: UTF-8 text; hidden values stay wrapped."""
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in headers.items()}


_HEX_DIGITS = b"0123456789abcdefABCDEF"
_MAX_CHUNK_LINE = 64 * 1024  # a size line (or trailer) longer than this is malformed
_NATIVE_LEFT = 1 << 62  # chunk sizes the C path holds (16 hex digits can be more)


def _chunk_size(line: bytes) -> int:
    """The size on a chunk-size line (extensions ignored); ValueError when malformed."""
    token = line.split(b";", 1)[0].strip(b" \t\r")
    if not token or len(token) > 16 or token.strip(_HEX_DIGITS):
        raise ValueError(f"invalid chunk size line {line[:40]!r}")
    return int(token, 16)


def _dechunked(read1: Callable[[int], bytes], amt: int) -> Iterator[bytes]:
    """The data of a chunked body (RFC 9112, 7.1), one piece per read of ``read1``.

    Reads only what the body still needs, so nothing after its end is consumed.
    A body that ends before its last chunk raises ``http.client.IncompleteRead``;
    a malformed size line raises ``ValueError`` (both become IncompleteBody).
    """
    native = eventstream.NATIVE
    dechunk = native.dechunk if native is not None else None
    buf = b""  # the bytes of the last read not used yet
    pos = 0
    left = 0  # data bytes of the current chunk still to come
    crlf = 0  # bytes of the CRLF after a chunk's data still to skip
    trailers = False  # after the last chunk: trailer lines up to an empty one
    while True:
        pieces: list[bytes] = []
        while True:
            if dechunk is not None and left < _NATIVE_LEFT:
                # The C fast path takes every step it can; it stops where it needs
                # more bytes or at a size line it leaves to the code below.
                data, pos, left, crlf, trailers, done = dechunk(buf, pos, left, crlf, trailers)
                if data:
                    pieces.append(data)
                if done:
                    if pieces:
                        yield b"".join(pieces)
                    return
            if left:
                take = min(left, len(buf) - pos)
                if not take:
                    break
                pieces.append(buf if take == len(buf) else buf[pos : pos + take])
                pos += take
                left -= take
                if left:
                    break
                crlf = 2
            if crlf:
                skip = min(crlf, len(buf) - pos)
                pos += skip
                crlf -= skip
                if crlf:
                    break
            end = buf.find(b"\n", pos)
            if end < 0:
                if len(buf) - pos > _MAX_CHUNK_LINE:
                    raise ValueError("chunk size line too long")
                break
            line = buf[pos:end]
            pos = end + 1
            if trailers:
                if not line.strip(b"\r"):
                    if pieces:
                        yield b"".join(pieces)
                    return
            else:
                left = _chunk_size(line)
                trailers = left == 0
        if pieces:
            yield pieces[0] if len(pieces) == 1 else b"".join(pieces)
        data = read1(amt)
        if not data:
            if trailers:
                return  # as http.client: a body may end without its trailer section
            raise http.client.IncompleteRead(b"")
        buf = buf[pos:] + data if pos < len(buf) else data
        pos = 0


class HttpResponse:
    """A response whose body has not been read yet."""

    def __init__(
        self,
        raw: urllib3.HTTPResponse,
        url: str,
        deadline: Deadline | None = None,
        watch: _Watch | None = None,
    ) -> None:
        self._raw = raw
        self._url = url
        self._deadline = deadline
        self._watch = watch
        self.status: int = raw.status
        self.headers: Mapping[str, str] = raw.headers
        self._closed = False

    def __repr__(self) -> str:
        return f"HttpResponse(status={self.status})"

    def stream(self, amt: int = CHUNK) -> Iterator[bytes]:
        """Yield body bytes as they arrive (each chunk at most ``amt`` bytes)."""
        raw = self._raw
        # Without a Content-Encoding urllib3 has nothing to decode, but its decoding
        # path still copies every read through a buffer: skip it.
        encoding = raw.headers.get("content-encoding", "").strip().lower()
        decode = encoding not in ("", "identity")
        try:
            if raw.chunked and raw.supports_chunked_reads() and not decode:
                # Our own de-chunking: one piece per read however many HTTP chunks it
                # holds (urllib3 hands out one per chunk, and event streams often send
                # one frame per chunk).
                fp = raw._fp
                if fp is None or is_response_to_head(fp):
                    return
                yield from _dechunked(fp.fp.read1, amt)
                fp.close()  # the body is complete: as http.client ends it, connection kept
            elif raw.chunked and raw.supports_chunked_reads():
                for piece in raw.read_chunked(amt, decode_content=decode):
                    if piece:
                        yield piece
            else:
                # read1: whatever has arrived, up to amt, so events never wait for a
                # full buffer.
                read1 = raw.read1
                while True:
                    piece = read1(amt, decode)
                    if not piece:
                        break
                    yield piece
        except Exception as exc:
            if self._deadline is not None and self._deadline.expired():
                raise self._deadline.error() from exc
            if isinstance(exc, ProtocolError | IncompleteRead | http.client.IncompleteRead):
                raise IncompleteBody(f"response body from {self._url} ended early: {exc}") from exc
            if isinstance(exc, ValueError):
                # http.client's answer to a negative chunk size: the framing is broken.
                raise IncompleteBody(f"response body from {self._url} is malformed: {exc}") from exc
            if isinstance(exc, _Urllib3ReadTimeout | TimeoutError):
                raise ReadTimeoutError(f"timed out reading the response from {self._url}") from exc
            if isinstance(exc, _Urllib3Error | OSError):
                raise HttpError(f"error reading the response from {self._url}: {exc}") from exc
            raise
        finally:
            if not self._closed and self._raw.isclosed():
                self._release()

    def read(self) -> bytes:
        """The whole remaining body."""
        data = b"".join(self.stream())
        self.close()
        return data

    def close(self) -> None:
        """Close the response; a body not read to its end closes the connection too."""
        if self._closed:
            return
        self._closed = True
        complete = self._raw.isclosed() or (
            self._raw.length_remaining is not None and self._raw.length_remaining == 0
        )
        if not complete or (self._watch is not None and self._watch.fired):
            self._raw.close()  # never hand a half-read connection back to the pool
        self._stop_watch()
        self._raw.release_conn()

    def _release(self) -> None:
        self._closed = True
        self._stop_watch()
        self._raw.release_conn()

    def _stop_watch(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None


def proxy_for(url: str, proxies: Mapping[str, str] | None = None) -> str | None:
    """The proxy URL to reach ``url`` through, or None to go direct.

    ``proxies`` ({"http": ..., "https": ...}) comes from the config; without it the
    environment decides (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as in botocore.
    """
    parts = urllib.parse.urlsplit(url)
    if proxies is not None:
        return proxies.get(parts.scheme) or None
    found = urllib.request.getproxies_environment()
    proxy = found.get(parts.scheme)
    if not proxy:
        return None
    if parts.hostname and urllib.request.proxy_bypass_environment(  # type: ignore[attr-defined]
        parts.netloc, found
    ):
        return None
    return proxy if "://" in proxy else "http://" + proxy


class HttpClient:
    """urllib3 pools (direct, and one per proxy) with the client's timeouts; no retries.

    Thread-safe: urllib3's pools hand each request its own connection and keep up to
    ``POOL_CONNECTIONS`` per host open for reuse.
    """

    def __init__(
        self,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        proxies: Mapping[str, str] | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._proxies = proxies
        self._ca_bundle = ca_bundle
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=POOL_CONNECTIONS, timeout=self._timeout, ca_certs=self._ca_bundle
        )
        # Connections that a deadline's watchdog can shut down.
        self._pool.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        self._proxy_pools: dict[str, urllib3.ProxyManager] = {}

    def _pool_for(self, url: str) -> urllib3.PoolManager:
        proxy = proxy_for(url, self._proxies)
        if proxy is None:
            return self._pool
        pool = self._proxy_pools.get(proxy)
        if pool is None:
            pool = urllib3.ProxyManager(
                proxy,
                num_pools=4,
                maxsize=POOL_CONNECTIONS,
                timeout=self._timeout,
                ca_certs=self._ca_bundle,
            )
            pool.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
            self._proxy_pools[proxy] = pool
        return pool

    def send(
        self, request: HttpRequest, stream: bool = True, deadline: Deadline | None = None
    ) -> HttpResponse:
        """Send ``request``; the body is read later through the returned HttpResponse.

        With ``deadline``, every wait (connect, headers, body) ends when it passes.
        """
        timeout = self._timeout
        watch = None
        if deadline is not None:
            left = deadline.remaining()
            if left <= 0:
                raise deadline.error()
            timeout = urllib3.Timeout(
                connect=min(self._connect_timeout, left), read=min(self._read_timeout, left)
            )
            watch = _Watch(deadline)
        token = _CURRENT_WATCH.set(watch)
        try:
            raw = self._pool_for(request.url).urlopen(
                request.method,
                request.url,
                body=request.body or None,
                headers=_wire_headers(request.headers),
                timeout=timeout,
                preload_content=False,
                decode_content=True,
                retries=False,
                redirect=False,
            )
        except Exception as exc:
            if watch is not None:
                watch.cancel()
            if deadline is not None and deadline.expired():
                raise deadline.error() from exc
            if isinstance(exc, ProxyError) and _is_connect_timeout(exc.original_error):
                raise _ConnectTimeout(
                    f"no connection to the proxy for {request.url} "
                    f"within {timeout.connect_timeout} s"
                ) from exc
            if isinstance(exc, NewConnectionError | SSLError):
                raise EndpointConnectionError(f"could not connect to {request.url}: {exc}") from exc
            if isinstance(exc, ConnectTimeoutError):
                raise _ConnectTimeout(
                    f"no connection to {request.url} within {timeout.connect_timeout} s"
                ) from exc
            if isinstance(exc, _Urllib3ReadTimeout | TimeoutError):
                raise ReadTimeoutError(
                    f"no answer from {request.url} within {timeout.read_timeout} s"
                ) from exc
            if isinstance(exc, _Urllib3Error | OSError):
                raise EndpointConnectionError(f"connection to {request.url} failed: {exc}") from exc
            raise
        finally:
            _CURRENT_WATCH.reset(token)
        assert isinstance(raw, urllib3.HTTPResponse)  # preload_content=False gives one
        response = HttpResponse(raw, request.url, deadline, watch)
        if not stream:
            body = response.read()
            return _Buffered(response, body)
        return response

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.clear()
        for pool in self._proxy_pools.values():
            pool.clear()


def _is_connect_timeout(exc: BaseException | None) -> bool:
    # urllib3 2 derives NewConnectionError (refused, unreachable) from ConnectTimeoutError.
    return isinstance(exc, ConnectTimeoutError) and not isinstance(exc, NewConnectionError)


class _Buffered(HttpResponse):
    """A response whose body was read in full at send time."""

    def __init__(self, inner: HttpResponse, body: bytes) -> None:
        self.status = inner.status
        self.headers = inner.headers
        self._body = body
        self._closed = True

    def stream(self, amt: int = CHUNK) -> Iterator[bytes]:
        """Yield the buffered body."""
        if self._body:
            yield self._body

    def read(self) -> bytes:
        """The buffered body."""
        return self._body

    def close(self) -> None:
        """Nothing to close."""


__all__ = [
    "CHUNK",
    "Deadline",
    "HttpClient",
    "HttpRequest",
    "HttpResponse",
    "joined_headers",
    "lower_headers",
    "proxy_for",
    "user_agent",
]
