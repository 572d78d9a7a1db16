"""Positioned trees for YAML and JSON: every mapping, sequence and scalar keeps its region.

YAML is composed (not constructed) with PyYAML's libyaml-backed ``CBaseLoader`` when available,
so unknown tags such as CloudFormation's ``!Ref`` are kept as tags and plain scalars stay text
(a workflow's ``on:`` is the string ``"on"``, not ``True``). Aliases are shared, not copied,
so an alias bomb costs no more than its text; YAML merge keys (``<<: *base``) are applied as
compose files use them. JSON is parsed with tree-sitter-json, which gives byte positions and
keeps going after errors.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from awslint.model import ParseProblem, Region

if TYPE_CHECKING:  # PyYAML and tree-sitter-json are imported when a YAML or JSON file is read
    import yaml

Value = Union[dict[str, "Node"], list["Node"], str, int, float, bool, None]

# The base loader resolves no implicit types (every plain scalar stays text, as consumers of
# these files read it); null and the merge key ``<<`` are recognised here instead.
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@functools.cache
def _json_parser():
    import tree_sitter_json
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_json.language()))


@dataclass(slots=True)
class Node:
    """One value of a YAML or JSON document.

    ``value`` is a ``dict`` of key to :class:`Node`, a ``list`` of nodes, or a scalar (YAML
    scalars are ``str``, or ``None`` for null; JSON scalars are their JSON types). ``region`` spans
    the value; ``key_region`` spans its key when it is a mapping value. ``tag`` is a local YAML
    tag such as ``!Ref``, else ``None``.
    """

    value: Value
    region: Region
    key_region: Region | None = None
    tag: str | None = None

    def get(self, key: str) -> Node | None:
        """The value under ``key`` when this node is a mapping, else ``None``."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def find(self, *keys: str) -> Node | None:
        """Follow ``keys`` through nested mappings; ``None`` as soon as one is missing."""
        node: Node | None = self
        for key in keys:
            node = node.get(key) if node else None
        return node

    def mapping(self) -> dict[str, Node]:
        """The mapping, or ``{}`` when this node is not one."""
        return self.value if isinstance(self.value, dict) else {}

    def items(self) -> list[Node]:
        """The sequence, or ``[]`` when this node is not one."""
        return self.value if isinstance(self.value, list) else []

    @property
    def text(self) -> str | None:
        """The scalar as text (``true`` for JSON ``true``; ``!Ref X`` for a tagged scalar), or
        ``None`` for null, mappings and sequences."""
        if isinstance(self.value, (dict, list)) or self.value is None:
            return None if self.tag is None else self.tag
        text = json.dumps(self.value) if isinstance(self.value, bool) else str(self.value)
        return f"{self.tag} {text}" if self.tag else text


class TreeError(Exception):
    """The text is not a well-formed YAML/JSON document; ``problem`` says where and why."""

    def __init__(self, problem: ParseProblem):
        super().__init__(problem.message)
        self.problem = problem


class TooDeep(Exception):
    """The document nests deeper than :data:`MAX_DEPTH`: well-formed, but not linted."""


# --- YAML -------------------------------------------------------------------------------


