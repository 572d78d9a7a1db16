"""The common model every parser produces and every rule reads.

Parsers (``awslint.parse``) turn one :class:`Document` into one :class:`FileModel`; rules
(``awslint.rules``) read only these objects, never raw parser trees. Every object that a finding
can point at carries a :class:`Region`.

The vocabulary follows the sources: AWS shared files have *sections* and *settings*
(botocore's ``configloader``); Dockerfile *stages*, compose *services*, ECS *containers* and
workflow *jobs* are all *workloads* with environment variables, mounts, a user and commands.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path


class Kind(str, Enum):
    """The file kinds awslint understands; the value is the name users type (``--kind``)."""

    AWS_CONFIG = "aws-config"
    AWS_CREDENTIALS = "aws-credentials"
    DOCKERFILE = "dockerfile"
    COMPOSE = "compose"
    DOTENV = "dotenv"
    ECS = "ecs-task-definition"
    WORKFLOW = "github-workflow"

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True, unsafe_hash=True)  # not frozen: parsers make hundreds of thousands; never mutated
class Region:
    """A span of text, as SARIF 2.1.0 §3.30 defines a text region.

    Lines and columns are 1-based and counted in Unicode code points; ``end_column`` is the
    column just after the last character (exclusive), as SARIF's ``endColumn``.
    """

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    @classmethod
    def on_line(cls, line: int, start: int, end: int) -> Region:
        """The span of 0-based offsets ``[start, end)`` on 1-based line ``line``."""
        return cls(line, start + 1, line, max(end, start + 1) + 1)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class Document:
    """One file to lint: where it is, how it is shown, which kind it is and its text.

    ``text`` is the decoded content with line endings kept as in the file; ``None`` when the
    bytes could not be decoded (the parser then reports why).
    """

    path: Path
    display_path: str
    kind: Kind
    text: str | None
    raw: bytes = b""
    mode: int | None = None  # the file's permission bits (st_mode & 0o777), when read from disk
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    def line_text(self, line: int) -> str:
        """Line ``line`` (1-based) without its line ending, or ``""`` past the end."""
        lines = self.lines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def lines(self) -> list[str]:
        """The text split into lines at ``\r\n``, ``\r`` or ``\n`` only, as botocore, Docker
        and YAML readers count lines (``str.splitlines`` also splits at form feeds; computed once)."""
        if self._lines is None:
            self._lines = _LINE_BREAK.split(self.text or "")
        return self._lines

    def locate(self, needle: str, within: Region) -> Region | None:
        """The first occurrence of ``needle`` on the lines ``within`` spans, as a region; used
        to point inside values whose text the parser rewrote (joined continuation lines,
        YAML block scalars). ``None`` when it does not occur on one line there."""
        for line in range(within.start_line, within.end_line + 1):
            column = self.line_text(line).find(needle)
            if column != -1:
                return Region.on_line(line, column, column + len(needle))
        return None


@dataclass(slots=True)
class ParseProblem:
    """Text that the file's consumer (botocore, Docker, compose, ECS, Actions) would reject."""

    message: str
    region: Region


_REFERENCE = re.compile(r"\$\{\{.*?\}\}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")


@dataclass(slots=True)
class EnvVar:
    """A named value handed to a process: an environment variable, a build arg, an action input.

    ``value`` is the literal text as the consumer sees it before interpolation, or ``None`` for
    a pass-through (compose ``- AWS_PROFILE`` or ``AWS_PROFILE:`` with no value, a bare
    Dockerfile ``ARG NAME``, an ECS ``secrets`` entry whose value comes from ``valueFrom``).
    ``origin`` says where it came from: ``env``, ``build-arg``, ``input`` (workflow ``with:``),
    ``secret`` (ECS ``secrets``/``valueFrom``) or ``dotenv``.
    """

    name: str
    value: str | None
    region: Region
    value_region: Region | None = None
    origin: str = "env"
    elsewhere: str | None = None  # ``file:line`` when merged in from another file (``region`` then points at the workload)

    @property
    def is_literal(self) -> bool:
        """True when the value is fixed text, with no ``${VAR}`` / ``${{ expr }}`` reference."""
        return self.value is not None and self.origin != "secret" and not _REFERENCE.search(self.value)


