"""The urllib3 transport against a real server: streaming, truncation, timeouts."""

from __future__ import annotations

import gzip
import http.client
import random
import threading
from collections.abc import Callable, Iterator

import pytest
from pawscore import EndpointConnectionError, HttpError, IncompleteBody, ReadTimeoutError
from pawscore.http import HttpClient, HttpRequest, _dechunked

from tests.native import KINDS, python_decoder

from .support import Handler, StreamServer, raw_script


def get(server: StreamServer, path: str = "/x") -> HttpRequest:
    return HttpRequest("GET", server.url + path)


def test_bytes_arrive_before_the_body_ends(server: StreamServer) -> None:
    gate = threading.Event()

    def script(h: Handler) -> None:
        h.start_chunked()
        h.send_chunk(b"first")
        server.notes.append(gate.wait(timeout=10))
        h.send_chunk(b"second")
        h.end_chunks()

    server.plan.append(script)
    response = HttpClient().send(get(server))
    assert response.status == 200
    pieces = response.stream()
    assert next(pieces) == b"first"
    gate.set()  # the server sends the rest only now
    assert b"".join(pieces) == b"second"
    assert server.notes == [True]


def test_broken_chunked_body_raises(server: StreamServer) -> None:
    def script(h: Handler) -> None:
        h.start_chunked()
        h.send_chunk(b"complete chunk")
        h.wfile.write(b"20\r\nonly part of it")
        h.cut()

    server.plan.append(script)
    response = HttpClient().send(get(server))
    with pytest.raises(IncompleteBody):
        b"".join(response.stream())


def test_short_content_length_raises(server: StreamServer) -> None:
    server.plan.append(raw_script(200, b"12345", declared=10))
    response = HttpClient().send(get(server))
    with pytest.raises(IncompleteBody) as info:
        response.read()
    assert isinstance(info.value, HttpError)


def test_buffered_send_reads_everything(server: StreamServer) -> None:
    server.plan.append(raw_script(200, b"x" * 200_000, {"X-Test": "yes"}))
    response = HttpClient().send(get(server), stream=False)
    assert response.headers["X-Test"] == "yes"
    assert response.read() == b"x" * 200_000


def test_pool_reuses_the_connection(server: StreamServer) -> None:
    server.plan += [raw_script(200, b"a"), raw_script(200, b"b")]
    client = HttpClient()
    assert client.send(get(server)).read() == b"a"
    assert client.send(get(server)).read() == b"b"
    assert len(server.seen) == 2
    assert server.seen[0].client_port == server.seen[1].client_port


def test_connection_refused() -> None:
    with pytest.raises(EndpointConnectionError):
        HttpClient(connect_timeout=2).send(HttpRequest("GET", "http://127.0.0.1:9/"))


def test_read_timeout(server: StreamServer) -> None:
    release = threading.Event()

    def script(h: Handler) -> None:
        h.start_chunked()
        h.send_chunk(b"start")
        release.wait(timeout=10)
        h.cut()

    server.plan.append(script)
    response = HttpClient(read_timeout=0.2).send(get(server))
    try:
        with pytest.raises(ReadTimeoutError):
            b"".join(response.stream())
    finally:
        release.set()


def test_head_ends_with_the_headers_whatever_content_length_says(server: StreamServer) -> None:
    def head_script(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "42")  # the size a GET would have; no body follows
        h.end_headers()

    def ok_script(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "2")
        h.end_headers()
        h.wfile.write(b"ok")

    server.plan += [head_script, ok_script]
    client = HttpClient(read_timeout=5)
    response = client.send(HttpRequest("HEAD", server.url + "/x"), stream=False)
    assert response.status == 200 and response.read() == b""
    # The connection is reusable: nothing of a body was waited for or left behind.
    assert client.send(get(server), stream=False).read() == b"ok"
    assert [seen.method for seen in server.seen] == ["HEAD", "GET"]


