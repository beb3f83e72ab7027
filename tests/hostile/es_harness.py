"""Run event-stream byte cases through the Python, R and botocore event layers.

A *case* is a list of byte pieces (one response body as it arrives).  Each runtime
gives an *outcome*: the events it delivered, then the error that ended the stream (or
none), in one normalized JSON-able form, so that outcomes compare with ``==``:

    {"events": [[type, [[member, "b:<length>:<crc32>" | "s:<hex of UTF-8>"], ...]], ...],
     "error": null | [class, detail]}

Error classes are the shared names (``ChecksumMismatch``, ``InvalidFrame``,
``InvalidHeaderType``, ``TruncatedStream``, ``HeaderValueOutOfRange``,
``ResponseParseError``, ``ServiceError``); anything else is ``UNTYPED:<class>``.
The detail is the code and message of a service error and the stream offset of a
framing error (their messages quote header names each in its language's way).

Python runs ``pawscore.events.iter_events``; R runs the client's own response sink
(``pawscore:::response_sink``, fed as curl feeds it) over every case of a batch in
one ``Rscript`` process.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pawscore.errors import (
    EventStreamError,
    ResponseParseError,
    ServiceError,
    TruncatedStream,
)
from pawscore.events import event_stream_member, iter_events
from pawslambda._api import API
from pawslambda.errors import ERRORS

from tests.rlib import session_library

ROOT = Path(__file__).resolve().parents[2]
OPERATION = "InvokeWithResponseStream"
STREAM_SHAPE = event_stream_member(API, API["operations"][OPERATION]["output"])[1]  # type: ignore[index]
MODEL = ROOT / "models" / "lambda" / "2015-03-31" / "service-2.json"

Case = Sequence[bytes]
Outcome = dict[str, Any]

# ------------------------------------------------------------------ frames


def header(name: bytes | str, tag: int, value: bytes = b"") -> bytes:
    """One encoded header, as raw as asked (no check of the value against the tag)."""
    raw_name = name.encode("utf-8") if isinstance(name, str) else name
    return bytes((len(raw_name),)) + raw_name + bytes((tag,)) + value


def text(value: str | bytes) -> bytes:
    """A string header value (tag 7): u16 length, then the bytes."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return struct.pack(">H", len(raw)) + raw


