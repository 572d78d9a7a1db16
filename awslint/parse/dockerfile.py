"""Dockerfile parser: one :class:`~awslint.model.Stage` per ``FROM``.

Instruction boundaries (line continuations, comment lines, the ``# escape=`` parser directive)
come from ``dockerfile-parse``; arguments are tokenized here, on the source lines, so every
token keeps its exact line and column. The rules followed are those of the Dockerfile reference
(docs.docker.com/reference/dockerfile/) and of BuildKit's parser (moby/buildkit
``frontend/dockerfile/parser``): "Parser directives" (``escape``), "Format" (comments and
continuations, empty continuation lines skipped), "Here-Documents", ``FROM``, ``ENV``, ``ARG``,
``RUN`` (including ``--mount``), ``CMD``, ``ENTRYPOINT``, ``COPY``, ``ADD`` and ``USER``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockerfile_parse import DockerfileParser

from awslint.model import (
    Command,
    Copy,
    Document,
    EnvVar,
    FileModel,
    Mount,
    ParseProblem,
    Region,
    Scalar,
    Spots,
    Stage,
)

_INSTRUCTIONS = frozenset(
    "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN "
    "SHELL STOPSIGNAL USER VOLUME WORKDIR".split()
)
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_DIRECTIVE = re.compile(r"\s*#\s*([A-Za-z]+)\s*=\s*(\S*)\s*$")
_HEREDOC = re.compile(r"\d*<<(-?)([A-Za-z0-9_.-]+)")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')

Span = tuple[int, int]


@dataclass(slots=True)
class _Source:
    """One instruction's text as Docker joins its lines, with each character's position.

    ``spots[i]`` is the 1-based line and 0-based column of ``text[i]``; one extra spot marks the
    position just after the last character.
    """

    text: str
    spots: Spots

    def region(self, start: int, end: int) -> Region:
        """The source region of ``text[start:end]`` (an empty span gives an empty region)."""
        line, column = self.spots[start]
        if end <= start:
            return Region(line, column + 1, line, column + 1)
        end_line, end_column = self.spots[end - 1]
        return Region(line, column + 1, end_line, end_column + 2)

    def word(self, span: Span, escape: str) -> Scalar:
        """The word at ``span`` with quotes removed, located at its source region."""
        return Scalar(_unquote(self.text[span[0] : span[1]], escape), self.region(*span))

    def end(self) -> int:
        """The offset just after the last non-blank character."""
        return len(self.text.rstrip())


@dataclass(slots=True)
class _Heredoc:
    """A here-document: its body text and the lines it spans, terminator included."""

    word: str
    body: str
    first: int
    terminator: int
    positions: Spots  # of each body character, as in ``Command.positions``

    def region(self, lines: list[str], *, terminator: bool = False) -> Region:
        """The body's region, with the terminator line when asked (empty for an empty body)."""
        last = min(self.terminator if terminator else self.terminator - 1, len(lines) - 1)
        if last < self.first:
            return Region(self.first + 1, 1, self.first + 1, 1)
        return Region(self.first + 1, 1, last + 1, len(lines[last]) + 1)


def parse(document: Document) -> FileModel:
    """Parse a Dockerfile into stages; ``ARG`` before the first ``FROM`` goes to ``variables``.

    A leading byte-order mark is dropped, as BuildKit does. Never raises: text Docker would
    reject becomes a :class:`~awslint.model.ParseProblem`.
    """
    model = FileModel(document)
    if document.text is None:
        model.problems.append(ParseProblem("file is not valid UTF-8 text", Region(1, 1, 1, 1)))
        return model
    text = document.text.removeprefix("\ufeff")
    _Reader(model, [line.rstrip("\r") for line in text.split("\n")]).read()
    if model.workloads:
        model.workloads[-1].final = True
    if not model.workloads and not model.problems:
        model.problems.append(ParseProblem("no FROM instruction: nothing to build", Region(1, 1, 1, 1)))
    return model


