"""Worker processes change nothing but the time: a run with several jobs prints exactly what a
serial run prints (findings, their order, fingerprints, file count)."""

from __future__ import annotations

import shutil
from pathlib import Path

from awslint import workers

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _tree(root: Path) -> None:
    """Every rule's fixtures, copied three times: well over the pool's threshold, all kinds."""
    for copy in range(3):
        for rule in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not (p / "fire" / "home.json").exists()):
            shutil.copytree(rule, root / f"copy{copy}" / rule.name, symlinks=True)


def test_parallel_output_is_identical_to_serial(run_cli, tmp_path):
    _tree(tmp_path)
    serial = run_cli(["--format", "json", "--jobs", "1", "."], tmp_path)
    parallel = run_cli(["--format", "json", "--jobs", "3", "."], tmp_path)
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.stdout.count('"rule"') > 600
    assert parallel.stdout == serial.stdout


def test_the_pool_is_used_only_when_it_pays(tmp_path):
    from awslint.config import Config
    from awslint.model import Context

    config = Config(root=tmp_path)
    assert workers.start([], [], config, Context(now=None), jobs=4) is None  # few files
    assert workers.default_jobs() >= 1
