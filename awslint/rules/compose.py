"""AWS3xx: docker compose services and ``.env`` files.

A container inherits neither the host's ``~/.aws`` nor its shell variables: the SDK inside
finds only what the service gives it (AWS SDKs and Tools Reference Guide, "Standardized
credential providers"; Compose Specification, ``environment``, ``volumes``, ``secrets``).
Services are seen after their project is merged (override files, ``extends``); what came from
another file is named in the message (``elsewhere``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awslint.model import EnvVar, FileModel, Kind, Mount, Service
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import aws_usage, credential_source, home_of

_PROFILE_VARS = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
_AGENTS = re.compile(r"otel|cloudwatch-agent|xray", re.I)
_REGION_VARS = ("AWS_REGION", "AWS_DEFAULT_REGION")
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
        yield Hit(
            f"service `{service.name}` uses AWS ({reason}) but gets no credentials inside the container: "
            "bind-mount `~/.aws` read-only into the container user's home, or pass "
            "`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` through from the shell",
            service.region,
            ((f"AWS use: {reason}", where),),
        )


def _may_get_credentials(service: Service) -> bool:
    """An ``env_file`` awslint could not read, an ECS-integration role, or a secret in ``.aws``."""
    unread = any(not any(v.elsewhere and v.elsewhere.startswith(f.text) for v in service.env) for f in service.env_files)
    secret = any(m.type == "secret" and ".aws" in m.target.split("/") for m in service.mounts)
    return unread or secret or any(x.startswith("x-aws") for x in service.extensions)


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
    read, unless ``AWS_SHARED_CREDENTIALS_FILE``/``AWS_CONFIG_FILE`` or ``HOME`` point there."""
    for service in services(model):
        user, source = _user(service)
        home, _ = home_of(user, service.env)
        for mount in aws_mounts(service):
            problem = _wrong_home(mount, service, user, source, home)
            if problem:
                yield Hit(f"service `{service.name}`: {problem}{at(mount)}", mount.region)


def _user(service: Service) -> tuple[str, str]:
    if service.user is not None:
        return service.user.text, "`user:`"
    if service.image_user is not None:
        return service.image_user.text, f"the `USER` of its Dockerfile ({service.image_user_at})"
    return "root", ""


def _wrong_home(mount: Mount, service: Service, user: str, source: str, home: str | None) -> str | None:
    folder = mount.target.rstrip("/").rsplit("/.aws", 1)[0]
    pointed = [v.value for v in service.env if v.name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE") and v.value]
    if any(path.startswith(mount.target.rstrip("/") + "/") for path in pointed) or not mount.target.rstrip("/").endswith(".aws"):
        return None
    if folder in ("", "/home"):
        return f"`{mount.target}` is in no user's home, so the SDK never reads it; mount it at `{home or '/root'}/.aws`"
    if home is not None and folder != home and source:
        return (
            f"`~/.aws` is mounted at `{mount.target}`, but the container runs as `{user}` ({source}), whose SDK looks in "
            f"`{home}/.aws`; mount it there (or set `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`)"
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
                    f"service `{service.name}` mounts `{mount.source}` writable{at(mount)}, so the container can change the "
                    "host's AWS credentials; add `:ro` (or `read_only: true`)",
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
            if var is not None and var.value != "":
                yield Hit(
                    f"service `{service.name}` sets `{name}`{at(var)} but has no AWS config inside the container, so the SDK "
                    "fails with \"The config profile could not be found\"; mount `~/.aws` read-only into the user's home, or "
                    f"drop `{name}` and pass keys or a role instead",
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
    ``https://sts..amazonaws.com`` (verified with botocore; Compose Specification, "Interpolation")."""
    for service in services(model):
        for var in service.env:
            match = _BARE_REFERENCE.fullmatch(var.value or "") if var.name in (*_PROFILE_VARS, *_REGION_VARS) else None
            if match and not var.elsewhere:
                name = match.group("braced") or match.group("plain")
                yield Hit(
                    f"service `{service.name}`: `{var.name}={var.value}` becomes an empty string when `{name}` is unset (in CI, "
                    "say), and SDKs take an empty value as a value (botocore: an empty profile is \"The config profile () could "
                    "not be found\", an empty region an invalid endpoint); pass it through instead "
                    f"(`- {var.name}` in the list form, `{var.name}:` in the map form) or give a default: `${{{name}:-...}}`",
                    var.value_region or var.region,
                )


@rule(
    "AWS306",
    "keys-without-session-token",
    Severity.NOTE,
    [Kind.COMPOSE],
    "access keys passed through without `AWS_SESSION_TOKEN`",
    tags=("correctness",),
)
def keys_without_session_token(model: FileModel) -> Iterator[Hit]:
    """Temporary keys (SSO, ``assume-role``, ``aws configure export-credentials``) only work
    with their session token; passing the key pair through without ``AWS_SESSION_TOKEN``
    makes every call fail with ``InvalidClientTokenId`` when the shell holds temporary keys."""
    for service in services(model):
        key, secret = _env(service, "AWS_ACCESS_KEY_ID"), _env(service, "AWS_SECRET_ACCESS_KEY")
        if key and secret and not key.is_literal and not (_env(service, "AWS_SESSION_TOKEN") or _env(service, "AWS_SECURITY_TOKEN")):
            yield Hit(
                f"service `{service.name}` passes `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` through{at(secret)} but not "
                "`AWS_SESSION_TOKEN`, so temporary credentials (SSO, assumed roles) fail with InvalidClientTokenId; add "
                "`AWS_SESSION_TOKEN` the same way",
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
    """Compose reads ``KEY=a b`` as ``a b`` and ``KEY = value`` as ``value``; a shell that
    ``source``s the same file runs ``b`` as a command with ``KEY=a``, and ``KEY`` as a command
    (docs.docker.com, "Env-file syntax"). Only AWS variables are checked."""
    lines = model.document.lines()
    for var in model.variables:
        if not var.name.startswith("AWS_"):
            continue
        line = lines[var.region.start_line - 1] if var.region.start_line <= len(lines) else ""
        entry = re.match(r"\s*(?:export\s+)?" + re.escape(var.name) + r"(\s*)=(\s*)(.*)", line)
        if entry is None:
            continue
        spaced, value = entry.group(1) or entry.group(2), entry.group(3).split(" #", 1)[0].rstrip()
        if spaced:
            yield Hit(f"`{var.name} = ...` has spaces around `=`: compose accepts it, a shell that sources this file fails; write `{var.name}=...`", var.region)
        elif value[:1] not in "\"'" and re.search(r"\s", value) and not re.fullmatch(r"<[^>]*>", value):
            yield Hit(
                f"the value of `{var.name}` has a space and no quotes: compose reads the whole text, a shell that sources this "
                "file stops at the space and runs the rest as a command; quote the value",
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
    agent, the X-Ray daemon) set the region there and are not reported."""
    for service in services(model):
        usage = aws_usage(service)
        image = service.image.text if service.image else ""
        if _AGENTS.search(image) or usage is None:
            continue
        if not any(_env(service, name) for name in _REGION_VARS) and not _has_config(service):
            yield Hit(
                f"service `{service.name}` uses AWS ({usage[0]}) but has no region: set `AWS_REGION` (and "
                "`AWS_DEFAULT_REGION` for older SDKs and the CLI v1) in its `environment:`",
                service.region,
            )
