"""Runs the rules over each file's model and turns hits into findings.

Flow (one direction): read → parse (:func:`awslint.read.parser_for`) → run each selected rule that applies to the
file's kind → drop hits silenced by ``per-file-ignores`` or inline comments → apply severity
overrides → make messages safe to print (no keys, no control characters) → sort. A rule that raises is reported as an internal error and the run goes on.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from awslint import workers
from awslint.config import Config
from awslint.discover import Candidate, display_path
from awslint.model import Context, Document, FileModel, Kind, Region, Workflow, local_target, real
from awslint.parse.profiles import merge
from awslint.read import SHARED_KINDS, parse, try_parse
from awslint.rules import Hit, Rule, Severity, matches
from awslint.rules.parse_errors import SKIP_RULE
from awslint.rules.secrets import redact
from awslint.suppress import read_suppressions


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported problem. ``fingerprint`` is SARIF's ``primaryLocationLineHash``: a hash of
    the rule and the text of the finding's first line, plus ``:N`` for the N-th such pair in the
    file, so it survives unrelated lines moving."""

    rule: Rule
    severity: Severity
    file: Path
    path: str
    region: Region
    message: str
    related: tuple[tuple[str, Region], ...]
    fingerprint: str


@dataclass
class Report:
    """The outcome of a run: findings in order, how many files were linted, internal errors."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    internal_errors: list[str] = field(default_factory=list)


def selected_rules(rules: Iterable[Rule], config: Config) -> list[Rule]:
    """The rules that ``select``/``extend-select`` pick and ``ignore`` does not."""
    chosen = config.select + config.extend_select
    return [
        r for r in rules if any(matches(r, s) for s in chosen) and not any(matches(r, s) for s in config.ignore)
    ]


def lint(candidates: Iterable[Candidate], rules: list[Rule], config: Config, context: Context | None = None, home: bool = False, jobs: int = 1) -> Report:
    """Lint every candidate with ``rules``; unreadable files are reported, never raised.

    AWS shared files are parsed first and paired (see :func:`shared_models`) so that rules
    see the profiles an SDK would see, and ``context.repository_profiles`` lists them for
    rules over other kinds. ``home`` marks the candidates as the user's own files. With
    ``jobs`` above one, files of the kinds no other file affects are linted in worker
    processes (:mod:`awslint.workers`); the report is the same as a serial run's.
    """
    candidates = list(dict.fromkeys(candidates))  # a file both named and walked is linted once
    limit = config.max_file_size
    models = shared_models(candidates, home, limit)
    context = context or Context(now=datetime.now(timezone.utc))
    if not home:
        context.repository_profiles = _repository_profiles(models.values())
        _nearby_profiles(candidates, context.repository_profiles, config.root, limit)
    alone = [c for c in candidates if c.kind in _ALONE and c.path not in models]
    collect = workers.start(alone, rules, config, context, jobs)
    models.update(compose_models(candidates, config.root, limit))
    workflows = workflow_models(candidates, limit)
    models.update(workflows)
    context.workflows = _called_workflows(workflows.values(), config.root, limit)
    report = Report(files=len(candidates))  # compose_models may have added files it reads
    elsewhere = set(alone) if collect else set()
    for candidate in candidates:
        if candidate not in elsewhere:
            report.findings.extend(lint_file(candidate, rules, config, report.internal_errors, models.get(candidate.path), context))
    for findings, errors in collect() if collect else ():
        report.findings.extend(findings)
        report.internal_errors.extend(errors)
    report.findings.sort(key=lambda f: (f.path, f.region.start_line, f.region.start_column, f.rule.id))
    report.internal_errors.sort()
    return report


_ALONE = (Kind.DOCKERFILE, Kind.DOTENV, Kind.ECS)  # kinds whose findings no other file changes


def shared_models(candidates: list[Candidate], home: bool, limit: int) -> dict[Path, FileModel]:
    """Parse the AWS shared files among ``candidates`` and merge each pair the way one SDK
    process reads them: ``config`` and ``credentials`` of one folder (a sibling that is not
    being linted is read for context only), or with ``home`` all of them. Other names stand
    alone. Unreadable files are left out (:func:`lint_file` reports them)."""
    groups: dict[str, dict[Kind, Path]] = {}
    for candidate in candidates:
        if candidate.kind in SHARED_KINDS and not candidate.skip:
            paired = home or candidate.path.name in ("config", "credentials")
            key = "home" if home else str(candidate.path.parent if paired else candidate.path)
            groups.setdefault(key, {})[candidate.kind] = candidate.path
    models: dict[Path, FileModel] = {}
    for members in groups.values():
        parsed = {kind: _parse_shared(path, kind, limit, missing_ok=home) for kind, path in members.items()}
        if not home and len(members) == 1:
            _add_sibling(parsed, next(iter(members.values())), limit)
        merge(parsed.get(Kind.AWS_CONFIG), parsed.get(Kind.AWS_CREDENTIALS), home)
        models.update({path: parsed[kind] for kind, path in members.items() if parsed[kind] is not None})
    return models


def compose_models(candidates: list[Candidate], root: Path, limit: int) -> dict[Path, FileModel]:
    """Parse the compose files among ``candidates`` and merge each project's override files
    into the services they patch (:func:`awslint.parse.compose.link`). Files that a linted
    compose file ``include``s, and the ``env_file``s its services read, are added to
    ``candidates`` (when inside ``root``), whatever their names, so that keys in them are
    reported at their own lines."""
    models: dict[Path, FileModel] = {}
    for candidate in candidates:
        model = try_parse(candidate, limit) if candidate.kind is Kind.COMPOSE else None
        if model is not None:  # lint_file reports the others
            models[real(candidate.path)] = model
    known = {real(c.path) for c in candidates}
    if not models:
        return {}
    from awslint.parse import compose

    extra = [(path, Kind.COMPOSE) for path in compose.link(models) if path in models]
    extra += [(path, Kind.DOTENV) for model in models.values() for path in compose.env_file_paths(model)]
    for path, kind in extra:
        if path not in known and path.is_relative_to(real(root)):
            candidates.append(Candidate(path, display_path(path), kind))
            known.add(path)
    return {c.path: models[real(c.path)] for c in candidates if real(c.path) in models}


def workflow_models(candidates: list[Candidate], limit: int) -> dict[Path, FileModel]:
    """Parse the workflows and composite actions among ``candidates`` up front, so that a
    caller can be checked against the reusable workflows and local actions it uses."""
    models: dict[Path, FileModel] = {}
    for candidate in candidates:
        model = try_parse(candidate, limit) if candidate.kind is Kind.WORKFLOW else None
        if model is not None:  # lint_file reports the others
            models[candidate.path] = model
    return models


def _called_workflows(models: Iterable[FileModel], root: Path, limit: int) -> dict[Path, Workflow]:
    """Every parsed workflow by resolved path, plus the local reusable workflows and composite
    actions they call (``uses: ./...``), directly or through each other, that were not linted
    themselves, when inside ``root``."""
    found = {real(m.document.path): m.workflow for m in models if m.workflow}
    pending = list(found.values())
    while pending:
        caller = pending.pop()
        for uses in _uses(caller):
            path = next((p for p in local_target(caller.path, uses) if p in found or _regular(p)), None)
            if path is None or path in found or not path.is_relative_to(real(root)):
                continue
            called = try_parse(Candidate(path, display_path(path), Kind.WORKFLOW), limit)
            if called is not None and called.workflow is not None:
                found[path] = called.workflow
                pending.append(called.workflow)
    return found


def _uses(workflow: Workflow) -> list[str]:
    return [uses.text for job in workflow.jobs for uses in job.calls]


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        return False


def _parse_shared(path: Path, kind: Kind, limit: int, missing_ok: bool = False) -> FileModel | None:
    """The parsed file; ``None`` when it cannot be read, or, with ``missing_ok``, an empty file
    when it does not exist (``--home`` without any shared file still checks the environment)."""
    if missing_ok and not os.path.lexists(path):
        from awslint.parse import ini

        return ini.parse(Document(path, str(path), kind, "", b""))
    return try_parse(Candidate(path, str(path), kind), limit)


def _add_sibling(parsed: dict[Kind, FileModel | None], path: Path, limit: int) -> None:
    """``.aws/credentials`` next to a linted ``.aws/config`` (or the reverse) that is not linted itself."""
    if path.name not in ("config", "credentials"):
        return
    kind = Kind.AWS_CREDENTIALS if path.name == "config" else Kind.AWS_CONFIG
    sibling = path.with_name("credentials" if path.name == "config" else "config")
    try:
        regular = stat.S_ISREG(sibling.stat().st_mode)  # never open a FIFO or a device
    except (OSError, ValueError):
        regular = False
    if regular:
        parsed[kind] = _parse_shared(sibling, kind, limit)


def _repository_profiles(models: Iterable[FileModel]) -> dict[Path, frozenset[str]]:
    """For each folder holding a ``.aws`` folder with shared files, the profiles they define."""
    found: dict[Path, frozenset[str]] = {}
    for model in models:
        path = real(model.document.path)
        if path.parent.name == ".aws" and model.shared:
            found[path.parent.parent] = frozenset(model.shared.profiles)
    return found


def _nearby_profiles(candidates: list[Candidate], found: dict[Path, frozenset[str]], root: Path, limit: int) -> None:
    """Add to ``found`` the profiles of the nearest ``.aws`` folder above each candidate, up to
    ``root``, when its shared files are not being linted themselves (a pre-commit run that
    passes only ``.env``): a file's ``AWS_PROFILE`` is judged against the same profiles
    whichever files a run is given."""
    looked: set[Path] = set(found)
    top = real(root)
    for candidate in candidates:
        for folder in real(candidate.path).parents:
            if folder in looked or not folder.is_relative_to(top):
                break
            looked.add(folder)
            profiles = _profiles_in(folder / ".aws", limit)
            if profiles is not None:
                found[folder] = profiles
                break


def _profiles_in(folder: Path, limit: int) -> frozenset[str] | None:
    """The profiles that ``folder``'s ``config`` and ``credentials`` define together, or
    ``None`` when it holds neither."""
    parsed = {}
    for name, kind in (("config", Kind.AWS_CONFIG), ("credentials", Kind.AWS_CREDENTIALS)):
        if _regular(folder / name):
            parsed[kind] = try_parse(Candidate(folder / name, display_path(folder / name), kind), limit)
    if not any(parsed.values()):
        return None
    merge(parsed.get(Kind.AWS_CONFIG), parsed.get(Kind.AWS_CREDENTIALS), False)
    return frozenset(next(model for model in parsed.values() if model).shared.profiles)


def lint_file(
    candidate: Candidate, rules: list[Rule], config: Config, errors: list[str], model: FileModel | None = None, context: Context | None = None
) -> list[Finding]:
    """Findings for one file (parsed here unless ``model`` is given), after suppressions and
    severity overrides."""
    if model is None:
        model = parse(candidate, config.max_file_size, errors)
    if model.skipped is not None:
        rules = [rule for rule in rules if rule.id == SKIP_RULE]
    model.context = context
    document = model.document
    document.display_path = candidate.display_path
    ignored = _per_file_ignores(candidate.path, config)
    suppressions = read_suppressions(document.text or "", candidate.kind)
    findings: list[Finding] = []
    seen: Counter[tuple[str, str]] = Counter()
    for rule in rules:
        if candidate.kind not in rule.kinds or any(matches(rule, s) for s in ignored):
            continue
        spans: set[Region] = set()
        for hit in _run(rule, model, errors):
            # One finding per rule and span: a `[DEFAULT]` key seen through every profile is one mistake.
            if hit.region in spans or any(matches(rule, s) for s in suppressions.selectors_for(hit.region.start_line)):
                continue
            spans.add(hit.region)
            findings.append(_finding(rule, hit, document, config, seen))
    return findings


def _run(rule: Rule, model: FileModel, errors: list[str]) -> list[Hit]:
    try:
        return list(rule.check(model))
    except Exception:  # a bug in a rule must not stop the run; it is reported as one
        where = traceback.format_exc().strip().splitlines()[-1]
        errors.append(f"{clean(model.document.display_path)}: internal error in rule {rule.id} {rule.name}: {where}")
        return []


def _per_file_ignores(path: Path, config: Config) -> list[str]:
    relative = os.path.relpath(os.path.abspath(path), config.root).replace(os.sep, "/")
    return [s for glob, selectors in config.per_file_ignores.items() if fnmatch.fnmatch(relative, glob) for s in selectors]


def _finding(rule: Rule, hit: Hit, document: Document, config: Config, seen: Counter) -> Finding:
    level = next((lvl for sel, lvl in config.severity.items() if matches(rule, sel)), rule.severity.value)
    line_key = "".join(document.line_text(hit.region.start_line).split())
    seen[(rule.id, line_key)] += 1
    digest = hashlib.sha256(f"{rule.id}\0{line_key}".encode()).hexdigest()[:16]
    fingerprint = f"{digest}:{seen[(rule.id, line_key)]}"
    related = tuple((clean(text), region) for text, region in hit.related)
    return Finding(rule, Severity(level), document.path, clean(document.display_path), hit.region, clean(hit.message), related, fingerprint)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # and lone surrogates, which no encoder writes


def clean(message: str) -> str:
    """A message safe to print: key-like text redacted, and control characters (which a
    scanned file may smuggle in to rewrite a terminal) shown as ``\\xNN``."""
    return _CONTROL.sub(_escape, redact(message))


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
