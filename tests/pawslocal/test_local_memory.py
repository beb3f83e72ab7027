"""1 GiB streamed to one client with flat server memory (runs bench/pawslocal_stream.py)."""

from __future__ import annotations

import re
import subprocess
import sys

from local_helpers import REPO, python_env


def test_one_gib_stream_keeps_server_rss_flat() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pawslocal_stream.py"), "--mib", "1024"],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "streamed 1024 MiB in 16385 frames to 1 client(s)" in proc.stdout
    m = re.search(r"before ([\d.]+) MiB, during min [\d.]+ / max ([\d.]+) MiB", proc.stdout)
    assert m is not None
    before, peak = float(m[1]), float(m[2])
    assert peak - before < 64, proc.stdout  # 1 GiB went through; memory grew < 64 MiB
