"""Terraform ``aws_ecs_task_definition`` resources, read into the ECS model.

Each ``resource "aws_ecs_task_definition" "NAME"`` of a ``.tf`` file is turned into the
RegisterTaskDefinition JSON it stands for — Terraform's arguments are the API's parameters in
snake_case (``task_role_arn`` is ``taskRoleArn``; Terraform AWS provider docs,
"aws_ecs_task_definition") — and handed to the JSON reader (:mod:`awslint.parse.ecs`), so a
Terraform task definition has exactly the model of the same definition written in JSON.
``container_definitions`` may be given as:

- ``jsonencode([...])``: HCL objects whose keys are the API's camelCase names; also
  ``jsonencode(local.NAME)`` and ``local.NAME`` items from a ``locals`` block of the same
  file, ``concat(...)`` of lists and ``merge(...)`` of objects;
- a heredoc (``<<EOF`` or ``<<-EOF``) holding the JSON list; ``${...}`` placeholders between
  JSON values are read as ``0`` (Terraform renders them before the provider parses the JSON);
- ``file("x.json")`` / ``templatefile(...)`` of a file relative to the ``.tf`` file's folder
  (``${path.module}/`` allowed), or a quoted JSON string: positions in those texts cannot be
  shown in the ``.tf`` file, so everything read from them points at the call (or the string);
  when the other file is linted on its own (a task-definition JSON), its variables and mounts
  are marked ``elsewhere``.

Values are kept as written: a string with ``${...}`` keeps it, and any other expression (a
reference such as ``aws_iam_role.task.arn``, a function call) becomes ``${expression}``, the
interpolation Terraform would evaluate, so it never looks like literal text. Regions are exact
(from the HCL parser's character offsets), also inside heredoc JSON. HCL is parsed with
``python-hcl2`` (its Lark grammar, ``propagate_positions``), imported only when a ``.tf`` file
is read; a syntax error becomes one :class:`~awslint.model.ParseProblem`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

from awslint.model import Document, EnvVar, FileModel, Kind, Mount, ParseProblem, Region, TaskDefinition
from awslint.parse import ecs
from awslint.parse.tree import Node, TreeError, load_json

RESOURCE_TYPE = "aws_ecs_task_definition"
_MAX_FILE = 5 * 1024 * 1024
_MAX_DEPTH = 16  # ``local.X`` references followed at most this deep (cycles)
_MAX_EXPANSIONS = 2000  # and at most this many times per file (locals that fan out)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_HEREDOC = re.compile(r"<<(-?)([A-Za-z][\w.-]*)\r?\n")
_PATH_PREFIX = re.compile(r"^\$\{path\.(?:module|root|cwd)\}/?")
# Terraform nested blocks of aws_ecs_task_definition and their RegisterTaskDefinition names;
# the repeatable ones become lists, the others a single object.
_LIST_BLOCKS = {"volume": "volumes", "placement_constraints": "placementConstraints", "inference_accelerator": "inferenceAccelerators"}


def parse(document: Document) -> FileModel:
    """Every ``aws_ecs_task_definition`` resource of a ``.tf`` file; never raises."""
    model = FileModel(document)
    text = document.text or ""
    try:
        import hcl2  # loaded only when a Terraform file is linted

        tree = hcl2.parses_to_tree(text)
    except RecursionError:
        model.problems.append(ParseProblem("Terraform file nested too deeply to lint", Region(1, 1, 1, 2)))
        return model
    except Exception as error:  # lark's UnexpectedInput and anything else the HCL parser raises
        model.problems.append(_syntax_problem(error, document))
        return model
    _Reader(document, model).read(tree)
    return model


def _syntax_problem(error: Exception, document: Document) -> ParseProblem:
    """One problem for an HCL syntax error, at the line and column lark reports."""
    lines = document.lines()
    line, column = getattr(error, "line", -1), getattr(error, "column", -1)
    if not isinstance(line, int) or line < 1:
        line, column = len(lines), len(lines[-1]) + 1 if lines else 1
    if line > len(lines):  # the newline python-hcl2 appends before parsing
        line, column = len(lines), len(lines[-1]) + 1 if lines else 1
    column = column if isinstance(column, int) and column >= 1 else 1
    token = getattr(error, "token", None)
    char = getattr(error, "char", None)
    if token is not None:
        raw = str(token)
        word = raw.strip().splitlines()[0][:40] if raw.strip() else ""
        if getattr(token, "type", "") == "$END" or not word:
            what = "unexpected end of file"
        else:
            what = "unexpected end of line" if raw.startswith(("\n", "\r")) else f"unexpected `{word}`"
    elif char is not None:
        what = f"unexpected character `{char}`"
    elif type(error).__name__ == "UnexpectedEOF":
        what = "unexpected end of file"
    else:
        what = str(error).strip().splitlines()[0][:120] if str(error).strip() else "invalid HCL"
    return ParseProblem(f"Terraform syntax error: {what}", Region(line, column, line, column + 1))


def _camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def _decode(chars: str) -> str:
    """HCL's escapes in a quoted string (HCL native syntax spec, "Template Literals")."""

    def one(match: re.Match) -> str:
        code = match.group(1) or match.group(2)
        if code:
            point = int(code, 16)
            return chr(point) if point <= 0x10FFFF and not 0xD800 <= point < 0xE000 else match.group(0)
        return _SIMPLE_ESCAPES.get(match.group(3), match.group(0))

    return _ESCAPE.sub(one, chars) if "\\" in chars else chars


