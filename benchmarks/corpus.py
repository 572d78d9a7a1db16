"""Time and peak memory of ``awslint`` over the shared corpus (not a test; run by hand).

Usage: ``.venv/bin/python benchmarks/corpus.py [PATH] [--runs N]``. Prints the best wall-clock
time of N runs of the whole CLI in a fresh process, files per second, and the peak resident
memory (``ru_maxrss``, KiB on Linux) of the slowest child.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def run_once(path: Path) -> tuple[float, int]:
    """One run: ``(seconds, files linted)``."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "awslint", str(path), "--format", "json", "--exit-zero"],
        capture_output=True, text=True, check=True,
    ).stdout
    return time.perf_counter() - start, json.loads(out)["summary"]["files"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, files = zip(*(run_once(args.path) for _ in range(args.runs)))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    best = min(times)
    print(f"{files[0]} files: best {best:.2f} s of {args.runs} runs ({files[0] / best:.0f} files/s), peak RSS {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
