"""AWS3xx: docker compose services and ``.env`` files.

A container inherits neither the host's ``~/.aws`` nor its shell variables: the SDK inside
finds only what the service gives it (AWS SDKs and Tools Reference Guide, "Standardized
credential providers"; Compose Specification, ``environment``, ``volumes``, ``secrets``).
Services are seen after their project is merged (override files, ``extends``); what came from
another file is named in the message (``elsewhere``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from awslint.model import EnvVar, FileModel, Kind, Mount, Service
from awslint.rules import Hit, Severity, rule
from awslint.rules.secrets import shown
from awslint.rules.aws_usage import aws_usage, credential_source, home_of

_PROFILE_VARS = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
_AGENTS = re.compile(r"(?<![a-z0-9])(?:otel|opentelemetry-collector|cloudwatch-agent|xray)(?![a-z0-9])", re.IGNORECASE)
_REGION_VARS = ("AWS_REGION", "AWS_DEFAULT_REGION")
# The shell's own `AWS_ACCESS_KEY_ID`: `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:?error}`...
_SHELL_KEY = re.compile(r"\$(?:AWS_ACCESS_KEY_ID|\{AWS_ACCESS_KEY_ID(?:[:?+-][^}]*)?\})")
# `${NAME}` or `$NAME` without a default or an error (`:-`, `-`, `:?`, `?`), not escaped as `$$`.
_BARE_REFERENCE = re.compile(r"(?<!\$)\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")


def services(model: FileModel) -> list[Service]:
    """The file's services, without the partial ones of an override file."""
    return [w for w in model.workloads if isinstance(w, Service) and not w.partial]


def at(item: EnvVar | Mount) -> str:
    """`` (from FILE:LINE)`` for what was merged in from another file, else ``""``."""
    return f" (from {item.elsewhere})" if item.elsewhere else ""


def aws_mounts(service: Service) -> list[Mount]:
    """Bind mounts of a host ``.aws`` folder (``~/.aws``, ``$HOME/.aws``, ``./.aws``...)."""
    return [m for m in service.mounts if m.type == "bind" and m.source and ".aws" in re.split(r"[/\\]", m.source)]


def _env(service: Service, name: str) -> EnvVar | None:
    return next((var for var in service.env if var.name == name), None)


@rule(
    "AWS301",
    "service-without-credentials",
    Severity.WARNING,
    [Kind.COMPOSE],
    "compose service uses AWS but is given no credentials",
    tags=("correctness",),
)
def service_without_credentials(model: FileModel) -> Iterator[Hit]:
    """A service that uses AWS with no ``~/.aws`` mount, no key pass-through, no container
    credentials or web-identity variables, no secret mounted where the SDK reads it, no
    ``env_file`` that could hold keys, and no ``x-aws-*`` ECS role."""
    for service in services(model):
        usage = aws_usage(service)
        if usage is None or credential_source(service) or _may_get_credentials(service):
            continue
        reason, where = usage
        merged = next((v for v in service.env if v.elsewhere and reason.endswith(f"`{v.name}`")), None)
        reason += f" at {merged.elsewhere}" if merged else ""
        yield Hit(
            f"service `{service.name}` uses AWS ({reason}) but gets no credentials inside the container: "
            "bind-mount `~/.aws` read-only into the container user's home, or pass "
            "`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` through from the shell",
            service.region,
            ((f"AWS use: {reason}", where),),
        )


def _may_get_credentials(service: Service) -> bool:
    """An ``env_file`` awslint could not read, an ECS-integration role, or a secret in ``.aws``."""
    secret = any(m.type == "secret" and ".aws" in m.target.split("/") for m in service.mounts)
    return _unread_env_file(service) or secret or any(x.startswith("x-aws") for x in service.extensions)


