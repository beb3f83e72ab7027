"""Bench: stream 1 GiB from pawslocal to one client; server RSS must stay flat.

Run: ``python bench/pawslocal_stream.py [--mib 1024] [--chunk-kib 64]``. The script
starts ``python -m pawslocal`` with this file as its functions file (so ``gib`` below
is the handler), reads the stream with urllib3 + pawscore's decoder, samples the
server's RSS from /proc while it runs, and prints throughput and the RSS numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def gib(event: dict[str, Any], context: Any) -> Any:
    """Handler: yields ``mib`` MiB in chunks of ``chunk_kib`` KiB."""
    chunk = bytes(range(256)) * (int(event["chunk_kib"]) * 4)
    count = int(event["mib"]) * 1024 // int(event["chunk_kib"])
    for _ in range(count):
        yield chunk


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--chunk-kib", type=int, default=64)
    args = parser.parse_args()

    import pawslocal
    import urllib3
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from pawscore.eventstream import EventStreamDecoder

    config = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    config.write("[functions.gib]\ntimeout = 900\n")
    config.close()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pawslocal",
            "--port",
            "0",
            "--quiet",
            "--functions",
            str(HERE),
            "--config",
            config.name,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        samples: list[int] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append(_rss_kib(proc.pid))
                time.sleep(0.2)

        body = json.dumps({"mib": args.mib, "chunk_kib": args.chunk_kib}).encode()
        path = "/2021-11-15/functions/gib/response-streaming-invocations"
        creds = pawslocal.DEFAULT_CREDENTIALS
        request = AWSRequest(method="POST", url=url + path, data=body)
        SigV4Auth(
            Credentials(creds.access_key_id, creds.secret_access_key), "lambda", "us-east-1"
        ).add_auth(request)
        rss_before = _rss_kib(proc.pid)
        threading.Thread(target=sample, daemon=True).start()
        start = time.perf_counter()
        resp = urllib3.PoolManager().request(
            "POST",
            url + path,
            body=body,
            headers=dict(request.headers.items()),
            preload_content=False,
            timeout=urllib3.Timeout(read=60),
        )
        decoder = EventStreamDecoder()
        total = frames = 0
        first_byte = None
        last: dict[str, Any] = {}
        for data in resp.stream(1 << 20):
            if first_byte is None:
                first_byte = time.perf_counter() - start
            for message in decoder.feed(data):
                frames += 1
                if message.headers[":event-type"] == "PayloadChunk":
                    total += len(message.payload)
                else:
                    last = json.loads(message.payload)
        decoder.finish()
        elapsed = time.perf_counter() - start
        done.set()
    finally:
        proc.terminate()
        proc.wait(10)
        Path(config.name).unlink()
    expected = args.mib * 1024 * 1024
    steady = samples[len(samples) // 10 :] or samples
    print(
        f"streamed {total / 2**20:.0f} MiB in {frames} frames, {elapsed:.2f} s, "
        f"{total / 2**20 / elapsed:.0f} MiB/s, first byte after {1000 * (first_byte or 0):.1f} ms"
    )
    print(
        f"server RSS: before {rss_before / 1024:.1f} MiB, during min {min(steady) / 1024:.1f} "
        f"/ max {max(samples) / 1024:.1f} MiB ({len(samples)} samples)"
    )
    print(f"InvokeComplete: {last}")
    ok = total == expected and not last.get("ErrorCode") and max(samples) - rss_before < 64 * 1024
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(_main())
