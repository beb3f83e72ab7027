"""AWS event-stream codec: frame decoder (clients) and encoder (emulator, tests).

Wire format (big-endian): total length u32, headers length u32, prelude CRC32,
headers, payload, message CRC32. Header: name length u8, name, type tag u8, value.
This module knows nothing about services or models; it turns bytes into
``Message(headers, payload)`` and back, strictly: every CRC is checked, every
length is bounded, and a stream that ends inside a frame raises ``TruncatedStream``.
"""

from __future__ import annotations

import os
import struct
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any, NamedTuple, cast

from pawscore.errors import (
    ChecksumMismatch,
    EventStreamError,
    HeaderValueOutOfRange,
    InvalidFrame,
    InvalidHeaderType,
    TruncatedStream,
)

__all__ = [
    "ChecksumMismatch",
    "EventStreamDecoder",
    "EventStreamError",
    "HeaderValueOutOfRange",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "InvalidFrame",
    "InvalidHeaderType",
    "Message",
    "TruncatedStream",
    "UnreadableValue",
    "decode_stream",
    "encode_message",
]

PRELUDE_LENGTH = 12
MIN_FRAME_LENGTH = 16  # prelude + message CRC, no headers, no payload
# The limits botocore applies (and AWS's C library: "current service-side max is 24 MB").
MAX_HEADERS_LENGTH = 128 * 1024
MAX_PAYLOAD_LENGTH = 24 * 1024 * 1024
MAX_FRAME_LENGTH = MIN_FRAME_LENGTH + MAX_HEADERS_LENGTH + MAX_PAYLOAD_LENGTH  # largest accepted
MAX_VALUE_LENGTH = 32767  # byte array / string values carry a u16 length; AWS caps them at 2^15-1

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_PRELUDE = struct.Struct(">III")
_U32 = struct.Struct(">I")
_U16 = struct.Struct(">H")
_I8 = struct.Struct(">b")
_I16 = struct.Struct(">h")
_I32 = struct.Struct(">i")
_I64 = struct.Struct(">q")
_TYPE_NAMES = (
    "bool true",
    "bool false",
    "byte",
    "short",
    "integer",
    "long",
    "byte array",
    "string",
    "timestamp",
    "uuid",
)
# Header blocks repeat across the frames of one stream; parsing each distinct block
# once is the main saving on small frames.  Bounded so a hostile stream cannot grow it.
_HEADER_CACHE_SIZE = 64
_HEADER_CACHE_MAX_KEY = 1024
# Pieces of a partial frame up to this size are copied (cheap) rather than kept as
# views that would hold on to a whole read.
_SMALL_PIECE = 4096


class Message(NamedTuple):
    """One decoded event-stream message."""

    headers: dict[str, object]
    payload: bytes


class UnreadableValue(NamedTuple):
    """A header value that one of the runtimes cannot hold as its own type.

    Kept as its wire bytes so decoding never fails on a header nobody reads; the
    event layer raises ``HeaderValueOutOfRange`` only when the model reads it.
    Python: a timestamp outside ``datetime``'s range.  (R also uses it for a long
    or timestamp beyond +-2^53, the integer -2^31 and a string holding NUL.)
    """

    type: str  # wire type name, e.g. "timestamp"
    raw: bytes  # the value bytes as sent
    reason: str


class Int8(int):
    """Header value encoded as a byte (type 2)."""


class Int16(int):
    """Header value encoded as a short (type 3)."""


class Int32(int):
    """Header value encoded as an integer (type 4); plain ``int`` encodes the same."""


class Int64(int):
    """Header value encoded as a long (type 5)."""


def _load_native() -> ModuleType | None:
    """The C accelerator ``pawscore._native``, unless absent or ``PAWSCORE_NATIVE=0``."""
    if os.environ.get("PAWSCORE_NATIVE", "").strip() == "0":
        return None
    try:
        from pawscore import _native
    except ImportError:
        return None
    return _native


