"""What a GitHub Actions job does with AWS credentials: shared by the AWS5xx families.

``aws-actions/configure-aws-credentials`` semantics follow its ``src/index.ts`` and
``src/helpers.ts``: inputs come from ``with:``, and (``translateEnvVariables``) from the
environment variables ``AWS_REGION``, ``ROLE_TO_ASSUME``, ``WEB_IDENTITY_TOKEN_FILE`` and
``ROLE_CHAINING`` when the input is empty; OIDC is used when ``role-to-assume`` is set and none
of ``aws-access-key-id``, ``web-identity-token-file``, ``role-chaining`` is; with no credential
input at all the action validates whatever credentials the runner already has. It exports the
credentials as ``AWS_*`` variables unless ``output-env-credentials: false``, or unless
``aws-profile`` is given (it then writes that profile to ``~/.aws``) without
``output-env-credentials: true``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from awslint.model import Command, EnvVar, Job, Region, Step, Workflow
from awslint.parse.shell import Invocation, Word, read_script

CONFIGURE_CREDENTIALS = "aws-actions/configure-aws-credentials"
_FROM_ENV = {"aws-region": "AWS_REGION", "role-to-assume": "ROLE_TO_ASSUME", "web-identity-token-file": "WEB_IDENTITY_TOKEN_FILE", "role-chaining": "ROLE_CHAINING"}
_TRUE = ("true", "True", "TRUE")

# Variables that give the SDK's default chain a source (SDKs and Tools Reference Guide,
# "Standardized credential providers"), or point it at files a step wrote.
CREDENTIAL_ENV = {
    "AWS_ACCESS_KEY_ID",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
}
PROFILE_VARS = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
# Script text that sets credentials up for later commands: key variables exported or written to
# $GITHUB_ENV, shared files written, `aws configure set`, `aws sso login`, an assumed role.
_SETS_CREDENTIALS = re.compile(
    r"AWS_ACCESS_KEY_ID|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_CREDENTIALS|AWS_PROFILE|AWS_SHARED_CREDENTIALS_FILE|"
    r"AWS_CONFIG_FILE|\.aws/(?:credentials|config)|aws_access_key_id|aws\s+configure\s+(?:set|import)|aws\s+sso\s+login|"
    r"assume-role|credential_process",
    re.I,
)
# Third-party actions whose names say they hand out AWS credentials (Vault, OIDC helpers, ...).
_CREDENTIAL_ACTION = re.compile(r"cred|oidc|assume|vault|sso|secret|aws", re.I)
_NO_CREDENTIALS = ("actions/", "github/", "docker/", "aws-actions/")

# Commands that call AWS and need credentials, with the subcommands that do not.
_OFFLINE = {
    "aws": {"--version", "help", "configure"},
    "sam": {"--version", "--help", "--info", "build", "init", "local", "validate"},
    "cdk": {"--version", "--help", "synth", "synthesize", "init", "ls", "list", "docs", "doctor", "context", "acknowledge", "notices"},
    "copilot": {"--version", "--help", "version", "completion", "docs"},
    "eksctl": {"version", "--help", "help", "completion", "info"},
}
# AWS CLI calls that need no credentials: they are how one gets them (botocore's STS and SSO
# models mark these operations ``auth_type: none``).
_UNSIGNED = {("sts", "assume-role-with-web-identity"), ("sts", "assume-role-with-saml"), ("sso", "login"), ("sso", "get-role-credentials")}
_NEED_SUBCOMMAND = {"sam", "cdk"}
# Global options that take a value (AWS CLI "Command line options"; cdk/sam/eksctl alike).
_VALUED_OPTIONS = {
    "--profile", "--region", "--output", "--endpoint-url", "--query", "--color", "--ca-bundle",
    "--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format", "--app", "-a", "--context",
    "-c", "--config-env", "--config-file", "--template-file", "-t", "--stack-name", "--role-arn",
}
# Package runners that start a tool by name (``npx cdk deploy``, ``yarn cdk deploy``).
_RUNNERS = {"npx", "pnpx", "bunx", "yarn", "pnpm", "npm", "uvx", "pipx"}
_ALIASES = {"aws-cdk": "cdk", "aws-sam-cli": "sam"}


def configures_credentials(step: Step) -> bool:
    """Whether the step uses ``aws-actions/configure-aws-credentials`` (any ref)."""
    action = step.action
    return action is not None and not action.local and action.slug == CONFIGURE_CREDENTIALS and not action.path


def action_input(step: Step, name: str, env: list[EnvVar]) -> EnvVar | None:
    """The configure-aws-credentials input ``name``: the ``with:`` value, else the environment
    variable the action translates into it (``env`` is the step's scope, outermost first)."""
    given = step.input(name)
    if given is not None or name not in _FROM_ENV or not _translates_env(step):
        return given
    return next((v for v in reversed(env) if v.name == _FROM_ENV[name] and v.value), None)


def release(ref: str) -> tuple[int, int] | None:
    """``(major, minor)`` of a release tag (``v4``, ``v4.2.1``, ``4.2``); a major-only tag
    follows the newest minor, so its minor is taken as unbounded. ``None`` for branches and SHAs."""
    match = _RELEASE.fullmatch(ref)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else 10**6


_RELEASE = re.compile(r"v?(\d+)(?:\.(\d+))?(?:\.\d+)?")


def _translates_env(step: Step) -> bool:
    """Variables became inputs in v4.2.0; v6.3.0 added ``translate-env-variables`` (default
    true) to turn it off. Branches and SHAs are taken as recent."""
    flag = step.input("translate-env-variables")
    if flag is not None and flag.value not in _TRUE:
        return False
    version = release(step.action.ref) if step.action else None
    return version is None or version >= (4, 2)


def chains_roles(step: Step, env: list[EnvVar]) -> bool:
    """``role-chaining: true``: the action assumes the role with the credentials already set."""
    flag = action_input(step, "role-chaining", env)
    return flag is not None and flag.value in _TRUE


def wants_oidc(step: Step, env: list[EnvVar]) -> bool:
    """``role-to-assume`` with no static keys, no token file and no role chaining: the action
    then asks GitHub for an OIDC token (``useGitHubOIDCProvider``)."""
    return (
        configures_credentials(step)
        and action_input(step, "role-to-assume", env) is not None
        and step.input("aws-access-key-id") is None
        and action_input(step, "web-identity-token-file", env) is None
        and not chains_roles(step, env)
        and not _flag(step, "force-skip-oidc")
    )


def _flag(step: Step, name: str) -> bool:
    given = step.input(name)
    return given is not None and given.value in _TRUE


def exports_env(step: Step) -> bool:
    """Whether a configure-aws-credentials step exports its credentials (and region) as
    ``AWS_*`` variables for the steps after it (``output-env-credentials``, default true, but
    false when ``aws-profile`` is given)."""
    flag = step.input("output-env-credentials")
    if flag is not None:
        return flag.value in _TRUE
    return step.input("aws-profile") is None


def written_profile(step: Step) -> str | None:
    """The profile a configure-aws-credentials step writes to ``~/.aws`` (``aws-profile``)."""
    given = step.input("aws-profile") if configures_credentials(step) else None
    return given.value if given is not None else None


def oidc_steps(workflow: Workflow, job: Job) -> Iterator[Step]:
    """The job's configure-aws-credentials steps that need an OIDC token."""
    for step in job.steps:
        if wants_oidc(step, workflow.scope_env(job, step)):
            yield step


def gives_credentials(step: Step) -> bool:
    """Whether the step may leave AWS credentials for the steps after it: the
    configure-aws-credentials action, a local or credential-sounding third-party action, or a
    script that exports keys, writes the shared files or runs ``aws configure set``."""
    action = step.action
    if action is not None:
        if configures_credentials(step):
            return exports_env(step)
        if action.local:
            return True
        return not action.slug.startswith(_NO_CREDENTIALS) and bool(_CREDENTIAL_ACTION.search(action.slug + "/" + action.path))
    return step.run is not None and sets_credentials(step.run.text)


def sets_credentials(script: str) -> bool:
    """Whether script text exports or writes AWS credentials (or a profile) for later commands."""
    return bool(_SETS_CREDENTIALS.search(script))


def has_credentials(env: list[EnvVar], job: Job) -> bool:
    """Whether the variables in scope, or the job container's mounts, give the SDK a source."""
    if any(var.name in CREDENTIAL_ENV for var in env):
        return True
    return any(".aws" in mount.target.split("/") or ".aws" in (mount.source or "").split("/") for mount in job.mounts)


@dataclass(frozen=True, slots=True)
class AwsCall:
    """A command in a ``run`` script that calls AWS: ``text`` as written (``aws s3 sync``),
    ``start`` its character offset in the script, ``region`` where it is in the file,
    ``profile`` the one it names with ``--profile``."""

    text: str
    start: int
    region: Region
    profile: str | None = None


def aws_calls(command: Command) -> Iterator[AwsCall]:
    """The commands of a script that need credentials: ``aws`` (except ``--version``, ``help``,
    ``configure`` and ``--no-sign-request`` calls), ``sam``/``cdk`` subcommands that reach AWS
    (``deploy``, ``sync``, ``bootstrap``, ...), ``copilot`` and ``eksctl``."""
    for invocation in read_script(command.text).invocations:
        words = _tool(invocation)
        args = [w.text for w in words[1:]]
        if words and _needs_credentials(_ALIASES.get(words[0].text, words[0].text), args):
            shown = " ".join([words[0].text, *_operands(args)[:2]])
            profile = args[args.index("--profile") + 1] if "--profile" in args[:-1] else None
            yield AwsCall(shown, words[0].start, command.region_of(words[0].start, words[0].end), profile)


def _tool(invocation: Invocation) -> list[Word]:
    """The words from the AWS tool on: the invocation itself, or what a package runner starts
    (``npx cdk deploy`` → ``cdk deploy``; ``yarn run x`` starts a script, not a tool)."""
    words = list(invocation.words)
    if words[0].text.startswith("$") and len(words) > 2 and words[1].text == "=":
        words = words[2:]  # PowerShell assigns a command's output: `$buckets = aws s3api list-buckets`
    if words[0].text in _RUNNERS:
        tools = [i for i, w in enumerate(words[1:4], 1) if _ALIASES.get(w.text, w.text) in _OFFLINE]
        return words[tools[0] :] if tools else []
    return words


def _needs_credentials(program: str, args: list[str]) -> bool:
    if program not in _OFFLINE or not args:
        return False
    if "--no-sign-request" in args or "help" in args or "--help" in args or "-h" in args:
        return False
    operands = _operands(args)
    if (program in _NEED_SUBCOMMAND and not operands) or (program == "aws" and tuple(operands[:2]) in _UNSIGNED):
        return False
    return not ({args[0], *operands[:1]} & _OFFLINE[program])


def _operands(args: list[str]) -> list[str]:
    """The arguments that are not options or option values (``aws --region x s3 ls`` → ``s3 ls``)."""
    found, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg in _VALUED_OPTIONS
        else:
            found.append(arg)
    return found


def not_a_shell(step: Step) -> bool:
    """A ``shell:`` that is not a command shell (``python {0}``, ``node {0}``): its script holds no commands."""
    words = (step.shell or "").split()
    return bool(words) and os.path.basename(words[0]).lower() not in ("bash", "sh", "pwsh", "powershell", "cmd", "zsh")