class _Reader:
    """Walks the instructions of one Dockerfile, filling a :class:`FileModel`."""

    def __init__(self, model: FileModel, lines: list[str]):
        self.model = model
        self.lines = lines
        self.escape = _escape_directive(lines)
        self.stage: Stage | None = None
        self.starts: set[int] = set()
        self.no_stage_reported = False

    def read(self) -> None:
        """Dispatch every instruction, skipping the lines of here-document bodies."""
        skip_until = 0
        entries = _instructions(self.lines, self.escape)
        self.starts = {entry["startline"] for entry in entries}
        for entry in entries:
            if entry["startline"] < skip_until:
                continue
            name = entry["instruction"]
            src = _join(self.lines, entry["startline"], entry["endline"], self.escape)
            start = _after_keyword(src.text)
            heredocs: list[_Heredoc] = []
            if name in _HEREDOC_INSTRUCTIONS:
                heredocs = self._heredocs(src, start, entry["endline"] + 1)
                skip_until = heredocs[-1].terminator + 1 if heredocs else skip_until
            self._dispatch(name, src, start, heredocs)

    def _dispatch(self, name: str, src: _Source, start: int, heredocs: list[_Heredoc]) -> None:
        if name not in _INSTRUCTIONS:
            self._problem(f"unknown instruction: {name}", src.region(0, src.end()))
        elif name == "FROM":
            self._from(src, start)
        elif name == "ARG":
            target = self.stage.env if self.stage else self.model.variables
            target.extend(self._pairs(src, start, "build-arg"))
        elif self.stage is None:
            self._no_stage(name, src)
        elif name == "ENV":
            self.stage.env.extend(self._env(src, start))
        elif name == "USER":
            self.stage.user = src.word((start, src.end()), self.escape)
        elif name == "WORKDIR":
            self.stage.workdir = src.word((start, src.end()), self.escape)
        elif name == "RUN":
            self._run(src, start, heredocs)
        elif name in ("CMD", "ENTRYPOINT"):
            self.stage.commands.append(_command(src, start, [], self.lines))
        elif name in ("COPY", "ADD"):
            self._copy(name, src, start)

    def _no_stage(self, name: str, src: _Source) -> None:
        """Report the first instruction that has no stage, once per file; when a ``FROM`` line
        was swallowed by a line ending in the escape character (the Windows-path trap the
        Dockerfile reference shows under "escape"), point at that line instead."""
        if self.no_stage_reported:
            return
        self.no_stage_reported = True
        swallowed = next((n for n, line in enumerate(self.lines) if _FROM_LINE.match(line) and n not in self.starts), None)
        if swallowed is None:
            self._problem(f"{name} before the first FROM: Docker has no build stage to run it in", src.region(0, src.end()))
            return
        text = self.lines[swallowed]
        self._problem(
            f"this FROM is read as part of the instruction above, because the line before it ends with the "
            f"escape character `{self.escape}` (e.g. a Windows path ending in `\\`); end that value differently "
            "or add `# escape=`` ` as the first line",
            Region.on_line(swallowed + 1, len(text) - len(text.lstrip()), len(text.rstrip())),
        )

    def _problem(self, message: str, region: Region) -> None:
        self.model.problems.append(ParseProblem(message, region))

    def _heredocs(self, src: _Source, start: int, first: int) -> list[_Heredoc]:
        """Here-documents ("Here-Documents"): each ``<<[-]WORD`` word's body starts on the line
        after the instruction (or the previous body) and ends at a line that is exactly WORD."""
        found: list[_Heredoc] = []
        if "<<" not in src.text:
            return found
        for span in _words(src.text, start, self.escape):
            match = _HEREDOC.match(_unquote(src.text[span[0] : span[1]], self.escape))
            if match:
                found.append(self._heredoc(match.group(2), bool(match.group(1)), first, src.region(*span)))
                first = found[-1].terminator + 1
        return found

    def _heredoc(self, word: str, strip_tabs: bool, first: int, at: Region) -> _Heredoc:
        body: list[str] = []
        positions = Spots()
        for number in range(first, len(self.lines)):
            raw = self.lines[number]
            line = raw.lstrip("\t") if strip_tabs else raw
            if line == word:
                return _Heredoc(word, "".join(body), first, number, positions)
            body.append(line + "\n")
            skipped = len(raw) - len(line)
            positions.add(number + 1, skipped, len(line) + 1)
        self._problem(f"unterminated here-document: no line {word!r}", at)
        return _Heredoc(word, "".join(body), first, len(self.lines), positions)

    def _from(self, src: _Source, start: int) -> None:
        """``FROM [--platform=...] image [AS name]``."""
        words = [w for w in _words(src.text, start, self.escape) if not src.text.startswith("--", w[0])]
        region = src.region(0, src.end())
        if not words:
            self._problem("FROM requires an image", region)
            return
        name = str(len(self.model.workloads))
        if len(words) >= 3 and src.text[words[1][0] : words[1][1]].lower() == "as":
            name = src.text[words[2][0] : words[2][1]]
        image = src.word(words[0], self.escape)
        earlier = {stage.name.lower(): stage for stage in self.model.workloads}
        base = earlier.get(image.text.lower())
        self.stage = Stage(type="stage", name=name, region=region, image=image, base=base.name if base else None)
        if base is not None:
            self.stage.user = base.user
            # ENV is inherited (ARG is not); the copies keep the regions where they were set.
            self.stage.env = [var for var in base.env if var.origin == "env"]
        self.model.workloads.append(self.stage)

    def _env(self, src: _Source, start: int) -> list[EnvVar]:
        """``ENV KEY=value ...``, or the legacy ``ENV KEY value`` (value = rest of the line)."""
        first = next(_words(src.text, start, self.escape), None)
        if first is None or "=" in src.text[first[0] : first[1]]:
            return self._pairs(src, start, "env")
        end = src.end()
        rest = src.text[first[1] : end]
        value_start = first[1] + len(rest) - len(rest.lstrip())
        if value_start >= end:
            self._problem("ENV must have two arguments", src.region(*first))
            return []
        value = _unquote(src.text[value_start:end], self.escape)
        name = src.text[first[0] : first[1]]
        return [EnvVar(name, value, src.region(first[0], end), _value_region(src, value_start, end), "env")]

    def _pairs(self, src: _Source, start: int, origin: str) -> list[EnvVar]:
        """``NAME=value`` words (``ENV``, ``ARG``); a bare ``NAME`` is allowed for ``ARG`` only."""
        found, words = [], list(_words(src.text, start, self.escape))
        for a, b in words:
            word = src.text[a:b]
            if "=" not in word and origin == "env":
                # The word itself is not quoted: it may be a secret (``ENV A=1 SECRET_KEY abc...``).
                self._problem("ENV mixes `NAME=value` and `NAME value` forms: Docker cannot find `=` in this word; write every pair as NAME=value", src.region(a, b))
            elif "=" not in word:
                found.append(EnvVar(_unquote(word, self.escape), None, src.region(a, b), None, origin))
            else:
                equals = a + word.index("=")
                value = _unquote(src.text[equals + 1 : b], self.escape)
                name = _unquote(src.text[a:equals], self.escape)
                found.append(EnvVar(name, value, src.region(a, b), _value_region(src, equals + 1, b), origin))
        if not words:
            self._problem("missing NAME=value argument", src.region(0, src.end()))
        return found

    def _run(self, src: _Source, start: int, heredocs: list[_Heredoc]) -> None:
        """``RUN [--mount=...] command``: mounts from ``--mount`` flags, then the command."""
        flags, rest = _flags(src, start, self.escape)
        command = _command(src, rest, heredocs, self.lines)
        command.user = self.stage.user.text if self.stage.user else None
        for span in flags:
            flag = src.text[span[0] : span[1]]
            if flag.startswith("--mount="):
                options = _unquote(flag[len("--mount=") :], self.escape)
                command.mounts.append(_mount(options, src.region(*span)))
        self.stage.mounts.extend(command.mounts)
        self.stage.commands.append(command)

    def _copy(self, name: str, src: _Source, start: int) -> None:
        """``COPY``/``ADD [--from=stage] [--chown=...] src... dest``, shell or JSON-array form."""
        flags, rest = _flags(src, start, self.escape)
        from_stage = None
        for a, b in flags:
            if src.text.startswith("--from=", a):
                from_stage = _unquote(src.text[a + len("--from=") : b], self.escape)
        args = _json_args(src, rest)
        if args is None:
            args = [src.word(span, self.escape) for span in _words(src.text, rest, self.escape)]
        if len(args) < 2:
            self._problem(f"{name} requires at least two arguments", src.region(0, src.end()))
            return
        self.stage.copies.append(Copy(name, args[:-1], args[-1], from_stage, src.region(0, src.end())))