@rule(
    "AWS302",
    "aws-mount-wrong-home",
    Severity.WARNING,
    [Kind.COMPOSE],
    "`~/.aws` mounted outside the home of the container's user",
    tags=("correctness",),
)
def aws_mount_wrong_home(model: FileModel) -> Iterator[Hit]:
    """The SDK reads ``$HOME/.aws`` of the user the container runs as: compose ``user:``, else
    the final ``USER`` of the Dockerfile the service is built from. A target in another home
    (``/root/.aws`` for ``user: app``) or in no home at all (``/.aws``, ``/home/.aws``) is never
    read, unless ``AWS_SHARED_CREDENTIALS_FILE``/``AWS_CONFIG_FILE`` or ``HOME`` point there.
    Homes of named users are guessed (``/home/NAME``); a numeric ``user:`` has no known home
    (Docker sets ``HOME=/`` for an id without an ``/etc/passwd`` entry, so ``/.aws`` may be right).
    With neither ``user:`` nor a readable Dockerfile ``USER`` only ``/.aws`` and ``/home/.aws``
    are reported, as the image may set a user awslint cannot see."""
    for service in services(model):
        user, source = _user(service)
        home, certain = home_of(user, service.env)
        for mount in aws_mounts(service):
            problem = _wrong_home(mount, service, user, source, home, certain)
            if problem:
                yield Hit(f"service `{service.name}` mounts `{shown(mount.source or '', 64)}` at `{shown(mount.target, 64)}`{at(mount)}, {problem}", mount.region)


def _user(service: Service) -> tuple[str, str]:
    """The user the container runs as and where that is said (``""`` when nothing says: root,
    unless the image sets a ``USER`` awslint cannot see)."""
    if service.user is not None:
        # A `user:` merged in from an override or extended file is located at the service name.
        merged = service.user.region == service.region
        return service.user.text, "the `user:` it gets from another compose file" if merged else "its `user:`"
    if service.image_user is not None:
        return service.image_user.text, f"the `USER` at {service.image_user_at}"
    return "root", ""


