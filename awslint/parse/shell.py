"""What a shell script runs, read with tree-sitter-bash.

tree-sitter-bash (``src/node-types.json``) gives every simple command a ``command`` node whose
``name`` field is a ``command_name`` and whose ``argument`` fields are words: ``word``,
``string`` (double-quoted, with ``string_content`` and expansions), ``raw_string``
(single-quoted), ``ansi_c_string`` (``$'...'``), ``concatenation`` and expansions. Commands
inside ``pipeline``, ``list`` (``&&``/``||``), ``subshell``, ``command_substitution`` and
unquoted here-document bodies are ``command`` nodes too, so walking the whole tree finds them
all. Wrappers such as ``sudo``, ``env A=1``, ``exec`` are unwrapped, and ``sh -c 'script'``
scripts are read as well. Bad input never raises: tree-sitter recovers with ``ERROR`` nodes
and the commands around them are still found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def command_names(text: str) -> list[str]:
    """The names of the programs ``text`` runs, in order, without their directory
    (``/usr/local/bin/aws`` → ``aws``), with wrappers like ``sudo``/``env``/``exec`` unwrapped."""
    return [words[0] for words in _invocations(text)]


def invocations(text: str, program: str) -> list[list[str]]:
    """The argument words (quotes removed, program name left out) of every run of ``program``."""
    return [words[1:] for words in _invocations(text) if words[0] == program]


def _invocations(text: str) -> Iterator[list[str]]:
    """Each command's words, unwrapped, with the program name first and without its directory;
    the commands of ``sh -c 'script'`` follow the ``sh`` command itself."""
    tree = _PARSER.parse(text.encode("utf-8", "replace"))
    for node in _commands(tree.root_node):
        words = _unwrap(_words(node))
        if not words:
            continue
        yield words
        if words[0] in _SHELLS and "-c" in words[1:-1]:
            yield from _invocations(words[words.index("-c", 1) + 1])


def _commands(root: Node) -> Iterator[Node]:
    """Every ``command`` node under ``root``, in document order (iteratively: no recursion
    limit on deeply nested input)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "command":
            yield node
        stack.extend(reversed(node.children))


def _words(command: Node) -> list[str]:
    """The command's name and arguments, quotes removed; ``[]`` when it has no name."""
    name = command.child_by_field_name("name")
    if name is None:
        return []
    return [_unquote(node) for node in [name, *command.children_by_field_name("argument")]]


def _unwrap(words: list[str]) -> list[str]:
    """Drop wrapper programs, their options and ``env``'s assignments; strip the program's path."""
    while words:
        program = words[0].rsplit("/", 1)[-1]
        if program not in _WRAPPERS:
            return [program, *words[1:]]
        words = _skip_options(words[1:], _WRAPPERS[program], program == "env")
    return []


def _skip_options(words: list[str], with_value: set[str], assignments: bool) -> list[str]:
    """``words`` after the leading options (``--`` ends them) and, for ``env``, ``NAME=value``."""
    while words and (words[0].startswith("-") or (assignments and _ASSIGNMENT.match(words[0]))):
        option = words.pop(0)
        if option == "--":
            break
        if option in with_value and words:
            words.pop(0)
    return words


def _unquote(node: Node) -> str:
    """A word's text as the shell passes it, before expansion (``$X`` kept as written)."""
    text = node.text.decode("utf-8", "replace") if node.text else ""
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