def frame(block: bytes, payload: bytes = b"") -> bytes:
    """A frame with correct lengths and CRCs around any header block and payload."""
    prelude = struct.pack(">II", 16 + len(block) + len(payload), len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + block + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event_block(event_type: str, content_type: str = "application/octet-stream") -> bytes:
    """The header block Lambda sends with each event."""
    return (
        header(":event-type", 7, text(event_type))
        + header(":content-type", 7, text(content_type))
        + header(":message-type", 7, text("event"))
    )


def chunk(payload: bytes) -> bytes:
    """A PayloadChunk frame."""
    return frame(event_block("PayloadChunk"), payload)


def complete(payload: bytes = b"{}") -> bytes:
    """An InvokeComplete frame with a JSON payload."""
    return frame(event_block("InvokeComplete", "application/json"), payload)


def exception(code: str, payload: bytes = b"{}") -> bytes:
    """An exception frame, as Lambda sends a modeled error mid-stream."""
    block = (
        header(":exception-type", 7, text(code))
        + header(":content-type", 7, text("application/json"))
        + header(":message-type", 7, text("exception"))
    )
    return frame(block, payload)


# ------------------------------------------------------------------ Python


def _value(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return f"b:{len(value)}:{zlib.crc32(value)}"
    if isinstance(value, str):
        return "s:" + value.encode("utf-8", "surrogatepass").hex()
    return "o:" + repr(value)


def _events(events: Iterable[dict[str, Any]]) -> list[Any]:
    return [
        [kind, [[name, _value(v)] for name, v in members.items()]]
        for event in events
        for kind, members in event.items()
    ]


def _hex(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").hex()


def _python_error(exc: BaseException) -> list[Any]:
    if isinstance(exc, ServiceError):
        return ["ServiceError", f"{_hex(exc.code)}:{_hex(exc.message)}"]
    if isinstance(exc, ResponseParseError):
        return ["ResponseParseError", None]
    if isinstance(exc, TruncatedStream) and "inside a frame" not in str(exc):
        return ["TruncatedStream", "final-event"]
    if isinstance(exc, EventStreamError):
        return [type(exc).__name__, exc.offset]
    return [f"UNTYPED:{type(exc).__name__}", repr(exc)[:300]]


def python_outcome(case: Case) -> Outcome:
    """What the Python client's event layer gives for these pieces."""
    events: list[dict[str, Any]] = []
    error = None
    try:
        for event in iter_events(API, STREAM_SHAPE, iter(case), ERRORS):
            events.append(event)
    except Exception as exc:
        error = _python_error(exc)
    return {"events": _events(events), "error": error}


# ------------------------------------------------------------------ botocore


class _RawStream:
    def __init__(self, pieces: Case) -> None:
        self._pieces = pieces

    def stream(self) -> Iterable[bytes]:
        return iter(self._pieces)

    def close(self) -> None:
        pass


_BOTOCORE: dict[str, Any] = {}


def botocore_outcome(case: Case) -> Outcome:
    """What boto3 gives: its EventStream over the model's output shape.

    botocore checks no final event and no truncation, and names its errors its own
    way: the error is ``["ServiceError", code]`` for an exception or error message,
    else ``["error", class]``.
    """
    from botocore.eventstream import EventStream
    from botocore.exceptions import EventStreamError as BotoEventStreamError
    from botocore.model import ServiceModel
    from botocore.parsers import create_parser

    if not _BOTOCORE:
        model = ServiceModel(json.loads(MODEL.read_text(encoding="utf-8")), "lambda")
        output = model.operation_model(OPERATION).output_shape
        _BOTOCORE["shape"] = output.members["EventStream"]  # type: ignore[union-attr]
        # The parser botocore's rest-json client hands to its EventStream.
        _BOTOCORE["parser"] = create_parser("rest-json")._event_stream_parser
    stream = EventStream(_RawStream(case), _BOTOCORE["shape"], _BOTOCORE["parser"], OPERATION)
    events: list[dict[str, Any]] = []
    error = None
    try:
        for event in stream:
            events.append(event)
    except BotoEventStreamError as exc:
        error = ["ServiceError", exc.response["Error"]["Code"]]
    except Exception as exc:
        error = ["error", type(exc).__name__]
    return {"events": _events(events), "error": error}


# ------------------------------------------------------------------ R

# Outcome encoding shared by both R drivers (the same form as python_outcome's).
_R_COMMON = r"""
args <- commandArgs(TRUE)
suppressPackageStartupMessages({
  loadNamespace("pawscore", lib.loc = args[[1]])
  invisible(loadNamespace("pawslambda", lib.loc = args[[1]]))
})
crc32 <- get("es_crc32", envir = asNamespace("pawscore"))
hex <- function(x) paste(as.character(x), collapse = "")
text_hex <- function(x) {
  if (!is.character(x) || length(x) != 1L) return(paste0("not-text-", class(x)[[1L]]))
  hex(charToRaw(enc2utf8(x)))
}
value_text <- function(v) {
  if (is.raw(v)) return(sprintf("b:%d:%.0f", length(v), crc32(v)))
  if (is.character(v) && length(v) == 1L) return(paste0("s:", text_hex(v)))
  paste0("o:", paste(deparse(v), collapse = " "))
}
quote <- function(x) paste0('"', x, '"')
event_json <- function(e) {
  members <- e[[1]]
  inner <- vapply(names(members), function(n) {
    paste0("[", quote(n), ",", quote(value_text(members[[n]])), "]")
  }, "")
  paste0("[", quote(names(e)), ",[", paste(inner, collapse = ","), "]]")
}
error_json <- function(e) {
  if (is.null(e)) return("null")
  cls <- class(e)
  if (inherits(e, "paws_service_error")) {
    detail <- paste0(text_hex(e$code), ":", text_hex(e$message))
    return(paste0('["ServiceError",', quote(detail), "]"))
  }
  if (inherits(e, "paws_response_error")) return('["ResponseParseError",null]')
  if (inherits(e, "TruncatedStream") && !grepl("inside a frame", conditionMessage(e))) {
    return('["TruncatedStream","final-event"]')
  }
  if (inherits(e, "EventStreamError")) {
    return(sprintf('["%s",%s]', cls[[1]], if (is.null(e$offset)) "null" else sprintf("%.0f", e$offset)))
  }
  msg <- gsub("[^A-Za-z0-9 ._:-]", "?", substr(conditionMessage(e), 1, 200))
  paste0('["UNTYPED:', cls[[1]], '",', quote(msg), "]")
}
"""

# Each case through the client's own response sink, fed piece by piece.
_R_SINK = r"""
api <- get(".lambda_api", envir = asNamespace("pawslambda"))
op <- api$operations[["InvokeWithResponseStream"]]
response_sink <- get("response_sink", envir = asNamespace("pawscore"))
data <- readBin(args[[2]], "raw", file.size(args[[2]]))
pos <- 1
u32 <- function() {
  v <- sum(as.numeric(data[pos:(pos + 3L)]) * c(16777216, 65536, 256, 1))
  pos <<- pos + 4
  v
}
run_case <- function(pieces) {
  events <- character()
  sink <- response_sink(api, op, function(event) {
    events[[length(events) + 1L]] <<- event_json(event)
    NULL
  })
  err <- tryCatch({
    sink$on_response(200L, character())
    for (piece in pieces) sink$on_data(piece)
    sink$finish(200L, c("Content-Type" = "application/vnd.amazon.eventstream"))
    NULL
  }, error = function(e) e)
  paste0('{"events":[', paste(events, collapse = ","), '],"error":', error_json(err), "}")
}
n <- u32()
out <- character(n)
for (i in seq_len(n)) {
  k <- u32()
  pieces <- vector("list", k)
  for (j in seq_len(k)) {
    len <- u32()
    pieces[[j]] <- if (len > 0) data[pos:(pos + len - 1)] else raw()
    pos <- pos + len
  }
  out[[i]] <- run_case(pieces)
}
writeLines(out, args[[3]])
"""


def r_outcomes(
    lib: Path, cases: Sequence[Case], workdir: Path, processes: int = 2
) -> list[Outcome]:
    """What the R client's response sink gives for each case.

    The cases are shared out over ``processes`` Rscript runs working side by side.
    """
    script = workdir / "es_cases.R"
    script.write_text(_R_COMMON + _R_SINK, encoding="utf-8")
    share = -(-len(cases) // processes) if cases else 1
    runs = []
    for k, start in enumerate(range(0, max(len(cases), 1), share)):
        part = cases[start : start + share]
        source = workdir / f"es_cases_{k}.bin"
        with source.open("wb") as out:
            out.write(struct.pack(">I", len(part)))
            for case in part:
                out.write(struct.pack(">I", len(case)))
                for piece in case:
                    out.write(struct.pack(">I", len(piece)))
                    out.write(piece)
        result = workdir / f"es_outcomes_{k}.jsonl"
        command = ["Rscript", "--vanilla", str(script), str(lib), str(source), str(result)]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runs.append((proc, result, len(part)))
    outcomes: list[Outcome] = []
    for proc, result, count in runs:
        stdout, stderr = proc.communicate()
        assert proc.returncode == 0, stdout[-3000:] + stderr[-3000:]
        lines = result.read_text(encoding="utf-8").splitlines()
        assert len(lines) == count
        outcomes.extend(json.loads(line) for line in lines)
    return outcomes


def r_library() -> Path:
    """The test session's private R library (tests/rlib.py): this tree's R packages."""
    given = os.environ.get("PAWSGEN_R_LIB")
    return Path(given) if given else session_library()


# Each function name through a real client call against `endpoint` (args[[3]]).
_R_CLIENT = r"""
svc <- pawslambda::lambda(config = list(
  region = "us-east-1", endpoint = args[[3]], max_attempts = 1L,
  credentials = list(creds = list(access_key_id = "AKIDHOSTILE", secret_access_key = "hostile"))
))
names <- readLines(args[[2]])
out <- character(length(names))
for (i in seq_along(names)) {
  events <- character()
  err <- tryCatch({
    svc$invoke_with_response_stream(FunctionName = names[[i]], .on_event = function(event) {
      events[[length(events) + 1L]] <<- event_json(event)
      NULL
    })
    NULL
  }, error = function(e) e)
  out[[i]] <- paste0('{"events":[', paste(events, collapse = ","), '],"error":', error_json(err), "}")
}
writeLines(out, args[[4]])
"""


def r_client_outcomes(
    lib: Path, names: Sequence[str], endpoint: str, workdir: Path
) -> list[Outcome]:
    """What ``lambda()$invoke_with_response_stream`` gives for each function name."""
    script = workdir / "es_client.R"
    script.write_text(_R_COMMON + _R_CLIENT, encoding="utf-8")
    source = workdir / "es_names.txt"
    source.write_text("\n".join(names) + "\n", encoding="utf-8")
    result = workdir / "es_client.jsonl"
    proc = subprocess.run(
        ["Rscript", "--vanilla", str(script), str(lib), str(source), endpoint, str(result)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return [json.loads(line) for line in result.read_text(encoding="utf-8").splitlines()]


def python_client_outcome(name: str, endpoint: str) -> Outcome:
    """What ``client().invoke_with_response_stream`` gives for one function name."""
    import pawslambda

    svc = pawslambda.client(
        config={
            "region": "us-east-1",
            "endpoint": endpoint,
            "max_attempts": 1,
            "credentials": {
                "creds": {"access_key_id": "AKIDHOSTILE", "secret_access_key": "hostile"}
            },
        }
    )
    events: list[dict[str, Any]] = []
    error = None
    try:
        svc.invoke_with_response_stream(FunctionName=name, on_event=events.append)
    except Exception as exc:
        error = _python_error(exc)
    finally:
        svc.close()
    return {"events": _events(events), "error": error}


# ------------------------------------------------------------------ server


@dataclass(frozen=True)
class Reply:
    """A canned answer: status, headers and body (sent in one write)."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/vnd.amazon.eventstream"),)


@contextmanager
def hostile_server(replies: Mapping[str, Reply]) -> Iterator[tuple[str, dict[str, int]]]:
    """A server on 127.0.0.1 answering each function name with its reply.

    Yields the endpoint and a count of the requests that reached it, per name.
    """
    hits: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            parts = self.path.split("/")
            name = unquote(parts[3]) if len(parts) > 3 else ""
            hits[name] = hits.get(name, 0) + 1
            reply = replies.get(name, Reply(404, b'{"message":"no such case"}'))
            self.send_response(reply.status)
            for key, value in reply.headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
