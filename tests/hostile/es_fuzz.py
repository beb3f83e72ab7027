"""Seeded mutations of valid Lambda event streams, for the differential fuzz test.

``make_cases(seed, count)`` returns ``count`` cases (lists of byte pieces).  Each
starts from a valid response stream (payload chunks, maybe an event type newer than
the model, an ``InvokeComplete``), changes its frames with their CRCs kept valid
(message and event types, extra headers of every type and odd value, retagged
headers, exception and error frames, JSON payloads the two JSON parsers could read
differently, duplicated, dropped and swapped frames, damaged header blocks), then
perhaps damages the bytes themselves (bit flips, truncation, length fields with and
without a fixed prelude CRC, garbage between frames), and cuts the result into
pieces of random sizes.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable
from itertools import pairwise

from .es_harness import header, text

Header = tuple[bytes, int, bytes]
Frame = tuple[list[Header], bytes]


def _deep(depth: int) -> bytes:
    return b'{"LogResult":' + b"[" * depth + b"]" * depth + b"}"


GOOD_JSON = [
    b"{}",
    b"",
    b'{"LogResult":"U1RBUlQgUmVxdWVzdElk"}',
    b'{"ErrorCode":"Unhandled","ErrorDetails":"boom","LogResult":"bG9n"}',
    b' {"ErrorDetails" : "caf\xc3\xa9 \\u00e9 \\ud83d\\ude00"}\n',
    b'{"ErrorCode":null,"Other":[1,{"x":true}]}',
]
BAD_JSON = [
    b"[1,2]",
    b'"s"',
    b"123",
    b"null",
    b"true",
    b"  \r\n\t",
    b"\x0c{}",
    b'{"ErrorCode":{"nested":1}}',
    b'{"ErrorCode":5}',
    b'{"ErrorCode":true}',
    b'{"ErrorCode":["a"]}',
    b'{"ErrorCode":"a","ErrorCode":"b"}',
    b'{"ErrorCode":"a","ErrorCode":7}',
    b'{"ErrorCode":"a","ErrorCode":null}',
    b'{"LogResult":NaN}',
    b"Infinity",
    b"/*c*/{}",
    b'{"LogResult":"x"} // c',
    b'{"LogResult":"http://x/y"}',
    b"\xef\xbb\xbf{}",
    b'{"ErrorCode":"\xff"}',
    b'{"ErrorCode":"\xed\xa0\x80"}',
    b'{"ErrorCode":"\\u0000"}',
    b'{"ErrorCode":"\\\\u0000"}',
    b'{"ErrorCode":"\\ud800"}',
    b'{"ErrorCode":"\\udc00\\ud800"}',
    b'{"ErrorCode":"\\ud83d\\u0041"}',
    b'{"ErrorCode":"a\\/b\\"c\\\\"}',
    b'{"LogResult":1e400}',
    b'{"ErrorCode":12345678901234567890}',
    b'{"ErrorCode":"x"}{}',
    b'{"ErrorCode":"x",}',
    b"{}\x00",
    b'{"a\x00":1}',
    _deep(499),
    _deep(500),
    _deep(501),
    _deep(5_000),  # (100,000 deep: the hand-made cases)
    b'{"message":"m","Message":"M"}',
    b'{"message":5,"Message":"M"}',
    b'{"Message":"","message":"m"}',
    b'{"message":"gone","Type":"User"}',
    b'{"message":{"a":1}}',
]
EXCEPTION_TYPES: list[bytes | int | None] = [
    b"ServiceException",
    b"ResourceNotFoundException",
    b"TooManyRequestsException",
    b"SomethingNewException",
    b"",
    b"Service\x00Exception",
    b"\xc3\xa9",
    None,
    7,
]


def _str(value: str | bytes) -> Header:
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return (b"", 7, text(raw))


def _typed(tag: int, value: bytes) -> Header:
    return (b"", tag, value)


# Header values, by kind, including those one runtime cannot hold as its own type.
ODD_VALUES: list[Header] = [
    (b"", 0, b""),
    (b"", 1, b""),
    _typed(2, b"\x80"),
    _typed(3, b"\x80\x00"),
    _typed(4, struct.pack(">i", 7)),
    _typed(4, struct.pack(">i", -(2**31))),
    _typed(5, struct.pack(">q", 1)),
    _typed(5, struct.pack(">q", 2**53)),
    _typed(5, struct.pack(">q", 2**53 + 1)),
    _typed(5, struct.pack(">q", -(2**63))),
    _typed(6, struct.pack(">H", 3) + b"a\x00b"),
    _str("plain"),
    _str(b"a\x00b"),
    _str(b"\xff\xfe"),
    _str(""),
    _typed(8, struct.pack(">q", 1_700_000_000_000)),
    _typed(8, struct.pack(">q", 2**53 + 1)),
    _typed(8, struct.pack(">q", 2**62)),
    _typed(8, struct.pack(">q", -(2**62))),
    _typed(9, bytes(range(16))),
]
NAMES = [
    b"x-extra",
    b":content-type",
    b":event-type",
    b"\xc3\xa9",
    b"\xff",
    b"n\x00",
    b"",
    b"a" * 255,
]


def _block(headers: list[Header]) -> bytes:
    return b"".join(header(name, tag, value) for name, tag, value in headers)


def _frame(block: bytes, payload: bytes) -> bytes:
    prelude = struct.pack(">II", 16 + len(block) + len(payload), len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + block + payload
    return body + struct.pack(">I", zlib.crc32(body))


def _event(kind: str, payload: bytes, content: str = "application/octet-stream") -> Frame:
    return (
        [
            (b":event-type", *_str(kind)[1:]),
            (b":content-type", *_str(content)[1:]),
            (b":message-type", *_str("event")[1:]),
        ],
        payload,
    )


class _Builder:
    """One case: frames first (CRCs kept valid), then bytes, then pieces."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.frames: list[Frame] = []
        self.raw_blocks: dict[int, bytes] = {}  # frame index -> header block as damaged

    def base(self) -> None:
        rng = self.rng
        for _ in range(rng.choice((0, 1, 1, 2, 3, 4))):
            size = rng.choice((0, 1, rng.randint(2, 40), rng.randint(100, 300)))
            if rng.random() < 0.1:
                size = rng.randint(4000, 9000)  # past the decoders' small-frame paths
            self.frames.append(_event("PayloadChunk", rng.randbytes(size)))
        if rng.random() < 0.15:
            self.frames.insert(rng.randint(0, len(self.frames)), _event("FutureEvent", b"{}"))
        if rng.random() < 0.9:
            body = rng.choice(GOOD_JSON)
            self.frames.append(_event("InvokeComplete", body, "application/json"))

    # ---- frame mutations (valid CRCs)

    def _pick(self) -> int | None:
        return self.rng.randrange(len(self.frames)) if self.frames else None

    def _set(self, index: int, name: bytes, value: Header | None) -> None:
        headers, payload = self.frames[index]
        headers = [h for h in headers if h[0] != name]
        if value is not None:
            headers.insert(self.rng.randint(0, len(headers)), (name, value[1], value[2]))
        self.frames[index] = (headers, payload)

    def message_type(self) -> None:
        i = self._pick()
        if i is not None:
            choice: list[Header | None] = [
                _str("bogus"),
                _str(""),
                _str("EVENT"),
                _str("exception"),
                _str("error"),
                _str(b"exception\x00"),
                _typed(4, struct.pack(">i", 5)),
                (b"", 0, b""),
                _typed(6, struct.pack(">H", 5) + b"event"),
                None,
            ]
            self._set(i, b":message-type", self.rng.choice(choice))

    def event_type(self) -> None:
        i = self._pick()
        if i is not None:
            choice: list[Header | None] = [
                _str("Unknown"),
                _str(""),
                _str("InvokeComplete"),
                _str("PayloadChunk"),
                _str(b"PayloadChunk\x00"),
                _typed(4, struct.pack(">i", 1)),
                _typed(2, b"\x02"),
                _typed(5, struct.pack(">q", 1)),
                (b"", 0, b""),
                (b"", 1, b""),
                _typed(6, struct.pack(">H", 12) + b"PayloadChunk"),
                _typed(9, bytes(16)),
                _typed(8, struct.pack(">q", 1)),
                None,
            ]
            self._set(i, b":event-type", self.rng.choice(choice))

    def extra_header(self) -> None:
        i = self._pick()
        if i is not None:
            headers, payload = self.frames[i]
            value = self.rng.choice(ODD_VALUES)
            name = self.rng.choice(NAMES) if self.rng.random() < 0.3 else b"x-extra"
            headers = list(headers)
            headers.insert(self.rng.randint(0, len(headers)), (name, value[1], value[2]))
            self.frames[i] = (headers, payload)

    def retag(self) -> None:
        i = self._pick()
        if i is not None and self.frames[i][0]:
            headers, payload = self.frames[i]
            k = self.rng.randrange(len(headers))
            name, _, value = headers[k]
            headers = list(headers)
            headers[k] = (name, self.rng.randint(0, 11), value)
            self.frames[i] = (headers, payload)

    def exception_frame(self) -> None:
        code = self.rng.choice(EXCEPTION_TYPES)
        headers: list[Header] = [(b":message-type", *_str("exception")[1:])]
        if isinstance(code, bytes):
            headers.append((b":exception-type", *_str(code)[1:]))
        elif isinstance(code, int):
            headers.append((b":exception-type", 4, struct.pack(">i", code)))
        self.rng.shuffle(headers)
        body = self.rng.choice(BAD_JSON + GOOD_JSON)
        self.frames.insert(self.rng.randint(0, len(self.frames)), (headers, body))

    def error_frame(self) -> None:
        headers: list[Header] = [(b":message-type", *_str("error")[1:])]
        for name in (b":error-code", b":error-message"):
            kind = self.rng.randrange(4)
            if kind == 0:
                headers.append((name, *_str(self.rng.choice(("Throttled", "", "caf\xe9")))[1:]))
            elif kind == 1:
                headers.append((name, 4, struct.pack(">i", 3)))
            elif kind == 2:
                headers.append((name, *_str(b"a\x00b")[1:]))
        self.frames.insert(self.rng.randint(0, len(self.frames)), (headers, b""))

    def complete_payload(self) -> None:
        for i, (headers, _) in enumerate(self.frames):
            if any(h[0] == b":event-type" and h[2].endswith(b"InvokeComplete") for h in headers):
                self.frames[i] = (headers, self.rng.choice(BAD_JSON))

    def reorder(self) -> None:
        if not self.frames:
            return
        rng = self.rng
        op = rng.randrange(4)
        i = rng.randrange(len(self.frames))
        if op == 0:
            self.frames.insert(rng.randint(0, len(self.frames)), self.frames[i])
        elif op == 1:
            del self.frames[i]
        elif op == 2:
            j = rng.randrange(len(self.frames))
            self.frames[i], self.frames[j] = self.frames[j], self.frames[i]
        else:
            self.frames.pop()

    def damage_block(self) -> None:
        i = self._pick()
        if i is not None:
            block = bytearray(_block(self.frames[i][0]))
            for _ in range(self.rng.randint(1, 3)):
                if not block:
                    break
                at = self.rng.randrange(len(block))
                op = self.rng.randrange(3)
                if op == 0:
                    block[at] ^= 1 << self.rng.randrange(8)
                elif op == 1:
                    del block[at]
                else:
                    block.insert(at, self.rng.randrange(256))
            self.raw_blocks[i] = bytes(block)

    def damage_payload(self) -> None:
        i = self._pick()
        if i is not None and self.frames[i][1]:
            headers, payload = self.frames[i]
            data = bytearray(payload)
            for _ in range(self.rng.randint(1, 2)):
                at = self.rng.randrange(len(data))
                if self.rng.random() < 0.5:
                    data[at] = self.rng.choice(b'{}[]",:\\0\x00\xff /nu')
                else:
                    data[at] ^= 1 << self.rng.randrange(8)
            self.frames[i] = (headers, bytes(data))

    def encode(self) -> list[bytes]:
        return [
            _frame(self.raw_blocks.get(i, _block(h)), p) for i, (h, p) in enumerate(self.frames)
        ]


