"""Shared test helpers: run the engine or the CLI on a folder, as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from awslint.cli import main
from awslint.config import Config
from awslint.discover import Walker
from awslint.engine import Report, lint, selected_rules
from awslint.rules import all_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def lint_folder(folder: Path, select: list[str] | None = None) -> Report:
    """Lint ``folder`` with default settings (or only the ``select``ed rules)."""
    config = Config(root=folder)
    if select:
        config.select = select
    candidates = Walker(folder, [], {}).walk([folder])
    return lint(candidates, selected_rules(all_rules(), config), config)


@pytest.fixture
def run_cli(monkeypatch):
    """Run ``awslint ARGS`` in a given working directory; returns the click ``Result``."""

    def run(args: list[str], cwd: Path):
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(main, args, catch_exceptions=False)

    return run