@dataclass(slots=True)
class Mount:
    """A path made visible inside a container (Docker "bind mount" or named "volume").

    ``source`` is the host path or volume name (``None`` for an anonymous volume), ``target``
    the path inside the container, ``type`` as Docker spells it: ``bind``, ``volume``, ``tmpfs``, or for
    ``RUN --mount`` also ``secret``, ``cache``, ``ssh``.
    """

    source: str | None
    target: str
    type: str
    region: Region
    read_only: bool = False
    elsewhere: str | None = None  # as :attr:`EnvVar.elsewhere`


class Spots:
    """Where each character of a text stands in the file: ``spots[i]`` is the 1-based line and
    0-based column of character ``i``. Stored as runs of consecutive columns on one line (a
    run's columns may stop growing at a ``cap``), so a 5 MB line costs one run, not five
    million tuples. Supports ``len``, indexing, slicing and ``+`` like the list it replaces."""

    __slots__ = ("_starts", "_runs", "_length")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._runs: list[tuple[int, int, int | None]] = []  # (line, first column, cap)
        self._length = 0

    def add(self, line: int, column: int, count: int, cap: int | None = None) -> Spots:
        """Append ``count`` characters from ``(line, column)`` on, columns growing up to ``cap``."""
        if count > 0:
            self._starts.append(self._length)
            self._runs.append((line, column, cap))
            self._length += count
        return self

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._slice(*index.indices(self._length)[:2])
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        k = bisect.bisect_right(self._starts, index) - 1
        line, column, cap = self._runs[k]
        column += index - self._starts[k]
        return line, column if cap is None else min(column, cap)

    def _slice(self, start: int, stop: int) -> Spots:
        result = Spots()
        k = max(bisect.bisect_right(self._starts, start) - 1, 0)
        while k < len(self._runs) and start < stop:
            end = self._starts[k + 1] if k + 1 < len(self._starts) else self._length
            if end > start:
                line, column, cap = self._runs[k]
                result.add(line, column + start - self._starts[k], min(end, stop) - start, cap)
                start = min(end, stop)
            k += 1
        return result

    def __add__(self, other: Spots) -> Spots:
        result = self[:]
        for k, (line, column, cap) in enumerate(other._runs):
            end = other._starts[k + 1] if k + 1 < len(other._starts) else other._length
            result.add(line, column, end - other._starts[k], cap)
        return result


@dataclass(slots=True)
class Command:
    """A shell command line a workload runs (Dockerfile ``RUN``, compose ``command``, ``run:``).

    ``text`` is the command as the shell receives it; ``exec_form`` is True for the JSON/list
    form, which Docker runs without a shell. ``positions``, when the parser knows them, holds
    for each character of ``text`` (plus one just after the end) its 1-based line and 0-based
    column in the file, so that :meth:`region_of` can point at any word of the script.
    """

    text: str
    region: Region
    exec_form: bool = False
    positions: Spots | None = field(default=None, repr=False)
    user: str | None = None  # the user it runs as, when the file says (Dockerfile ``USER``)
    mounts: list[Mount] = field(default_factory=list)  # ``RUN --mount`` of this command

    def region_of(self, start: int, end: int) -> Region:
        """The file region of ``text[start:end]`` (character offsets), or the whole command's
        region when positions are unknown."""
        spots = self.positions
        if not spots or not 0 <= start < end <= len(spots) - 1:
            return self.region
        (line, column), (end_line, end_column) = spots[start], spots[end - 1]
        return Region(line, column + 1, end_line, end_column + 2)


@dataclass(slots=True)
class Scalar:
    """A located piece of literal text, such as an image name or a role ARN."""

    text: str
    region: Region


@dataclass(slots=True)
class Workload:
    """Something that runs code which may call AWS.

    ``type`` is ``stage`` (Dockerfile), ``service`` (compose), ``container`` (ECS) or ``job``
    (GitHub workflow). ``region`` points at the workload's name or header.
    """

    type: str
    name: str
    region: Region
    image: Scalar | None = None
    env: list[EnvVar] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    user: Scalar | None = None
    commands: list[Command] = field(default_factory=list)


# --- AWS shared config and credentials files -------------------------------------------


@dataclass(slots=True)
class Setting:
    """``key = value`` in a section of an AWS shared file.

    ``key`` is lower-cased as botocore's ``RawConfigParser.optionxform`` does; ``raw_key`` is as
    written. ``value`` is stripped, with continuation lines joined by ``\\n``.
    """

    key: str
    raw_key: str
    value: str
    region: Region
    key_region: Region
    value_region: Region
    origin: Kind = Kind.AWS_CONFIG


