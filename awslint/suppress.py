"""Inline suppression comments: ``# awslint: ignore[AWS001, hardcoded-secret-access-key] reason``.

A directive at the end of a line of code silences that line; on a line of its own (a comment
line) it silences the next line. ``# awslint: ignore-file[...]`` anywhere silences the whole
file. Selectors are ids, id prefixes or names. In AWS shared files ``;`` starts a comment too,
and only whole-line comments exist there (botocore keeps inline ``#`` text in the value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from awslint.model import Kind

_DIRECTIVE = re.compile(r"[#;]\s*awslint:\s*(ignore-file|ignore)\[([^\]]*)\]")


@dataclass
class Suppressions:
    """Selectors that apply to the whole file and per 1-based line."""

    file: list[str] = field(default_factory=list)
    lines: dict[int, list[str]] = field(default_factory=dict)

    def selectors_for(self, line: int) -> list[str]:
        """Every selector silencing a finding that starts on ``line``."""
        return self.file + self.lines.get(line, [])


def read_suppressions(text: str, kind: Kind) -> Suppressions:
    """Collect the directives in ``text``. JSON files have no comments, so an ECS task
    definition written in JSON yields none (use the config's ``per-file-ignores``)."""
    found = Suppressions()
    if kind is Kind.ECS and text.lstrip().startswith(("{", "[")):
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "awslint" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            selectors = [s.strip() for s in match.group(2).split(",") if s.strip()]
            if match.group(1) == "ignore-file":
                found.file.extend(selectors)
                continue
            own_line = line[: match.start()].strip() == ""
            found.lines.setdefault(number + 1 if own_line else number, []).extend(selectors)
    return found