_FROM_LINE = re.compile(r"\s*FROM\s", re.I)


def _instructions(lines: list[str], escape: str) -> list[dict]:
    """Instruction boundaries from ``dockerfile-parse``, in order, comments left out.

    Empty lines inside a continuation are blanked into comments first: BuildKit skips them
    (with a deprecation warning) where ``dockerfile-parse`` would end the instruction.
    """
    continued = re.compile(re.escape(escape) + r"[ \t]*$")
    masked, open_line = [], False
    for line in lines:
        blank, comment = not line.strip(), line.lstrip().startswith("#")
        masked.append("#" if blank and open_line else line)
        if not blank and not comment:
            open_line = bool(continued.search(line))
    content = "\n".join(masked).encode("utf-8", "replace")
    structure = DockerfileParser(fileobj=io.BytesIO(content)).structure
    return sorted((e for e in structure if e["instruction"] != "COMMENT"), key=lambda e: e["startline"])


def _escape_directive(lines: list[str]) -> str:
    """The escape character: ``\\`` unless an ``# escape=`` parser directive at the top says
    otherwise ("Parser directives": they end at the first line that is not one)."""
    for line in lines:
        match = _DIRECTIVE.match(line)
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            return match.group(2)
    return "\\"


def _join(lines: list[str], first: int, last: int, escape: str) -> _Source:
    """Join lines ``first..last`` (0-based) as Docker does: drop the escape character ending a
    line and any comment or empty line inside the continuation; keep other whitespace."""
    continued = re.compile(re.escape(escape) + r"[ \t]*$")
    parts: list[str] = []
    spots = Spots()
    end = (first + 1, 0)
    for number in range(first, min(last, len(lines) - 1) + 1):
        line = lines[number]
        if number > first and (not line.strip() or line.lstrip().startswith("#")):
            continue
        match = continued.search(line)
        body = line[: match.start()] if match else line
        begin = len(line) - len(line.lstrip()) if number == first else 0
        parts.append(body[begin:])
        spots.add(number + 1, begin, len(body) - begin)
        end = (number + 1, len(body))
        if not match:
            break
    return _Source("".join(parts), spots.add(*end, 1))


