"""Bounded time and memory on hostile inputs (not a test; run by hand or in a CI step).

Usage: ``.venv/bin/python benchmarks/limits.py [--max-seconds S] [--max-mb M]``. Writes each
input to a temporary folder, runs the ``awslint`` CLI on it in a fresh process, and prints the
wall time and the peak resident memory of that process. Exits 1 when any input exceeds the
bounds (defaults: 15 s and 600 MB on the 2-core build machine).

Inputs: a YAML alias bomb that expands to about 1 GB ("billion laughs": 9 levels of 9 aliases
of 3-byte strings), a recursive alias, a 5 MB single-line ``RUN``, a 100,000-line Dockerfile,
a 100,000-line ``.env`` and workflow, JSON nested 100,000 deep, a 6 MB file over the limit, and
a compose file just under the 5 MB limit with 80,000 services — the slowest input of all, since
loading YAML costs about 2 s per MB: lower ``max-file-size`` where that matters.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs the CLI as a child and reports the child's wall time and peak memory (``ru_maxrss``, KB).
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "awslint", "--exit-zero", sys.argv[1]], capture_output=True)
elapsed = time.perf_counter() - start
last = (done.stdout.decode().splitlines() or [""])[-1]
print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode, last]))
"""


def _bomb() -> str:
    lines = ['  l1: &l1 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(2, 10)]
    return "x-bomb:\n" + "\n".join(lines) + "\nservices:\n  s:\n    image: x\n    environment: *l9\n    labels: *l9\n"


INPUTS: dict[str, tuple[str, str]] = {
    "YAML alias bomb (~1 GB expanded)": ("compose.yaml", _bomb()),
    "recursive YAML alias": ("compose.yaml", "services: &s\n  a:\n    image: x\n    labels: *s\n"),
    "5 MB single-line RUN": ("Dockerfile", "FROM alpine\nRUN echo " + "a" * (5 * 1024 * 1024 - 100) + "\n"),
    "100,000-line Dockerfile": ("Dockerfile", "FROM alpine\n" + "RUN aws s3 ls s3://bucket/key\n" * 100_000),
    "100,000-line .env": (".env", "".join(f"VAR_{n}=value{n}\n" for n in range(100_000))),
    "100,000-line workflow": (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + "      - run: aws s3 ls\n" * 50_000),
    "JSON nested 100,000 deep": ("task-definition.json", '{"containerDefinitions": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    "6 MB file (over max-file-size)": ("compose.yaml", "services: {}\n# " + "x" * (6 * 1024 * 1024) + "\n"),
    "5 MB compose file, 80,000 services": ("compose.yaml", "services:\n" + "".join(f"  svc{n}: {{image: nginx, environment: {{FOO: dev}}}}\n" for n in range(80_000))),
}


def measure(name: str, text: str) -> tuple[float, float, int, str]:
    """``(seconds, peak MB, exit code, last output line)`` of ``awslint`` on ``text`` saved as ``name``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        out = subprocess.run([sys.executable, "-c", _WRAPPER, folder], capture_output=True, text=True, check=True).stdout
    seconds, kilobytes, code, last = json.loads(out)
    return seconds, kilobytes / 1024, code, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=15.0)
    parser.add_argument("--max-mb", type=float, default=600.0)
    args = parser.parse_args()
    failed = False
    print(f"{'input':36} {'seconds':>8} {'peak MB':>8}  exit  awslint said")
    started = time.perf_counter()
    for label, (name, text) in INPUTS.items():
        seconds, megabytes, code, last = measure(name, text)
        over = seconds > args.max_seconds or megabytes > args.max_mb or code not in (0, 1)
        failed |= over
        print(f"{label:36} {seconds:8.2f} {megabytes:8.0f}  {code:4}  {last[:60]}{'  <-- OVER' if over else ''}")
    print(f"total {time.perf_counter() - started:.1f} s; bounds {args.max_seconds:g} s and {args.max_mb:g} MB per input")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