@dataclass(slots=True)
class Section:
    """A ``[header]`` of an AWS shared file and the settings under it.

    ``header`` is the raw text between ``[`` and the last ``]``. ``table`` and ``name`` say
    what botocore makes of it: ``("profile", "dev")``, ``("sso-session", "corp")``,
    ``("services", "local")``; ``name`` is ``None`` for a header botocore drops, and ``table``
    is ``None`` for ``[DEFAULT]`` and other sections — see botocore
    ``configloader.build_profile_map`` for the config file; in the credentials file every
    header is a profile name verbatim.
    """

    header: str
    region: Region
    header_region: Region
    table: str | None
    name: str | None
    settings: list[Setting] = field(default_factory=list)
    origin: Kind = Kind.AWS_CONFIG

    @property
    def profile(self) -> str | None:
        """The profile this section defines, or ``None``."""
        return self.name if self.table == "profile" else None


@dataclass(slots=True)
class Profile:
    """A profile, ``[sso-session NAME]`` or ``[services NAME]`` as botocore sees it after
    reading both shared files (botocore ``Session.full_config``).

    ``sections`` are the sections that feed it, config file first; ``settings`` maps each
    lower-cased key to the :class:`Setting` that wins: within one file the section's own key,
    else the file's ``[DEFAULT]`` key; across files the credentials file's key (reference §2.3).
    """

    name: str
    sections: list[Section]
    settings: dict[str, Setting] = field(default_factory=dict)

    def value(self, key: str) -> str | None:
        """The winning value of ``key``, or ``None`` when the profile does not set it."""
        setting = self.settings.get(key)
        return None if setting is None else setting.value

    def in_file(self, kind: Kind) -> Section | None:
        """The last section of file ``kind`` that feeds this profile (the one that wins)."""
        return next((s for s in reversed(self.sections) if s.origin is kind), None)


@dataclass(slots=True)
class SharedConfig:
    """The pair of shared files one SDK process reads (``config`` and ``credentials`` of one
    folder, or the files ``--home`` resolves), merged as botocore merges them.

    ``profiles`` are the profiles the SDK would list (``session.available_profiles``);
    ``sso_sessions`` and ``services`` come from the config file only. ``home`` is true for
    the user's real files, where keys are expected and permissions and caches matter.
    """

    config: FileModel | None
    credentials: FileModel | None
    profiles: dict[str, Profile] = field(default_factory=dict)
    sso_sessions: dict[str, Profile] = field(default_factory=dict)
    services: dict[str, Profile] = field(default_factory=dict)
    home: bool = False


# --- Dockerfile ------------------------------------------------------------------------


@dataclass(slots=True)
class Copy:
    """A Dockerfile ``COPY`` or ``ADD``: ``sources`` into ``destination``, maybe ``--from`` a stage."""

    instruction: str
    sources: list[Scalar]
    destination: Scalar
    from_stage: str | None
    region: Region


@dataclass(slots=True)
class Stage(Workload):
    """A Dockerfile build stage (``FROM ... [AS name]`` up to the next ``FROM``).

    ``base`` is the earlier stage it is built ``FROM`` (so its layers and ``ENV`` are part of
    this one), ``final`` marks the last stage, which ``docker build`` outputs unless
    ``--target`` says otherwise; ``workdir`` is the last ``WORKDIR``.
    """

    copies: list[Copy] = field(default_factory=list)
    base: str | None = None
    final: bool = False
    workdir: Scalar | None = None


# --- compose ---------------------------------------------------------------------------


@dataclass(slots=True)
class Service(Workload):
    """A compose service, after its project is merged (override files, ``extends``).

    ``env_files`` are its ``env_file`` entries (their variables are in ``env``, marked
    ``elsewhere``); ``extensions`` its ``x-*`` keys (e.g. ``x-aws-role``); ``build`` the
    Dockerfile it is built from, when it is in the repository, and ``image_user`` that
    Dockerfile's final ``USER`` (``elsewhere`` says where). ``partial`` marks a service of an
    override file, which only patches the service of the same name in its base file.
    """

    env_files: list[Scalar] = field(default_factory=list)
    extensions: set[str] = field(default_factory=set)
    build: Scalar | None = None
    image_user: Scalar | None = None
    image_user_at: str | None = None
    partial: bool = False
    replaced: set[str] = field(default_factory=set)  # keys tagged `!override`/`!reset` in this file


# --- ECS -------------------------------------------------------------------------------


