"""Run one handler invocation in its own thread and hand its output over a queue.

The request thread pulls chunks as they are produced (the queue is small, so a slow
client slows the handler down instead of piling up memory) and enforces the timeout.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import queue
import resource
import threading
import time
import traceback
from collections.abc import AsyncGenerator, Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import environ, logs
from .functions import Target

_OWN_DIR = str(Path(__file__).resolve().parent)
_QUEUE_DEPTH = 4


@dataclass(frozen=True)
class ClientContext:
    """Decoded ``ClientContext``: the mobile SDK's client, custom and env sections."""

    client: Any = None
    custom: Any = None
    env: Any = None
    raw: dict[str, Any] = field(default_factory=dict)


class LambdaContext:
    """The ``context`` argument handlers receive, with the AWS runtime's attributes."""

    def __init__(
        self, target: Target, request_id: str, deadline: float, client_context: ClientContext | None
    ) -> None:
        fn = target.function
        self.function_name = fn.name
        self.function_version = target.version
        self.invoked_function_arn = target.invoked_arn
        self.memory_limit_in_mb = str(fn.memory_mb)
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{fn.name}"
        self.log_stream_name = f"{time.strftime('%Y/%m/%d')}/[{target.version}]pawslocal"
        self.identity = None
        self.client_context = client_context
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation times out."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return (
            f"LambdaContext(function_name={self.function_name!r}, "
            f"aws_request_id={self.aws_request_id!r})"
        )


@dataclass(frozen=True)
class Chunk:
    """Bytes the handler produced (one return value or one yielded item)."""

    data: bytes


@dataclass(frozen=True)
class Failure:
    """The handler failed: error code for InvokeComplete/X-Amz-Function-Error, details JSON."""

    code: str
    details: dict[str, Any]

    def details_json(self) -> str:
        """ErrorDetails as Lambda sends it: compact JSON."""
        return json.dumps(self.details, separators=(",", ":"))


@dataclass(frozen=True)
class Done:
    """The handler finished normally."""


Outcome = Chunk | Failure | Done


class MarshalError(TypeError):
    """A handler returned a value that is not bytes, str or JSON-serializable."""


def to_bytes(value: Any) -> bytes:
    """Bytes as-is, str as UTF-8, anything else as JSON."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    try:
        return json.dumps(value).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise MarshalError(f"Unable to marshal response: {e}") from None


class Invocation:
    """One running handler call; iterate ``outcomes()`` from the request thread."""

    def __init__(
        self,
        target: Target,
        event: Any,
        request_id: str,
        client_context: ClientContext | None = None,
    ) -> None:
        self.target = target
        self._environment = environ.lambda_variables(target)
        self.request_id = request_id
        self.log = logs.InvocationLog(request_id)
        self._event = event
        self._queue: queue.Queue[Outcome] = queue.Queue(maxsize=_QUEUE_DEPTH)
        self._cancelled = threading.Event()
        self._started = time.monotonic()
        self._deadline = self._started + target.function.timeout_s
        self._context = LambdaContext(target, request_id, self._deadline, client_context)
        self._status = "success"
        logs.install()
        environ.install()
        self.log.write(f"START RequestId: {request_id} Version: {target.version}\n")
        self._thread = threading.Thread(
            target=self._run, name=f"pawslocal-{target.function.name}", daemon=True
        )
        self._thread.start()

    # -- handler thread -------------------------------------------------------

    def _run(self) -> None:
        logs.attach(self.log)
        environ.set_for_this_thread(self._environment)
        try:
            result = self.target.handler(self._event, self._context)
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
            if inspect.isasyncgen(result):
                if not self._stream_async(result):
                    return
            elif isinstance(result, Iterator):
                try:
                    for item in result:
                        if not self._put(Chunk(to_bytes(item))):
                            return
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()
            elif not self._put(Chunk(to_bytes(result))):
                return
            self._put(Done())
        except MarshalError as e:
            self._put(self._failure("Runtime.MarshalError", e, with_trace=False))
        except Exception as e:
            self._put(self._failure(type(e).__name__, e, with_trace=True))
        except SystemExit as e:
            # What the AWS runtime reports when a handler exits the process.
            exit_error = RuntimeError(
                f"RequestId: {self.request_id} Error: Runtime exited with error: "
                f"exit status {e.code if isinstance(e.code, int) else 1}"
            )
            self._put(self._failure("Runtime.ExitError", exit_error, with_trace=False))
        finally:
            environ.set_for_this_thread(None)
            logs.attach(None)

    def _stream_async(self, agen: AsyncGenerator[Any, Any]) -> bool:
        """Drive an ``async def`` generator handler; False once the client has gone."""
        loop = asyncio.new_event_loop()
        try:
            while True:
                try:
                    item = loop.run_until_complete(agen.__anext__())
                except StopAsyncIteration:
                    return True
                if not self._put(Chunk(to_bytes(item))):
                    return False
        finally:
            loop.run_until_complete(agen.aclose())
            loop.close()

    def _put(self, item: Outcome) -> bool:
        # Wait for room, but give up once the request side has gone away.
        while not self._cancelled.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _failure(self, error_type: str, exc: BaseException, with_trace: bool) -> Failure:
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if not f.filename.startswith(_OWN_DIR)
        ]
        stack = traceback.format_list(frames) if with_trace else []
        self.log.write(f"[ERROR] {error_type}: {exc}\n")
        if stack:
            self.log.write("Traceback (most recent call last):\n" + "".join(stack))
        self._status = "error"
        return Failure(
            "Unhandled",
            {"errorMessage": str(exc), "errorType": error_type, "stackTrace": stack},
        )

    # -- request thread -------------------------------------------------------

    def outcomes(self) -> Generator[Outcome, None, None]:
        """Yield chunks as they come, then exactly one ``Done`` or ``Failure``."""
        try:
            while True:
                remaining = self._deadline - time.monotonic()
                try:
                    item = self._queue.get(timeout=max(remaining, 0))
                except queue.Empty:
                    yield self._timeout()
                    return
                yield item
                if not isinstance(item, Chunk):
                    return
        finally:
            self.cancel()

    def _timeout(self) -> Failure:
        self.cancel()
        self._status = "timeout"
        seconds = f"{self.target.function.timeout_s:.2f}"
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        self.log.write(f"{stamp} {self.request_id} Task timed out after {seconds} seconds\n")
        return Failure(
            "Sandbox.Timedout",
            {
                "errorMessage": (
                    f"RequestId: {self.request_id} Error: Task timed out after {seconds} seconds"
                ),
                "errorType": "Sandbox.Timedout",
            },
        )

    def cancel(self) -> None:
        """Stop delivering output (client gone, timeout, or finished)."""
        self._cancelled.set()

    def finish_log(self) -> None:
        """Append END and REPORT lines, as the Lambda service does."""
        elapsed_ms = (time.monotonic() - self._started) * 1000
        fn = self.target.function
        used_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        status = "" if self._status == "success" else f"\tStatus: {self._status}"
        self.log.write(f"END RequestId: {self.request_id}\n")
        self.log.write(
            f"REPORT RequestId: {self.request_id}\tDuration: {elapsed_ms:.2f} ms\t"
            f"Billed Duration: {max(1, int(elapsed_ms + 0.999))} ms\t"
            f"Memory Size: {fn.memory_mb} MB\tMax Memory Used: {min(used_mb, fn.memory_mb)} MB"
            f"{status}\n"
        )
