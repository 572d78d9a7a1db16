"""The README's rules table lists every rule with its registered name, severity and kinds."""

from __future__ import annotations

import re

from conftest import REPO

from awslint.model import Kind
from awslint.rules import all_rules


def _kinds(kinds: frozenset[Kind]) -> str:
    return "all" if len(kinds) == len(Kind) else ", ".join(sorted(k.value for k in kinds))


def test_rules_table_matches_the_registry():
    readme = (REPO / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| (AWS\d{3}) \| (\S+) \| (\w+) \| ([^|]+) \|$", readme, re.M)
    expected = [(r.id, r.name, r.severity.value, _kinds(r.kinds)) for r in all_rules()]
    assert [(i, n, s, k.strip()) for i, n, s, k in rows] == expected


def test_sample_output_is_what_awslint_prints(run_cli):
    readme = (REPO / "README.md").read_text("utf-8")
    sample = re.search(r"```console\n\$ awslint examples\n(.*?)```", readme, re.S).group(1).splitlines()
    printed = run_cli(["examples"], REPO).stdout.splitlines()
    assert sample[-1] == printed[-1]
    for line in sample[:-1]:
        start = line.removesuffix(" ...")
        assert any(p.startswith(start) for p in printed), line
