"""The ``json`` format, stable and documented in the README ("JSON output").

Shape::

    {"version": "0.1.0",
     "findings": [{"rule": "AWS101", "name": "...", "severity": "error", "path": "...",
                   "line": 1, "column": 1, "end_line": 1, "end_column": 9,
                   "message": "...", "fingerprint": "...:1",
                   "related": [{"message": "...", "line": 1, "column": 1, "end_line": 1, "end_column": 2}]}],
     "summary": {"files": 3, "findings": 1, "error": 1, "warning": 0, "note": 0}}
"""

from __future__ import annotations

import json
from collections import Counter

from awslint import __version__
from awslint.engine import Report
from awslint.model import Region
from awslint.rules import Rule


def _span(region: Region) -> dict[str, int]:
    return {
        "line": region.start_line,
        "column": region.start_column,
        "end_line": region.end_line,
        "end_column": region.end_column,
    }


def render(report: Report, rules: list[Rule], color: bool) -> str:
    """The report as one JSON document (``color`` is ignored)."""
    counts = Counter(f.severity.value for f in report.findings)
    findings = [
        {
            "rule": f.rule.id,
            "name": f.rule.name,
            "severity": f.severity.value,
            "path": f.path,
            **_span(f.region),
            "message": f.message,
            "fingerprint": f.fingerprint,
            "related": [{"message": m, **_span(r)} for m, r in f.related],
        }
        for f in report.findings
    ]
    summary = {"files": report.files, "findings": len(findings), **{k: counts[k] for k in ("error", "warning", "note")}}
    return json.dumps({"version": __version__, "findings": findings, "summary": summary}, indent=2) + "\n"
