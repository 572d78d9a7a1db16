"""What a shell script runs, assigns and writes, read with tree-sitter-bash, with positions.

tree-sitter-bash (``src/node-types.json``) gives every simple command a ``command`` node whose
``name`` field is a ``command_name`` and whose ``argument`` fields are words: ``word``,
``string`` (double-quoted, with ``string_content`` and expansions), ``raw_string``
(single-quoted), ``ansi_c_string`` (``$'...'``), ``concatenation`` and expansions. Commands
inside ``pipeline``, ``list`` (``&&``/``||``), ``subshell``, ``command_substitution`` and
unquoted here-document bodies are ``command`` nodes too, so walking the whole tree finds them
all. ``variable_assignment`` nodes are assignments (``export`` ones sit in a
``declaration_command``); ``file_redirect`` nodes carry the ``destination`` a statement writes.
Wrappers such as ``sudo``, ``env A=1``, ``exec`` are unwrapped, and ``sh -c 'script'`` scripts
are read as well. Bad input never raises: tree-sitter recovers with ``ERROR`` nodes and the
commands around them are still found.

Offsets are character offsets into the script text, so a parser that knows where each
character of the script came from (``Command.positions``) can point at any word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

_PARSER = Parser(Language(tree_sitter_bash.language()))

# Wrapper programs that run their first non-option argument, with the options taking a value.
_WRAPPERS = {
    "sudo": {"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T"},
    "env": {"-u", "-C", "-S", "--unset", "--chdir"},
    "exec": {"-a"},
    "nohup": set(),
    "time": set(),
    "nice": {"-n"},
}
_SHELLS = {"sh", "bash", "dash", "ash", "zsh"}
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_BACKSLASH = re.compile(r"\\(.)", re.S)


@dataclass(frozen=True, slots=True)
class Word:
    """A word as the shell passes it (quotes removed, ``$X`` kept), at ``[start, end)``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Invocation:
    """One simple command: the program (directory stripped, wrappers removed) and its arguments."""

    words: tuple[Word, ...]

    @property
    def program(self) -> str:
        return self.words[0].text

    @property
    def args(self) -> list[str]:
        return [w.text for w in self.words[1:]]


@dataclass(frozen=True, slots=True)
class Assignment:
    """``NAME=value`` (``exported`` for ``export NAME=value``); ``value`` as written, quotes removed."""

    name: str
    value: Word | None
    start: int
    end: int
    exported: bool


@dataclass(frozen=True, slots=True)
class Write:
    """A file a statement writes: a ``>``/``>>`` redirect or a ``tee`` argument, with the text
    of the statement that produces the content (here-document bodies included)."""

    path: Word
    text: str


@dataclass(slots=True)
class Script:
    """Everything :func:`read_script` finds, in document order."""

    invocations: list[Invocation] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)


def command_names(text: str) -> list[str]:
    """The names of the programs ``text`` runs, in order, without their directory
    (``/usr/local/bin/aws`` → ``aws``), with wrappers like ``sudo``/``env``/``exec`` unwrapped."""
    return [i.program for i in read_script(text).invocations]


def invocations(text: str, program: str) -> list[list[str]]:
    """The argument words (quotes removed, program name left out) of every run of ``program``."""
    return [i.args for i in read_script(text).invocations if i.program == program]


@functools.lru_cache(maxsize=512)
def read_script(text: str) -> Script:
    """Parse ``text`` once (rules ask about the same ``RUN`` many times) into its commands,
    assignments and writes. Never raises."""
    script = Script()
    _read(text, 0, script)
    return script


def _read(text: str, base: int, script: Script) -> None:
    data = text.encode("utf-8", "replace")
    offsets = _char_offsets(text, data)
    tree = _PARSER.parse(data)
    for node in _walk(tree.root_node):
        if node.type == "command":
            _command(node, text, offsets, base, script)
        elif node.type == "variable_assignment":
            script.assignments.append(_assignment(node, offsets, base))
        elif node.type == "file_redirect":
            _redirect(node, offsets, base, script)


def _char_offsets(text: str, data: bytes) -> list[int] | None:
    """Byte offset → character offset, or ``None`` when they are the same (ASCII text)."""
    if len(data) == len(text):
        return None
    table = [0] * (len(data) + 1)
    position = 0
    for index, char in enumerate(text):
        size = len(char.encode("utf-8", "replace"))
        for k in range(size):
            table[position + k] = index
        position += size
    table[position] = len(text)
    return table