def _after_keyword(text: str) -> int:
    """The offset of the first argument, after the instruction keyword and its whitespace."""
    match = re.match(r"\S*\s*", text)
    return match.end() if match else 0


def _words(text: str, start: int, escape: str) -> Iterator[Span]:
    """Whitespace-separated words, as BuildKit's ``parseWords``: quotes group, and the escape
    character keeps the next character (except inside single quotes)."""
    i, n = start, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        begin, quote = i, None
        while i < n and (quote or not text[i].isspace()):
            ch = text[i]
            if quote and ch == quote:
                quote = None
            elif quote:
                i += 1 if ch == escape and quote != "'" else 0
            elif ch in "'\"":
                quote = ch
            elif ch == escape:
                i += 1
            i += 1
        yield begin, min(i, n)


def _unquote(word: str, escape: str) -> str:
    """Remove quotes and escapes as BuildKit's shell lexer does; ``$VAR`` stays as written."""
    out, i, quote = [], 0, None
    while i < len(word):
        ch = word[i]
        if quote == "'":
            if ch == "'":
                quote = None
            else:
                out.append(ch)
        elif ch == escape and i + 1 < len(word) and (quote is None or word[i + 1] in ('"', "$", escape)):
            i += 1
            out.append(word[i])
        elif ch == '"' or (ch == "'" and quote is None):
            quote = None if quote else ch
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _value_region(src: _Source, start: int, end: int) -> Region:
    """The value's region, inside its quotes when the whole value is one quoted string."""
    value = src.text[start:end]
    if len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]:
        return src.region(start + 1, end - 1)
    return src.region(start, end)


