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

from awslint.model import Command, EnvVar, FileModel, Kind, Mount, Stage
from awslint.parse.context import exposed_credentials
from awslint.parse.shell import read_script
from awslint.rules import Hit, Severity, rule

KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
_FILE_VARIABLES = ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
_KEY_SETTINGS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
_KEY_SETTING = re.compile(r"aws_(?:access_key_id|secret_access_key|session_token)\s*[=:]\s*['\"]?([^\s'\"\\]+)", re.I)
_KEY_ID = re.compile(r"(?:AKIA|ASIA)[A-Z2-7]{16}")
_QUOTED_HEREDOC = re.compile(r"<<-?\s*['\"\\]")
_SECRET_FIX = "use a BuildKit secret: `RUN --mount=type=secret,id=aws,target=/root/.aws/credentials ...` with `docker build --secret id=aws,src=$HOME/.aws/credentials`"


def stages(model: FileModel) -> list[Stage]:
    return [w for w in model.workloads if isinstance(w, Stage)]


def where(model: FileModel, stage: Stage) -> str:
    """``in the final stage`` / ``in stage `build`, which the final stage is built from`` /
    ``in stage `build`, which is not in the final image``."""
    if stage.final:
        return "in the final stage"
    by_name = {s.name: s for s in stages(model)}
    final = next((s for s in stages(model) if s.final), None)
    while final is not None and final.base:
        if final.base == stage.name:
            return f"in stage `{stage.name}`, which the final stage is built from"
        final = by_name.get(final.base)
    return f"in stage `{stage.name}` (not the final one, but its layers stay in the build cache and history)"


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
            into = ".aws" in _parts(destination) or any(_inside(destination, path) for path in named)
            for source in copy.sources:
                parts = _parts(source.text)
                if ".aws" in parts or (parts and parts[-1] == "credentials") or into:
                    yield Hit(
                        f"`{copy.instruction} {source.text}` {where(model, stage)} bakes AWS credentials into an image layer "
                        f"that anyone who can pull the image can read; {_SECRET_FIX}, or mount `~/.aws` when the "
                        "container runs",
                        source.region,
                    )


def _inside(destination: str, path: str) -> bool:
    """``COPY x /app/creds`` with ``AWS_SHARED_CREDENTIALS_FILE=/app/creds`` (or a folder of it)."""
    dest, target = PurePosixPath(destination), PurePosixPath(path)
    return dest == target or (destination.endswith("/") and dest == target.parent)


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
    config, visible to ``docker inspect`` and every process of every container."""
    for stage in stages(model):
        for var in stage.env:
            if var.origin == "env" and var.name in KEY_VARIABLES and var.value:
                how = "copies a build arg into" if var.value.startswith("$") else "writes a value into"
                yield Hit(
                    f"`ENV {var.name}` {where(model, stage)} {how} the image config, where `docker inspect` and every "
                    f"container show it; remove it: {_SECRET_FIX} at build time, and give running containers a role "
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
            yield Hit(f"`ARG {var.name}` {place} records the key in the image history; {_SECRET_FIX}", var.region)


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
    layer (the file) or in the Dockerfile and history (the command line)."""
    for stage in stages(model):
        for command in stage.commands:
            for message, start, end in _writes(command):
                yield Hit(f"{message} {where(model, stage)}; {_SECRET_FIX}", command.region_of(start, end))


def _writes(command: Command) -> Iterator[tuple[str, int, int]]:
    script = read_script(command.text)
    for run in script.invocations:
        args = run.args
        if run.program == "aws" and args[:2] == ["configure", "set"] and len(args) >= 3 and args[2].rsplit(".", 1)[-1] in _KEY_SETTINGS:
            key = args[2].rsplit(".", 1)[-1]
            yield f"`aws configure set {key}` stores the key in `~/.aws/credentials`, a layer of the image,", run.words[0].start, run.words[-1].end
    for write in script.writes:
        if ".aws" in _parts(write.path.text) and _writes_keys(write.text):
            yield f"this command writes AWS keys into `{write.path.text}`, a file in an image layer,", write.path.start, write.path.end
    for assignment in script.assignments:
        value = assignment.value.text if assignment.value else ""
        if assignment.name in KEY_VARIABLES and value and "$" not in value:
            yield f"`{assignment.name}` is set to a literal here, so the key is in the Dockerfile and the image history", assignment.start, assignment.end


