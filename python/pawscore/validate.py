"""Check call parameters against the model before anything is sent.

Every problem is collected, so one ParamValidationError lists them all. Unlike
botocore we also check ``pattern`` (full match), translated from the model's Java
dialect by ``patterns.py`` with the same rules as the R runtime; a pattern the two
cannot read alike is skipped by both rather than guessed at.
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from .errors import ParamValidationError
from .patterns import full_match

_BLOB_TYPES = "bytes, bytearray, str or a file-like object"

P = ParamSpec("P")
R = TypeVar("R")
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def validate(api: Mapping[str, Any], shape_name: str | None, params: Mapping[str, Any]) -> None:
    """Raise ParamValidationError listing every problem with ``params``; else return None."""
    problems: list[str] = []
    if shape_name is None:
        extra = [k for k, v in params.items() if v is not None]
        if extra:
            problems.append(f"{', '.join(extra)}: unknown parameter(s); the operation takes none")
    elif not isinstance(params, Mapping):
        problems.append(f"parameters must be a dict, got {type(params).__name__}")
    else:
        _Checker(api["shapes"], problems).structure(shape_name, params, "", top=True)
    if problems:
        raise ParamValidationError(problems)


def checked_args(fn: Callable[P, R]) -> Callable[P, R]:
    """Make a call with arguments that do not fit ``fn`` raise ParamValidationError.

    Generated operations use it: a missing required argument, an unknown keyword or
    too many positional arguments are invalid input, as in botocore, not the
    ``TypeError`` Python would raise. Nothing is sent. A call that fits costs nothing
    extra: the arguments are only examined when ``fn`` raised ``TypeError``.
    """
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except TypeError:
            try:
                signature.bind(*args, **kwargs)
            except TypeError:
                raise ParamValidationError(_binding_problems(signature, args, kwargs)) from None
            raise

    return call


def _binding_problems(
    signature: inspect.Signature, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> list[str]:
    """Why ``args``/``kwargs`` do not bind to ``signature``, in validate()'s wording."""
    params = list(signature.parameters.values())
    positional = [p for p in params if p.kind in _POSITIONAL]
    by_position = {p.name for p in positional[: len(args)]}
    known = [p.name for p in params if p.name != "self"]
    problems = [
        f"{p.name}: required parameter is missing"
        for p in params
        if p.default is p.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and p.name not in by_position
        and p.name not in kwargs
    ]
    for name in kwargs:
        if name not in known:
            problems.append(
                f"{name}: unknown parameter; expected one of {', '.join(known) or 'none'}"
            )
        elif name in by_position:
            problems.append(f"{name}: given twice, by position and by name")
    extra = len(args) - len(positional)
    if extra > 0:
        problems.append(
            f"parameters: {extra} positional argument(s) beyond the operation's parameters"
        )
    return problems or ["parameters: the arguments do not fit the operation"]


