"""AWS2xx: Dockerfiles — credentials baked into images, and images that cannot find them.

What ends up where follows the Dockerfile reference and Docker's "Build secrets" guide: every
layer and the image config (``ENV``) ship with the image; build args used by ``RUN`` are
recorded in its history; BuildKit secret mounts (``RUN --mount=type=secret``) are not
stored. Only the final stage (and the stages it is built ``FROM``) reaches the output image,
so each message says which stage it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from awslint.model import Command, EnvVar, FileModel, Kind, Mount, Stage, real
from awslint.parse.context import exposed_credentials, ignore_file
from awslint.parse.shell import Word, read_script
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import home_of
from awslint.rules.secrets import ACCESS_KEY_ID, shown

KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
_FILE_VARIABLES = ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
_KEY_SETTINGS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
_KEY_SETTING = re.compile(r"aws_(?:access_key_id|secret_access_key|session_token)\s*[=:]\s*['\"]?([^\s'\"\\<>|;&`]+)", re.I)
_KEY_LIKE = re.compile(r"[A-Za-z0-9/+=]{16,}")
_QUOTED_HEREDOC = re.compile(r"<<-?\s*['\"\\]")
_SECRET_FIX = "use a BuildKit secret: `RUN --mount=type=secret,id=aws,target=/root/.aws/credentials ...` with `docker build --secret id=aws,src=$HOME/.aws/credentials`"


def stages(model: FileModel) -> list[Stage]:
    return [w for w in model.workloads if isinstance(w, Stage)]


def where(model: FileModel, stage: Stage) -> str:
    """``in the final stage`` / ``in stage `build`, which the final stage is built from`` /
    ``in stage `build`, which is not part of the final image``. A stage without ``AS NAME`` is
    named by its ``FROM`` line."""
    if stage.final:
        return "in the final stage"
    label = f"the stage at line {stage.region.start_line}" if stage.name.isdigit() else f"stage `{stage.name}`"
    by_name = {s.name: s for s in stages(model)}
    final = next((s for s in stages(model) if s.final), None)
    while final is not None and final.base:
        if final.base == stage.name:
            return f"in {label}, which the final stage is built from"
        final = by_name.get(final.base)
    return f"in {label}, which is not part of the final image"


def _parts(path: str) -> list[str]:
    return [p for p in path.replace("\\", "/").split("/") if p]


def _named_paths(stage: Stage) -> list[str]:
    """Paths that ``ENV AWS_SHARED_CREDENTIALS_FILE``/``AWS_CONFIG_FILE`` point the SDK at."""
    return [var.value for var in stage.env if var.name in _FILE_VARIABLES and var.value and var.is_literal]


@rule(
    "AWS201",
    "aws-credentials-copied-into-image",
    Severity.ERROR,
    [Kind.DOCKERFILE],
    "`COPY`/`ADD` puts AWS credentials into the image",
    tags=("security", "secrets"),
    security_severity=8.0,
)
def aws_credentials_copied_into_image(model: FileModel) -> Iterator[Hit]:
    """A copied ``.aws`` folder or ``credentials`` file, any file copied into a ``.aws/`` path,
    or to the path ``ENV AWS_SHARED_CREDENTIALS_FILE``/``AWS_CONFIG_FILE`` names: every layer
    can be read by whoever can pull the image (Docker docs, "Build secrets")."""
    for stage in stages(model):
        named = _named_paths(stage)
        for copy in stage.copies:
            destination = copy.destination.text
            into_aws = ".aws" in _parts(destination)
            for source in copy.sources:
                parts = _parts(source.text)
                name = parts[-1] if parts else ""
                if ".aws" in parts or name == "credentials" or into_aws or any(_inside(destination, name, path) for path in named):
                    yield Hit(
                        f"`{copy.instruction} {shown(source.text, 64)}` bakes AWS credentials into an image layer {where(model, stage)}; "
                        f"anyone with the image or the build cache can read them, even after a later `rm`; {_SECRET_FIX}, "
                        "or mount `~/.aws` when the container runs",
                        source.region,
                    )


def _inside(destination: str, name: str, path: str) -> bool:
    """``COPY x /app/creds`` with ``AWS_SHARED_CREDENTIALS_FILE=/app/creds``, or ``COPY creds
    /app/`` (a folder destination keeps the source's name ``name``)."""
    dest, target = PurePosixPath(destination), PurePosixPath(path)
    return dest == target or (destination.endswith("/") and dest == target.parent and name == target.name)


@rule(
    "AWS202",
    "aws-keys-in-env",
    Severity.ERROR,
    [Kind.DOCKERFILE],
    "`ENV` sets an AWS key, which every container of the image inherits",
    tags=("security", "secrets"),
    security_severity=8.0,
)
def aws_keys_in_env(model: FileModel) -> Iterator[Hit]:
    """``ENV AWS_SECRET_ACCESS_KEY=...`` — literal or ``$BUILD_ARG`` — is stored in the image
    config, visible to ``docker inspect`` and every process of every container. An empty value
    (``ENV AWS_ACCESS_KEY_ID=""``) stores nothing: the SDKs treat it as unset; a dummy value
    such as LocalStack's ``test`` is not a key."""
    for stage in stages(model):
        for var in stage.env:
            if var.origin == "env" and var.name in KEY_VARIABLES and var.value and (var.value.startswith("$") or _KEY_LIKE.fullmatch(var.value)):
                how = "copies a build arg into" if var.value.startswith("$") else "stores a literal value in"
                yield Hit(
                    f"`ENV {var.name}` {how} the image config {where(model, stage)}; `docker inspect` and every container "
                    f"of the image show it; remove it; at build time, {_SECRET_FIX}; at run time, give containers a role "
                    "(ECS task role, instance profile) or pass keys with `docker run -e`",
                    var.region,
                )


@rule(
    "AWS203",
    "aws-keys-build-arg",
    Severity.ERROR,
    [Kind.DOCKERFILE],
    "`ARG` for an AWS key, which `docker history` records",
    tags=("security", "secrets"),
    security_severity=7.0,
)
def aws_keys_build_arg(model: FileModel) -> Iterator[Hit]:
    """Build args are not secret: their values appear in ``docker history`` of every ``RUN``
    that uses them and in the build's provenance (Dockerfile reference, "ARG": "not
    recommended to use build arguments for passing secrets")."""
    found: list[tuple[EnvVar, str]] = [(var, "before the first FROM") for var in model.variables]
    found += [(var, where(model, stage)) for stage in stages(model) for var in stage.env if var.origin == "build-arg"]
    for var, place in found:
        if var.name in KEY_VARIABLES:
            yield Hit(
                f"`ARG {var.name}` declares an AWS key as a build arg {place}; build arg values show in `docker history` "
                f"and in max-mode provenance attestations; {_SECRET_FIX}",
                var.region,
            )


@rule(
    "AWS204",
    "aws-credentials-written-in-run",
    Severity.ERROR,
    [Kind.DOCKERFILE],
    "`RUN` writes AWS keys into the image",
    tags=("security", "secrets"),
    security_severity=8.0,
)
def aws_credentials_written_in_run(model: FileModel) -> Iterator[Hit]:
    """``aws configure set aws_secret_access_key ...``, ``echo``/``printf``/``cat <<EOF`` into
    ``~/.aws/credentials``, ``export AWS_SECRET_ACCESS_KEY=<literal>``: the keys end up in a
    layer (the file) or in the Dockerfile and history (the command line). Dummy values such as
    LocalStack's ``test`` are not keys."""
    for stage in stages(model):
        for command in stage.commands:
            for message, start, end in _writes(command, where(model, stage)):
                yield Hit(f"{message}; {_SECRET_FIX}", command.region_of(start, end))


# Global options of the AWS CLI that take no value (``--profile NAME`` and the others take one).
_AWS_FLAGS = frozenset({"--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request", "--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt"})
_SHELL_REFERENCE = re.compile(r"\$(?:\{|\(|[A-Za-z_])")
_CMD_REFERENCE = re.compile(r"%[A-Za-z_][A-Za-z0-9_]*%")


def _writes(command: Command, place: str) -> Iterator[tuple[str, int, int]]:
    script = read_script(command.text)
    for run in script.invocations:
        args = [w.text for w in _positionals(run.words[1:])]
        if run.program == "aws" and args[:2] == ["configure", "set"] and len(args) >= 4 and args[2].rsplit(".", 1)[-1] in _KEY_SETTINGS:
            if _SHELL_REFERENCE.match(args[3]) or _CMD_REFERENCE.match(args[3]) or _KEY_LIKE.fullmatch(args[3]):
                key = args[2].rsplit(".", 1)[-1]
                yield f"`aws configure set {key}` stores the key in `~/.aws/credentials`, a file in an image layer, {place}", run.words[0].start, run.words[-1].end
    for write in script.writes:
        raw = command.text[write.path.start : write.path.end]  # Windows paths keep their `\` here
        path = write.path.text if ".aws" in _parts(write.path.text) else raw
        if ".aws" in _parts(path) and _writes_keys(write.text):
            yield f"this command writes AWS keys into `{path}`, a file in an image layer, {place}", write.path.start, write.path.end
    for assignment in script.assignments:
        value = assignment.value.text if assignment.value else ""
        if assignment.name in KEY_VARIABLES and "$" not in value and _KEY_LIKE.fullmatch(value):
            yield f"`{assignment.name}` is set to a literal key {place}, so the key is in the Dockerfile and in `docker history`", assignment.start, assignment.end


def _positionals(words: tuple[Word, ...]) -> list[Word]:
    """The AWS CLI's arguments without options (``--profile dev`` may come anywhere)."""
    found, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word.text.startswith("--"):
            skip = "=" not in word.text and word.text not in _AWS_FLAGS
        else:
            found.append(word)
    return found


def _writes_keys(text: str) -> bool:
    """Whether written text carries keys: a key id, or a key setting whose value is a real-
    looking key or a variable the shell expands at build time (``$VAR``, cmd's ``%VAR%``, or
    printf's ``%s`` filled from an expanded argument). Dummy values (``test`` for LocalStack)
    and references the shell leaves alone (single quotes, ``<<'EOF'``) are not keys."""
    if ACCESS_KEY_ID.search(text):
        return True
    for match in _KEY_SETTING.finditer(text):
        value = match.group(1)
        if _CMD_REFERENCE.match(value):
            return True
        if value.startswith("$"):
            references = [match.start(1)]
        elif value.startswith("%"):
            references = [m.start() for m in _SHELL_REFERENCE.finditer(text, match.end())]
        else:
            references = []
            if _KEY_LIKE.fullmatch(value):
                return True
        if any(_expanded(text, at) for at in references):
            return True
    return False


def _expanded(text: str, at: int) -> bool:
    """Whether the shell expands the reference at ``text[at]``: not in single quotes on its
    line, and not in a quoted here-document (``<<'EOF'``)."""
    line_start = text.rfind("\n", 0, at) + 1
    single_quoted = text.count("'", line_start, at) % 2 == 1
    return not single_quoted and not _QUOTED_HEREDOC.search(text)


@rule(
    "AWS205",
    "secret-mount-not-found",
    Severity.WARNING,
    [Kind.DOCKERFILE],
    "BuildKit secret mounted where the AWS SDK does not look",
    tags=("correctness",),
)
def secret_mount_not_found(model: FileModel) -> Iterator[Hit]:
    """``RUN --mount=type=secret,id=aws`` without ``target`` mounts the file at
    ``/run/secrets/aws``, which the SDK never reads unless ``AWS_SHARED_CREDENTIALS_FILE``
    points there; a target of ``/root/.aws/credentials`` is not read when the ``RUN`` runs as
    another ``USER`` (or with another ``ENV HOME``), whose home the SDK searches instead; and
    BuildKit does not expand ``~`` in a target. A secret is about AWS when its id (by default
    the target's file name) says ``aws``/``credential`` or its target is in a ``.aws`` folder."""
    for stage in stages(model):
        named = _named_paths(stage)
        for command in stage.commands:
            for mount in command.mounts:
                problem = _mount_problem(mount, command, stage, named)
                if problem:
                    place = "the final stage" if stage.final else f"stage `{stage.name}`"
                    yield Hit(f"{problem} (in {place})", mount.region)


_ROOT_ONLY = "a secret file belongs to root with mode 0400 unless `uid`/`mode` say otherwise"


def _mount_problem(mount: Mount, command: Command, stage: Stage, named: list[str]) -> str | None:
    target = mount.target
    # BuildKit: a secret's `id` defaults to the basename of its `target` ("RUN --mount=type=secret").
    secret_id = mount.source or PurePosixPath(target).name
    parts = _parts(target)
    if mount.type != "secret" or not target or not (re.search(r"aws|credential", secret_id, re.I) or ".aws" in parts):
        return None
    if target in named or target in command.text or "AWS_SHARED_CREDENTIALS_FILE" in command.text:
        return None
    user = command.user or "root"
    home, certain = home_of(user, stage.env)
    root = user.split(":", 1)[0] in ("root", "0")
    readable = "" if root else f", and `uid=` set to the id of `{user}` ({_ROOT_ONLY})"
    if target.startswith("/run/secrets/"):
        return (
            f"the secret `{shown(secret_id, 64)}` is mounted at `{shown(target, 64)}`, where the AWS SDK does not look; add "
            f"`target={home or '/root'}/.aws/credentials` (the home of the user the `RUN` runs as) or set "
            f"`AWS_SHARED_CREDENTIALS_FILE={shown(target, 64)}` for the command{readable}"
        )
    if not home or ".aws" not in parts or "$" in target or target.startswith(home.rstrip("/") + "/.aws/"):
        return None  # a `$VAR` in the target is expanded by BuildKit from ARG/ENV values we may not know
    if target.startswith("~"):
        return (
            f"the secret `{shown(secret_id, 64)}` is mounted at `{shown(target, 64)}`, but BuildKit does not expand `~` in a mount target; "
            f"write the absolute path `{home.rstrip('/')}/.aws/{parts[-1]}`"
        )
    folder = "/" + "/".join(parts[: parts.index(".aws")])
    if not certain and target.startswith("/") and folder != "/root" and not folder.startswith("/home/"):
        return None  # e.g. /var/www/.aws for `USER www-data`: that may well be the user's home
    if root:
        return f"the secret `{shown(secret_id, 64)}` is mounted at `{shown(target, 64)}`, but the home of this `RUN` is `{home}`, so the SDK looks in `{home.rstrip('/')}/.aws/`; mount it there"
    return (
        f"the secret `{shown(secret_id, 64)}` is mounted at `{shown(target, 64)}`, but this `RUN` runs as `{user}`, whose SDK looks in "
        f"`{home.rstrip('/')}/.aws/`; mount it there, with `uid=` set to that user's id ({_ROOT_ONLY})"
    )


_PIP_AWSCLI = re.compile(r"awscli(?:[<>=!~\[;].*)?", re.I)  # PyPI names are case-insensitive (PEP 503)


@rule(
    "AWS206",
    "awscli-v1-from-pip",
    Severity.NOTE,
    [Kind.DOCKERFILE],
    "AWS CLI v1 installed with pip",
    tags=("maintenance",),
)
def awscli_v1_from_pip(model: FileModel) -> Iterator[Hit]:
    """``pip install awscli`` installs AWS CLI v1, which lacks ``aws sso login`` with
    sso-session profiles, ``aws configure export-credentials`` and other v2 features; v2 is
    installed from AWS's installer, not from PyPI (AWS CLI User Guide, "Installing")."""
    for stage in stages(model):
        for command in stage.commands:
            for run in read_script(command.text).invocations:
                words = list(run.words)
                if run.program.startswith("python") and [w.text for w in words[1:3]] == ["-m", "pip"]:
                    words = words[2:]
                elif run.program == "uv" and [w.text for w in words[1:2]] == ["pip"]:
                    words = words[1:]  # `uv pip install awscli` installs the same PyPI package
                texts = [w.text for w in words]
                if texts[0].startswith("pip") and "install" in texts:
                    for word in words[texts.index("install") + 1 :]:
                        if _PIP_AWSCLI.fullmatch(word.text):
                            yield Hit(
                                f"`{texts[0]} install {word.text}` {where(model, stage)}, installs AWS CLI v1; install v2 with AWS's "
                                "installer (`curl https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip`, unzip, `./aws/install`) "
                                "or use the `public.ecr.aws/aws-cli/aws-cli` image",
                                command.region_of(word.start, word.end),
                            )


_WHOLE_CONTEXT = {".", "./", "*", "./*"}


@rule(
    "AWS207",
    "build-context-credentials",
    Severity.ERROR,
    [Kind.DOCKERFILE],
    "`COPY . .` sends credential files of the build context into the image",
    tags=("security", "secrets"),
    security_severity=7.0,
)
def build_context_credentials(model: FileModel) -> Iterator[Hit]:
    """A copy of the whole build context while the context (the Dockerfile's folder) holds
    ``.aws/credentials``/``config`` or a ``.env`` with keys that ``.dockerignore`` does not
    exclude (Dockerfile reference, ".dockerignore file")."""
    copies = [(stage, copy) for stage in stages(model) for copy in stage.copies if copy.from_stage is None]
    wide = [(stage, copy, source) for stage, copy in copies for source in copy.sources if source.text in _WHOLE_CONTEXT]
    path = real(model.document.path)
    exposed = exposed_credentials(path) if wide else ()
    for stage, copy, source in wide if exposed else ():
        names = ", ".join(f"`{name}`" for name in exposed)
        yield Hit(
            f"`{copy.instruction} {shown(source.text, 64)}` {where(model, stage)} copies {names} from the build context into the "
            f"image; exclude {'it' if len(exposed) == 1 else 'them'} in `{ignore_file(path)}` (e.g. `.aws` and `.env*`, "
            "with no `!` line that brings them back)",
            source.region,
        )
