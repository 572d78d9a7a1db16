"""The ``github`` format: workflow commands that GitHub Actions shows as annotations.

See GitHub's "Workflow commands for GitHub Actions" (``::error file=,line=,col=,endLine=,
endColumn=,title=::message``); ``note`` maps to ``::notice``. Data and property values are
escaped as the Actions toolkit does (``%``, CR, LF; plus ``:`` and ``,`` in properties).
"""

from __future__ import annotations

from awslint.engine import Report
from awslint.rules import Rule

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, rules: list[Rule], color: bool) -> str:
    """One annotation line per finding (``color`` is ignored)."""
    lines = []
    for f in report.findings:
        r = f.region
        props = (
            f"file={_property(f.path)},line={r.start_line},col={r.start_column},"
            f"endLine={r.end_line},endColumn={r.end_column},title={_property(f'{f.rule.id} {f.rule.name}')}"
        )
        lines.append(f"::{_COMMAND[f.severity.value]} {props}::{_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
