"""Reading one file safely, between discovery and parsing.

A file is opened only when it is a regular file inside the linted tree (:func:`awslint.discover.unsafe`
decided that) and no larger than the ``max-file-size`` limit. Its bytes are then decoded: AWS
shared files keep strict UTF-8, as botocore reads them (the parser reports anything else); other
kinds are decoded leniently, with a leading BOM dropped as Docker, Compose and YAML readers do.
Binary content (NUL bytes) and UTF-16/UTF-32 text are not linted. Whatever is not read or not
linted becomes a :class:`Skipped` reason that the AWS901 rule reports; a parser that raises is an
internal error, reported with the file, and the run goes on.
"""

from __future__ import annotations

import importlib
import os
import stat
import traceback
from collections.abc import Callable

from awslint.discover import Candidate
from awslint.model import Document, FileModel, Kind
from awslint.parse.tree import TooDeep

# The parser module of each kind, imported the first time a file of that kind is read (a run
# over Dockerfiles never loads the YAML, JSON or Terraform readers).
_MODULES = {
    Kind.AWS_CONFIG: "ini",
    Kind.AWS_CREDENTIALS: "ini",
    Kind.DOCKERFILE: "dockerfile",
    Kind.COMPOSE: "compose",
    Kind.DOTENV: "dotenv",
    Kind.ECS: "ecs",
    Kind.WORKFLOW: "workflow",
}
PARSERS: dict[Kind, Callable[[Document], FileModel]] = {}  # filled by parser_for


def parser_for(kind: Kind) -> Callable[[Document], FileModel]:
    """The ``parse(document) -> FileModel`` function of ``kind``'s module in ``awslint.parse``."""
    if kind not in PARSERS:
        PARSERS[kind] = importlib.import_module(f"awslint.parse.{_MODULES[kind]}").parse
    return PARSERS[kind]
DEFAULT_LIMIT = 5 * 1024 * 1024  # bytes
SHARED_KINDS = (Kind.AWS_CONFIG, Kind.AWS_CREDENTIALS)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 and UTF-32 byte order marks start with these
_SNIFF = 8192


class Skipped(Exception):
    """A file that is not read, or read but not linted; the message is the reason."""


def read_document(candidate: Candidate, limit: int = DEFAULT_LIMIT) -> Document:
    """The file's bytes and text. Raises :class:`Skipped` (with the reason) for a file that
    must not be opened, is larger than ``limit`` bytes, holds binary data or UTF-16/UTF-32
    text; raises ``OSError`` when it cannot be read."""
    if candidate.skip:
        raise Skipped(candidate.skip)
    info = os.stat(candidate.path)
    if not stat.S_ISREG(info.st_mode):
        raise Skipped("not a regular file (a FIFO, socket or device): never opened")
    if info.st_size > limit:
        raise Skipped(f"{_size(info.st_size)}, more than the `max-file-size` limit of {_size(limit)}: not linted")
    raw = candidate.path.read_bytes()[: limit + 1]
    if candidate.kind in SHARED_KINDS:
        try:
            text: str | None = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    else:
        head = raw[:_SNIFF]
        if head.startswith(_WIDE_BOMS):
            raise Skipped("UTF-16 or UTF-32 text: not linted; save the file as UTF-8, which every consumer reads")
        if b"\x00" in head:
            raise Skipped("binary content (NUL bytes): not linted")
        text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
    return Document(candidate.path, candidate.display_path, candidate.kind, text, raw, stat.S_IMODE(info.st_mode))


def parse(candidate: Candidate, limit: int, errors: list[str]) -> FileModel:
    """The file's model, never raising: a skipped or unreadable file gives an empty model with
    ``skipped`` set; a parser that fails is recorded in ``errors`` (an internal error) and gives
    an empty model."""
    try:
        document = read_document(candidate, limit)
    except Skipped as reason:
        return skipped(candidate, str(reason))
    except OSError as error:
        return skipped(candidate, f"cannot read it ({error.strerror or error}): not linted")
    try:
        return parser_for(candidate.kind)(document)
    except TooDeep as reason:
        return skipped(candidate, str(reason))
    except RecursionError:
        return skipped(candidate, "nested too deeply: not linted")
    except Exception:  # a parser bug must not stop the run: it is reported as an internal error
        where = traceback.format_exc().strip().splitlines()[-1]
        errors.append(f"{candidate.display_path}: internal error in the {candidate.kind.value} parser: {where}")
        return FileModel(document)


def try_parse(candidate: Candidate, limit: int) -> FileModel | None:
    """:func:`parse` for the passes that read files ahead of linting (pairing shared files,
    merging compose projects, following workflow calls): ``None`` for anything that is not
    a clean model, which the lint pass then reports."""
    errors: list[str] = []
    model = parse(candidate, limit, errors)
    return None if errors or model.skipped else model


def skipped(candidate: Candidate, reason: str) -> FileModel:
    """An empty model for a file that is not linted, carrying the reason for AWS901."""
    return FileModel(Document(candidate.path, candidate.display_path, candidate.kind, "", b""), skipped=reason)


def _size(count: int) -> str:
    return f"{count:,} bytes"
