"""Fault injection: parse fault specs and track "fail n times, then succeed" counters.

Spec syntax (one or more faults joined by ``;``), e.g.
``cut-mid-frame:after=2``, ``truncate:after=1:bytes=5``, ``bad-crc:frame=1``,
``bad-crc:frame=2:part=prelude``, ``exception:after=1:type=ServiceException``,
``error:after=1:code=InternalFailure``,
``stall:ms=500:after=1``, ``status:503:times=2:key=run-42``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

KINDS = ("cut-mid-frame", "truncate", "bad-crc", "exception", "error", "stall", "status")

_ALLOWED = {
    "cut-mid-frame": {"after", "bytes"},
    "truncate": {"after", "bytes"},
    "bad-crc": {"frame", "part"},
    "exception": {"after", "type", "message"},
    "error": {"after", "code", "message"},
    "stall": {"after", "ms"},
    "status": {"times", "key", "type", "message"},
}

STATUS_ERRORS = {
    400: "InvalidParameterValueException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    409: "ResourceConflictException",
    413: "RequestTooLargeException",
    429: "TooManyRequestsException",
    500: "ServiceException",
    502: "ResourceNotReadyException",
}


class FaultSpecError(ValueError):
    """A fault spec string does not follow the documented syntax."""


@dataclass(frozen=True)
class Fault:
    """One parsed fault: its kind, optional positional argument and options."""

    kind: str
    arg: str | None = None
    options: dict[str, str] = field(default_factory=dict)

    def int_opt(self, name: str, default: int) -> int:
        """An integer option, or ``default`` when absent."""
        raw = self.options.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise FaultSpecError(f"fault {self.kind}: {name}={raw!r} is not an integer") from None
        if value < 0:
            raise FaultSpecError(f"fault {self.kind}: {name} must not be negative")
        return value


@dataclass(frozen=True)
class FaultPlan:
    """All faults that apply to one request, looked up by kind."""

    faults: tuple[Fault, ...] = ()

    def get(self, kind: str) -> Fault | None:
        """The fault of this kind, if any."""
        return next((f for f in self.faults if f.kind == kind), None)

    def __bool__(self) -> bool:
        return bool(self.faults)


def parse(spec: str | None) -> FaultPlan:
    """Parse a fault spec string; an empty or missing spec means no faults."""
    if not spec or not spec.strip():
        return FaultPlan()
    faults = []
    for part in spec.split(";"):
        part = part.strip()
        if part:
            faults.append(_parse_one(part))
    kinds = [f.kind for f in faults]
    if len(set(kinds)) != len(kinds):
        raise FaultSpecError(f"fault spec {spec!r} names the same kind twice")
    return FaultPlan(tuple(faults))


def _parse_one(text: str) -> Fault:
    kind, *rest = text.split(":")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise FaultSpecError(f"unknown fault {kind!r}; known: {', '.join(KINDS)}")
    arg = None
    options: dict[str, str] = {}
    for item in rest:
        if "=" in item:
            key, value = item.split("=", 1)
            key = key.strip().lower()
            if key not in _ALLOWED[kind]:
                raise FaultSpecError(f"fault {kind}: unknown option {key!r}")
            options[key] = value.strip()
        elif arg is None and kind == "status":
            arg = item.strip()
        else:
            raise FaultSpecError(f"fault {kind}: unexpected argument {item!r}")
    fault = Fault(kind, arg, options)
    _check(fault)
    return fault


def _check(fault: Fault) -> None:
    for name in ("after", "bytes", "frame", "ms", "times"):
        if name in fault.options:
            fault.int_opt(name, 0)
    if fault.kind == "status":
        if fault.arg is None or not fault.arg.isdigit() or not 400 <= int(fault.arg) <= 599:
            raise FaultSpecError("fault status needs an HTTP status 400..599, e.g. status:503")
    if fault.kind == "bad-crc":
        if fault.int_opt("frame", 1) < 1:
            raise FaultSpecError("fault bad-crc: frame counts from 1")
        if fault.options.get("part", "message") not in ("message", "prelude"):
            raise FaultSpecError("fault bad-crc: part must be message or prelude")


class StatusCounter:
    """Counts how many times each ``status`` fault has fired, so it stops after n."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fired: dict[str, int] = {}

    def should_fire(self, fault: Fault, default_key: str) -> bool:
        """True for the first ``times`` requests, False for the next one, then again.

        Restarting the cycle after the success lets every test that makes one
        retried call see the same "n failures, then success", in any order.
        """
        key = fault.options.get("key", default_key)
        times = fault.int_opt("times", 1)
        with self._lock:
            fired = self._fired.get(key, 0)
            if fired >= times:
                self._fired[key] = 0
                return False
            self._fired[key] = fired + 1
            return True


def status_error(fault: Fault) -> tuple[int, str, str]:
    """The (status, error code, message) a ``status`` fault answers with."""
    status = int(fault.arg or 500)
    code = fault.options.get("type") or STATUS_ERRORS.get(
        status, "ServiceException" if status >= 500 else "InvalidRequestContentException"
    )
    message = fault.options.get("message") or f"Injected fault: HTTP {status} {code}"
    return status, code, message