@dataclass(slots=True)
class TaskDefinition:
    """An ECS task definition (RegisterTaskDefinition JSON or ``AWS::ECS::TaskDefinition``).

    ``region`` points at the object's start (or the CloudFormation resource's logical id).
    Role ARNs are kept as written (a CloudFormation ``!Ref``/``!GetAtt`` shows as its text).
    """

    name: str
    region: Region
    task_role_arn: Scalar | None
    execution_role_arn: Scalar | None
    containers: list[Workload] = field(default_factory=list)
    requires_compatibilities: list[str] = field(default_factory=list)  # ``FARGATE``, ``EC2``, ``EXTERNAL``
    # the task definition's positioned object (``awslint.parse.tree.Node``), for AWS409: the API's
    # own JSON (register input; describe output, where it has a ``key_region``), a CloudFormation
    # resource's ``Properties`` (PascalCase), or a Terraform resource as RegisterTaskDefinition
    # JSON (only its ``containerDefinitions`` are the user's API keys); ``None`` when not checkable
    body: object | None = field(default=None, repr=False)
    shape: str = "json"  # how ``body`` names its keys: "json", "cloudformation" or "terraform"


@dataclass(slots=True)
class Container(Workload):
    """An ECS container definition: besides the workload, what needs the task execution role
    (Amazon ECS Developer Guide, "Task execution IAM role"): ``repositoryCredentials``,
    ``environmentFiles``, the ``logConfiguration.logDriver``; ``secrets`` are in ``env`` with
    origin ``secret``."""

    repository_credentials: Scalar | None = None
    environment_files: list[Scalar] = field(default_factory=list)
    log_driver: Scalar | None = None


# --- GitHub Actions --------------------------------------------------------------------


@dataclass(slots=True)
class Permissions:
    """A ``permissions:`` block: ``scopes`` maps scope to ``read``/``write``/``none``;
    ``all`` is ``read-all``/``write-all`` when given in that short form."""

    region: Region
    scopes: dict[str, str] = field(default_factory=dict)
    all: str | None = None

    def grants(self, scope: str, level: str) -> bool:
        """Whether ``scope`` gets ``level`` (``read`` < ``write``), as GitHub documents for
        ``permissions`` ("Assigning permissions to jobs"): unlisted scopes get ``none``."""
        order = {"none": 0, "read": 1, "write": 2}
        have = self.all.split("-")[0] if self.all else self.scopes.get(scope, "none")
        return order.get(have, 0) >= order[level]


_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True, slots=True)
class ActionRef:
    """What a ``uses:`` names ("Workflow syntax for GitHub Actions", ``jobs.<job_id>.steps[*].uses``
    and ``jobs.<job_id>.uses``): ``{owner}/{repo}[/{path}]@{ref}``, a local ``./path`` (``local``,
    resolved against the repository root), or ``docker://image`` (``docker``). ``slug`` is
    ``owner/repo`` lower-cased (GitHub names are case-insensitive); ``ref`` is the text after
    ``@`` (``""`` when missing)."""

    slug: str
    path: str
    ref: str
    local: bool = False
    docker: bool = False

    @classmethod
    def parse(cls, text: str) -> ActionRef:
        """Split a ``uses:`` value; never raises."""
        text = text.strip()
        if text.startswith("docker://"):
            return cls("", text, "", docker=True)
        if text.startswith("./"):
            return cls("", text[2:].rstrip("/"), "", local=True)
        name, _, ref = text.partition("@")
        owner, _, rest = name.partition("/")
        repo, _, path = rest.partition("/")
        return cls(f"{owner}/{repo}".lower(), path.strip("/"), ref)

    @property
    def pinned(self) -> bool:
        """Pinned to a full commit SHA, the only immutable ref (GitHub, "Security hardening for
        GitHub Actions", "Using third-party actions")."""
        return bool(_SHA.fullmatch(self.ref))


@dataclass(slots=True, eq=False)  # identity: ``job.steps.index(step)`` must not compare fields
class Step:
    """A workflow step: ``uses`` with its ``with:`` inputs, or ``run`` with its ``shell``; plus
    its ``env`` and its ``if:`` condition (``condition``, as written)."""

    region: Region
    uses: Scalar | None = None
    inputs: list[EnvVar] = field(default_factory=list)
    env: list[EnvVar] = field(default_factory=list)
    run: Command | None = None
    shell: str | None = None
    condition: str | None = None

    def input(self, name: str) -> EnvVar | None:
        """The ``with:`` input called ``name`` (case-insensitive, as Actions treats them) when
        it has a non-empty value (an empty input is what the action sees when it is missing)."""
        return next((i for i in self.inputs if i.name.lower() == name.lower() and i.value), None)

    @property
    def action(self) -> ActionRef | None:
        """The action the step uses, or ``None`` for a ``run`` step."""
        return ActionRef.parse(self.uses.text) if self.uses else None


