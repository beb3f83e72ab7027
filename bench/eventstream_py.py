"""Event-stream decoder benchmark, Python and R in one run (``make bench``).

    python bench/eventstream_py.py [--r-lib DIR] [--no-r] [--repeats N]

Decodes streams of realistic Lambda PayloadChunk frames (16 B, 1 KiB and 64 KiB
payloads) fed in 64 KiB reads, with: pawscore's Python decoder, botocore's
``EventStreamBuffer``, one ``zlib.crc32`` pass over the same bytes, pawscore's R
decoder (``es_decoder()``, C core) and a re-implementation of paws.common's pure-R
approach.  Prints a table and writes ``bench/results/eventstream.json``.  Targets are
ratios within this one run, so the machine's speed cancels out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

import botocore  # noqa: E402
from botocore.eventstream import EventStreamBuffer  # noqa: E402
from pawscore.eventstream import EventStreamDecoder, encode_message  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "eventstream.json"
READ_SIZE = 64 * 1024
HEADERS = {
    ":event-type": "PayloadChunk",
    ":content-type": "application/octet-stream",
    ":message-type": "event",
}
# payload size -> (frames in the main stream, frames for the slow paws-like reference)
CASES = {"16B": (16, 200_000, 3_000), "1KiB": (1024, 25_000, 3_000), "64KiB": (65536, 400, 100)}
TARGETS = {
    "python_vs_botocore_16B": (">=", 5.0),
    "python_vs_botocore_1KiB": (">=", 5.0),
    "python_time_vs_crc32_64KiB": ("<=", 1.6),
    "r_vs_paws_1KiB": (">=", 30.0),
    "r_vs_paws_16B": (">=", 100.0),
    "r_time_vs_python_16B": ("<=", 1.5),
    "r_time_vs_python_1KiB": ("<=", 1.5),
    "r_time_vs_python_64KiB": ("<=", 1.5),
}


def make_stream(payload_size: int, frames: int) -> bytes:
    """``frames`` PayloadChunk frames with varied payload bytes."""
    out = bytearray()
    for i in range(frames):
        payload = bytes((i + k) & 0xFF for k in range(min(payload_size, 64))) * (
            payload_size // min(payload_size, 64)
        )
        out += encode_message(HEADERS, payload[:payload_size])
    return bytes(out)


def reads(data: bytes, size: int = READ_SIZE) -> list[bytes]:
    """``data`` cut into network-read-sized chunks."""
    return [data[i : i + size] for i in range(0, len(data), size)]


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Smallest wall time of each function over ``repeats`` rounds, run in turn.

    Taking turns within each round means a burst of load from other processes hits
    every contender alike, so the ratios hold even on a busy machine.
    """
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def ours(chunks: list[bytes]) -> int:
    """Decode with pawscore; the frame count."""
    dec = EventStreamDecoder()
    count = 0
    for chunk in chunks:
        count += len(dec.feed(chunk))
    dec.finish()
    return count


def theirs(chunks: list[bytes]) -> int:
    """Decode with botocore's EventStreamBuffer; the frame count."""
    buf = EventStreamBuffer()
    count = 0
    for chunk in chunks:
        buf.add_data(chunk)
        for _ in buf:
            count += 1
    return count


def run_python(streams: dict[str, bytes], repeats: int) -> dict[str, dict[str, Any]]:
    """Seconds per decoder and case (checked: every frame decoded)."""
    out: dict[str, dict[str, Any]] = {}
    for name, data in streams.items():
        frames = CASES[name][1]
        chunks = reads(data)
        assert ours(chunks) == frames and theirs(chunks) == frames
        times = interleaved(
            {
                "pawscore_py": lambda c=chunks: ours(c),
                "botocore": lambda c=chunks: theirs(c),
                "zlib_crc32": lambda d=data: zlib.crc32(d),
            },
            repeats,
        )
        out[name] = {
            k: {"frames": frames, "bytes": len(data), "seconds": v} for k, v in times.items()
        }
    return out