def _writes_keys(text: str) -> bool:
    """Whether written text carries keys: a key id, or a key setting whose value is a real-
    looking key or a variable the shell expands at build time. Dummy values (``test`` for
    LocalStack) and references the shell leaves alone (single quotes, ``<<'EOF'``) are not keys."""
    if _KEY_ID.search(text):
        return True
    for match in _KEY_SETTING.finditer(text):
        value = match.group(1)
        if value.startswith("$"):
            line_start = text.rfind("\n", 0, match.start()) + 1
            single_quoted = text.count("'", line_start, match.start(1)) % 2 == 1
            if not single_quoted and not _QUOTED_HEREDOC.search(text):
                return True
        elif len(value) >= 16 and re.fullmatch(r"[A-Za-z0-9/+=]+", value):
            return True
    return False


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
    another ``USER``, whose home the SDK searches instead."""
    for stage in stages(model):
        named = _named_paths(stage)
        for command in stage.commands:
            for mount in command.mounts:
                problem = _mount_problem(mount, command, named)
                if problem:
                    yield Hit(f"{problem} ({where(model, stage)})", mount.region)


def _mount_problem(mount: Mount, command: Command, named: list[str]) -> str | None:
    secret_id = mount.source or ""
    target = mount.target
    if mount.type != "secret" or not target or not re.search(r"aws|credential", secret_id, re.I):
        return None
    if target in named or target in command.text or "AWS_SHARED_CREDENTIALS_FILE" in command.text:
        return None
    if target.startswith("/run/secrets/"):
        return (
            f"the secret `{secret_id}` is mounted at `{target}`, where the AWS SDK does not look; add "
            f"`target=/root/.aws/credentials` (the home of the user the `RUN` runs as) or set "
            f"`AWS_SHARED_CREDENTIALS_FILE={target}` for the command"
        )
    home = _home(command.user)
    parts = _parts(target)
    if home and ".aws" in parts and not target.startswith(home + "/.aws/"):
        return f"the secret `{secret_id}` is mounted at `{target}`, but this `RUN` runs as `{command.user}`, whose SDK looks in `{home}/.aws/`; mount it there"
    return None


def _home(user: str | None) -> str | None:
    """The home folder of a ``USER``: ``/root`` for root, ``/home/NAME`` by convention for a
    named user; ``None`` for numeric ids, whose home the image's ``/etc/passwd`` decides."""
    name = (user or "root").split(":", 1)[0]
    if name in ("root", "0"):
        return "/root"
    return None if name.isdigit() or "$" in name else f"/home/{name}"


_PIP_AWSCLI = re.compile(r"awscli(?:[<>=!~\[;].*)?")


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
                texts = [w.text for w in words]
                if texts[0].startswith("pip") and "install" in texts:
                    for word in words[texts.index("install") + 1 :]:
                        if _PIP_AWSCLI.fullmatch(word.text):
                            yield Hit(
                                f"`pip install {word.text}` {where(model, stage)} installs AWS CLI v1; install v2 with AWS's "
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
    wide = [(stage, source) for stage, copy in copies for source in copy.sources if source.text in _WHOLE_CONTEXT]
    exposed = exposed_credentials(model.document.path.resolve()) if wide else ()
    for stage, source in wide if exposed else ():
        names = ", ".join(f"`{name}`" for name in exposed)
        yield Hit(
            f"`COPY {source.text}` {where(model, stage)} copies {names} from the build context into the image; add "
            f"them to `.dockerignore` (e.g. `.aws` and `.env*`)",
            source.region,
        )