def test_no_accept_header_unless_the_request_has_one(server: StreamServer) -> None:
    for _ in range(2):
        server.plan.append(raw_script(200, b""))
    HttpClient().send(get(server), stream=False)
    HttpClient().send(
        HttpRequest("GET", server.url + "/x", {"Accept": "application/json"}), stream=False
    )
    first, second = ({k.lower(): v for k, v in s.headers.items()} for s in server.seen)
    assert "accept" not in first
    assert second["accept"] == "application/json"


# ------------------------------------------------------------ chunked bodies, de-chunked here

CHUNKED = (
    b"5\r\nhello\r\n"
    b"0A;name=value;other\r\n0123456789\r\n"  # an extension, upper-case hex, a leading 0
    b"1 \r\n!\r\n"  # spaces after the size
    b"000010\r\n" + b"x" * 16 + b"\r\n"
    b"0\r\nX-Trailer: one\r\nY: two\r\n\r\n"
)
CHUNKED_DATA = b"hello0123456789!" + b"x" * 16


def _reader(pieces: list[bytes]) -> Callable[[int], bytes]:
    """A read1 over ``pieces`` (each read returns at most one piece, cut to ``n``).

    As a socket's, an empty read is the end of the stream, so empty pieces are left out.
    """
    queue = [piece for piece in pieces if piece]

    def read1(n: int) -> bytes:
        if not queue:
            return b""
        piece = queue.pop(0)
        if len(piece) > n:
            queue.insert(0, piece[n:])
        return piece[:n]

    return read1


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> Iterator[str]:
    """De-chunk with the C fast path ("native") or in pure Python ("pure")."""
    with python_decoder(request.param):
        yield request.param


def test_dechunking_at_every_split_and_byte_by_byte(kind: str) -> None:
    for cut in range(len(CHUNKED) + 1):
        pieces = list(_dechunked(_reader([CHUNKED[:cut], CHUNKED[cut:]]), 1 << 16))
        assert b"".join(pieces) == CHUNKED_DATA, cut
        assert len(pieces) <= 2  # one piece per read, not one per chunk
    one_by_one = _reader([CHUNKED[i : i + 1] for i in range(len(CHUNKED))])
    assert b"".join(_dechunked(one_by_one, 1 << 16)) == CHUNKED_DATA
    assert b"".join(_dechunked(_reader([CHUNKED]), 3)) == CHUNKED_DATA  # small reads


def test_dechunking_reads_nothing_after_the_body(kind: str) -> None:
    read1 = _reader([CHUNKED, b"NEXT RESPONSE"])
    assert b"".join(_dechunked(read1, 1 << 16)) == CHUNKED_DATA
    assert read1(100) == b"NEXT RESPONSE"
    ended = _reader([b"3\r\nabc\r\n0\r\n"])  # no trailer section: accepted, as http.client does
    assert b"".join(_dechunked(ended, 1 << 16)) == b"abc"


@pytest.mark.parametrize(
    "line", [b"-5", b"0x5", b"zz", b"", b" ", b"5 5", b"+5", b"1" * 17, b";ext", b"5\x00"]
)
def test_a_malformed_chunk_size_is_an_error(kind: str, line: bytes) -> None:
    body = b"3\r\nabc\r\n" + line + b"\r\nhello\r\n0\r\n\r\n"
    with pytest.raises(ValueError, match="chunk size"):
        b"".join(_dechunked(_reader([body]), 99))


def test_a_size_line_without_end_is_an_error(kind: str) -> None:
    with pytest.raises(ValueError, match="too long"):
        b"".join(_dechunked(_reader([b"1" * 70_000]), 1 << 20))
    long_but_valid = b"0000000000000003\r\nabc\r\n0\r\n\r\n"  # 16 digits: Python's part
    assert b"".join(_dechunked(_reader([long_but_valid]), 99)) == b"abc"