def _flags(src: _Source, start: int, escape: str) -> tuple[list[Span], int]:
    """Leading ``--flag[=value]`` words (BuildKit's ``extractBuilderFlags``) and the offset
    where the remaining arguments start."""
    flags = []
    for span in _words(src.text, start, escape):
        if not src.text.startswith("--", span[0]):
            return flags, span[0]
        flags.append(span)
    return flags, len(src.text)


def _json_args(src: _Source, start: int) -> list[Scalar] | None:
    """The JSON-array ("exec") form: each string located inside its quotes; ``None`` when the
    text is not a JSON array of strings (Docker then uses the shell form)."""
    end = src.end()
    try:
        values = json.loads(src.text[start:end]) if src.text.startswith("[", start) else None
    except (ValueError, RecursionError):  # RecursionError: brackets nested a thousand deep
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    spans = [m.span() for m in _JSON_STRING.finditer(src.text, start, end)]
    return [Scalar(value, src.region(a + 1, b - 1)) for value, (a, b) in zip(values, spans)]


def _command(src: _Source, start: int, heredocs: list[_Heredoc], lines: list[str]) -> Command:
    """``RUN``/``CMD``/``ENTRYPOINT`` text. A command that is only here-document markers runs
    the bodies as the script; other here-documents stay in the text, as the shell gets them."""
    end = src.end()
    args = _json_args(src, start)
    if args is not None:
        return Command(" ".join(arg.text for arg in args), src.region(start, end), True, _arg_positions(args))
    text, region = src.text[start:end], src.region(start, end)
    if not heredocs:
        return Command(text, region, positions=src.spots[start : end + 1])
    if all(_HEREDOC.fullmatch(re.sub("[\"']", "", word)) for word in text.split()):
        script = "".join(doc.body for doc in heredocs)
        positions = sum((doc.positions for doc in heredocs), Spots())
        return Command(script, _through(heredocs[0].region(lines), heredocs[-1].region(lines)), positions=positions + positions[-1:])
    script = text + "\n" + "".join(f"{doc.body}{doc.word}\n" for doc in heredocs)
    positions = src.spots[start : end + 1]
    for doc in heredocs:
        positions = positions + doc.positions + Spots().add(doc.terminator + 1, 0, len(doc.word) + 1)
    return Command(script, _through(region, heredocs[-1].region(lines, terminator=True)), positions=positions + positions[-1:])


def _arg_positions(args: list[Scalar]) -> Spots:
    """Positions for ``" ".join(args)``: each argument's characters in its JSON string (an
    escape sequence shifts them by a character or two at most), the joining space after it."""
    positions = Spots()
    for arg in args:
        line, first, last = arg.region.start_line, arg.region.start_column - 1, arg.region.end_column - 2
        positions.add(line, first, len(arg.text), cap=max(first, last))
        positions.add(line, max(first, last) + 1, 1)
    return positions


def _through(first: Region, last: Region) -> Region:
    """The region from the start of ``first`` to the end of ``last``."""
    return Region(first.start_line, first.start_column, last.end_line, last.end_column)


def _mount(options: str, region: Region) -> Mount:
    """A ``RUN --mount=type=...,source=...,target=...`` flag ("RUN --mount"); ``source`` is
    the secret's ``id`` for ``type=secret``, which defaults its target to ``/run/secrets/<id>``."""
    fields = dict(part.split("=", 1) if "=" in part else (part, "") for part in options.split(","))
    kind = fields.get("type", "bind")
    source = fields.get("source") or fields.get("src") or fields.get("id")
    target = fields.get("target") or fields.get("dst") or fields.get("destination")
    if target is None and kind == "secret" and source and "env" not in fields:
        target = f"/run/secrets/{source}"  # with `env=` and no target the secret is only a variable
    return Mount(source, target or "", kind, region)
