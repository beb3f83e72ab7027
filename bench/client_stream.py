"""Client benchmark: one InvokeWithResponseStream call, botocore vs pawslambda (Python, R).

All three clients call the same pawslocal process on loopback, in turns, best of
``--repeats``. Figures are ratios against botocore measured in the same run (the
machines are noisy). Also measured: time to the first event while the function is
still running, which shows that events reach the caller as they arrive.
Writes bench/results/client_stream.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pawslocal
from pawslambda import client as pawslambda_client

HERE = Path(__file__).resolve().parent
CREDS = pawslocal.DEFAULT_CREDENTIALS
CASES = {  # name -> (payload for the `chunks` function)
    "2000 x 1 KiB": {"n": 2000, "size": 1024},
    "20000 x 16 B": {"n": 20000, "size": 16},
    "80 x 64 KiB": {"n": 80, "size": 65536},
}
FIRST_DELAY_S = 0.5

R_SCRIPT = r"""
args <- commandArgs(TRUE)
svc <- pawslambda::lambda(config = list(region = "us-east-1", endpoint = args[1],
  credentials = list(creds = list(access_key_id = Sys.getenv("PAWS_BENCH_KEY_ID"),
                                  secret_access_key = Sys.getenv("PAWS_BENCH_SECRET")))))
payload <- args[2]; repeats <- as.integer(args[3]); fn <- args[4]
best <- Inf; first <- NA
for (i in seq_len(repeats)) {
  start <- proc.time()[["elapsed"]]; seen <- NA
  svc$invoke_with_response_stream(FunctionName = fn, Payload = payload,
    .on_event = function(e) { if (is.na(seen)) seen <<- proc.time()[["elapsed"]] - start; NULL })
  best <- min(best, proc.time()[["elapsed"]] - start)
  first <- min(first, seen, na.rm = TRUE)
}
cat(sprintf("%.6f %.6f\n", best, first))
"""


def _botocore(url: str) -> object:
    return boto3.client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=CREDS.access_key_id,
        aws_secret_access_key=CREDS.secret_access_key,
    )


def _pawslambda(url: str) -> object:
    return pawslambda_client(pawslocal.client_config(url))


def _time_python(call: object, fn: str, payload: bytes, repeats: int) -> tuple[float, float]:
    best = first = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        seen = None
        for _event in call(fn, payload):  # type: ignore[operator]
            if seen is None:
                seen = time.perf_counter() - start
        best = min(best, time.perf_counter() - start)
        first = min(first, seen if seen is not None else float("inf"))
    return best, first


def _best(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return min(a[0], b[0]), min(a[1], b[1])


def _time_r(url: str, fn: str, payload: bytes, repeats: int) -> tuple[float, float]:
    # Keys go through the environment: a command line shows in process lists and errors.
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    env.update(PAWS_BENCH_KEY_ID=CREDS.access_key_id, PAWS_BENCH_SECRET=CREDS.secret_access_key)
    out = subprocess.run(
        ["Rscript", "-e", R_SCRIPT, url, payload.decode(), str(repeats), fn],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the R client failed:\n{out.stderr}")
    best, first = out.stdout.split()
    return float(best), float(first)


def main() -> None:
    """Run every case with the three clients and report ratios against botocore."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    # The emulator runs in its own process so that no client shares a GIL with it.
    with pawslocal.serve_process(HERE / "bench_functions.py") as url:
        boto, paws = _botocore(url), _pawslambda(url)

        def boto_call(fn: str, payload: bytes) -> object:
            return boto.invoke_with_response_stream(FunctionName=fn, Payload=payload)["EventStream"]

        def paws_call(fn: str, payload: bytes) -> object:
            return paws.invoke_with_response_stream(FunctionName=fn, Payload=payload, stream=True)[
                "EventStream"
            ]

        rows = []
        cases = {**CASES, "first event (function still running)": None}
        for name, spec in cases.items():
            fn = "chunks" if spec else "first_late"
            payload = json.dumps(spec or {"delay": FIRST_DELAY_S}).encode()
            # Rounds alternate between the two, so drift in machine load hits both.
            b = p = (float("inf"), float("inf"))
            for _ in range(args.repeats):
                b = _best(b, _time_python(boto_call, fn, payload, 1))
                p = _best(p, _time_python(paws_call, fn, payload, 1))
            r = _time_r(url, fn, payload, args.repeats)
            index = 0 if spec else 1  # whole call, or time to the first event
            rows.append(
                {
                    "case": name,
                    "botocore_s": b[index],
                    "pawslambda_py_s": p[index],
                    "pawslambda_r_s": r[index],
                    "py_speedup_vs_botocore": b[index] / p[index],
                    "r_speedup_vs_botocore": b[index] / r[index],
                }
            )

    out = HERE / "results" / "client_stream.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"repeats": args.repeats, "rows": rows}, indent=2) + "\n")
    print(f"{'case':40} {'botocore':>10} {'py':>10} {'R':>10} {'py x':>6} {'R x':>6}")
    for row in rows:
        print(
            f"{row['case']:40} {row['botocore_s'] * 1000:8.1f}ms {row['pawslambda_py_s'] * 1000:8.1f}ms"
            f" {row['pawslambda_r_s'] * 1000:8.1f}ms {row['py_speedup_vs_botocore']:6.2f}"
            f" {row['r_speedup_vs_botocore']:6.2f}"
        )
    print("(x = botocore time / client time, same run; first-event row: time to first event)")


if __name__ == "__main__":
    sys.exit(main())