def _wrong_home(mount: Mount, service: Service, user: str, source: str, home: str | None, certain: bool) -> str | None:
    target = mount.target.rstrip("/")
    pointed = [v.value for v in service.env if v.name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE") and v.value]
    if not target.endswith("/.aws") or any(path.startswith(target + "/") for path in pointed):
        return None
    folder = target.removesuffix("/.aws")
    if home is not None and folder == home.rstrip("/"):
        return None
    if folder == "/home" or (folder == "" and home is not None):
        # A user id without an /etc/passwd entry gets HOME=/ from Docker, so `/.aws` is read
        # for `user: "1000"`; root and users made with `useradd -m` do not have `/` or `/home`.
        advice = f"mount it at `{home}/.aws`" if home is not None and source else "mount it at `$HOME/.aws` of the user the container runs as (`/root/.aws` for root)"
        return f"which is in no user's home folder, so the SDK never reads it; {advice}"
    if home is not None and source:
        guess = "" if certain else f" (the usual home of a user created with `useradd -m {user.split(':', 1)[0]}`)"
        return (
            f"but the container runs as `{user}` ({source}), whose SDK reads `{home}/.aws`{guess}, not `{shown(target, 64)}`; "
            f"mount it at `{home}/.aws` instead"
        )
    return None


@rule(
    "AWS303",
    "aws-mount-writable",
    Severity.WARNING,
    [Kind.COMPOSE],
    "`~/.aws` mounted writable",
    tags=("security",),
    security_severity=4.0,
)
def aws_mount_writable(model: FileModel) -> Iterator[Hit]:
    """A writable bind mount lets the container change the host's credentials and config (and
    the CLI writes its caches there); the SDK needs only to read them (Compose Specification,
    ``volumes``: ``:ro`` / ``read_only: true``)."""
    for service in services(model):
        for mount in aws_mounts(service):
            if not mount.read_only:
                yield Hit(
                    f"service `{service.name}` mounts `{shown(mount.source or '', 64)}` at `{shown(mount.target, 64)}` writable{at(mount)}, so anything in the "
                    "container can change or replace the host's AWS credentials and config; make it read-only: `:ro` at the end "
                    "of the short syntax, `read_only: true` in the long syntax",
                    mount.region,
                )


@rule(
    "AWS304",
    "profile-without-config",
    Severity.WARNING,
    [Kind.COMPOSE],
    "`AWS_PROFILE` set with no config file reachable in the container",
    tags=("correctness",),
)
def profile_without_config(model: FileModel) -> Iterator[Hit]:
    """``AWS_PROFILE`` names a profile of the shared files; a container without them (no
    ``~/.aws`` mount, no ``AWS_CONFIG_FILE``, no secret in ``.aws``) fails with "The config
    profile (NAME) could not be found" — even when keys are passed too (reference §4.2)."""
    for service in services(model):
        if _has_config(service):
            continue
        for name in _PROFILE_VARS:
            var = _env(service, name)
            if var is None or var.value == "":
                continue
            if var.value is None:
                what, profile = f"passes `{name}` through from the shell", "NAME"
            else:
                what, profile = f"sets `{name}={shown(var.value or '', 64)}`", shown(var.value or "", 64) if var.is_literal else "NAME"
            yield Hit(
                f"service `{service.name}` {what}{at(var)}, but no AWS config file is reachable in the container (no `.aws` "
                f"mount, no `AWS_CONFIG_FILE`), so the SDK fails with \"The config profile ({profile}) could not be found\" "
                f"even when keys are passed too; mount `~/.aws` read-only into the home of the container's user, or drop "
                f"`{name}` and give the service keys or a role instead",
                var.value_region or var.region,
            )


def _has_config(service: Service) -> bool:
    if aws_mounts(service) or _env(service, "AWS_CONFIG_FILE") or _env(service, "AWS_SHARED_CREDENTIALS_FILE"):
        return True
    return any(".aws" in m.target.split("/") for m in service.mounts)


@rule(
    "AWS305",
    "aws-variable-without-default",
    Severity.WARNING,
    [Kind.COMPOSE],
    "`AWS_PROFILE=${AWS_PROFILE}`-style interpolation that becomes an empty string",
    tags=("correctness",),
)
def aws_variable_without_default(model: FileModel) -> Iterator[Hit]:
    """Compose replaces an unset ``${VAR}`` with an empty string (with a warning), so the
    container gets ``AWS_PROFILE=""`` — botocore then fails with "The config profile () could
    not be found" — or an empty ``AWS_DEFAULT_REGION``, which botocore turns into the endpoint
    ``https://sts..amazonaws.com`` (verified with botocore; Compose Specification, "Interpolation").
    A variable that the project's ``.env`` (next to the compose file, read by compose for
    interpolation) sets to a non-empty value is not reported; the variables of ``env_file``s are
    not checked."""
    defined = {var.name: var.value for var in model.variables}  # the project's .env
    for service in services(model):
        for var in service.env:
            if var.name not in (*_PROFILE_VARS, *_REGION_VARS) or var.origin == "dotenv":
                continue
            match = _BARE_REFERENCE.fullmatch(var.value or "")
            name = (match.group("braced") or match.group("plain")) if match else None
            if name is None or defined.get(name):
                continue
            if name == var.name:
                fix = (
                    f"pass it through instead (`- {name}` in the list form, `{name}:` with no value in the map form), which "
                    f"leaves it unset when the shell does not set it, or give a default: `${{{name}:-...}}`"
                )
            else:
                fix = f"give a default (`${{{name}:-...}}`) or make compose stop when it is unset (`${{{name}:?...}}`)"
            yield Hit(
                f"service `{service.name}`: `{var.name}={var.value}`{at(var)} sets `{var.name}` to an empty string whenever "
                f"`{name}` is unset where compose runs (compose only warns), and {_EMPTY_EFFECT[var.name]}; {fix}",
                var.value_region or var.region,
            )


_EMPTY_EFFECT = {
    "AWS_PROFILE": "botocore then fails with \"The config profile () could not be found\"",
    "AWS_DEFAULT_PROFILE": "botocore then fails with \"The config profile () could not be found\"",
    "AWS_DEFAULT_REGION": "botocore then fails with \"Invalid endpoint: https://<service>..amazonaws.com\"",
    "AWS_REGION": "tools that read it (the AWS CLI v2, SDKs other than boto3) get an empty region instead of a real one",
}


@rule(
    "AWS306",
    "keys-without-session-token",
    Severity.NOTE,
    [Kind.COMPOSE],
    "access keys passed through without `AWS_SESSION_TOKEN`",
    tags=("correctness",),
)
def keys_without_session_token(model: FileModel) -> Iterator[Hit]:
    """Temporary keys (IAM Identity Center, ``assume-role``, ``aws configure export-credentials``)
    only work with their session token; passing the key pair through without
    ``AWS_SESSION_TOKEN`` makes every request fail (``InvalidClientTokenId``) when the shell
    holds temporary keys. Only keys taken from the shell's own ``AWS_ACCESS_KEY_ID`` (``- NAME``,
    ``NAME:``, ``${NAME}``, ``${NAME:-...}``) are reported: literal keys are long-term keys (and
    AWS001's business), and keys under other names (``${DEPLOY_KEY_ID}``) are stored ones."""
    for service in services(model):
        key, secret = _env(service, "AWS_ACCESS_KEY_ID"), _env(service, "AWS_SECRET_ACCESS_KEY")
        if key is None or secret is None or _env(service, "AWS_SESSION_TOKEN") or _env(service, "AWS_SECURITY_TOKEN"):
            continue
        if key.value is None or _SHELL_KEY.fullmatch(key.value):
            yield Hit(
                f"service `{service.name}` passes `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` through{at(secret)} but not "
                "`AWS_SESSION_TOKEN`: when the shell holds temporary credentials (IAM Identity Center, an assumed role), the "
                "container gets the keys without their token and AWS rejects every request (\"InvalidClientTokenId: The "
                "security token included in the request is invalid\"); pass `AWS_SESSION_TOKEN` through the same way",
                secret.region,
            )


@rule(
    "AWS307",
    "dotenv-reads-differently-in-shell",
    Severity.WARNING,
    [Kind.DOTENV],
    "`.env` line that compose and a shell read differently",
    tags=("correctness",),
)
def dotenv_reads_differently_in_shell(model: FileModel) -> Iterator[Hit]:
    """Compose reads ``KEY=a b`` as ``a b``, and ``KEY = value`` and ``KEY: value`` as
    ``value``; a shell that ``source``s the same file runs ``b`` as a command with ``KEY=a``,
    and ``KEY`` (or ``KEY:``) as a command (docs.docker.com, "Env-file syntax"). Only AWS
    variables are checked; a ``<placeholder>`` value is a template, not a value."""
    lines = model.document.lines()
    for var in model.variables:
        if not var.name.startswith("AWS_"):
            continue
        line = lines[var.region.start_line - 1] if var.region.start_line <= len(lines) else ""
        entry = re.match(r"\s*(?:export\s+)?" + re.escape(var.name) + r"(\s*)([=:])(\s*)(.*)", line)
        if entry is None:
            continue
        spaced, colon = entry.group(1) or entry.group(3), entry.group(2) == ":"
        value = re.split(r"[ \t]#", entry.group(4), maxsplit=1)[0].rstrip()
        if colon:
            yield Hit(
                f"`{var.name}: ...` uses `:` instead of `=`: compose accepts it, but a shell that sources this file runs "
                f"`{var.name}:` as a command and never sets the variable; write `{var.name}=...`",
                var.region,
            )
        elif spaced:
            yield Hit(
                f"`{var.name} = ...` has a space beside `=`: compose ignores the space, but for a shell that sources this file the "
                f"line does not assign the value (the shell runs a command or fails); write `{var.name}=...` with no spaces",
                var.region,
            )
        elif value[:1] not in ("\"", "'") and re.search(r"\s", value) and not re.fullmatch(r"<[^>]*>", value):
            yield Hit(
                f"the value of `{var.name}` has a space and no quotes: compose reads the whole text, but a shell that sources "
                "this file ends the value at the space and runs the rest as a command; quote the value",
                var.value_region or var.region,
            )


@rule(
    "AWS308",
    "service-without-region",
    Severity.NOTE,
    [Kind.COMPOSE],
    "AWS-using service with no region from any source",
    tags=("correctness",),
)
def service_without_region(model: FileModel) -> Iterator[Hit]:
    """Without ``AWS_REGION``/``AWS_DEFAULT_REGION`` or a mounted config that could name one,
    SDK calls fail with "You must specify a region" (``NoRegionError``); containers do not see
    the host's settings. Agents with their own configuration (the ADOT collector, the CloudWatch
    agent, the X-Ray daemon) set the region there and are not reported, nor are services with
    an ``env_file`` awslint could not read (it may hold the region)."""
    for service in services(model):
        usage = aws_usage(service)
        image = service.image.text if service.image else ""
        if _AGENTS.search(image) or usage is None or _unread_env_file(service):
            continue
        if not any(_env(service, name) for name in _REGION_VARS) and not _has_config(service):
            reason, where = usage
            yield Hit(
                f"service `{service.name}` uses AWS ({reason}) but has no region (the container does not see the host's), so "
                "most calls fail with \"You must specify a region\"; set `AWS_REGION` and `AWS_DEFAULT_REGION` under "
                "`environment:` (boto3 and the AWS CLI v1 read only `AWS_DEFAULT_REGION`)",
                service.region,
                ((f"AWS use: {reason}", where),),
            )


def _unread_env_file(service: Service) -> bool:
    """Whether an ``env_file`` of the service gave no variables (missing, unreadable or empty)."""
    read = {v.elsewhere.rsplit(":", 1)[0] for v in service.env if v.origin == "dotenv" and v.elsewhere}
    return any(os.path.normpath(entry.text) not in read for entry in service.env_files)