def load_yaml(text: str) -> Node | None:
    """Compose the first YAML document of ``text``; ``None`` for an empty document.

    Raises :class:`TreeError` for YAML syntax errors, with the position libyaml reports.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"{error.problem or error.context or 'invalid YAML'}"
        if error.context == "expected a single document in the stream":
            message = "the file holds several YAML documents (`---`), but only one is read"
        raise TreeError(ParseProblem(f"YAML syntax error: {message}", Region(line, column, line, column + 1))) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise TreeError(ParseProblem(f"YAML error: {str(error).splitlines()[0]}", Region(1, 1, 1, 2))) from None
    if root is None:
        return None
    converter = _YamlConverter()
    tree = converter.convert(root, None)
    _excessive_aliasing(*converter.expanded(root, False))
    return tree


def _excessive_aliasing(nodes: int, aliased: int) -> None:
    """Compose (go-yaml v3, ``decoder.unmarshal``) refuses a document whose decoding spends too
    much of its time inside aliases: more than 100 nodes decoded inside an alias and 1,000 in
    all, and a share above 0.99 at 400,000 nodes, falling to 0.10 at 4,000,000 ("document
    contains excessive aliasing"). Applied to the whole document's totals."""
    if aliased <= 100 or nodes <= 1000:
        return
    low, high = 400_000, 4_000_000
    allowed = 0.99 if nodes <= low else 0.10 if nodes >= high else 0.99 - 0.89 * (nodes - low) / (high - low)
    if aliased / nodes > allowed:
        raise TreeError(ParseProblem(
            f"YAML error: excessive aliasing (the aliases expand to {nodes:,} nodes): an alias bomb, which Compose "
            "rejects (\"document contains excessive aliasing\")", Region(1, 1, 1, 2)))


def _mark_region(node: yaml.Node) -> Region:
    start, end = node.start_mark, node.end_mark
    if end.line > start.line and isinstance(node.value, list) and not node.flow_style and end.column <= start.column:
        # libyaml ends a block collection where the next token starts: at or left of the
        # collection's own indentation on a later line. It really ends on the line before.
        return Region(start.line + 1, start.column + 1, end.line, 10_000)
    return Region(start.line + 1, start.column + 1, end.line + 1, max(end.column, start.column + 1) + 1)


MAX_DEPTH = 200  # nesting levels; real compose files, workflows and templates stay under 30


class _YamlConverter:
    """Turns composed ``yaml.Node``s into :class:`Node`s, converting each shared node once
    (an alias bomb costs what its text costs). Raises :class:`TreeError` for what Compose
    (go-yaml) and GitHub Actions reject: a duplicate key and a recursive alias; and for nesting
    deeper than :data:`MAX_DEPTH` (:class:`TooDeep`), which would exhaust the stack. ``counts``
    holds, per collection, how many nodes decoding it would visit with every alias expanded, and
    how many of them inside an alias, for :func:`_excessive_aliasing`."""

    def __init__(self) -> None:
        import yaml

        self.done: dict[int, Node] = {}
        self.active: set[int] = set()
        self.counts: dict[int, tuple[int, int]] = {}
        self.scalar, self.mapping = yaml.ScalarNode, yaml.MappingNode

    def expanded(self, child: yaml.Node, shared: bool) -> tuple[int, int]:
        """``(nodes, nodes inside an alias)`` a decoder visits for ``child``; ``shared`` when
        this occurrence is an alias of a collection already decoded: the alias node itself, then
        every node of its expansion, all of them inside the alias (go-yaml's ``aliasDepth``)."""
        nodes, aliased = self.counts.get(id(child), (1, 0))
        return (nodes + 1, nodes) if shared else (nodes, aliased)

    def convert(self, node: yaml.Node, key_region: Region | None, depth: int = 0) -> Node:
        if node.__class__ is self.scalar:  # the common case: no children, nothing to share
            tag = node.tag
            local = tag if tag[0] == "!" else None
            value = None if tag == _NULL_TAG or (not node.style and not local and node.value in _NULLS) else node.value
            start, end = node.start_mark, node.end_mark
            region = Region(start.line + 1, start.column + 1, end.line + 1, max(end.column, start.column + 1) + 1)
            return Node(value, region, key_region, local)
        cached = self.done.get(id(node))
        if cached is not None:
            return Node(cached.value, cached.region, key_region, cached.tag)
        if id(node) in self.active:
            raise TreeError(ParseProblem("YAML error: a recursive alias (an alias inside the node it refers to); Compose and GitHub Actions reject it", _mark_region(node)))
        if depth > MAX_DEPTH:
            raise TooDeep(f"nested more than {MAX_DEPTH} levels deep: not linted")
        tag = node.tag if node.tag.startswith("!") else None
        self.active.add(id(node))
        children = [value for _, value in node.value] if isinstance(node, self.mapping) else node.value
        shared = [id(child) in self.done for child in children]
        if isinstance(node, self.mapping):
            value: Value = self._mapping(node, depth)
        else:
            value = [self.convert(item, None, depth + 1) for item in node.value]
        tallies = [self.expanded(child, alias) for child, alias in zip(children, shared)]
        self.counts[id(node)] = (1 + sum(t[0] for t in tallies), sum(t[1] for t in tallies))
        self.active.discard(id(node))
        result = Node(value, _mark_region(node), key_region, tag)
        self.done[id(node)] = result
        return result

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Node]:
        result: dict[str, Node] = {}
        merged: list[Node] = []
        for key, value in node.value:
            if not isinstance(key, self.scalar):
                continue
            child = self.convert(value, _mark_region(key), depth + 1)
            if key.tag == _MERGE_TAG or (not key.style and key.value == "<<"):
                merged.extend(child.items() if isinstance(child.value, list) else [child])
                continue
            if key.value in result:
                first = result[key.value].key_region
                raise TreeError(ParseProblem(f"YAML error: duplicate key `{key.value}` (first at line {first.start_line if first else '?'}); Compose, GitHub Actions and CloudFormation reject the file", _mark_region(key)))
            result[key.value] = child
        for base in merged:
            for name, child in base.mapping().items():
                result.setdefault(name, child)
        return result


