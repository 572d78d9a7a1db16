"""Parser for the AWS shared ``config`` and ``credentials`` files that mirrors botocore.

botocore (``botocore/configloader.py``, ``raw_config_parse``) reads both files with a default
``configparser.RawConfigParser()``: delimiters ``=`` and ``:`` (split at the first one), full-line
comments ``#``/``;`` only (no inline comments), indented lines continue the previous value (also
after blank lines), option names lower-cased, ``strict`` duplicate checks, ``[DEFAULT]`` as the
special defaults section, universal newlines. A value that starts with a newline (``s3 =``
followed by indented lines) is then split by ``_parse_nested`` on ``=``. The config file's
section names go through ``build_profile_map``; the credentials file's are profile names as is.

Unlike configparser this parser keeps positions and does not stop at the first error: every
line botocore would reject becomes a :class:`ParseProblem` and parsing goes on with the next line.
"""

from __future__ import annotations

import codecs
import re
import shlex
from dataclasses import replace

from awslint.model import Document, FileModel, Kind, ParseProblem, Region, Section, Setting

# configparser.RawConfigParser.SECTCRE / OPTCRE with the default delimiters, matched on the
# stripped line exactly as RawConfigParser._read does.
_SECTION = re.compile(r"\[(?P<header>.+)\]")
_OPTION = re.compile(r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # universal newlines, as open() in text mode
_COMMENT_PREFIXES = ("#", ";")
DEFAULT_SECTION = "DEFAULT"  # RawConfigParser.default_section
_BOM = "\ufeff"


def _fails(what: str, error: str, fix: str) -> str:
    """A problem message: what is wrong, how botocore fails, how to fix it."""
    return f'{what}: botocore fails with "Unable to parse config file" ({error}); {fix}'


def parse(document: Document) -> FileModel:
    """Parse an AWS shared ``config`` or ``credentials`` file (``document.kind``).

    Returns a :class:`FileModel` whose ``sections`` hold every ``[header]`` in file order (also
    ``[DEFAULT]``, whose keys configparser copies into every other section of the file, and
    duplicates) with their settings (a duplicate key is kept as a second :class:`Setting`).
    ``problems`` lists, in file order, everything for which botocore raises
    ``ConfigParseError``: undecodable bytes (UTF-16, invalid UTF-8; then nothing else is
    parsed), a UTF-8 BOM, a line before the first header, a line without ``=``/``:``, an empty
    key, a duplicate section or key, a nested-block line without ``=``. Never raises.
    """
    model = FileModel(document)
    text = document.text
    if text is None:
        text, problem = _decode(document.raw)
        if problem:
            model.problems.append(problem)
            return model
    _Parser(model).run(text, document.raw.startswith(codecs.BOM_UTF8))
    model.problems.sort(key=lambda p: (p.region.start_line, p.region.start_column))
    return model


def _decode(raw: bytes) -> tuple[str, ParseProblem | None]:
    """Decode ``raw`` as UTF-8 (botocore's locale encoding under ``LANG=C.UTF-8``)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = _fails("the file is UTF-16", "UnicodeDecodeError", "save it as UTF-8")
        return "", ParseProblem(message, Region.on_line(1, 0, 1))
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        lines = _NEWLINE.split(raw[: err.start].decode("utf-8"))
        what = f"byte 0x{raw[err.start]:02X} is not valid UTF-8"
        message = _fails(what, "UnicodeDecodeError", "save the file as UTF-8")
        column = len(lines[-1])
        return "", ParseProblem(message, Region.on_line(len(lines), column, column + 1))


def _entry(header: str, kind: Kind) -> tuple[str | None, str | None]:
    """``(table, name)`` of a section: every header but ``[DEFAULT]`` names a profile verbatim
    in the credentials file; the config file's go through :func:`classify`. ``DEFAULT`` is
    never a profile (``RawConfigParser.sections()`` leaves it out)."""
    if header == DEFAULT_SECTION:
        return None, None
    if kind is Kind.AWS_CREDENTIALS:
        return "profile", header
    return classify(header)


def classify(header: str) -> tuple[str | None, str | None]:
    """``(table, name)`` for a config-file section header, as botocore
    ``configloader.build_profile_map`` sorts sections: a header that *starts with* ``profile``,
    ``sso-session`` or ``services`` (tested in that order) names an entry of that table when
    ``shlex.split`` yields exactly two tokens (else ``name`` is ``None``: dropped); exactly
    ``default`` is the profile ``default``; anything else is ``(None, None)``."""
    for table in ("profile", "sso-session", "services"):
        if header.startswith(table):
            return table, _shlex_second(header)
    return ("profile", "default") if header == "default" else (None, None)


def _shlex_second(header: str) -> str | None:
    """botocore ``configloader._parse_section``: the second of exactly two shlex tokens."""
    try:
        parts = shlex.split(header)
    except ValueError:
        return None
    return parts[1] if len(parts) == 2 else None


def _span(line: str) -> tuple[int, int]:
    """0-based ``[start, end)`` of the stripped content of ``line``."""
    return len(line) - len(line.lstrip()), len(line.rstrip())


def _extend(region: Region, line: int, end: int) -> Region:
    """``region`` stretched to end before 0-based offset ``end`` of ``line``."""
    return replace(region, end_line=line, end_column=end + 1)


class _Parser:
    """The state of ``RawConfigParser._read`` for one file, plus positions."""

    def __init__(self, model: FileModel) -> None:
        self.model = model
        self.kind = model.document.kind
        self.section: Section | None = None
        self.setting: Setting | None = None  # the option continuation lines extend
        self.parts: list[str] = []  # the setting's value lines
        self.continued: list[tuple[Setting, list[str]]] = []  # values to join once, at the end
        self.nested_reported: Setting | None = None  # the nested block whose bad line is reported
        self.indent_level = 0
        self.section_lines: dict[str, int] = {}
        self.keys: dict[str, dict[str, int]] = {}
        self.default_nested: list[tuple[str, ParseProblem]] = []
        self.headerless_reported = False

    def problem(self, message: str, region: Region) -> None:
        self.model.problems.append(ParseProblem(message, region))

    def run(self, text: str, raw_bom: bool) -> None:
        """Parse every line of ``text``; a leading U+FEFF is reported and then skipped."""
        lines = _NEWLINE.split(text)
        if raw_bom or text.startswith(_BOM):
            what = "the file starts with a UTF-8 byte-order mark (BOM)"
            fix = "save it as UTF-8 without BOM"
            self.problem(_fails(what, "MissingSectionHeaderError", fix), Region.on_line(1, 0, 1))
        for number, line in enumerate(lines, start=1):
            base = 1 if number == 1 and line.startswith(_BOM) else 0
            self.line(number, line[base:], base)
        self.flush_default_nested()
        for setting, parts in self.continued:
            setting.value = "\n".join(parts).rstrip()

    def line(self, number: int, line: str, base: int) -> None:
        """One physical line, as one iteration of ``RawConfigParser._read``."""
        value = line.strip()
        if not value or value.startswith(_COMMENT_PREFIXES):
            if not value and self.setting:
                self.parts.append("")
            return
        indent, end = _span(line)
        start, end = indent + base, end + base
        if self.setting and indent > self.indent_level:
            self.continuation(number, start, end, value)
            return
        self.indent_level = indent
        header = _SECTION.match(value)
        if header:
            self.header(number, start, end, header.group("header"))
        elif self.section is None:
            self.before_header(Region.on_line(number, start, end), value)
        else:
            self.option(number, start, end, value)

    def before_header(self, region: Region, value: str) -> None:
        """A line before any ``[section]`` (``MissingSectionHeaderError``), reported for the
        first such line only: the lines after it are the same mistake. Only a key name is
        quoted: the line may hold a secret."""
        if self.headerless_reported:
            return
        self.headerless_reported = True
        option = _OPTION.match(value)
        what = f"key {option.group('option')!r}" if option else "this line"
        what += " comes before any [section] header"
        fix = "move it under a section such as [default]"
        self.problem(_fails(what, "MissingSectionHeaderError", fix), region)

    def header(self, number: int, start: int, end: int, name: str) -> None:
        """``[name]``: open a section; report a repeated one (``DuplicateSectionError``)."""
        region = Region.on_line(number, start + 1, start + 1 + len(name))
        if name in self.section_lines:
            what = f"duplicate section {name!r} (first at line {self.section_lines[name]})"
            self.problem(_fails(what, "DuplicateSectionError", "merge the two sections"), region)
        elif name != DEFAULT_SECTION:
            self.section_lines[name] = number
        if name == DEFAULT_SECTION:
            self.keys.setdefault(name, {})
        else:
            self.keys[name] = {}
        line_region = Region.on_line(number, start, end)
        self.section = Section(name, line_region, region, *_entry(name, self.kind), origin=self.kind)
        self.model.sections.append(self.section)
        self.setting = None

    def option(self, number: int, start: int, end: int, value: str) -> None:
        """``key = value`` or ``key: value`` (first delimiter wins), or a line botocore rejects."""
        match = _OPTION.match(value)
        if not match:
            self.no_delimiter(number, start, end, value)
            return
        if not match.group("option"):
            where = Region.on_line(number, start + match.start("vi"), start + match.end("vi"))
            fix = "write the key name before the delimiter"
            self.problem(_fails("setting with an empty key name", "ParsingError", fix), where)
            self.setting = None
            return
        raw_key = match.group("option")
        key_region = Region.on_line(number, start, start + len(raw_key))
        value_start = start + match.start("value")
        self.setting = Setting(
            raw_key.lower(),
            raw_key,
            match.group("value"),
            Region.on_line(number, start, end),
            key_region,
            Region.on_line(number, value_start, end),
            self.kind,
        )
        self.parts = [match.group("value")]
        self.check_duplicate_key(number, key_region)
        self.section.settings.append(self.setting)

    def no_delimiter(self, number: int, start: int, end: int, value: str) -> None:
        """A line that is neither a header nor ``key = value`` (``ParsingError``); its text
        is not quoted, as it may be a pasted secret."""
        if value.startswith("["):
            what = "this is not a section header (it needs a name between '[' and ']')"
            fix = "write it as [name]"
        else:
            what = "this line has no '=' or ':'"
            fix = "write it as key = value"
        self.problem(_fails(what, "ParsingError", fix), Region.on_line(number, start, end))

    def check_duplicate_key(self, number: int, region: Region) -> None:
        """Report a key seen before in this section, compared lower-cased (``DuplicateOptionError``)."""
        seen = self.keys[self.section.header]
        key = self.setting.key
        if key in seen:
            where = f"in section {self.section.header!r} (first at line {seen[key]})"
            what = f"duplicate key {key!r} {where}"
            self.problem(_fails(what, "DuplicateOptionError", "keep only one of them"), region)
        else:
            seen[key] = number

    def continuation(self, number: int, start: int, end: int, value: str) -> None:
        """An indented line after an option: appended to its value with ``\\n``."""
        setting = self.setting
        if not self.continued or self.continued[-1][0] is not setting:
            self.continued.append((setting, self.parts))
        self.parts.append(value)
        setting.region = _extend(setting.region, number, end)
        setting.value_region = _extend(setting.value_region, number, end)
        if self.parts[0] == "":
            self.check_nested(number, start, end, value)

    def check_nested(self, number: int, start: int, end: int, value: str) -> None:
        """A line of a nested block (value starting with a newline) must contain ``=``, as
        botocore ``configloader._parse_nested`` splits each line with ``line.split('=', 1)``.
        Only the first bad line of a block is reported: botocore stops there."""
        if self.nested_reported is self.setting or all("=" in piece or not piece.strip() for piece in value.splitlines()):
            return
        self.nested_reported = self.setting
        what = f"a line of the nested {self.setting.raw_key!r} block has no '='"
        fix = "write it as name = value (':' is not accepted in nested blocks)"
        problem = ParseProblem(_fails(what, "ValueError", fix), Region.on_line(number, start, end))
        if self.section.header == DEFAULT_SECTION:
            self.default_nested.append((self.setting.key, problem))
        else:
            self.model.problems.append(problem)

    def flush_default_nested(self) -> None:
        """Nested blocks of ``[DEFAULT]`` are parsed by botocore once per other section that
        inherits them (``cp.options(section)`` includes defaults not overridden there)."""
        others = [s for s in self.model.sections if s.header != DEFAULT_SECTION]
        for key, problem in self.default_nested:
            if any(all(st.key != key for st in s.settings) for s in others):
                self.model.problems.append(problem)
