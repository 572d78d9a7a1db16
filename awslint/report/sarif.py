"""The ``sarif`` format: SARIF 2.1.0 as GitHub code scanning ingests it.

Follows the OASIS SARIF 2.1.0 standard and GitHub's "SARIF support for code scanning": a
``tool.driver`` with every rule (``shortDescription``, ``fullDescription``, ``help`` text and
Markdown from the rule's page, ``defaultConfiguration.level``, ``properties.tags`` and
``security-severity`` for security rules), and results whose locations are relative to the
``%SRCROOT%`` base (the git work tree, else the working directory) with a full ``region`` and a
``partialFingerprints.primaryLocationLineHash``. Columns count Unicode code points.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote
from pathlib import Path

from awslint import __version__
from awslint.docs import page, section
from awslint.engine import Finding, Report
from awslint.model import Region
from awslint.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_BASE = "%SRCROOT%"


def render(report: Report, rules: list[Rule], color: bool) -> str:
    """The whole SARIF log as JSON text (``color`` is ignored)."""
    root = source_root(Path.cwd())
    index = {rule.id: i for i, rule in enumerate(rules)}
    run = {
        "tool": {"driver": {"name": "awslint", "version": __version__, "semanticVersion": __version__, "rules": [_rule(r) for r in rules]}},
        "originalUriBaseIds": {_BASE: {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, root) for f in report.findings],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def source_root(start: Path) -> Path:
    """The top of the git work tree holding ``start``, or ``start`` itself."""
    start = Path(os.path.abspath(start))
    return next((p for p in [start, *start.parents] if (p / ".git").exists()), start)


def _rule(rule: Rule) -> dict:
    markdown = page(rule.id)
    properties: dict = {"tags": list(rule.tags), "precision": "high"}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": section(markdown, "What it does") or rule.summary},
        "help": {"text": markdown or rule.summary, "markdown": markdown or rule.summary},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": properties,
    }


def _region(region: Region) -> dict[str, int]:
    return {
        "startLine": region.start_line,
        "startColumn": region.start_column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    }


def _location(finding: Finding, region: Region, root: Path) -> dict:
    absolute = Path(os.path.abspath(finding.file))
    try:
        artifact = {"uri": quote(os.fsencode(absolute.relative_to(root).as_posix())), "uriBaseId": _BASE}
    except ValueError:
        artifact = {"uri": "file://" + quote(os.fsencode(absolute.as_posix()))}
    return {"physicalLocation": {"artifactLocation": artifact, "region": _region(region)}}


def _result(finding: Finding, index: dict[str, int], root: Path) -> dict:
    result = {
        "ruleId": finding.rule.id,
        "ruleIndex": index[finding.rule.id],
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [_location(finding, finding.region, root)],
        "partialFingerprints": {"primaryLocationLineHash": finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, **_location(finding, region, root), "message": {"text": text}}
            for i, (text, region) in enumerate(finding.related, start=1)
        ]
    return result