# --- JSON -------------------------------------------------------------------------------


def load_json(raw: bytes) -> Node | None:
    """Parse JSON bytes (UTF-8) into a positioned tree; ``None`` for an empty document.

    Raises :class:`TreeError` at the first syntax error tree-sitter finds.
    """
    tree = _json_parser().parse(raw)
    columns = _Columns(raw)
    if tree.root_node.has_error:
        bad = _first_error(tree.root_node)
        row, col = columns.point(bad.start_point)
        what = _missing(bad.type) if bad.is_missing else "unexpected text"
        raise TreeError(ParseProblem(f"JSON syntax error: {what}", Region(row, col, row, col + 1)))
    comment = _first_comment(tree.root_node)
    if comment is not None:
        row, col = columns.point(comment.start_point)
        raise TreeError(ParseProblem("JSON syntax error: JSON has no comments (the AWS CLI, the SDKs and CloudFormation reject them)", Region(row, col, row, col + 2)))
    values = tree.root_node.named_children
    if not values:
        return None
    try:
        return _json_node(values[0], columns, None)
    except RecursionError:
        raise TooDeep("nested too deeply: not linted") from None


def _first_comment(root):
    """The first ``//`` or ``/* */`` comment, which tree-sitter-json accepts but JSON does not."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "comment":
            return node
        stack.extend(reversed(node.children))
    return None


def _missing(token: str) -> str:
    """What tree-sitter's inserted token means to a person: a closing bracket it inserts is
    most often a missing comma between two members."""
    if token in ("}", "]"):
        return f"expected `,` or `{token}` here"
    return f"expected {token} here" if not token.isidentifier() else f"expected a {token} here"


def _first_error(node):
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            return current
        stack.extend(reversed([child for child in current.children if child.has_error or child.is_missing]))
    return node


class _Columns:
    """Converts tree-sitter's (row, byte column) points into 1-based code-point positions."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.starts = [0]
        index = raw.find(b"\n")
        while index != -1:
            self.starts.append(index + 1)
            index = raw.find(b"\n", index + 1)

    def point(self, point) -> tuple[int, int]:
        row, byte_column = point
        start = self.starts[row] if row < len(self.starts) else len(self.raw)
        prefix = self.raw[start : start + byte_column]
        return row + 1, (len(prefix.decode("utf-8", "replace")) if not prefix.isascii() else byte_column) + 1

    def region(self, node) -> Region:
        start = self.point(node.start_point)
        end = self.point(node.end_point)
        return Region(start[0], start[1], end[0], max(end[1], start[1] + 1))


def _json_node(node, columns: _Columns, key_region: Region | None) -> Node:
    region = columns.region(node)
    if node.type == "object":
        result: dict[str, Node] = {}
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is not None and value is not None:
                result[str(_json_scalar(key))] = _json_node(value, columns, columns.region(key))
        return Node(result, region, key_region)
    if node.type == "array":
        return Node([_json_node(child, columns, None) for child in node.named_children], region, key_region)
    return Node(_json_scalar(node), region, key_region)


def _json_scalar(node):
    text = node.text.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text.strip('"')
