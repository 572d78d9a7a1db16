"""Inline suppression comments: ``# awslint: ignore[AWS001, hardcoded-secret-access-key] reason``.

A directive on a line of its own (a comment line) silences the next line; in YAML and ``.env``
files, which have trailing comments, one at the end of a line silences that line.
``# awslint: ignore-file[...]`` silences the whole file. Selectors are ids, id prefixes or
names. Dockerfiles and AWS shared files have only whole-line comments: Docker passes a trailing
``# ...`` to the instruction as arguments (Dockerfile reference, "Format"), and botocore keeps it
in the value; there ``;`` starts a comment too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from awslint.model import Kind

_WHOLE_LINE_ONLY = (Kind.DOCKERFILE, Kind.AWS_CONFIG, Kind.AWS_CREDENTIALS)
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
            if own_line or kind not in _WHOLE_LINE_ONLY:
                found.lines.setdefault(number + 1 if own_line else number, []).extend(selectors)
    return found
