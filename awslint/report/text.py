"""The default ``text`` format: ``path:line:col: ID name: message``, then a summary line."""

from __future__ import annotations

from collections import Counter

import click

from awslint.engine import Report
from awslint.rules import Rule

_COLOURS = {"error": "red", "warning": "yellow", "note": "blue"}


def render(report: Report, rules: list[Rule], color: bool) -> str:
    """One line per finding, then ``Found N problems (E errors, W warnings, N notes) in F files.``
    Colour (via ``click.style``) only when ``color`` is set, i.e. on a terminal."""
    lines = []
    for f in report.findings:
        location = f"{f.path}:{f.region.start_line}:{f.region.start_column}:"
        code = click.style(f.rule.id, fg=_COLOURS[f.severity.value], bold=True) if color else f.rule.id
        lines.append(f"{click.style(location, bold=True) if color else location} {code} {f.rule.name}: {f.message}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """The closing line, e.g. ``Found 3 problems (1 error, 2 warnings) in 7 files.``"""
    files = f"{report.files} file{'s' * (report.files != 1)}"
    errors = len(report.internal_errors)
    failed = f"; {errors} internal error{'s' * (errors != 1)} (on standard error): the run is incomplete" if errors else ""
    if not report.findings:
        return f"No problems found in {files}{failed}."
    counts = Counter(f.severity.value for f in report.findings)
    parts = [f"{counts[level]} {level}{'s' * (counts[level] != 1)}" for level in ("error", "warning", "note") if counts[level]]
    total = len(report.findings)
    return f"Found {total} problem{'s' * (total != 1)} ({', '.join(parts)}) in {files}{failed}."
