"""AWS9xx: files the consumer cannot read at all."""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Region
from awslint.rules import ALL_KINDS, Hit, Severity, rule


@rule("AWS900", "parse-error", Severity.ERROR, ALL_KINDS, "the file cannot be parsed", tags=("correctness",))
def parse_error(model: FileModel) -> Iterator[Hit]:
    """Each problem the parser recorded (botocore, Docker, compose or Actions would reject it)."""
    for problem in model.problems:
        yield Hit(problem.message, problem.region)


SKIP_RULE = "AWS901"


@rule(SKIP_RULE, "file-not-linted", Severity.NOTE, ALL_KINDS, "the file was not read or not linted", tags=("coverage",))
def file_not_linted(model: FileModel) -> Iterator[Hit]:
    """A file of a known kind that awslint did not lint, with the reason: a symbolic link out
    of the tree or in a loop, not a regular file, over the ``max-file-size`` limit, binary,
    UTF-16 text, unreadable, or nested too deeply. The engine runs no other rule on it."""
    if model.skipped is not None:
        yield Hit(model.skipped, Region(1, 1, 1, 2))