@dataclass(slots=True)
class Job(Workload):
    """A workflow job (or the steps of a composite action).

    ``permissions`` is the job's own block, ``None`` when it has none; ``steps`` in order.
    ``runs_on`` is the ``runs-on`` value (labels joined by spaces; ``None`` when missing or
    given as a group mapping). ``uses`` is set for a job that calls a reusable workflow, with
    ``inherits_secrets`` for ``secrets: inherit``. ``condition`` is its ``if:``. The job's
    ``container`` contributes ``image``, ``mounts`` (``volumes``) and ``container_env``.
    """

    permissions: Permissions | None = None
    steps: list[Step] = field(default_factory=list)
    runs_on: Scalar | None = None
    uses: Scalar | None = None
    inherits_secrets: bool = False
    condition: str | None = None
    container_env: list[EnvVar] = field(default_factory=list)

    @property
    def calls(self) -> list[Scalar]:
        """Every ``uses:`` of the job: the reusable workflow it calls, then its steps' actions."""
        return [uses for uses in [self.uses, *(step.uses for step in self.steps)] if uses is not None]

    @property
    def github_hosted(self) -> bool:
        """Whether ``runs-on`` names only GitHub-hosted runner images (GitHub docs,
        "GitHub-hosted runners": ``ubuntu-24.04``, ``windows-latest``, ``macos-15-xlarge``, ...),
        which have no AWS credentials of their own. ``False`` for self-hosted labels, runner
        groups and expressions, which may run on a machine with an instance role."""
        labels = self.runs_on.text.split() if self.runs_on else []
        return bool(labels) and all(_HOSTED.fullmatch(label) for label in labels)

    @property
    def self_hosted(self) -> bool:
        """Whether ``runs-on`` surely names a self-hosted runner: the ``self-hosted`` label, a
        runner group, or labels that are no GitHub-hosted image (expressions are unknown)."""
        if self.runs_on is None or "${{" in self.runs_on.text:
            return False
        return not self.github_hosted


_HOSTED = re.compile(r"ubuntu-(?:latest|\d\d\.\d\d)(?:-arm)?|windows-(?:latest|\d{4}|11-arm)(?:-arm)?|macos-(?:latest|\d\d)(?:-large|-xlarge|-intel)?", re.I)


@dataclass(slots=True)
class Workflow:
    """A GitHub Actions workflow or composite action.

    ``permissions`` is the workflow-level block and ``env`` the workflow-level ``env``;
    ``triggers`` the event names of ``on:``; ``composite`` marks a composite action; ``path``
    is the file it was read from.
    """

    permissions: Permissions | None
    jobs: list[Job] = field(default_factory=list)
    triggers: frozenset[str] = frozenset()
    env: list[EnvVar] = field(default_factory=list)
    composite: bool = False
    path: Path | None = None

    @property
    def only_called(self) -> bool:
        """A composite action, or a reusable workflow with no trigger but ``workflow_call``:
        its token and its variables are always its caller's."""
        return self.composite or self.triggers == {"workflow_call"}

    def permissions_for(self, job: Job) -> Permissions | None:
        """The block in effect for ``job``: its own, which replaces the workflow's entirely, else
        the workflow's; ``None`` means the repository or organisation default, which is unknown
        here but never includes ``id-token`` (GitHub docs, "GITHUB_TOKEN reference",
        "Permissions for the GITHUB_TOKEN")."""
        return job.permissions or self.permissions

    def scope_env(self, job: Job, step: Step | None = None) -> list[EnvVar]:
        """The variables a step sees, outermost first: workflow ``env``, job ``env``, the job
        container's ``env`` and the step's own ``env`` (later ones win, as Actions applies them)."""
        return [*self.env, *job.env, *job.container_env, *(step.env if step else ())]


# --- what a run knows beyond one file ----------------------------------------------------


