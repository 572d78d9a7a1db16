"""Must-fire and must-not-fire fixtures for every rule, with exact positions.

Layout: ``tests/fixtures/<ID>/fire`` holds files that must produce findings of rule ``<ID>``,
listed in ``fire/expected.txt`` as ``<path relative to fire/>:<line>:<column>`` (1-based,
columns in characters); ``tests/fixtures/<ID>/pass`` holds files that must produce none. A
folder with a ``home.json`` is a home directory linted as ``awslint --home`` would.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from awslint.config import Config
from awslint.discover import Walker
from awslint.engine import Finding, lint, selected_rules
from awslint.home import home_candidates, home_context
from awslint.rules import all_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULE_IDS = [r.id for r in all_rules()]
CASES = sorted(
    (rule_dir.name, outcome)
    for rule_dir in FIXTURES.iterdir()
    if rule_dir.is_dir()
    for outcome in ("fire", "pass")
    if (rule_dir / outcome).is_dir()
)

_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])")
_SECRET = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])")


def _lint(folder: Path) -> list[Finding]:
    """Lint ``folder`` as a repository, or, when it holds ``home.json``, as ``awslint --home``
    with ``HOME`` set to a copy of it (see :func:`_home_copy`)."""
    config = Config(root=folder)
    rules = selected_rules(all_rules(), config)
    if (folder / "home.json").is_file():
        env = _home_copy(folder, _HOMES / folder.parent.name / folder.name)
        candidates, _ = home_candidates(env)
        report = lint(candidates, rules, config, home_context(env, NOW), home=True)
    else:
        report = lint(Walker(folder, [], {}).walk([folder]), rules, config)
    assert not report.internal_errors, report.internal_errors
    return report.findings


_HOMES = Path(tempfile.mkdtemp(prefix="awslint-homes-"))
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)  # "now" of the --home fixtures (SSO token expiry)


def _home_copy(folder: Path, home: Path) -> dict[str, str]:
    """Copy ``folder`` to ``home`` (git keeps no permissions) and apply ``home.json``:
    ``{"env": {NAME: VALUE}, "modes": {"relative/path": "600"}}``; files are 0600 unless
    listed. Returns the environment, with ``HOME`` pointing at the copy."""
    spec = json.loads((folder / "home.json").read_text("utf-8"))
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(folder, home)
    for path in home.rglob("*"):
        if path.is_file():
            path.chmod(0o600)
    for relative, mode in spec.get("modes", {}).items():
        (home / relative).chmod(int(mode, 8))
    return {"HOME": str(home), **spec.get("env", {})}


def _positions(folder: Path, rule_id: str) -> set[tuple[str, int, int]]:
    base = (_HOMES / folder.parent.name / folder.name) if (folder / "home.json").is_file() else folder
    return {
        (f.file.resolve().relative_to(base.resolve()).as_posix(), f.region.start_line, f.region.start_column)
        for f in _lint(folder)
        if f.rule.id == rule_id
    }


def _expected(folder: Path) -> set[tuple[str, int, int]]:
    found = set()
    for line in (folder / "expected.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, row, column = line.strip().rsplit(":", 2)
            found.add((path, int(row), int(column)))
    return found


@pytest.mark.parametrize(("rule_id", "outcome"), CASES, ids=[f"{r}-{o}" for r, o in CASES])
def test_fixture_folder(rule_id: str, outcome: str) -> None:
    folder = FIXTURES / rule_id / outcome
    actual = _positions(folder, rule_id)
    if outcome == "fire":
        expected = _expected(folder)
        assert expected, f"{folder}/expected.txt lists no finding"
        assert actual == expected, f"missing: {sorted(expected - actual)}; unexpected: {sorted(actual - expected)}"
    else:
        assert actual == set(), f"{rule_id} fired in {folder}: {sorted(actual)}"


def test_every_rule_has_fire_and_pass_fixtures() -> None:
    for rule_id in RULE_IDS:
        assert (FIXTURES / rule_id / "fire" / "expected.txt").is_file(), f"{rule_id}: no fire/expected.txt"
        assert (FIXTURES / rule_id / "pass").is_dir(), f"{rule_id}: no pass folder"
        assert any(p.is_file() for p in (FIXTURES / rule_id / "pass").rglob("*")), f"{rule_id}: empty pass folder"


def _fixture_secrets() -> set[str]:
    found: set[str] = set()
    for path in FIXTURES.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            text = path.read_text("utf-8", "replace")
            found.update(_KEY_ID.findall(text))
            found.update(s for s in _SECRET.findall(text) if any(c.isdigit() for c in s) and any(c.isupper() for c in s))
    return found


def test_no_message_reveals_a_fixture_secret() -> None:
    secrets = _fixture_secrets()
    assert len(secrets) > 20
    leaks = []
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for finding in _lint(rule_dir):
            texts = [finding.message, *(message for message, _ in finding.related)]
            for secret in secrets:
                if any(secret in text for text in texts):
                    leaks.append(f"{finding.path}:{finding.region.start_line}:{finding.region.start_column} {finding.rule.id} reveals {secret[:4]}…")
    assert not leaks, "\n".join(leaks)
