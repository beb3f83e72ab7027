"""Convert R values (through rpy2) to Python values with DESIGN.md's type table.

The conversion is directed by the model shape, as the type table is: an R named list is
a dict for a structure or a map, an unnamed list is a list, raw is bytes, and so on.
Anything that does not have the R type the table promises raises, so a wrong type on
the R side fails the parity test instead of being smoothed over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rpy2 import robjects as ro
from rpy2.rinterface import RTYPES, NULLType

_R_CLASS = ro.r("function(x) class(x)")
_R_TZ = ro.r('function(x) { tz <- attr(x, "tzone"); if (is.null(tz)) "" else tz }')


class RTypeMismatch(AssertionError):
    """An R value does not have the R type DESIGN.md's type table gives its shape."""


def _names(value: Any) -> list[str] | None:
    names = value.names
    if isinstance(names, NULLType) or names is ro.NULL:
        return None
    return [str(n) for n in names]


def _scalar(value: Any, rtype: RTYPES, path: str) -> Any:
    if value.typeof != rtype:
        raise RTypeMismatch(f"{path}: expected R {rtype.name}, got {value.typeof.name}")
    if len(value) != 1:
        raise RTypeMismatch(f"{path}: expected length 1, got {len(value)}")
    return value[0]


def to_python(api: dict, shape_name: str, value: Any, path: str = "$") -> Any:
    """Convert the R value of shape ``shape_name`` to the Python value pawslambda returns."""
    shape = api["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        if value.typeof != RTYPES.VECSXP:
            raise RTypeMismatch(f"{path}: expected a named list, got {value.typeof.name}")
        if shape.get("event_stream"):
            return [_event(api, shape, item, f"{path}[[{i + 1}]]") for i, item in enumerate(value)]
        names = _names(value) or []
        if len(names) != len(value):
            raise RTypeMismatch(f"{path}: structure has unnamed elements")
        out = {}
        for name, item in zip(names, value, strict=True):
            if name not in shape["members"]:
                raise RTypeMismatch(f"{path}: {name!r} is not a member of {shape_name}")
            out[name] = to_python(api, shape["members"][name]["shape"], item, f"{path}${name}")
        return out
    if kind == "list":
        if value.typeof != RTYPES.VECSXP or _names(value):
            raise RTypeMismatch(f"{path}: expected an unnamed list")
        member = shape["member"]["shape"]
        return [to_python(api, member, item, f"{path}[[{i + 1}]]") for i, item in enumerate(value)]
    if kind == "map":
        if value.typeof != RTYPES.VECSXP:
            raise RTypeMismatch(f"{path}: expected a named list")
        vshape = shape["value"]["shape"]
        return {
            n: to_python(api, vshape, item, f"{path}${n}")
            for n, item in zip(_names(value) or [], value, strict=True)
        }
    if kind == "string":
        return _scalar(value, RTYPES.STRSXP, path)
    if kind == "integer":
        return int(_scalar(value, RTYPES.INTSXP, path))
    if kind == "long":
        number = _scalar(value, RTYPES.REALSXP, path)
        if number != int(number):
            raise RTypeMismatch(f"{path}: long is not integral: {number}")
        return int(number)
    if kind in ("float", "double"):
        return float(_scalar(value, RTYPES.REALSXP, path))
    if kind == "boolean":
        return bool(_scalar(value, RTYPES.LGLSXP, path))
    if kind == "blob":
        if value.typeof != RTYPES.RAWSXP:
            raise RTypeMismatch(f"{path}: expected raw, got {value.typeof.name}")
        return bytes(value)
    if kind == "timestamp":
        if "POSIXct" not in list(_R_CLASS(value)) or _R_TZ(value)[0] != "UTC":
            raise RTypeMismatch(f"{path}: expected POSIXct in UTC")
        seconds = _scalar(value, RTYPES.REALSXP, path)
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
    raise RTypeMismatch(f"{path}: no conversion for shape type {kind}")


def _event(api: dict, stream_shape: dict, item: Any, path: str) -> dict:
    names = _names(item)
    if not names or len(names) != 1:
        raise RTypeMismatch(f"{path}: an event is a one-member named list, got {names}")
    (name,) = names
    if name not in stream_shape["members"]:
        raise RTypeMismatch(f"{path}: unknown event type {name!r}")
    member_shape = stream_shape["members"][name]["shape"]
    return {name: to_python(api, member_shape, item[0], f"{path}${name}")}