FRAME_MUTATIONS: list[Callable[[_Builder], None]] = [
    _Builder.message_type,
    _Builder.event_type,
    _Builder.extra_header,
    _Builder.retag,
    _Builder.exception_frame,
    _Builder.error_frame,
    _Builder.complete_payload,
    _Builder.reorder,
    _Builder.damage_block,
    _Builder.damage_payload,
]


def _damage_bytes(rng: random.Random, frames: list[bytes]) -> bytes:
    op = rng.randrange(5)
    if op == 3 and frames:  # a length field, with or without a fixed prelude CRC
        i = rng.randrange(len(frames))
        data = bytearray(frames[i])
        field = rng.choice((0, 4))
        (old,) = struct.unpack_from(">I", data, field)
        new = rng.choice(
            (
                old + rng.randint(-16, 16),
                rng.randrange(1 << 32),
                16 * 1024 * 1024 + rng.randint(-4, 4),
                24 * 1024 * 1024 + 16 + rng.randint(-4, 4),
                128 * 1024 + rng.randint(-2, 2),
                rng.randint(0, 20),
            )
        )
        struct.pack_into(">I", data, field, new % (1 << 32))
        if rng.random() < 0.7:
            struct.pack_into(">I", data, 8, zlib.crc32(bytes(data[:8])))
        frames = [*frames[:i], bytes(data), *frames[i + 1 :]]
        return b"".join(frames)
    if op == 4:  # garbage between frames
        at = rng.randint(0, len(frames))
        junk = rng.randbytes(rng.randint(1, 24))
        return b"".join([*frames[:at], junk, *frames[at:]])
    stream = bytearray(b"".join(frames))
    if not stream:
        return bytes(stream)
    if op in (0, 1):  # bit flips
        for _ in range(rng.randint(1, 3)):
            stream[rng.randrange(len(stream))] ^= 1 << rng.randrange(8)
        return bytes(stream)
    return bytes(stream[: rng.randrange(len(stream))])  # truncation