# The C fast path of the decoder and of the event builder (python/native/), or None
# for pure Python.  Read when a decoder (or iter_events) starts, so tests can swap it.
# It only ever takes frames that decode without error and whose header block is
# already cached; every other frame goes through the Python code below.
NATIVE: ModuleType | None = _load_native()


# ---------------------------------------------------------------------------
# Encoder


_INT_WIDTHS: tuple[tuple[type, int, struct.Struct, int], ...] = (
    (Int8, 2, _I8, 8),
    (Int16, 3, _I16, 16),
    (Int64, 5, _I64, 64),
    (Int32, 4, _I32, 32),
)


def _encode_value(name: str, value: object) -> bytes:
    if value is True:
        return b"\x00"
    if value is False:
        return b"\x01"
    if isinstance(value, int) and not isinstance(value, bool):
        tag, fmt, bits = 4, _I32, 32
        for cls, cls_tag, cls_fmt, cls_bits in _INT_WIDTHS:
            if isinstance(value, cls):
                tag, fmt, bits = cls_tag, cls_fmt, cls_bits
                break
        limit = 1 << (bits - 1)
        if not -limit <= value < limit:
            raise ValueError(
                f"header {name!r}: {int(value)} does not fit a {bits}-bit {_TYPE_NAMES[tag]}"
            )
        return bytes((tag,)) + fmt.pack(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return b"\x06" + _sized(name, raw)
    if isinstance(value, str):
        return b"\x07" + _sized(name, value.encode("utf-8"))
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"header {name!r}: timestamp must be timezone-aware")
        millis = (value - _EPOCH) // timedelta(milliseconds=1)
        return b"\x08" + _I64.pack(millis)
    if isinstance(value, uuid.UUID):
        return b"\x09" + value.bytes
    raise TypeError(f"header {name!r}: cannot encode a value of type {type(value).__name__}")


def _sized(name: str, raw: bytes) -> bytes:
    if len(raw) > MAX_VALUE_LENGTH:
        raise ValueError(
            f"header {name!r}: value is {len(raw)} bytes, more than {MAX_VALUE_LENGTH}"
        )
    return _U16.pack(len(raw)) + raw