class _Reader:
    """Walks python-hcl2's Lark tree of one file (``lark.Tree``/``lark.Token`` duck-typed)."""

    def __init__(self, document: Document, model: FileModel):
        self.document = document
        self.model = model
        self.text = document.text or ""
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        self.locals: dict[str, object] = {}
        self.expansions = 0

    # --- positions ----------------------------------------------------------------------

    def _point(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset (lines broken as Document breaks them)."""
        row = bisect.bisect_right(self.starts, offset) - 1
        return row + 1, offset - self.starts[row] + 1

    def _offsets(self, item) -> tuple[int, int] | None:
        if _is_token(item):
            start, end = item.start_pos, item.end_pos
        else:
            meta = getattr(item, "meta", None)
            if meta is None or getattr(meta, "empty", True):
                return None
            start, end = meta.start_pos, meta.end_pos
        if start is None or end is None:
            return None
        end = min(end, len(self.text))
        while end > start + 1 and self.text[end - 1] in "\r\n":  # heredocs end with their line break
            end -= 1
        return start, end

    def region(self, item) -> Region:
        offsets = self._offsets(item)
        if offsets is None:
            return Region(1, 1, 1, 2)
        (line, column), (end_line, end_column) = self._point(offsets[0]), self._point(offsets[1])
        return Region(line, column, end_line, max(end_column, column + 1) if end_line == line else end_column)

    def source(self, item) -> str:
        offsets = self._offsets(item)
        return self.text[offsets[0] : offsets[1]] if offsets else ""

    # --- the file -----------------------------------------------------------------------

    def read(self, tree) -> None:
        body = _child(tree, "body") if _data(tree) == "start" else tree
        blocks = [c for c in _children(body) if _data(c) == "block"]
        for block in blocks:
            kind, labels = self._block_head(block)
            if kind == "locals":
                for name, _, expression in self._attributes(block):
                    self.locals[name] = expression
        for block in blocks:
            kind, labels = self._block_head(block)
            if kind == "resource" and len(labels) == 2 and labels[0][0] == RESOURCE_TYPE:
                try:
                    task = self._task(block, labels[1])
                except RecursionError:
                    self.model.problems.append(ParseProblem("task definition nested too deeply to lint", labels[1][1]))
                    continue
                self.model.task_definitions.append(task)
                self.model.workloads.extend(task.containers)

    def _block_head(self, block) -> tuple[str, list[tuple[str, Region]]]:
        """The block's type and its labels (text and region)."""
        head = [c for c in _children(block) if not _is_token(c) and _data(c) not in ("body", "new_line_or_comment")]
        names = [(self._word(c), self.region(c)) for c in head]
        return (names[0][0] if names else ""), names[1:]

    def _word(self, item) -> str:
        """An identifier, keyword or label as text."""
        if _data(item) == "string":
            return self._string(item)
        tokens = [c for c in _children(item) if _is_token(c)]
        return str(tokens[0]) if len(tokens) == 1 else self.source(item)

    def _attributes(self, block) -> list[tuple[str, object, object]]:
        """The block's ``name = expression`` attributes: name, name tree, expression tree."""
        found = []
        for item in _children(_child(block, "body")):
            parts = _values(item) if _data(item) == "attribute" else []
            if len(parts) >= 2:
                found.append((self._word(parts[0]), parts[0], parts[-1]))
        return found

    def _nested_blocks(self, block) -> list:
        return [c for c in _children(_child(block, "body")) if _data(c) == "block"]

    # --- the task definition ------------------------------------------------------------

    def _task(self, block, label: tuple[str, Region]) -> TaskDefinition:
        body: dict[str, Node] = {}
        moved: tuple[Region, str | None] | None = None
        family = None
        for name, name_tree, expression in self._attributes(block):
            key = _camel(name)
            if name == "container_definitions":
                definitions, moved = self._definitions(expression, 0)
                if definitions is not None:
                    body[key] = definitions
                continue
            body[key] = self.node(expression, key_region=self.region(name_tree))
            if name == "family" and _data(_unwrap(expression)) == "string":
                family = body[key].text  # a reference would name the task less clearly than the label
        for nested in self._nested_blocks(block):
            kind, _ = self._block_head(nested)
            node = Node(self._block_object(nested), self.region(nested))
            if kind in _LIST_BLOCKS:
                body.setdefault(_LIST_BLOCKS[kind], Node([], node.region)).value.append(node)
            elif kind and kind != "dynamic":
                body[_camel(kind)] = node
        task = ecs._task(family or label[0], Node(body, self.region(block)), label[1], ecs._JSON_KEYS)
        if moved is not None:
            task.containers = [_relocate(c, moved[0], moved[1]) for c in task.containers]
        else:  # AWS409 checks the containerDefinitions keys, whose positions are in this file
            task.body, task.shape = Node(body, self.region(block)), "terraform"
        return task

    def _block_object(self, block) -> dict[str, Node]:
        """A nested block's attributes and blocks as an object with camelCase keys; Terraform's
        ``host_path`` is the API's ``host.sourcePath``."""
        result: dict[str, Node] = {}
        for name, _, expression in self._attributes(block):
            node = self.node(expression)
            if name == "host_path":
                result["host"] = Node({"sourcePath": node}, node.region)
            else:
                result[_camel(name)] = node
        for nested in self._nested_blocks(block):
            kind, _ = self._block_head(nested)
            if kind:
                result[_camel(kind)] = Node(self._block_object(nested), self.region(nested))
        return result

    def _definitions(self, expression, depth: int) -> tuple[Node | None, tuple[Region, str | None] | None]:
        """The ``container_definitions`` list, and when it was read from another text the
        region everything must point at (plus the other file, when it is linted on its own)."""
        expression = _unwrap(expression)
        kind = _data(expression)
        if kind == "function_call":
            function, arguments = self._call(expression)
            if function == "jsonencode" and arguments:
                return self.node(arguments[0], depth=depth), None
            if function in ("file", "templatefile") and arguments:
                return self._file_json(expression, arguments[0])
            return None, None
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self._heredoc_json(expression), None
        if kind == "string":
            node = self._json(self._string(expression), None)
            return node, (self.region(expression), None)
        local = self._local(expression)
        if local is not None and depth < _MAX_DEPTH:
            return self._definitions(local, depth + 1)
        return None, None

    def _heredoc_json(self, expression) -> Node | None:
        """The heredoc's JSON with exact positions: the body is parsed as it stands in the file
        (no indentation stripped, which JSON ignores) and shifted to the heredoc's lines."""
        token = next((c for c in _children(expression) if _is_token(c)), None)
        if token is None:
            return None
        value = str(token)
        opening = _HEREDOC.match(value)
        if opening is None:
            return None
        body = value[opening.end() :]
        body = re.sub(r"[ \t]*" + re.escape(opening.group(2)) + r"\r?\n?\Z", "", body)
        first_line, _ = self._point(token.start_pos + opening.end())
        return self._json(body, first_line - 1)

    def _file_json(self, call, argument) -> tuple[Node | None, tuple[Region, str | None] | None]:
        """``file(PATH)``: the JSON file next to the ``.tf`` file, its regions moved to the call."""
        path = self.node(argument)
        if not isinstance(path.value, str):
            return None, None
        relative = _PATH_PREFIX.sub("", path.value)
        if not relative or "${" in relative or "%{" in relative:
            return None, None
        target = self.document.path.parent / relative
        try:
            if not target.is_file() or target.stat().st_size > _MAX_FILE:
                return None, None
            text = target.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        except OSError:
            return None, None
        from awslint.discover import kind_by_content  # only needed here

        elsewhere = Path(relative).as_posix() if kind_by_content(target) is Kind.ECS else None
        return self._json(text, None), (self.region(call), elsewhere)

    def _json(self, text: str, shift: int | None) -> Node | None:
        """``text`` as a JSON list; with ``shift`` (text of this file), regions moved down that
        many lines and a JSON error reported there, unless the text holds Terraform templates."""
        blanked = _blank_templates(text)
        try:
            root = load_json(blanked.encode())
        except TreeError as error:
            if shift is not None and blanked == text:
                problem = error.problem
                self.model.problems.append(ParseProblem(f"container_definitions: {problem.message}", _shifted(problem.region, shift)))
            return None
        if root is None or not isinstance(root.value, list):
            return None
        return _shift(root, shift) if shift else root

    # --- HCL values as JSON nodes ---------------------------------------------------------

    def node(self, expression, key_region: Region | None = None, depth: int = 0) -> Node:
        """An HCL expression as the JSON value it encodes to: objects, tuples, strings,
        numbers, ``true``/``false``/``null``; anything else as ``${expression}``."""
        expression = _unwrap(expression)
        region = self.region(expression)
        kind = _data(expression)
        if kind == "string":
            return Node(self._string(expression), region, key_region)
        if kind == "tuple":
            return Node([self.node(item, depth=depth) for item in _values(expression)], region, key_region)
        if kind == "object":
            return Node(self._object(expression, depth), region, key_region)
        if kind in ("int_lit", "float_lit"):
            word = self.source(expression)
            try:
                return Node(int(word) if kind == "int_lit" else float(word), region, key_region)
            except ValueError:
                return Node(word, region, key_region)
        if kind == "literal_value":
            word = self.source(expression)
            return Node({"true": True, "false": False}.get(word), region, key_region)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return Node(_heredoc_text(self.source(expression)), region, key_region)
        if kind == "function_call":
            merged = self._merged(expression, region, depth)
            if merged is not None:
                return Node(merged.value, region, key_region)
        local = self._local(expression)
        if local is not None and depth < _MAX_DEPTH:
            resolved = self.node(local, depth=depth + 1)
            return Node(resolved.value, resolved.region, key_region)
        return Node("${" + self.source(expression) + "}", region, key_region)

    def _object(self, expression, depth: int) -> dict[str, Node]:
        result: dict[str, Node] = {}
        for element in _children(expression):
            if _data(element) != "object_elem":
                continue
            parts = _values(element)
            if len(parts) < 2:
                continue
            key = _unwrap(parts[0])
            name = self._string(key) if _data(key) == "string" else self._word(key)
            result[name] = self.node(parts[-1], key_region=self.region(key), depth=depth)
        return result

    def _merged(self, call, region: Region, depth: int) -> Node | None:
        """``merge(objects...)`` as one object and ``concat(lists...)`` as one list, for the
        arguments written out (references to other files are skipped)."""
        function, arguments = self._call(call)
        if function not in ("merge", "concat"):
            return None
        values = [self.node(a, depth=depth) for a in arguments]
        if function == "merge":
            merged: dict[str, Node] = {}
            for value in values:
                merged.update(value.mapping())
            return Node(merged, region)
        return Node([item for value in values for item in value.items()], region)

    def _call(self, call) -> tuple[str, list]:
        parts = _children(call)
        name = self._word(parts[0]) if parts and not _is_token(parts[0]) else ""
        arguments = _child(call, "arguments")
        return name, (_values(arguments) if arguments is not None else [])

    def _local(self, expression):
        """The expression of ``local.NAME`` when the file's ``locals`` define it."""
        if _data(expression) != "get_attr_expr_term":
            return None
        match = re.fullmatch(r"local\.([A-Za-z_][\w-]*)", self.source(expression))
        found = self.locals.get(match.group(1)) if match else None
        if found is None or self.expansions >= _MAX_EXPANSIONS:
            return None
        self.expansions += 1
        return found

    def _string(self, expression) -> str:
        """A quoted string's value: escapes decoded, interpolations kept as written."""
        parts = []
        for part in _children(expression):
            if _data(part) != "string_part":
                continue
            for piece in _children(part):
                if _is_token(piece) and piece.type == "STRING_CHARS":
                    parts.append(_decode(str(piece)))
                else:
                    parts.append(self.source(piece))
        return "".join(parts)


# --- Lark trees, duck-typed so that lark is only imported by python-hcl2 ----------------


def _is_token(item) -> bool:
    return isinstance(item, str) and hasattr(item, "type")


def _data(item) -> str | None:
    return None if _is_token(item) else getattr(item, "data", None)


def _children(item) -> list:
    return [] if item is None or _is_token(item) else list(getattr(item, "children", []))


def _child(item, data: str):
    return next((c for c in _children(item) if _data(c) == data), None)


def _values(item) -> list:
    """The sub-trees of a tuple, arguments list or attribute, without punctuation or newlines."""
    return [c for c in _children(item) if not _is_token(c) and _data(c) != "new_line_or_comment"]


def _unwrap(expression):
    """Through ``expr_term`` and ``(...)`` to the expression inside."""
    for _ in range(64):
        if _data(expression) not in ("expr_term", "object_elem_key"):
            return expression
        inner = _values(expression)
        if len(inner) != 1:
            return expression
        expression = inner[0]
    return expression


def _heredoc_text(source: str) -> str:
    """The text of a heredoc as Terraform sees it (``<<-`` strips the common indentation)."""
    opening = _HEREDOC.match(source)
    if opening is None:
        return source
    lines = source[opening.end() :].splitlines()
    if lines and lines[-1].strip() == opening.group(2):
        lines = lines[:-1]
    if opening.group(1):
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    return "".join(line + "\n" for line in lines)


def _blank_templates(text: str) -> str:
    """``text`` with Terraform template sequences between JSON values made harmless, keeping
    every other character in place: ``${...}`` becomes ``0`` and ``%{...}`` blanks. Inside a
    JSON string an interpolation is skipped whole (it may hold quotes)."""
    if "${" not in text and "%{" not in text:
        return text
    out = list(text)
    index, in_string = 0, False
    while index < len(text):
        char = text[index]
        if text.startswith(("${", "%{"), index):
            end = _closing_brace(text, index + 2)
            if end == -1:
                break
            if not in_string:
                for spot in range(index, end + 1):
                    if out[spot] not in "\r\n":
                        out[spot] = " "
                if char == "$":
                    out[index] = "0"
            index = end + 1
            continue
        if in_string and char == "\\":
            index += 2
            continue
        if char == '"':
            in_string = not in_string
        index += 1
    return "".join(out)


def _closing_brace(text: str, index: int) -> int:
    depth = 1
    while index < len(text):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def _shifted(region: Region, lines: int) -> Region:
    return Region(region.start_line + lines, region.start_column, region.end_line + lines, region.end_column)


def _shift(node: Node, lines: int) -> Node:
    """``node`` with every region moved down ``lines`` lines."""
    if isinstance(node.value, dict):
        value: object = {k: _shift(v, lines) for k, v in node.value.items()}
    elif isinstance(node.value, list):
        value = [_shift(item, lines) for item in node.value]
    else:
        value = node.value
    key_region = _shifted(node.key_region, lines) if node.key_region else None
    return Node(value, _shifted(node.region, lines), key_region, node.tag)


def _relocate(item, region: Region, elsewhere: str | None):
    """``item`` (a container and everything in it) pointing at ``region``; with ``elsewhere``
    (the other file, linted on its own), variables and mounts are marked as coming from it."""
    if isinstance(item, Region):
        return region
    if isinstance(item, list):
        return [_relocate(i, region, elsewhere) for i in item]
    if not is_dataclass(item) or isinstance(item, type):
        return item
    changes = {}
    for spec in fields(item):
        value = getattr(item, spec.name)
        if spec.name == "positions":
            changes[spec.name] = None
        elif spec.name == "elsewhere" and elsewhere and isinstance(item, (EnvVar, Mount)):
            changes[spec.name] = f"{elsewhere}:{item.region.start_line}"
        elif spec.name == "value_region" and elsewhere and isinstance(item, EnvVar):
            changes[spec.name] = None
        else:
            moved = _relocate(value, region, elsewhere)
            if moved is not value:
                changes[spec.name] = moved
    return replace(item, **changes)
