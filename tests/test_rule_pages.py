"""Every rule has a page ``rules/<ID>.md`` in ruff's rule-doc template, and the page's examples
are true: the rule fires on the "Example" block and stays silent on the "Use instead" block.

Each example block is a fenced code block whose info string is ``<language> <relative path>``;
the block is written to that path in a fresh folder and linted with the real engine, so the
path also decides the file's kind exactly as it would in a user's repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awslint.config import Config
from awslint.discover import Walker
from awslint.engine import Report, lint, selected_rules
from awslint.home import home_candidates, home_context
from awslint.rules import ALL_KINDS, Rule, all_rules
from awslint.rules.secrets import ACCESS_KEY_ID, is_secret_access_key

PAGES = Path(__file__).resolve().parent.parent / "rules"
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "How to fix", "References")
_FENCE = re.compile(r"^```(?P<lang>\S+)[ \t]+(?P<path>\S[^\n]*?)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
_SECRET_RUN = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])")

RULES = all_rules()


def _page(rule: Rule) -> str:
    path = PAGES / f"{rule.id}.md"
    assert path.is_file(), f"missing rule page {path}"
    return path.read_text("utf-8")


def _section(markdown: str, title: str) -> str:
    """The text under ``## title`` up to the next ``## `` heading that is outside a code fence."""
    lines = markdown.splitlines(keepends=True)
    found: list[str] | None = None
    in_fence = False
    for line in lines:
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            if found is not None:
                break
            if line[3:].strip() == title:
                found = []
                continue
        if found is not None:
            found.append(line)
    assert found is not None, f"no `## {title}` section"
    return "".join(found)


def _blocks(markdown: str, title: str) -> list[tuple[str, list[str], str]]:
    """``(relative path, NAME=VALUE words, text)`` of every fenced block under ``## title``."""
    blocks = []
    for match in _FENCE.finditer(_section(markdown, title)):
        path, *words = match.group("path").split()
        assert not path.startswith("/") and ".." not in Path(path).parts, f"fence path must be relative: {path}"
        assert all("=" in word for word in words), f"after the path, a fence takes only NAME=VALUE words: {words}"
        blocks.append((path, words, match.group("body")))
    assert blocks, f"`## {title}` has no fenced block with an info string `<language> <path>`"
    return blocks


def _lint_blocks(rule: Rule, root: Path, blocks: list[tuple[str, list[str], str]]) -> Report:
    """Write the blocks and lint them: as a repository, or with ``awslint --home`` when the
    paths start with ``~/`` (then ``mode=644`` sets a file's permissions, default 600, and
    other ``NAME=VALUE`` words are the environment)."""
    home = root / "home"
    env = {"HOME": str(home)}
    targets = []
    for path, words, text in blocks:
        target = home / path[2:] if path.startswith("~/") else root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        settings = dict(word.split("=", 1) for word in words)
        target.chmod(int(settings.pop("mode", "600"), 8))
        env.update(settings)
        targets.append(target.resolve())
    config = Config(root=root)
    if blocks[0][0].startswith("~/"):
        candidates, _ = home_candidates(env)
        report = lint(candidates, selected_rules(RULES, config), config, home_context(env), home=True)
    else:
        candidates = list(Walker(root, [], {}).walk([root]))
        assert {c.path.resolve() for c in candidates} == set(targets), f"awslint does not recognise {[b[0] for b in blocks]}"
        report = lint(candidates, selected_rules(RULES, config), config)
    first = next((c for c in candidates if c.path.resolve() == targets[0]), None)
    assert first is not None and first.kind in rule.kinds, f"{blocks[0][0]}: {rule.id} does not apply to it"
    assert not report.internal_errors, report.internal_errors
    return report


def _secrets(text: str) -> set[str]:
    """Access key ids and secret-access-key-shaped strings in an example."""
    found = set(ACCESS_KEY_ID.findall(text))
    found |= {s for s in _SECRET_RUN.findall(text) if is_secret_access_key(s)}
    return found


def _assert_no_secret_in_messages(report: Report, text: str) -> None:
    for secret in _secrets(text):
        for finding in report.findings:
            assert secret not in finding.message, f"{finding.rule.id} message shows a secret: {finding.message}"
            for message, _ in finding.related:
                assert secret not in message, f"{finding.rule.id} related message shows a secret: {message}"


def test_every_page_belongs_to_a_rule():
    ids = {r.id for r in RULES}
    assert {p.stem for p in PAGES.glob("*.md")} <= ids


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_page_structure(rule: Rule):
    markdown = _page(rule)
    assert markdown.splitlines()[0] == f"# {rule.id} {rule.name}"
    headings = [line[3:].strip() for line in re.findall(r"^## .*$", markdown, re.M)]
    assert headings == list(SECTIONS)
    for title in SECTIONS:
        assert _section(markdown, title).strip(), f"`## {title}` is empty"
    kinds = "all" if rule.kinds == ALL_KINDS else ", ".join(sorted(k.value for k in rule.kinds))
    assert f"Severity: {rule.severity.value} · Applies to: {kinds}" in markdown


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_example_fires(rule: Rule, tmp_path: Path):
    blocks = _blocks(_page(rule), "Example")
    report = _lint_blocks(rule, tmp_path, blocks)
    fired = [f for f in report.findings if f.rule.id == rule.id]
    assert fired, f"{rule.id} does not fire on its Example ({blocks[0][0]})"
    _assert_no_secret_in_messages(report, "".join(b[2] for b in blocks))


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_use_instead_is_clean(rule: Rule, tmp_path: Path):
    blocks = _blocks(_page(rule), "Use instead")
    report = _lint_blocks(rule, tmp_path, blocks)
    fired = [f"{f.region.start_line}: {f.message}" for f in report.findings if f.rule.id == rule.id]
    assert not fired, f"{rule.id} fires on its Use instead ({blocks[0][0]}): {fired}"
    _assert_no_secret_in_messages(report, "".join(b[2] for b in blocks))
