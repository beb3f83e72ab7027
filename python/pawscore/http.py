"""HTTP transport on urllib3: one pool per client, bodies streamed as they arrive.

A body cut before its declared end (short Content-Length, broken chunked encoding)
raises IncompleteBody; it never looks like a clean end of data.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator, Mapping

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    IncompleteRead,
    NewConnectionError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import (
    HTTPError as _Urllib3Error,
)
from urllib3.exceptions import (
    ReadTimeoutError as _Urllib3ReadTimeout,
)

from .errors import EndpointConnectionError, HttpError, IncompleteBody, ReadTimeoutError
from .restjson import HttpRequest

CHUNK = 64 * 1024
# Connections kept open per host: a client shared by this many threads reuses one
# connection per thread instead of opening a new one per call.
POOL_CONNECTIONS = 64


class HttpResponse:
    """A response whose body has not been read yet."""

    def __init__(self, raw: urllib3.HTTPResponse, url: str) -> None:
        self._raw = raw
        self._url = url
        self.status: int = raw.status
        self.headers: Mapping[str, str] = raw.headers
        self._closed = False

    def __repr__(self) -> str:
        return f"HttpResponse(status={self.status})"

    def stream(self, amt: int = CHUNK) -> Iterator[bytes]:
        """Yield body bytes as they arrive (each chunk at most ``amt`` bytes)."""
        try:
            if self._raw.chunked and self._raw.supports_chunked_reads():
                for piece in self._raw.read_chunked(amt, decode_content=True):
                    if piece:
                        yield piece
            else:
                while True:
                    piece = self._raw.read1(amt)
                    if not piece:
                        break
                    yield piece
        except (ProtocolError, IncompleteRead, http.client.IncompleteRead) as exc:
            raise IncompleteBody(f"response body from {self._url} ended early: {exc}") from exc
        except _Urllib3ReadTimeout as exc:
            raise ReadTimeoutError(f"timed out reading the response from {self._url}") from exc
        except (_Urllib3Error, OSError) as exc:
            raise HttpError(f"error reading the response from {self._url}: {exc}") from exc
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
        if not complete:
            self._raw.close()  # never hand a half-read connection back to the pool
        self._raw.release_conn()

    def _release(self) -> None:
        self._closed = True
        self._raw.release_conn()


class HttpClient:
    """A urllib3 pool with the client's timeouts; no retries at this level.

    Thread-safe: urllib3's pool hands each request its own connection and keeps up
    to ``POOL_CONNECTIONS`` per host open for reuse.
    """

    def __init__(self, connect_timeout: float = 10.0, read_timeout: float = 60.0) -> None:
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=POOL_CONNECTIONS, timeout=self._timeout
        )

    def send(self, request: HttpRequest, stream: bool = True) -> HttpResponse:
        """Send ``request``; the body is read later through the returned HttpResponse."""
        try:
            raw = self._pool.request(
                request.method,
                request.url,
                body=request.body or None,
                headers=dict(request.headers),
                preload_content=False,
                decode_content=True,
                retries=False,
                redirect=False,
            )
        except (NewConnectionError, ConnectTimeoutError, SSLError) as exc:
            raise EndpointConnectionError(f"could not connect to {request.url}: {exc}") from exc
        except _Urllib3ReadTimeout as exc:
            raise ReadTimeoutError(f"timed out waiting for {request.url}") from exc
        except (_Urllib3Error, OSError) as exc:
            raise EndpointConnectionError(f"connection to {request.url} failed: {exc}") from exc
        assert isinstance(raw, urllib3.HTTPResponse)  # preload_content=False gives one
        response = HttpResponse(raw, request.url)
        if not stream:
            body = response.read()
            return _Buffered(response, body)
        return response

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.clear()


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


__all__ = ["CHUNK", "HttpClient", "HttpResponse"]
