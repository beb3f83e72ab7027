"""`make bench`: run every benchmark in turn; each prints its table and writes bench/results/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ["eventstream_py.py"],
    ["client_stream.py"],
    ["client_speed.py"],
    ["pawslocal_stream.py", "--mib", "1024"],
    ["pawslocal_stream.py", "--mib", "1024", "--clients", "64"],
    ["codegen_speed.py", "--service", "ec2"],
    ["codegen_sweep.py", "--install", "20"],
]


def main() -> int:
    """Run the benchmarks; stop at the first that fails."""
    for bench in BENCHES:
        print(f"\n=== bench/{' '.join(bench)}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / bench[0]), *bench[1:]], check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