def _is_utf8_text(text: str) -> bool:
    """False for a str holding a lone surrogate (from bytes decoded with surrogateescape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _type_name(value: Any) -> str:
    return type(value).__name__


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Checker:
    def __init__(self, shapes: Mapping[str, Any], problems: list[str]) -> None:
        self.shapes = shapes
        self.problems = problems

    def add(self, path: str, text: str) -> None:
        self.problems.append(f"{path or 'parameters'}: {text}")

    def check(self, shape_name: str, value: Any, path: str) -> None:
        shape = self.shapes[shape_name]
        kind = shape["type"]
        getattr(self, f"_{kind}")(shape_name, shape, value, path)

    def structure(self, shape_name: str, value: Any, path: str, top: bool = False) -> None:
        self._structure(shape_name, self.shapes[shape_name], value, path, top)

    def _structure(
        self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str, top: bool = False
    ) -> None:
        if shape.get("document"):
            return  # any JSON value
        if not isinstance(value, Mapping):
            self.add(path, f"expected a dict (structure {shape_name}), got {_type_name(value)}")
            return
        members = shape.get("members", {})
        given = {k: v for k, v in value.items() if v is not None}
        for name in shape.get("required", []):
            if name not in given:
                what = "required parameter" if top else "required member"
                self.add(_join(path, name), f"{what} is missing")
        for name, member_value in given.items():
            if name not in members:
                expected = ", ".join(members) or "none"
                self.add(_join(path, str(name)), f"unknown parameter; expected one of {expected}")
                continue
            self.check(members[name]["shape"], member_value, _join(path, name))
        if shape.get("union") and len(given) > 1:
            self.add(path, f"union {shape_name} takes exactly one member, got {len(given)}")

    def _list(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, list | tuple):
            self.add(path, f"expected a list, got {_type_name(value)}")
            return
        self._length(shape, len(value), path, "items")
        member = shape["member"]["shape"]
        for i, item in enumerate(value):
            self.check(member, item, f"{path}[{i}]")

    def _map(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            self.add(path, f"expected a dict (map), got {_type_name(value)}")
            return
        self._length(shape, len(value), path, "entries")
        key_shape = shape["key"]["shape"]
        value_shape = shape["value"]["shape"]
        # A sensitive key (Lambda's environment variable names) is a secret too: the
        # path names the entry by its position instead.
        hide_keys = bool(self.shapes[key_shape].get("sensitive"))
        for i, (key, item) in enumerate(value.items()):
            label = f"#{i + 1}" if hide_keys else repr(key)
            self.check(key_shape, key, f"{path} key {label}")
            self.check(value_shape, item, f"{path}[{label}]")

    def _string(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, str):
            self.add(path, f"expected a string, got {_type_name(value)}")
            return
        if not _is_utf8_text(value):
            self.add(path, "the value is not valid UTF-8 text")
            return
        # A sensitive value (a secret, a token) is never echoed back in the message.
        shown = "the value" if shape.get("sensitive") else _show(value)
        enum = shape.get("enum")
        if enum and value not in enum:
            self.add(path, f"{shown} is not one of {', '.join(enum)}")
            return
        self._length(shape, len(value), path, "characters")
        pattern = shape.get("pattern")
        if pattern:
            if full_match(pattern, value) is False:
                self.add(path, f"{shown} does not match the pattern {pattern}")

    def _blob(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if isinstance(value, bytes | bytearray):
            self._length(shape, len(value), path, "bytes")
        elif isinstance(value, str):
            if not _is_utf8_text(value):
                self.add(path, "the value is not valid UTF-8 text")
                return
            self._length(shape, len(value.encode("utf-8")), path, "bytes")
        elif not callable(getattr(value, "read", None)):
            self.add(path, f"expected {_BLOB_TYPES}, got {_type_name(value)}")

    def _boolean(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, bool):
            self.add(path, f"expected True or False, got {_type_name(value)}")

    def _integer(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        self._whole(shape, value, path, 32)

    def _long(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        self._whole(shape, value, path, 64)

    def _whole(self, shape: Mapping[str, Any], value: Any, path: str, bits: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"expected an integer, got {_type_name(value)}")
            return
        # The service reads integer as 32 bits and long as 64: a wider value would be
        # cut or refused there, so it is refused here, before anything is sent.
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            self.add(path, f"{value} is outside the {bits}-bit integer range")
            return
        self._range(shape, value, path)

    def _float(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, f"expected a number, got {_type_name(value)}")
            return
        self._range(shape, value, path)

    _double = _float

    def _timestamp(self, shape_name: str, shape: Mapping[str, Any], value: Any, path: str) -> None:
        if isinstance(value, _dt.datetime):
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(
                path, f"expected a datetime or epoch seconds (a number), got {_type_name(value)}"
            )

    def _length(self, shape: Mapping[str, Any], length: int, path: str, unit: str) -> None:
        low, high = shape.get("min"), shape.get("max")
        if low is not None and length < low:
            self.add(path, f"length {length} is below the minimum of {low} {unit}")
        if high is not None and length > high:
            self.add(path, f"length {length} is above the maximum of {high} {unit}")

    def _range(self, shape: Mapping[str, Any], value: float, path: str) -> None:
        low, high = shape.get("min"), shape.get("max")
        if low is not None and value < low:
            self.add(path, f"{value} is below the minimum {low}")
        if high is not None and value > high:
            self.add(path, f"{value} is above the maximum {high}")


__all__ = ["checked_args", "validate"]
