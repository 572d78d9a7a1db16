"""The rule registry: every rule's id, name, default severity, kinds and check function.

A rule family is one module of this package (``secrets`` is AWS0xx, ``shared_files`` AWS1xx,
``shared_settings``, ``shared_keys``, ``shared_roles``, ``shared_sso`` and ``home`` AWS11x-16x, ``dockerfile`` AWS2xx, ``compose`` AWS3xx, ``ecs`` AWS4xx, ``workflow``, ``workflow_action`` and ``workflow_env`` AWS5xx, with ``github`` their shared semantics); each rule is a
function decorated with :func:`rule` that takes a :class:`~awslint.model.FileModel` and yields
:class:`Hit`s. "Reference §N" in docstrings is a section of ``docs/aws-shared-config.md``, the
verified account of how botocore and the AWS CLI read the shared files. Ids are stable forever; a renamed rule keeps its old name in ``aliases``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from awslint.model import FileModel, Kind, Region


class Severity(str, Enum):
    """A finding's level, named as SARIF's ``result.level`` (§3.27.10)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """``note`` < ``warning`` < ``error``, for ``fail-on`` comparisons."""
        return {"note": 1, "warning": 2, "error": 3}[self.value]


ALL_KINDS = frozenset(Kind)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check yields: a message (one sentence: what is wrong and what to do; never a
    whole secret), the region it points at, and optional related ``(message, region)`` pairs
    that explain it (SARIF ``relatedLocations``)."""

    message: str
    region: Region
    related: tuple[tuple[str, Region], ...] = ()


Check = Callable[[FileModel], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``security_severity`` (0.0-10.0) is set for security rules and goes
    into SARIF ``properties.security-severity`` as GitHub code scanning reads it."""

    id: str
    name: str
    severity: Severity
    kinds: frozenset[Kind]
    summary: str
    check: Check = field(repr=False, compare=False)
    tags: tuple[str, ...] = ()
    security_severity: float | None = None
    aliases: tuple[str, ...] = ()


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    name: str,
    severity: Severity,
    kinds: Iterable[Kind],
    summary: str,
    tags: tuple[str, ...] = (),
    security_severity: float | None = None,
) -> Callable[[Check], Check]:
    """Register the decorated check function as rule ``id``.

    Raises ``ValueError`` when the id or name is already taken (ids are forever).
    """

    def register(check: Check) -> Check:
        if id in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {id} {name} registered twice")
        REGISTRY[id] = Rule(id, name, severity, frozenset(kinds), summary, check, tags, security_severity)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule, sorted by id, after importing each family module once."""
    from awslint.rules import (  # noqa: F401
        compose,
        dockerfile,
        ecs,
        ecs_shape,
        home,
        parse_errors,
        secrets,
        shared_files,
        shared_keys,
        shared_roles,
        shared_settings,
        shared_sso,
        workflow,
        workflow_action,
        workflow_env,
    )

    return sorted(REGISTRY.values(), key=lambda r: r.id)


def find_rule(selector: str) -> Rule | None:
    """The rule whose id or name (or alias) is ``selector``, case-insensitively."""
    wanted = selector.lower()
    return next((r for r in all_rules() if wanted in (r.id.lower(), r.name, *r.aliases)), None)


def matches(rule_: Rule, selector: str) -> bool:
    """Whether ``selector`` (an id, an id prefix such as ``AWS1``, a name, or ``ALL``) picks ``rule_``."""
    wanted = selector.strip()
    return (
        wanted.upper() == "ALL"
        or rule_.id.startswith(wanted.upper())
        or wanted.lower() in (rule_.name, *rule_.aliases)
    )