@pytest.mark.parametrize("body", [b"5\r\nhel", b"5\r\nhello\r\n", b"5\r\nhello\r\n3", b""])
def test_a_chunked_body_cut_short_is_incomplete(kind: str, body: bytes) -> None:
    with pytest.raises(http.client.IncompleteRead):
        b"".join(_dechunked(_reader([body]), 99))


def _dechunk_outcome(pieces: list[bytes], kind: str, amt: int) -> tuple[bytes, str | None]:
    with python_decoder(kind):
        out: list[bytes] = []
        try:
            for piece in _dechunked(_reader(pieces), amt):
                out.append(piece)
        except (ValueError, http.client.IncompleteRead) as exc:
            return b"".join(out), f"{type(exc).__name__}: {exc}"
    return b"".join(out), None


def test_native_and_pure_dechunking_agree_on_random_and_damaged_bodies() -> None:
    rng = random.Random(7)
    for case in range(400):
        body = b""
        for _ in range(rng.randrange(0, 12)):
            data = rng.randbytes(rng.choice([0, 1, 2, 15, 16, 300, 5000]))
            size = f"{len(data):x}".upper() if rng.random() < 0.3 else f"{len(data):x}"
            if rng.random() < 0.2:
                size = "0" * rng.randrange(1, 6) + size
            ext = rng.choice(["", ";a=b", " ", "\t;x"])
            body += f"{size}{ext}\r\n".encode() + data + b"\r\n"
        body += b"0\r\n" + rng.choice([b"", b"T: v\r\n"]) + b"\r\n"
        if case % 2:  # damage: a byte changed, or the body cut
            raw = bytearray(body)
            if rng.random() < 0.5 and raw:
                raw[rng.randrange(len(raw))] = rng.choice(b"\r\n;-x 0Fg")
            else:
                del raw[rng.randrange(len(raw) + 1) :]
            body = bytes(raw)
        cuts = sorted(rng.randrange(len(body) + 1) for _ in range(rng.randrange(0, 5)))
        pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
        amt = rng.choice([7, 100, 1 << 16])
        assert _dechunk_outcome(pieces, "native", amt) == _dechunk_outcome(pieces, "pure", amt), (
            case
        )


def test_many_chunks_arrive_as_few_pieces_and_the_connection_is_reused(
    server: StreamServer,
) -> None:
    def chunks(h: Handler) -> None:
        h.start_chunked()
        h.wfile.write(b"".join(f"3\r\n{i:03d}\r\n".encode() for i in range(500)))
        h.wfile.write(b"0\r\nTrailer: x\r\n\r\n")
        h.wfile.flush()

    server.plan += [chunks, raw_script(200, b"after")]
    client = HttpClient()
    response = client.send(get(server))
    pieces = list(response.stream())
    assert b"".join(pieces) == b"".join(f"{i:03d}".encode() for i in range(500))
    assert len(pieces) < 50
    response.close()
    assert client.send(get(server)).read() == b"after"
    assert server.seen[0].client_port == server.seen[1].client_port


def test_a_gzip_chunked_body_is_still_decoded(server: StreamServer) -> None:
    def script(h: Handler) -> None:
        h.start_chunked(headers={"Content-Encoding": "gzip"})
        packed = gzip.compress(b"zipped " * 100)
        h.send_chunk(packed[:10])
        h.send_chunk(packed[10:])
        h.end_chunks()

    server.plan.append(script)
    assert HttpClient().send(get(server)).read() == b"zipped " * 100


def test_a_negative_chunk_size_from_a_server_is_incomplete_body(server: StreamServer) -> None:
    def script(h: Handler) -> None:
        h.start_chunked()
        h.wfile.write(b"-5\r\nhello\r\n0\r\n\r\n")
        h.wfile.flush()

    server.plan.append(script)
    with pytest.raises(IncompleteBody, match="malformed"):
        HttpClient().send(get(server)).read()
