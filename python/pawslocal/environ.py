"""Per-invocation environment variables for handlers that share one process.

Lambda gives each function its own process environment (``AWS_LAMBDA_FUNCTION_NAME``,
``AWS_REGION``, the function's configured variables...). Handlers here run on threads
of one process, so ``os.environ`` is replaced once by a mapping that shows, on a
handler's thread, that invocation's variables over the real environment, and on every
other thread the real environment unchanged. Writes go to the real environment, as
before.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Mapping, MutableMapping

from .functions import Target

_local = threading.local()
_install_lock = threading.Lock()


class _ThreadEnviron(MutableMapping[str, str]):
    """``os.environ`` with a thread-local overlay; everything else delegates to the real one."""

    def __init__(self, real: MutableMapping[str, str]) -> None:
        self.real = real

    @staticmethod
    def _overlay() -> Mapping[str, str]:
        return getattr(_local, "overlay", None) or {}

    def __getitem__(self, key: str) -> str:
        overlay = self._overlay()
        return overlay[key] if key in overlay else self.real[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.real[key] = value

    def __delitem__(self, key: str) -> None:
        del self.real[key]

    def __iter__(self) -> Iterator[str]:
        overlay = self._overlay()
        yield from overlay
        yield from (k for k in self.real if k not in overlay)

    def __len__(self) -> int:
        overlay = self._overlay()
        return len(overlay) + sum(1 for k in self.real if k not in overlay)

    def copy(self) -> dict[str, str]:
        """A plain dict of what this thread sees, like ``os.environ.copy()``."""
        return dict(self.items())

    def __repr__(self) -> str:
        return f"environ({self.copy()!r})"


def install() -> None:
    """Replace ``os.environ`` by the overlay-aware mapping (once per process)."""
    with _install_lock:
        if not isinstance(os.environ, _ThreadEnviron):
            # Replacing (not clearing) is the point: os.getenv reads this global.
            os.environ = _ThreadEnviron(os.environ)  # type: ignore[assignment]  # noqa: B003


def lambda_variables(target: Target) -> dict[str, str]:
    """The variables Lambda's Python runtime sets, then the function's own."""
    fn = target.function
    region = target.function_arn.split(":")[3]  # arn:aws:lambda:<region>:<account>:...
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    standard = {
        "AWS_LAMBDA_FUNCTION_NAME": fn.name,
        "AWS_LAMBDA_FUNCTION_VERSION": target.version,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{fn.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": f"[{target.version}]pawslocal",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_python{version}",
        "_HANDLER": fn.handler,
    }
    # Like Lambda, the function's own settings may not replace the reserved ones.
    own = {k: v for k, v in fn.environment.items() if k not in standard}
    return {**standard, **own}


def set_for_this_thread(variables: Mapping[str, str] | None) -> None:
    """Show ``variables`` over the real environment on the calling thread (None: stop)."""
    _local.overlay = dict(variables) if variables else None