def encode_headers(headers: Mapping[str, object] | Sequence[tuple[str, object]]) -> bytes:
    """Encode a header block (names in the given order)."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    out = bytearray()
    seen: set[str] = set()
    for name, value in items:
        if not isinstance(name, str):
            raise TypeError(f"header name must be str, not {type(name).__name__}")
        raw_name = name.encode("utf-8")
        if not 1 <= len(raw_name) <= 255 or "\x00" in name:
            raise ValueError(f"header name {name!r} must be 1 to 255 bytes of UTF-8, without NUL")
        if name in seen:
            raise ValueError(f"duplicate header name {name!r}")
        seen.add(name)
        out += bytes((len(raw_name),)) + raw_name + _encode_value(name, value)
    return bytes(out)


def encode_message(
    headers: Mapping[str, object] | Sequence[tuple[str, object]], payload: bytes = b""
) -> bytes:
    """Encode one event-stream frame from headers and a payload.

    Value typing: ``bool`` -> bool, ``int``/``Int32`` -> integer, ``Int8``/``Int16``/
    ``Int64`` -> byte/short/long, ``bytes`` -> byte array, ``str`` -> string, aware
    ``datetime`` -> timestamp (ms), ``uuid.UUID`` -> uuid.
    """
    header_block = encode_headers(headers)
    payload = bytes(payload)
    total = PRELUDE_LENGTH + len(header_block) + len(payload) + 4
    if len(header_block) > MAX_HEADERS_LENGTH:
        raise ValueError(
            f"headers of {len(header_block)} bytes exceed the {MAX_HEADERS_LENGTH}-byte limit"
        )
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise ValueError(
            f"payload of {len(payload)} bytes exceeds the {MAX_PAYLOAD_LENGTH}-byte limit"
        )
    prelude = struct.pack(">II", total, len(header_block))
    prelude += _U32.pack(zlib.crc32(prelude))
    body = prelude + header_block + payload
    return body + _U32.pack(zlib.crc32(body))


# ---------------------------------------------------------------------------
# Decoder


def _parse_headers(block: bytes, frame_offset: int) -> dict[str, object]:
    """Parse a header block; errors carry the frame's stream offset."""
    headers: dict[str, object] = {}
    pos = 0
    end = len(block)
    while pos < end:
        start = pos
        name_len = block[pos]
        pos += 1
        if name_len == 0:
            raise InvalidFrame(
                f"header name of length 0 (header at frame byte {PRELUDE_LENGTH + start})",
                offset=frame_offset,
            )
        if pos + name_len + 1 > end:
            raise InvalidFrame(
                f"header at frame byte {PRELUDE_LENGTH + start} runs past the header block",
                offset=frame_offset,
            )
        try:
            name = block[pos : pos + name_len].decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidFrame(
                f"header name at frame byte {PRELUDE_LENGTH + start} is not UTF-8",
                offset=frame_offset,
            ) from None
        if "\x00" in name:
            raise InvalidFrame(
                f"header name at frame byte {PRELUDE_LENGTH + start} contains a NUL byte",
                offset=frame_offset,
            )
        pos += name_len
        tag = block[pos]
        pos += 1
        value: object
        if tag == 0:
            value = True
        elif tag == 1:
            value = False
        elif tag == 6 or tag == 7:
            if pos + 2 > end:
                raise _short_value(name, frame_offset)
            (length,) = _U16.unpack_from(block, pos)
            pos += 2
            if pos + length > end:
                raise _short_value(name, frame_offset)
            raw = block[pos : pos + length]
            pos += length
            if tag == 6:
                value = raw
            else:
                try:
                    value = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise InvalidFrame(
                        f"header {name!r} string value is not UTF-8", offset=frame_offset
                    ) from None
        elif 2 <= tag <= 5 or tag == 8 or tag == 9:
            size = _FIXED_SIZES[tag]
            if pos + size > end:
                raise _short_value(name, frame_offset)
            if tag == 9:
                value = str(uuid.UUID(bytes=block[pos : pos + 16]))
            else:
                (value,) = _FIXED_FORMATS[tag].unpack_from(block, pos)
                if tag == 8:
                    value = _timestamp(cast(int, value), block[pos : pos + 8])
            pos += size
        else:
            raise InvalidHeaderType(
                f"header {name!r} has unknown value type {tag}", offset=frame_offset
            )
        if name in headers:
            raise InvalidFrame(f"duplicate header name {name!r}", offset=frame_offset)
        headers[name] = value
    return headers


