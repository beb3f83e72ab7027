"""Bench: stream 1 GiB from pawslocal; server RSS must stay flat.

Run: ``python bench/pawslocal_stream.py [--mib 1024] [--chunk-kib 64] [--clients 1]``.
The script starts ``python -m pawslocal`` with this file as its functions file (so
``gib`` below is the handler), reads the stream(s) with urllib3 + pawscore's decoder
(``--clients N`` splits the total over N simultaneous streams), samples the server's
RSS from /proc while it runs, and prints throughput, time to first byte and RSS.
Exit status 0 when every byte arrived and RSS grew by less than 64 MiB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
PATH = "/2021-11-15/functions/gib/response-streaming-invocations"


def gib(event: dict[str, Any], context: Any) -> Any:
    """Handler: yields ``mib`` MiB in chunks of ``chunk_kib`` KiB."""
    chunk = bytes(range(256)) * (int(event["chunk_kib"]) * 4)
    count = int(event["mib"]) * 1024 // int(event["chunk_kib"])
    for _ in range(count):
        yield chunk


@dataclass
class _Result:
    payload_bytes: int
    frames: int
    first_byte_s: float
    complete: dict[str, Any]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _stream_once(url: str, mib: int, chunk_kib: int) -> _Result:
    import pawslocal
    import urllib3
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from pawscore.eventstream import EventStreamDecoder

    body = json.dumps({"mib": mib, "chunk_kib": chunk_kib}).encode()
    creds = pawslocal.DEFAULT_CREDENTIALS
    request = AWSRequest(method="POST", url=url + PATH, data=body)
    SigV4Auth(
        Credentials(creds.access_key_id, creds.secret_access_key), "lambda", "us-east-1"
    ).add_auth(request)
    start = time.perf_counter()
    resp = urllib3.PoolManager().request(
        "POST",
        url + PATH,
        body=body,
        headers=dict(request.headers.items()),
        preload_content=False,
        timeout=urllib3.Timeout(read=120),
    )
    decoder = EventStreamDecoder()
    result = _Result(0, 0, 0.0, {})
    for data in resp.stream(1 << 20):
        if not result.first_byte_s:
            result.first_byte_s = time.perf_counter() - start
        for message in decoder.feed(data):
            result.frames += 1
            if message.headers[":event-type"] == "PayloadChunk":
                result.payload_bytes += len(message.payload)
            else:
                result.complete = json.loads(message.payload)
    decoder.finish()
    return result


def _main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024, help="total MiB over all clients")
    parser.add_argument("--chunk-kib", type=int, default=64)
    parser.add_argument("--clients", type=int, default=1)
    args = parser.parse_args()
    per_client = args.mib // args.clients

    config = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    config.write("[functions.gib]\ntimeout = 900\n")
    config.close()
    command = [sys.executable, "-m", "pawslocal", "--port", "0", "--quiet"]
    proc = subprocess.Popen(
        [*command, "--functions", str(HERE), "--config", config.name],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    samples: list[int] = []
    done = threading.Event()
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()

        def sample() -> None:
            while not done.is_set():
                samples.append(_rss_kib(proc.pid))
                time.sleep(0.2)

        rss_before = _rss_kib(proc.pid)
        threading.Thread(target=sample, daemon=True).start()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(
                pool.map(
                    lambda _: _stream_once(url, per_client, args.chunk_kib), range(args.clients)
                )
            )
        elapsed = time.perf_counter() - start
        done.set()
    finally:
        proc.terminate()
        proc.wait(10)
        Path(config.name).unlink()
    total = sum(r.payload_bytes for r in results)
    frames = sum(r.frames for r in results)
    first = sorted(r.first_byte_s for r in results)
    samples = samples or [rss_before]
    print(
        f"streamed {total / 2**20:.0f} MiB in {frames} frames to {args.clients} client(s), "
        f"{elapsed:.2f} s, {total / 2**20 / elapsed:.0f} MiB/s"
    )
    print(
        f"time to first byte: min {1000 * first[0]:.1f} ms, "
        f"median {1000 * first[len(first) // 2]:.1f} ms, max {1000 * first[-1]:.1f} ms"
    )
    print(
        f"server RSS: before {rss_before / 1024:.1f} MiB, during min {min(samples) / 1024:.1f} "
        f"/ max {max(samples) / 1024:.1f} MiB ({len(samples)} samples)"
    )
    errors = [r.complete for r in results if r.complete.get("ErrorCode")]
    ok = (
        total == per_client * args.clients * 2**20
        and not errors
        and max(samples) - rss_before < 64 * 1024
    )
    print("OK" if ok else f"FAILED {errors[:1]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(_main())
