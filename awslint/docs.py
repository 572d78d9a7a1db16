"""Rule pages: ``rules/<ID>.md``, shipped inside the wheel as ``awslint/rule_pages``.

``awslint explain`` prints a page; the SARIF reporter puts it in ``rules[].help``. Every page
has the sections "What it does", "Why is this bad?", "Example", "Use instead", "How to fix" and
"References" (the template ruff uses for its rule docs).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_FOLDERS = (_HERE / "rule_pages", _HERE.parent / "rules")


@cache
def page(rule_id: str) -> str:
    """The Markdown page of ``rule_id``; ``""`` when the page is missing."""
    for folder in _FOLDERS:
        path = folder / f"{rule_id}.md"
        if path.is_file():
            return path.read_text("utf-8")
    return ""


def section(markdown: str, title: str) -> str:
    """The text under ``## title`` up to the next ``## `` heading, stripped."""
    match = re.search(rf"^## {re.escape(title)}\s*\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    return match.group(1).strip() if match else ""
