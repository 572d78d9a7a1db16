"""Throughput per file kind over the shared corpus (not a test; run by hand).

Usage: ``.venv/bin/python benchmarks/kinds.py [PATH] [--runs N]``. Discovers the files once,
then for each kind times the whole engine (read, parse, every rule) on that kind's files, in
this process, and prints the best of N runs as files per second and MB per second.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from awslint.config import Config
from awslint.discover import Walker
from awslint.engine import lint, selected_rules
from awslint.rules import all_rules

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    config = Config(root=args.path)
    rules = selected_rules(all_rules(), config)
    by_kind = defaultdict(list)
    for candidate in Walker(args.path, [], {}).walk([args.path]):
        by_kind[candidate.kind].append(candidate)
    print(f"{'kind':<22} {'files':>6} {'MB':>6} {'best s':>8} {'files/s':>8} {'MB/s':>6}")
    for kind, candidates in sorted(by_kind.items(), key=lambda item: item[0].value):
        size = sum(c.path.stat().st_size for c in candidates) / 1e6
        best = min(_time(candidates, rules, config) for _ in range(args.runs))
        print(f"{kind.value:<22} {len(candidates):>6} {size:>6.2f} {best:>8.3f} {len(candidates) / best:>8.0f} {size / best:>6.1f}")


def _time(candidates, rules, config) -> float:
    start = time.perf_counter()
    lint(candidates, rules, config)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
