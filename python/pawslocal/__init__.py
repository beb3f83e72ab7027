"""pawslocal: a local emulator of AWS Lambda's data plane for Python handlers.

``with pawslocal.serve(functions="examples/functions.py") as url:`` runs one on a
free loopback port; ``python -m pawslocal`` runs one from the command line.
"""

from .app import build_server, serve
from .config import DEFAULT_CREDENTIALS, DEFAULT_REGION, Credentials

__all__ = ["DEFAULT_CREDENTIALS", "DEFAULT_REGION", "Credentials", "build_server", "serve"]
