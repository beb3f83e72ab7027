"""pawslocal: a local emulator of AWS Lambda's data plane for Python handlers.

``with pawslocal.serve(functions="examples/functions.py") as url:`` runs one on a
free loopback port in a thread; ``pawslocal.serve_process(...)`` runs one in a child
process; ``python -m pawslocal`` runs one from the command line.
``pawslocal.client_config(url)`` is a pawslambda config pointing at it.
"""

from .app import build_server, serve
from .config import DEFAULT_CREDENTIALS, DEFAULT_REGION, Credentials
from .process import client_config, serve_process

__all__ = [
    "DEFAULT_CREDENTIALS",
    "DEFAULT_REGION",
    "Credentials",
    "build_server",
    "client_config",
    "serve",
    "serve_process",
]
