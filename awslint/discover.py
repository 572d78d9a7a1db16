"""Finding the files to lint and deciding each one's kind.

Directories are walked depth-first in name order. ``.gitignore`` files are honoured (nested ones
too, with git's own pattern semantics via ``pathspec``'s ``GitIgnoreSpec``), as are the config's
``exclude`` patterns; ``.git`` and other tool folders are skipped, but hidden folders such as
``.github`` and ``.aws`` are entered. Kinds are decided by name, and for JSON/YAML candidates by
a cheap substring test of the text (no parse).
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from awslint.model import Kind

SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", "__pycache__", ".mypy_cache"})
_NOT_DOCKERFILE = (".dockerignore", ".md", ".rst", ".txt", ".sh", ".py", ".go", ".j2", ".jinja", ".tmpl", ".tpl", ".bak", ".orig", ".swp")
_COMPOSE_NAMES = ("compose.yaml", "compose.yml")
_YAML = (".yaml", ".yml")
_COMPOSITE = re.compile(r"""^\s+using:\s*['"]?composite\b""", re.M)
_MAX_SNIFF = 5 * 1024 * 1024
_SHARED_HEADER = re.compile(r"^[ \t]*\[(?:default|profile[ \t][^\]\n]*)\]", re.M)
_TERRAFORM_TASK = re.compile(r'^[ \t]*resource[ \t]+"aws_ecs_task_definition"', re.M)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to lint: its path, the path shown to users (relative to the working directory
    when inside it), and its kind. ``skip`` is set, with the reason, for a file of a known kind
    that must not be opened (see :func:`unsafe`); it is reported, never read."""

    path: Path
    display_path: str
    kind: Kind
    skip: str | None = None


def kind_by_name(path: Path) -> Kind | None:
    """The kind a file's name alone decides, or ``None`` (see the module docstring)."""
    name, lower = path.name, path.name.lower()
    if path.parent.name == ".aws" and name in ("config", "credentials"):
        return Kind.AWS_CONFIG if name == "config" else Kind.AWS_CREDENTIALS
    if _is_dockerfile(lower):
        return Kind.DOCKERFILE
    if lower in _COMPOSE_NAMES or (lower.endswith(_YAML) and (lower.startswith("docker-compose") or lower.startswith("compose."))):
        return Kind.COMPOSE
    if lower == ".env" or lower.startswith(".env.") or (lower.endswith(".env") and len(lower) > 4):
        return Kind.DOTENV
    if lower.endswith(_YAML) and path.parent.name == "workflows" and path.parent.parent.name == ".github":
        return Kind.WORKFLOW
    return None


def _is_dockerfile(lower: str) -> bool:
    for base in ("dockerfile", "containerfile"):
        if lower == base or lower.endswith("." + base):
            return True
        if lower.startswith((base + ".", base + "-")) and not lower.endswith(_NOT_DOCKERFILE):
            return True
    return False


def _maybe_shared_file(path: Path) -> bool:
    """Names under which people keep copies of ``~/.aws/config`` and ``credentials``:
    ``config``/``credentials`` in a folder named ``aws`` or ``.aws-*``, and ``aws_*``/``aws-*``
    files without an extension or with ``.ini``, ``.cfg`` or ``.conf``."""
    lower, parent = path.name.lower(), path.parent.name.lower()
    if lower in ("config", "credentials"):
        return parent == "aws" or parent.startswith(".aws")
    stem, dot, extension = lower.partition(".")
    return lower.startswith(("aws_", "aws-")) and (not dot or extension in ("ini", "cfg", "conf"))


def kind_by_content(path: Path) -> Kind | None:
    """For names that may hold an ECS task definition, a composite action or an AWS shared
    file, a substring test: ``containerDefinitions`` in JSON, ``AWS::ECS::TaskDefinition`` in a
    template, ``resource "aws_ecs_task_definition"`` in a Terraform ``.tf`` file, ``using:
    composite`` in ``action.yml``, a ``[default]``/``[profile NAME]`` header at the start of a
    line in a shared-file name (``credentials`` in the name makes it a credentials file). Reads
    the file (up to 5 MB) but parses nothing."""
    lower = path.name.lower()
    shared = _maybe_shared_file(path)
    if not shared and not lower.endswith((".json", ".template", ".tf", *_YAML)):
        return None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_SNIFF:
            return None
        text = path.read_text("utf-8", "replace")
    except OSError:
        return None
    if shared:
        if not _SHARED_HEADER.search(text):
            return None
        return Kind.AWS_CREDENTIALS if "credentials" in lower else Kind.AWS_CONFIG
    if lower.endswith(".tf"):
        return Kind.ECS if _TERRAFORM_TASK.search(text) else None
    if lower in ("action.yml", "action.yaml"):
        return Kind.WORKFLOW if _COMPOSITE.search(text) else None
    if "AWS::ECS::TaskDefinition" in text or (lower.endswith(".json") and '"containerDefinitions"' in text):
        return Kind.ECS
    return None


class Walker:
    """Yields :class:`Candidate`s under the given paths.

    ``exclude`` holds gitignore-style patterns relative to ``root`` (the config's folder);
    ``kind_globs`` maps glob patterns (matched against the path relative to ``root`` and
    against the file name) to kinds, overriding name-based detection.
    """

    def __init__(self, root: Path, exclude: list[str], kind_globs: dict[str, Kind], respect_gitignore: bool = True):
        self.root = Path(os.path.abspath(root))
        self.exclude = gitignore_spec(exclude) if exclude else None
        self.kind_globs = kind_globs
        self.respect_gitignore = respect_gitignore
        self.skipped: list[str] = []

    def walk(self, paths: list[Path], forced: Kind | None = None) -> Iterator[Candidate]:
        """Files named directly are always linted (with ``forced`` as their kind when given,
        else their detected kind; an undetectable named file is skipped); directories are
        walked. Named paths that cannot be linted are listed in ``skipped`` with the reason.
        Raises ``FileNotFoundError`` for a path that does not exist."""
        for path in paths:
            if path.is_dir():
                yield from self._walk_dir(path, self._ignores_above(path), Path(os.path.realpath(path)))
            elif not os.path.lexists(path):
                raise FileNotFoundError(str(path))
            else:
                problem = unsafe(path, Path(os.path.realpath(self.root)))
                kind = forced or (self._kind_by_name(path) if problem else self.kind_of(path))
                if kind is None:
                    self.skipped.append(f"{display_path(path)}: {problem or 'not a kind awslint recognises (use --kind to choose one)'}")
                else:
                    yield Candidate(path, display_path(path), kind, problem)

    def kind_of(self, path: Path) -> Kind | None:
        """The kind of ``path`` from the config's globs, its name, or (last) its content."""
        return self._kind_by_name(path) or kind_by_content(path)

    def _kind_by_name(self, path: Path) -> Kind | None:
        relative = self._relative(path) if self.kind_globs else ""
        for pattern, kind in self.kind_globs.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern):
                return kind
        return kind_by_name(path)

    def _walk_dir(self, directory: Path, ignores: list[tuple[Path, pathspec.GitIgnoreSpec]], boundary: Path) -> Iterator[Candidate]:
        """Files under ``directory``; symbolic links to folders are not entered, and links to
        files are followed only when they stay inside ``boundary`` (the folder being linted)."""
        ignores = ignores + self._gitignore(directory)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            self.skipped.append(f"{display_path(directory)}/: cannot read the folder ({error.strerror or error}); its files were not linted")
            return
        for entry in entries:
            path = Path(entry.path)
            is_dir = entry.is_dir(follow_symlinks=False)
            if (is_dir and entry.name in SKIPPED_DIRS) or self._ignored(path, is_dir, ignores):
                continue
            if is_dir:
                yield from self._walk_dir(path, ignores, boundary)
                continue
            problem = _unsafe_entry(entry, boundary)
            kind = self._kind_by_name(path) if problem else self.kind_of(path)
            if kind is not None:
                yield Candidate(path, display_path(path), kind, problem)

    def _gitignore(self, directory: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
        if not self.respect_gitignore:
            return []
        try:
            lines = (directory / ".gitignore").read_text("utf-8", "replace").splitlines()
        except OSError:
            return []
        return [(Path(os.path.abspath(directory)), gitignore_spec(lines))]

    def _ignores_above(self, directory: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
        """The ``.gitignore`` files of the folders above ``directory``, up to its git work
        tree's top (none when it is not inside a work tree)."""
        chain: list[Path] = []
        for parent in Path(os.path.abspath(directory)).parents:
            chain.append(parent)
            if (parent / ".git").exists():
                return [spec for folder in reversed(chain) for spec in self._gitignore(folder)]
        return []

    def _ignored(self, path: Path, is_dir: bool, ignores: list[tuple[Path, pathspec.GitIgnoreSpec]]) -> bool:
        suffix = "/" if is_dir else ""
        absolute = os.path.abspath(path) if ignores or self.exclude else ""
        for base, spec in ignores:
            relative = os.path.relpath(absolute, base).replace(os.sep, "/")
            if spec.match_file(relative + suffix):
                return True
        if self.exclude is None:
            return False
        relative = self._relative(path)
        return not relative.startswith("..") and self.exclude.match_file(relative + suffix)

    def _relative(self, path: Path) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")


def gitignore_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """Compile gitignore lines; a line that is not a valid pattern is dropped, as git drops it."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # pathspec raises several error types for malformed patterns
        return pathspec.GitIgnoreSpec.from_lines([line for line in lines if _valid_pattern(line)])


def _valid_pattern(line: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except Exception:
        return False
    return True


def _unsafe_entry(entry: os.DirEntry, boundary: Path) -> str | None:
    """:func:`unsafe` for a directory entry, without a system call for a plain regular file."""
    try:
        if not entry.is_symlink():
            return None if entry.is_file(follow_symlinks=False) else "not a regular file (a FIFO, socket or device): never opened"
    except OSError:
        pass
    return unsafe(Path(entry.path), boundary)


def unsafe(path: Path, boundary: Path) -> str | None:
    """Why ``path`` must not be opened, or ``None``: a symbolic link that loops, leads nowhere
    or leads outside ``boundary`` (a resolved folder), or anything but a regular file (a FIFO
    would block the read, a device never ends)."""
    try:
        real = Path(os.path.realpath(path, strict=True))
        mode = os.stat(real).st_mode
    except OSError as error:
        return "a symbolic link that loops or leads nowhere: not followed" if os.path.islink(path) else f"cannot read it ({error.strerror or error})"
    if os.path.islink(path) and not real.is_relative_to(boundary):
        return "a symbolic link to a file outside the linted folder: not followed"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device): never opened"
    return None


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else as given; always
    with ``/`` separators."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