_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as AWS tools write it (``2024-05-01T10:00:00Z``, ``+00:00`` or
    ``+0000`` offsets, any number of fraction digits; no offset means UTC) in UTC, or
    ``None``. Python 3.10's ``fromisoformat`` needs the colon and 3 or 6 digits, so both
    are normalised first."""
    if not isinstance(value, str):
        return None
    text = _OFFSET.sub(r"\1:\2", value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@dataclass(slots=True)
class SsoToken:
    """A cached SSO token (``~/.aws/sso/cache/<sha1>.json``, reference §6): when it expires
    (``None`` when the file has no readable ``expiresAt``) and whether it can be refreshed."""

    path: Path
    expires_at: datetime | None
    refreshable: bool


@dataclass(slots=True)
class Context:
    """Facts about the whole run that rules may need.

    ``repository_profiles``: for each folder that holds a linted ``.aws/config`` or
    ``.aws/credentials``, the profiles they define (see :meth:`profiles_for`). ``environ``: the
    ``AWS_*`` environment variables of the user (``--home`` only). ``sso_tokens``: the SSO
    token cache by file name stem (``--home`` only). ``now``: the time expiry checks compare
    against (timezone-aware UTC). ``workflows``: every parsed workflow and composite action by
    resolved path, including local ones that linted workflows call (see :meth:`called`).
    """

    now: datetime
    repository_profiles: dict[Path, frozenset[str]] = field(default_factory=dict)
    environ: dict[str, str] = field(default_factory=dict)
    sso_tokens: dict[str, SsoToken] = field(default_factory=dict)
    workflows: dict[Path, Workflow] = field(default_factory=dict)

    def called(self, caller: Path, uses: str) -> Workflow | None:
        """The local reusable workflow or composite action that ``uses: ./...`` in the workflow
        at ``caller`` names, when it was read; ``None`` otherwise."""
        target = local_target(caller, uses)
        return next((self.workflows[p] for p in target if p in self.workflows), None) if target else None

    def profiles_for(self, path: Path) -> frozenset[str] | None:
        """The profiles of the nearest ``.aws`` folder in ``path``'s folder or above it (the
        project the file belongs to), or ``None`` when there is none."""
        if not self.repository_profiles:
            return None
        for folder in real(path).parents:
            if folder in self.repository_profiles:
                return self.repository_profiles[folder]
        return None


@functools.lru_cache(maxsize=65536)
def real(path: Path) -> Path:
    """``path`` with symbolic links resolved, never raising: a link loop stays as written
    (``Path.resolve`` raises on loops in Python 3.11), and so does a path with a NUL byte,
    which no file has. Cached: one run asks for the same paths many times, and a linted tree
    does not change while it is read."""
    try:
        return Path(os.path.realpath(path))
    except ValueError:
        return path


def local_target(caller: Path, uses: str) -> list[Path]:
    """The files a local ``uses: ./path`` may name, resolved: ``./path`` is relative to the
    repository root (the checkout in ``$GITHUB_WORKSPACE``), taken as the folder holding the
    ``.github`` folder the caller (a workflow or composite action) is in; a folder means its
    ``action.yml`` or ``action.yaml``. Empty when the root is unknown or ``uses`` is not local."""
    ref = ActionRef.parse(uses)
    parts = real(caller).parts
    if not ref.local or ".github" not in parts[:-1]:
        return []
    root = Path(*parts[: len(parts) - 1 - parts[::-1].index(".github")])
    target = root / ref.path
    if target.suffix in (".yml", ".yaml"):
        return [target]
    return [target / "action.yml", target / "action.yaml"]


# --- the whole file ---------------------------------------------------------------------


@dataclass(slots=True)
class FileModel:
    """Everything parsed from one document. Parts that a kind has no use for stay empty."""

    document: Document
    problems: list[ParseProblem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    variables: list[EnvVar] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    task_definitions: list[TaskDefinition] = field(default_factory=list)
    workflow: Workflow | None = None
    shared: SharedConfig | None = None
    context: Context | None = None
    # compose: each `include`d file with the files that override it (Docker docs, "include").
    includes: list[tuple[Path, list[Path]]] = field(default_factory=list)
    skipped: str | None = None  # why the file was not read or not linted (AWS901)

    def all_env(self) -> list[EnvVar]:
        """Every named value written in the file: top-level variables, each workload's
        environment, and each workflow step's ``env`` and ``with`` inputs — not those merged in
        from other files (``elsewhere``), which are checked in their own file."""
        found = [var for var in self.variables if var.elsewhere is None]
        for workload in self.workloads:
            found.extend(var for var in workload.env if var.elsewhere is None)
            for step in getattr(workload, "steps", ()):
                found.extend(step.env)
                found.extend(step.inputs)
        return found
