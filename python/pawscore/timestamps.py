"""Timestamp conversions between Python values and the three AWS wire formats."""

from __future__ import annotations

import calendar
import datetime as _dt
import email.utils
import re

UTC = _dt.timezone.utc

_ISO_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?"
)


def to_datetime(value: _dt.datetime | int | float) -> _dt.datetime:
    """An aware UTC datetime from a datetime (naive means UTC) or epoch seconds."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return _dt.datetime.fromtimestamp(value, UTC)


def to_epoch(value: _dt.datetime | int | float) -> int | float:
    """Epoch seconds, as an int when there is no fraction."""
    if not isinstance(value, _dt.datetime):
        return value
    moment = to_datetime(value)
    seconds = calendar.timegm(moment.timetuple())
    if moment.microsecond:
        return seconds + moment.microsecond / 1_000_000
    return seconds


def format_timestamp(value: _dt.datetime | int | float, fmt: str) -> str | int | float:
    """Render ``value`` in ``fmt``: "iso8601", "rfc822" or "unixTimestamp"."""
    if fmt == "unixTimestamp":
        return to_epoch(value)
    moment = to_datetime(value)
    if fmt == "rfc822":
        return email.utils.format_datetime(moment, usegmt=True)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


def parse_timestamp(value: str | int | float) -> _dt.datetime:
    """Parse epoch seconds, ISO 8601 or RFC 822 into an aware UTC datetime."""
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, int | float):
        return _dt.datetime.fromtimestamp(value, UTC)
    text = value.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _dt.datetime.fromtimestamp(float(text), UTC)
    match = _ISO_RE.fullmatch(text)
    if match:
        year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
        fraction = match.group(7)
        # Digits past microseconds are cut, as botocore (dateutil) does: rounding
        # would disagree with it, and .9999995 would round up to an invalid 1000000.
        micro = int(fraction[1:7].ljust(6, "0")) if fraction else 0
        tz = UTC
        if match.group(9):
            sign = 1 if match.group(9) == "+" else -1
            tz = _dt.timezone(
                sign * _dt.timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
            )
        moment = _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
        return moment.astimezone(UTC)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a timestamp: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


__all__ = ["UTC", "format_timestamp", "parse_timestamp", "to_datetime", "to_epoch"]
