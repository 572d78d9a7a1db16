"""Helpers shared by the YAML/JSON-based parsers (compose, ECS, workflows)."""

from __future__ import annotations

from awslint.model import Document, EnvVar, FileModel, ParseProblem, Region, Scalar
from awslint.parse.tree import Node, TreeError, load_json, load_yaml


def load_tree(document: Document, model: FileModel, as_json: bool = False) -> Node | None:
    """Parse ``document`` as JSON (``as_json``) or YAML; on a syntax error record the problem in
    ``model.problems`` and return ``None``."""
    try:
        if as_json:
            return load_json(document.raw or (document.text or "").encode())
        return load_yaml(document.text or "")
    except TreeError as error:
        model.problems.append(error.problem)
        return None


def load_mapping(document: Document, model: FileModel, expected: str) -> Node | None:
    """:func:`load_tree` for YAML whose top level must be a mapping: anything else is recorded
    as a problem saying ``expected`` (e.g. "a mapping with a `services:` key")."""
    root = load_tree(document, model)
    if root is not None and not isinstance(root.value, dict):
        model.problems.append(ParseProblem(f"the top level must be {expected}", root.region))
        return None
    return root


def scalar(node: Node | None) -> Scalar | None:
    """The node's text with its region, or ``None`` when the node is missing or null."""
    if node is None:
        return None
    text = node.text if node.text is not None else _describe(node)
    return Scalar(text, node.region) if text is not None else None


def _describe(node: Node) -> str | None:
    """A short text for a non-scalar value, e.g. a CloudFormation ``{"Ref": "Role"}``."""
    if isinstance(node.value, dict) and node.value:
        return " ".join(node.value)
    return None


def value_region(node: Node, offset: int) -> Region:
    """The region of a scalar's text from ``offset`` characters in, skipping an opening quote
    when the scalar is quoted (its region is wider than its text)."""
    region = node.region
    text = node.text or ""
    quoted = region.start_line == region.end_line and region.end_column - region.start_column > len(text)
    start = region.start_column + offset + (1 if quoted else 0)
    if region.start_line != region.end_line:
        return Region(region.start_line, start, region.end_line, region.end_column)
    return Region(region.start_line, start, region.start_line, max(start + 1, region.end_column - (1 if quoted else 0)))


def mapping_env(node: Node | None, origin: str = "env") -> list[EnvVar]:
    """``{NAME: value}`` as :class:`EnvVar`s; a null value is a pass-through (``None``)."""
    found = []
    for name, child in (node.mapping() if node else {}).items():
        region = child.key_region or child.region
        if child.value is None and child.tag is None:
            found.append(EnvVar(name, None, region, None, origin))
        else:
            text = child.text if child.text is not None else _describe(child)
            found.append(EnvVar(name, text, region, child.region, origin))
    return found
