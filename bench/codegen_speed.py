"""How long the generator takes on a large model: IR + both packages, for any protocol.

EC2, the largest model, is the default. The generator refuses protocols the runtimes
lack, so this times the same steps `python -m codegen generate --service NAME` runs
with the protocol check off and nothing written: load (``.json.gz`` read directly),
IR, render, ruff format.

    python bench/codegen_speed.py [--service ec2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "python")]

from codegen.generate import botocore_model_path, load_service, render_all  # noqa: E402


def main() -> int:
    """Print the best and worst of ``--rounds`` runs, and write bench/results/codegen_speed.txt."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--service", default="ec2")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    path = botocore_model_path(args.service)
    times: list[tuple[float, float, float]] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        service = load_service(path, supported_only=False)
        loaded = time.perf_counter()
        py, r = render_all(service)
        done = time.perf_counter()
        times.append((loaded - start, done - loaded, done - start))
    best = min(times, key=lambda t: t[2])
    worst = max(times, key=lambda t: t[2])
    text = (
        f"codegen {args.service} ({len(service.operations)} operations, "
        f"{len(service.shapes)} shapes, {len(py)} Python + {len(r)} R files): "
        f"best {best[2]:.2f} s (load+IR {best[0]:.2f} s, render {best[1]:.2f} s), "
        f"worst {worst[2]:.2f} s over {args.rounds} rounds\n"
    )
    print(text, end="")
    (ROOT / "bench/results").mkdir(exist_ok=True)
    (ROOT / "bench/results/codegen_speed.txt").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