def merge_min(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> None:
    """Keep, in ``a``, the faster of two runs of the same measurements."""
    for name, row in b.items():
        for decoder, entry in row.items():
            if entry["seconds"] < a[name][decoder]["seconds"]:
                a[name][decoder] = entry


def run_r(workdir: Path, streams: dict[str, bytes], r_lib: str | None) -> dict[str, Any]:
    """Run bench/eventstream_r.R on the same streams; its seconds per case."""
    cases = {}
    for name, data in streams.items():
        size, frames, paws_frames = CASES[name]
        (workdir / f"{name}.bin").write_bytes(data)
        paws = make_stream(size, paws_frames)
        (workdir / f"{name}.paws.bin").write_bytes(paws)
        cases[name] = {
            "read_size": READ_SIZE,
            "frames": frames,
            "bytes": len(data),
            "paws_frames": paws_frames,
            "paws_bytes": len(paws),
        }
    (workdir / "cases.json").write_text(json.dumps(cases))
    env = dict(os.environ)
    if r_lib:
        env["R_LIBS"] = r_lib + os.pathsep + env.get("R_LIBS", "")
    out = workdir / "r.json"
    script = ROOT / "bench" / "eventstream_r.R"
    subprocess.run(["Rscript", str(script), str(workdir), str(out)], check=True, env=env)
    return json.loads(out.read_text())


def install_r(workdir: Path) -> str:
    """Install a clean copy of r/pawscore into a library under ``workdir``; its path.

    The copy keeps build files out of the source tree.
    """
    source = workdir / "src" / "pawscore"
    shutil.copytree(
        ROOT / "r" / "pawscore", source, ignore=shutil.ignore_patterns("*.o", "*.so", "*.dll")
    )
    lib = workdir / "rlib"
    lib.mkdir()
    proc = subprocess.run(
        ["R", "CMD", "INSTALL", "--no-docs", f"--library={lib}", str(source)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"R CMD INSTALL failed:\n{proc.stdout}\n{proc.stderr}")
    return str(lib)


def rate(entry: dict[str, Any]) -> tuple[float, float]:
    """(MB/s, frames/s) of one measurement."""
    return entry["bytes"] / entry["seconds"] / 1e6, entry["frames"] / entry["seconds"]


def per_frame(entry: dict[str, Any]) -> float:
    """Seconds per frame of one measurement."""
    return entry["seconds"] / entry["frames"]


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The target ratios (speed-ups as 'x times faster', times as 'x times slower')."""
    out = {}
    for name, row in results.items():
        py = row["pawscore_py"]
        out[f"python_vs_botocore_{name}"] = row["botocore"]["seconds"] / py["seconds"]
        out[f"python_time_vs_crc32_{name}"] = py["seconds"] / row["zlib_crc32"]["seconds"]
        if "pawscore_r" in row:
            r = row["pawscore_r"]
            out[f"r_vs_paws_{name}"] = per_frame(row["paws_like_r"]) / per_frame(r)
            out[f"r_time_vs_python_{name}"] = r["seconds"] / py["seconds"]
    return out


def verdicts(found: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Each target with its measured value and whether it is met."""
    out = {}
    for key, (op, limit) in TARGETS.items():
        value = found.get(key)
        met = None if value is None else (value >= limit if op == ">=" else value <= limit)
        out[key] = {"target": f"{op} {limit}", "value": value, "met": met}
    return out


def print_table(results: dict[str, dict[str, Any]], checks: dict[str, dict[str, Any]]) -> None:
    """Human-readable summary."""
    print(f"{'case':<7}{'decoder':<14}{'MB/s':>10}{'frames/s':>12}")
    for name, row in results.items():
        for decoder, entry in row.items():
            mbs, fps = rate(entry)
            print(f"{name:<7}{decoder:<14}{mbs:>10.1f}{fps:>12.0f}")
    print()
    print(f"{'ratio':<30}{'value':>8}  target   met")
    for key, check in checks.items():
        value = "n/a" if check["value"] is None else f"{check['value']:.2f}"
        print(f"{key:<30}{value:>8}  {check['target']:<8} {check['met']}")


def main() -> int:
    """Run the benchmark, print the table, write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--r-lib", help="R library holding pawscore (default: install a copy)")
    parser.add_argument("--no-r", action="store_true", help="Python decoders only")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    streams = {name: make_stream(size, frames) for name, (size, frames, _) in CASES.items()}
    results = run_python(streams, args.repeats)
    if not args.no_r:
        with tempfile.TemporaryDirectory(prefix="pawsbench-") as tmp:
            lib = args.r_lib or os.environ.get("PAWSCORE_R_LIB") or install_r(Path(tmp))
            r_rows = run_r(Path(tmp), streams, lib)
        # Python again after R, keeping the best of both rounds: R's figures are
        # compared with Python's best, not with a round slowed by other load.
        merge_min(results, run_python(streams, args.repeats))
        for name, row in r_rows.items():
            results[name].update(row)
    checks = verdicts(ratios(results))
    print_table(results, checks)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "botocore": botocore.__version__,
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
        },
        "read_size": READ_SIZE,
        "frame_headers": HEADERS,
        "results": results,
        "targets": checks,
    }
    RESULTS.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