def _pieces(rng: random.Random, stream: bytes) -> list[bytes]:
    n = len(stream)
    mode = rng.random()
    if mode < 0.3 or n < 2:
        cuts: list[int] = []
    elif mode < 0.75:
        cuts = sorted(rng.randrange(1, n) for _ in range(rng.randint(1, 8)))
    elif mode < 0.87:
        size = rng.randint(1, 16) if n < 400 else rng.randint(200, 2000)
        cuts = list(range(size, n, size))
    else:
        cuts = []
        at = 0
        while True:
            at += rng.randint(1, max(2, n // 4))
            if at >= n:
                break
            cuts.append(at)
    if rng.random() < 0.1:
        cuts.append(rng.randint(0, n))  # an empty read
    cuts.sort()
    bounds = [0, *cuts, n]
    return [stream[a:b] for a, b in pairwise(bounds)]


def make_cases(seed: int, count: int) -> list[list[bytes]]:
    """``count`` damaged Lambda response streams, cut into pieces; the same for a seed."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        builder = _Builder(rng)
        builder.base()
        for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
            rng.choice(FRAME_MUTATIONS)(builder)
        frames = builder.encode()
        stream = _damage_bytes(rng, frames) if rng.random() < 0.35 else b"".join(frames)
        cases.append(_pieces(rng, stream))
    return cases
