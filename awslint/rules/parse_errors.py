"""AWS9xx: files the consumer cannot read at all."""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel
from awslint.rules import ALL_KINDS, Hit, Severity, rule


@rule("AWS900", "parse-error", Severity.ERROR, ALL_KINDS, "the file cannot be parsed", tags=("correctness",))
def parse_error(model: FileModel) -> Iterator[Hit]:
    """Each problem the parser recorded (botocore, Docker, compose or Actions would reject it)."""
    for problem in model.problems:
        yield Hit(problem.message, problem.region)
