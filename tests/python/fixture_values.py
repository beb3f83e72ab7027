"""Our parsed output in the terms of AWS's protocol test fixtures (shared by the suites)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def plain(value: Any) -> Any:
    """Epoch numbers for timestamps, text for blobs, NaN and infinities as words."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None and value.utcoffset() == dt.timedelta(0)
        return round(value.timestamp(), 3)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value
