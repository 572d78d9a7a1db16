"""Reporters: each turns a :class:`~awslint.engine.Report` into text for one ``--format``.

Reporters know nothing of file kinds; they read findings and rule metadata only.
"""

from __future__ import annotations

from collections.abc import Callable

from awslint.engine import Report
from awslint.report import github, json_format, sarif, text
from awslint.rules import Rule

Reporter = Callable[[Report, list[Rule], bool], str]

FORMATS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
}
