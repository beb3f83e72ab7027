"""Build and run an emulator: ``serve()`` for tests, ``build_server()`` for the CLI."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from . import logs
from .config import Config, Credentials, load_config
from .functions import Registry, load_handlers
from .server import LambdaServer

FunctionsSource = str | Path | ModuleType | Mapping[str, Callable[[Any, Any], Any]]

_servers_lock = threading.Lock()
_servers_running = 0


def build_server(
    functions: FunctionsSource,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    config: str | Path | dict[str, Any] | Config | None = None,
    credentials: Credentials | tuple[Credentials, ...] | None = None,
    auth: bool = True,
    faults: Mapping[str, str] | None = None,
    access_log: TextIO | None = None,
) -> LambdaServer:
    """Load functions and config and bind a server (not yet serving)."""
    cfg = load_config(config)
    registry = Registry(load_handlers(functions), cfg)
    if isinstance(credentials, Credentials):
        credentials = (credentials,)
    return LambdaServer(
        (host, port),
        registry,
        cfg,
        auth=auth,
        credentials=credentials,
        faults=faults,
        access_log=access_log,
    )


@contextmanager
def serve(
    functions: FunctionsSource,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    config: str | Path | dict[str, Any] | Config | None = None,
    credentials: Credentials | tuple[Credentials, ...] | None = None,
    auth: bool = True,
    faults: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run an emulator in a background thread; yields its base URL, stops on exit."""
    global _servers_running
    server = build_server(
        functions,
        host=host,
        port=port,
        config=config,
        credentials=credentials,
        auth=auth,
        faults=faults,
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    with _servers_lock:
        _servers_running += 1
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        with _servers_lock:
            _servers_running -= 1
            if _servers_running == 0:
                logs.uninstall()