def _span(node: Node, offsets: list[int] | None, base: int) -> tuple[int, int]:
    start, end = node.start_byte, node.end_byte
    if offsets is not None:
        start, end = offsets[min(start, len(offsets) - 1)], offsets[min(end, len(offsets) - 1)]
    return base + start, base + end


def _word(node: Node, offsets: list[int] | None, base: int) -> Word:
    return Word(_unquote(node), *_span(node, offsets, base))


def _walk(root: Node) -> Iterator[Node]:
    """Every node under ``root``, in document order (iteratively: no recursion limit)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _command(node: Node, text: str, offsets: list[int] | None, base: int, script: Script) -> None:
    name = node.child_by_field_name("name")
    if name is None:
        return
    words = _unwrap([_word(n, offsets, base) for n in [name, *node.children_by_field_name("argument")]])
    if not words:
        return
    script.invocations.append(Invocation(tuple(words)))
    if words[0].text == "tee":
        statement = _enclosing(node, "pipeline") or node
        for word in words[1:]:
            if not word.text.startswith("-"):
                script.writes.append(Write(word, _text(statement)))
    if words[0].text in _SHELLS:
        texts = [w.text for w in words]
        if "-c" in texts[1:-1]:
            _read(*_inner_script(words[texts.index("-c", 1) + 1], text, base), script)


def _inner_script(word: Word, text: str, base: int) -> tuple[str, int]:
    """The script of ``sh -c WORD`` with the offset of its first character: the text between
    the quotes as written, so that positions stay exact (escapes such as ``\\"`` stay two
    characters; the commands found are the same), or the unquoted text of a ``$'...'`` word."""
    raw = text[word.start - base : word.end - base]
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1], word.start + 1
    if raw.startswith("$'"):
        return word.text, word.start + 2
    return raw, word.start


def _assignment(node: Node, offsets: list[int] | None, base: int) -> Assignment:
    name = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    exported = node.parent is not None and node.parent.type == "declaration_command" and _text(node.parent).startswith("export")
    return Assignment(
        _text(name) if name is not None else "",
        _word(value, offsets, base) if value is not None else None,
        *_span(node, offsets, base),
        exported,
    )


def _redirect(node: Node, offsets: list[int] | None, base: int, script: Script) -> None:
    destination = node.child_by_field_name("destination")
    operator = next((c.type for c in node.children if c.type in (">", ">>", ">|", "&>", "&>>")), None)
    if destination is None or operator is None:
        return
    statement = _enclosing(node, "redirected_statement") or node
    script.writes.append(Write(_word(destination, offsets, base), _text(statement)))


def _enclosing(node: Node, kind: str) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type != kind:
        parent = parent.parent
    return parent


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text else ""


def _unwrap(words: list[Word]) -> list[Word]:
    """Drop wrapper programs, their options and ``env``'s assignments; strip the program's path."""
    while words:
        program = words[0].text.rsplit("/", 1)[-1]
        if program not in _WRAPPERS:
            return [Word(program, words[0].start, words[0].end), *words[1:]]
        words = _skip_options(words[1:], _WRAPPERS[program], program == "env")
    return []


def _skip_options(words: list[Word], with_value: set[str], assignments: bool) -> list[Word]:
    """``words`` after the leading options (``--`` ends them) and, for ``env``, ``NAME=value``."""
    while words and (words[0].text.startswith("-") or (assignments and _ASSIGNMENT.match(words[0].text))):
        option = words.pop(0)
        if option.text == "--":
            break
        if option.text in with_value and words:
            words.pop(0)
    return words


def _unquote(node: Node) -> str:
    """A word's text as the shell passes it, before expansion (``$X`` kept as written)."""
    text = _text(node)
    if node.type in ("command_name", "concatenation"):
        return "".join(_unquote(child) for child in node.children) if node.children else text
    if node.type == "raw_string":
        return text[1:-1]
    if node.type == "ansi_c_string":
        return text[2:-1]
    if node.type == "string":
        return _BACKSLASH.sub(lambda m: _escaped(m.group(1), '"\\$`\n'), text[1:-1])
    if node.type == "word":
        return _BACKSLASH.sub(lambda m: _escaped(m.group(1), None), text)
    return text


def _escaped(char: str, escapable: str | None) -> str:
    """What ``\\char`` becomes: nothing for a line continuation, ``char`` when it is escapable
    here (any character outside quotes, ``escapable`` inside double quotes), else unchanged."""
    if char == "\n":
        return ""
    return char if escapable is None or char in escapable else "\\" + char