_MAX_BODY = MAX_PAYLOAD_LENGTH + MIN_FRAME_LENGTH  # total - headers length, at most
_FIXED_SIZES = {2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
_FIXED_FORMATS = {2: _I8, 3: _I16, 4: _I32, 5: _I64, 8: _I64}


def _short_value(name: str, frame_offset: int) -> InvalidFrame:
    return InvalidFrame(f"header {name!r} value runs past the header block", offset=frame_offset)


def _timestamp(millis: int, raw: bytes) -> datetime | UnreadableValue:
    try:
        return _EPOCH + timedelta(milliseconds=millis)
    except OverflowError:
        reason = f"timestamp {millis} ms is outside the datetime range"
        return UnreadableValue("timestamp", bytes(raw), reason)


def _check_prelude(total: int, headers_len: int, crc: int, actual: int, offset: int) -> None:
    """Raise the right error for a prelude that failed the fast-path test."""
    if crc != actual:
        raise ChecksumMismatch(
            f"prelude CRC mismatch (expected 0x{crc:08x}, computed 0x{actual:08x})",
            offset=offset,
        )
    if total < MIN_FRAME_LENGTH:
        raise InvalidFrame(
            f"frame total length {total} is below the {MIN_FRAME_LENGTH}-byte minimum",
            offset=offset,
        )
    if headers_len > total - MIN_FRAME_LENGTH:
        raise InvalidFrame(
            f"headers length {headers_len} exceeds the frame (total length {total})",
            offset=offset,
        )
    if headers_len > MAX_HEADERS_LENGTH:
        raise InvalidFrame(
            f"headers length {headers_len} exceeds the {MAX_HEADERS_LENGTH}-byte limit",
            offset=offset,
        )
    payload_len = total - headers_len - MIN_FRAME_LENGTH
    raise InvalidFrame(
        f"payload length {payload_len} exceeds the {MAX_PAYLOAD_LENGTH}-byte limit",
        offset=offset,
    )


def _message_crc_error(buf: bytes | memoryview, at: int, computed: int, offset: int) -> None:
    (expected,) = _U32.unpack_from(buf, at)
    raise ChecksumMismatch(
        f"message CRC mismatch (expected 0x{expected:08x}, computed 0x{computed:08x})",
        offset=offset,
    )


class EventStreamDecoder:
    """Incremental, strict decoder: feed it bytes as they arrive, then call ``finish``.

    Between calls it holds only the start of one partial frame.  After an error the
    decoder is broken: every later call raises the same error again.
    """

    def __init__(self) -> None:
        self.offset = 0  # stream bytes fully consumed (start of the pending frame)
        self._parts: list[bytes | bytearray | memoryview] = []  # the partial frame, as received
        self._pending = 0  # bytes in _parts
        self._need = PRELUDE_LENGTH  # bytes the partial frame needs before progress
        self._error: EventStreamError | None = None
        self._cache: dict[bytes, dict[str, object]] = {}
        self._share = False  # messages own their headers; feed_shared() shares them
        native = NATIVE
        self._scan = native.scan_frames if native is not None else None
        self._crc32 = native.crc32 if native is not None else zlib.crc32

    def feed_shared(self, data: bytes | bytearray | memoryview) -> list[Any]:
        """``feed`` for readers that only look at the headers: a flat list.

        The list is ``[headers, payload, headers, payload, ...]``, one pair per
        message, and messages share one headers dict per distinct header block, which
        must not be changed. No dict copy and no tuple per frame: on small frames
        that is much of the cost (tuples are garbage-collector work). Errors and
        ordering are those of ``feed``.
        """
        scan = self._scan
        if scan is None or self._pending or self._error is not None or type(data) is not bytes:
            self._share = True
            try:
                return self.feed(data)
            finally:
                self._share = False
        # The common case with the C path: a read that starts at a frame boundary.
        out: list[Any] = []
        end = len(data)
        pos = scan(data, 0, end, self._cache, out)
        self.offset += pos
        if pos == end:
            return out
        # The rest as feed() would take it, after the messages already decoded.
        self._share = True
        try:
            return self._feed_keeping(data, out, pos)
        finally:
            self._share = False

    def feed(self, data: bytes | bytearray | memoryview) -> list[Message]:
        """Add bytes from the stream; return the messages they complete, in order.

        When these bytes hold good frames and then a bad one, the good messages are
        returned and the error is raised by the next ``feed`` or ``finish``, so a
        caller hands over every event that arrived before the damage.
        """
        if self._error is not None:
            raise self._error
        return self._feed_keeping(data, [])

    def _feed_keeping(
        self, data: bytes | bytearray | memoryview, out: list[Any], start: int = 0
    ) -> list[Any]:
        """``_feed`` into ``out``; an error after some messages waits for the next call."""
        try:
            self._feed(data, out, start)
        except EventStreamError as err:
            self._error = err
            if not out:
                raise
        return out

    def finish(self) -> None:
        """Declare the end of the stream; raise ``TruncatedStream`` inside a frame."""
        if self._error is not None:
            raise self._error
        if self._pending:
            want = self._need if self._need > PRELUDE_LENGTH else "at least 16"
            err = TruncatedStream(
                f"stream ended inside a frame ({self._pending} of {want} bytes received)",
                offset=self.offset,
            )
            self._error = err
            raise err

    def _feed(
        self, data: bytes | bytearray | memoryview, messages: list[Any], start: int = 0
    ) -> None:
        """Decode ``data[start:]``; ``start`` > 0 only when no frame is pending."""
        if type(data) is not bytes:
            # Views into the input are kept between calls, so it must not change later.
            data = bytes(data)
        if self._pending:
            start = self._complete_pending(data, messages)
            if start < 0:
                return
        end = len(data)
        pos = self._decode_frames(data, start, end, messages)
        if pos < end:
            # _decode_frames has set _need if it saw this frame's whole prelude.
            if pos == 0:
                self._parts.append(data)
            elif end - pos > _SMALL_PIECE:
                # No copy: holds on to at most this one read, besides the frame.
                self._parts.append(memoryview(data)[pos:end])
            else:
                self._parts.append(data[pos:end])  # small: a copy lets the read go
            self._pending = end - pos

    def _complete_pending(self, data: bytes, out: list[Any]) -> int:
        """Add bytes of ``data`` to the partial frame; return where the rest starts, or -1."""
        parts = self._parts
        pos = 0
        while True:
            take = min(self._need - self._pending, len(data) - pos)
            if take > 0:
                if take <= _SMALL_PIECE and parts and len(parts[-1]) < _SMALL_PIECE:
                    # Tiny reads are gathered, so a frame that arrives a few bytes
                    # at a time is not held as millions of small objects.
                    tail = parts[-1]
                    if type(tail) is not bytearray:
                        tail = parts[-1] = bytearray(tail)
                    tail += data[pos : pos + take]
                elif pos or take < len(data):
                    parts.append(memoryview(data)[pos : pos + take])
                else:
                    parts.append(data)
                self._pending += take
                pos += take
            if self._pending < self._need:
                return -1
            if self._need > PRELUDE_LENGTH:
                break
            # The prelude is complete: check it now, so a damaged length never waits.
            head = b"".join(bytes(part[:PRELUDE_LENGTH]) for part in parts)
            self._need = self._frame_length(head, self.offset)
        total = self._need
        self._parts = []
        self._pending = 0
        self._need = PRELUDE_LENGTH
        first = parts[0]
        if total <= 4096 or len(parts) < 2 or len(parts[-1]) < 4 or len(first) < PRELUDE_LENGTH:
            # Small frame (joining costs less than working on pieces), or a rare
            # split inside the prelude or the trailing CRC.
            self._decode_frames(b"".join(parts), 0, total, out)
        elif self._share:
            out.extend(self._decode_parts(parts, total))  # headers, payload
        else:
            out.append(self._decode_parts(parts, total))
        return pos

    def _headers(self, key: bytes, frame_offset: int) -> dict[str, object]:
        """Parsed header block, from the cache when this block was seen before."""
        headers = self._cache.get(key)
        if headers is None:
            headers = _parse_headers(key, frame_offset)
            if len(key) <= _HEADER_CACHE_MAX_KEY:
                if len(self._cache) >= _HEADER_CACHE_SIZE:
                    self._cache.clear()
                self._cache[key] = headers
        return headers

    def _decode_parts(self, parts: list[bytes | bytearray | memoryview], total: int) -> Message:
        """Decode one large frame received in pieces, copying only its payload once.

        ``parts[0]`` holds the whole prelude and ``parts[-1]`` the whole message CRC.
        """
        offset = self.offset
        first = memoryview(parts[0])
        last = memoryview(parts[-1])
        _, headers_len, prelude_crc = _PRELUDE.unpack_from(first, 0)
        headers_end = PRELUDE_LENGTH + headers_len
        crc32 = self._crc32
        crc = crc32(first[8:], prelude_crc)
        for middle in parts[1:-1]:
            crc = crc32(middle, crc)
        crc = crc32(last[:-4], crc)
        if crc != _U32.unpack_from(last, len(last) - 4)[0]:
            _message_crc_error(last, len(last) - 4, crc, offset)
        if headers_end <= len(first):
            key = first[PRELUDE_LENGTH:headers_end].tobytes()
            payload = b"".join([first[headers_end:], *parts[1:-1], last[:-4]])
        else:  # headers spill into later pieces (tiny first read): join, then cut
            body = b"".join([first[PRELUDE_LENGTH:], *parts[1:-1], last[:-4]])
            key, payload = body[:headers_len], body[headers_len:]
        headers = self._headers(key, offset)
        if not self._share:
            headers = headers.copy()
        self.offset = offset + total
        return Message(headers, payload)

    @staticmethod
    def _frame_length(buf: bytes, offset: int) -> int:
        total, headers_len, crc = _PRELUDE.unpack_from(buf, 0)
        actual = zlib.crc32(buf[:8])
        if (
            actual != crc
            or headers_len + MIN_FRAME_LENGTH > total
            or headers_len > MAX_HEADERS_LENGTH
            or total - headers_len > _MAX_BODY
        ):
            _check_prelude(total, headers_len, crc, actual, offset)
        return total

    def _decode_frames(self, src: bytes, pos: int, end: int, out: list[Any]) -> int:
        """Decode every complete frame in ``src[pos:end]``; return where decoding stopped.

        With the C accelerator, ``scan_frames`` takes every frame it can and stops at
        the first one it leaves (damaged, partial, or with a header block not cached
        yet); the loop body below handles that one frame exactly as without it.
        """
        scan = self._scan
        crc32 = self._crc32
        unpack_prelude = _PRELUDE.unpack_from
        unpack_u32 = _U32.unpack_from
        cache_get = self._cache.get
        share = self._share
        append = out.append
        new_message = tuple.__new__  # skips NamedTuple's Python-level __new__
        max_headers = MAX_HEADERS_LENGTH
        max_body = _MAX_BODY
        view = memoryview(src)
        offset = self.offset - pos  # stream offset of src[0]
        while end - pos >= PRELUDE_LENGTH:
            if scan is not None:
                if share:
                    pos = scan(src, pos, end, self._cache, out)
                else:
                    pairs: list[Any] = []
                    pos = scan(src, pos, end, self._cache, pairs)
                    items = iter(pairs)
                    for headers, payload in zip(items, items, strict=True):
                        append(new_message(Message, (headers.copy(), payload)))
                if end - pos < PRELUDE_LENGTH:
                    break
            total, headers_len, prelude_crc = unpack_prelude(src, pos)
            actual = crc32(src[pos : pos + 8])
            # headers_len + 16 <= total also rules out total < 16.
            if (
                actual != prelude_crc
                or headers_len + MIN_FRAME_LENGTH > total
                or headers_len > max_headers
                or total - headers_len > max_body
            ):
                _check_prelude(total, headers_len, prelude_crc, actual, offset + pos)
            frame_end = pos + total
            if frame_end > end:
                self._need = total
                break
            body_end = frame_end - 4
            # Continuing from the prelude CRC covers bytes pos..body_end in one pass.
            # Small frames: slicing bytes is cheaper than a view; large: avoid the copy.
            if total <= 4096:
                message_crc = crc32(src[pos + 8 : body_end], prelude_crc)
            else:
                message_crc = crc32(view[pos + 8 : body_end], prelude_crc)
            if message_crc != unpack_u32(src, body_end)[0]:
                _message_crc_error(src, body_end, message_crc, offset + pos)
            headers_end = pos + PRELUDE_LENGTH + headers_len
            key = src[pos + PRELUDE_LENGTH : headers_end]
            headers = cache_get(key)
            if headers is None:
                headers = self._headers(key, offset + pos)
            if share:
                append(headers)
                append(src[headers_end:body_end])
            else:
                append(new_message(Message, (headers.copy(), src[headers_end:body_end])))
            pos = frame_end
        self.offset = offset + pos
        return pos


def decode_stream(chunks: Iterable[bytes]) -> Iterator[Message]:
    """Decode an iterable of byte chunks, yielding messages as their frames complete."""
    decoder = EventStreamDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    decoder.finish()
