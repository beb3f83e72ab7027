"""Demo: start the local Lambda emulator, stream a function's response from Python and R.

Run with `make demo`. Each chunk is printed with the time since the call started, so
you can see the chunks arrive one by one while the function is still running.
"""

from __future__ import annotations

import argparse
import os
import pprint
import subprocess
import sys
import time
from pathlib import Path

import pawslocal
from pawslambda import client

HERE = Path(__file__).resolve().parent


def python_demo(url: str, function: str) -> None:
    """Stream `function` through the Python client, printing each event as it arrives."""
    svc = client(config=pawslocal.client_config(url))
    print(f"== Python: invoke_with_response_stream(FunctionName={function!r})", flush=True)
    start = time.monotonic()

    def show(event: dict) -> dict:
        ((kind, body),) = event.items()
        shown = body.get("Payload", body)
        print(f"  +{(time.monotonic() - start) * 1000:7.1f} ms  {kind}: {shown!r}", flush=True)
        return event

    resp = svc.invoke_with_response_stream(
        FunctionName=function, Payload=b'{"n": 5, "delay": 0.3}', on_event=show
    )
    print("== Python: the returned value", flush=True)
    pprint.pprint(resp, width=100, sort_dicts=False)


def r_demo(url: str, function: str) -> None:
    """Run examples/demo.R against the same emulator."""
    creds = pawslocal.DEFAULT_CREDENTIALS
    env = dict(
        os.environ,
        PAWS_DEMO_ENDPOINT=url,
        PAWS_DEMO_FUNCTION=function,
        PAWS_DEMO_ACCESS_KEY_ID=creds.access_key_id,
        PAWS_DEMO_SECRET_ACCESS_KEY=creds.secret_access_key,
    )
    subprocess.run(["Rscript", str(HERE / "demo.R")], env=env, check=True)


def main() -> None:
    """Start the emulator on loopback, run both demos, stop the emulator."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=9001)
    parser.add_argument("--function", default="stream")
    args = parser.parse_args()
    with pawslocal.serve(functions=HERE / "functions.py", port=args.port) as url:
        print(f"pawslocal is serving Lambda on {url}", flush=True)
        python_demo(url, args.function)
        r_demo(url, args.function)
    print("pawslocal stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
