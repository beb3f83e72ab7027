"""Command line: ``python -m pawslocal --port 9001 --functions examples/functions.py``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .app import build_server
from .config import DEFAULT_CREDENTIALS, ConfigError, load_config
from .faults import FaultSpecError
from .functions import FunctionLoadError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pawslocal",
        description="Local emulator of AWS Lambda's Invoke and InvokeWithResponseStream.",
    )
    p.add_argument("--functions", required=True, help="Python file defining handler functions")
    p.add_argument("--config", help="TOML config: credentials, versions, aliases, faults")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 9001; 0 = any free)")
    p.add_argument("--no-auth", action="store_true", help="accept requests without SigV4")
    p.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the emulator until SIGINT/SIGTERM; the first stdout line is its URL."""
    args = _parser().parse_args(argv)
    try:
        cfg = load_config(args.config)
        server = build_server(
            args.functions,
            host=args.host or cfg.host or "127.0.0.1",
            port=args.port if args.port is not None else (cfg.port or 9001),
            config=cfg,
            auth=not args.no_auth,
            access_log=None if args.quiet else sys.stderr,
        )
    except (ConfigError, FunctionLoadError, FaultSpecError, OSError) as e:
        print(f"pawslocal: {e}", file=sys.stderr)
        return 2

    def _stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print(server.url, flush=True)
    print(f"functions: {', '.join(sorted(server.registry.functions))}", file=sys.stderr)
    if not server.auth:
        print("auth: off (--no-auth)", file=sys.stderr)
    elif not server.strict_keys:
        print(
            "auth: SigV4, any well-formed signature from any key (your own AWS keys work);"
            f" the test key {DEFAULT_CREDENTIALS.access_key_id} (secret"
            f" {DEFAULT_CREDENTIALS.secret_access_key}) is verified in full",
            file=sys.stderr,
        )
    else:
        print(f"auth: SigV4, access keys {', '.join(server.credentials)}", file=sys.stderr)
    sys.stderr.flush()
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    print("pawslocal: stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
