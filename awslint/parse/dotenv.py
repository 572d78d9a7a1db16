"""``.env`` parser, following Docker Compose's env-file syntax.

docs.docker.com, "Set, use, and manage variables in a container with Docker Compose" →
"Env-file syntax", as implemented by compose-go's ``dotenv`` package:

* ``VAR=VAL`` (or the YAML-like ``VAR: VAL``), with an optional ``export`` prefix;
* lines starting with ``#`` are comments, blank lines are ignored;
* unquoted values end at an inline comment preceded by whitespace (``VAR=VAL # c``) and are
  trimmed; ``VAR=VAL#c`` keeps the ``#``;
* a quoted value ends at the first matching quote not preceded by a backslash; text after it
  other than a comment is reported (compose would read it as another entry);
* single-quoted values are literal; double-quoted values expand ``\\n`` and ``\\r`` and
  drop other backslash escapes (except ``\\$``); both may span lines;
* ``VAR`` alone passes the variable through from the environment (``value`` is ``None``).
"""

from __future__ import annotations

import bisect
import re

from awslint.model import Document, EnvVar, FileModel, ParseProblem, Region

_ENTRY = re.compile(r"(?:export[ \t]+)?(?P<key>[^\s=:]+)[ \t]*(?P<sep>[=:]|\r?$)")
_NAME = re.compile(r"[\w.-]+")
_ESCAPE = re.compile(r"\\(.)", re.S)
_ESCAPES = {"n": "\n", "r": "\r", "$": "\\$"}
_INLINE_COMMENT = re.compile(r"[ \t]#")
_SHELL_LINE = re.compile(
    r"^[ \t]*(?:unset|if|then|elif|else|fi|for|while|do|done|case|esac|source|echo|printf|set|alias|function|return|exit|eval|cd|read)\b(?![=:])",
    re.M,
)


def parse(document: Document) -> FileModel:
    """Parse an env file: one :class:`~awslint.model.EnvVar` (origin ``dotenv``) per entry in
    ``variables``; lines compose would reject become problems and parsing goes on. A leading
    byte-order mark is dropped. A file with shell statements (``unset``, ``if``, ``source``...)
    is a script named ``*.env`` to be sourced, not an env file, and yields an empty model."""
    model = FileModel(document)
    if document.text is None:
        model.problems.append(ParseProblem("file is not valid UTF-8 text", Region(1, 1, 1, 1)))
        return model
    text = document.text.removeprefix("\ufeff")
    if _SHELL_LINE.search(text):
        return model
    _Reader(text, model).read()
    return model


class _Reader:
    """Walks an env file's text by offset, mapping offsets to 1-based lines and columns."""

    def __init__(self, text: str, model: FileModel):
        self.text = text
        self.model = model
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def read(self) -> None:
        """Read every entry, skipping blank and comment lines."""
        offset = 0
        while offset < len(self.text):
            end = self._line_end(offset)
            stripped = self.text[offset:end].strip()
            if not stripped or stripped.startswith("#"):
                offset = end + 1
            else:
                offset = self._entry(offset + self.text[offset:end].index(stripped[0]), end)

    def _line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    def _region(self, start: int, end: int) -> Region:
        """The region of ``text[start:end]``; empty when ``end <= start``."""
        line, column = self._spot(start)
        if end <= start:
            return Region(line, column, line, column)
        end_line, end_column = self._spot(end - 1)
        return Region(line, column, end_line, end_column + 1)

    def _spot(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def _problem(self, message: str, start: int, end: int) -> None:
        self.model.problems.append(ParseProblem(message, self._region(start, end)))

    def _entry(self, start: int, line_end: int) -> int:
        """Read the entry starting at ``start``; return the offset of the line after it."""
        match = _ENTRY.match(self.text, start, line_end)
        content_end = start + len(self.text[start:line_end].rstrip())
        if not match:
            self._problem("expected VAR=VALUE", start, content_end)
            return line_end + 1
        key = match.group("key")
        if not _NAME.fullmatch(key):
            bad = next(ch for ch in key if not _NAME.fullmatch(ch))
            self._problem(f"unexpected character {bad!r} in variable name {key!r}", *match.span("key"))
            return line_end + 1
        if not match.group("sep").strip():
            self._add(key, None, start, match.end("key"), None)
            return line_end + 1
        rest = self.text[match.end() : line_end]
        value_start = match.end() + len(rest) - len(rest.lstrip(" \t"))
        if value_start < line_end and self.text[value_start] in "'\"":
            return self._quoted(key, start, value_start)
        return self._unquoted(key, start, value_start, line_end)

    def _unquoted(self, key: str, start: int, value_start: int, line_end: int) -> int:
        raw = self.text[value_start:line_end]
        comment = _INLINE_COMMENT.search(raw)
        value = (raw[: comment.start()] if comment else raw).rstrip()
        value_end = value_start + len(value)
        self._add(key, value, start, value_end, (value_start, value_end))
        return line_end + 1

    def _quoted(self, key: str, start: int, quote_at: int) -> int:
        quote = self.text[quote_at]
        close = self._closing(quote, quote_at + 1)
        if close < 0:
            line_end = self._line_end(quote_at)
            self._problem(f"unterminated {quote} quote in value of {key!r}", quote_at, line_end)
            return line_end + 1
        raw = self.text[quote_at + 1 : close].replace("\r\n", "\n")
        value = raw if quote == "'" else _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)
        self._add(key, value, start, close + 1, (quote_at + 1, close))
        line_end = self._line_end(close)
        rest = self.text[close + 1 : line_end].strip()
        if rest and not rest.startswith("#"):
            tail = close + 1 + self.text[close + 1 : line_end].index(rest[0])
            self._problem(f"unexpected text after the quoted value of {key!r}", tail, tail + len(rest))
        return line_end + 1

    def _closing(self, quote: str, offset: int) -> int:
        """The offset of the closing quote: the first one not preceded by a backslash, as
        compose-go's ``extractVarValue`` finds it (for both kinds of quotes)."""
        while (offset := self.text.find(quote, offset)) > 0 and self.text[offset - 1] == "\\":
            offset += 1
        return offset

    def _add(
        self, key: str, value: str | None, start: int, end: int, value_span: tuple[int, int] | None
    ) -> None:
        value_region = self._region(*value_span) if value_span else None
        self.model.variables.append(EnvVar(key, value, self._region(start, end), value_region, "dotenv"))
