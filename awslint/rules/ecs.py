"""AWS4xx: ECS task definitions (JSON, CloudFormation, Terraform): roles, secrets, credentials.

The application in a container gets credentials only from the task role (``taskRoleArn``),
which the ECS agent serves at ``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI``; the task execution
role (``executionRoleArn``) is used by ECS itself to pull private images, fetch ``secrets``
and ``environmentFiles`` and, on Fargate, send ``awslogs`` logs (Amazon ECS Developer Guide,
"Task IAM role" and "Task execution IAM role"). A role given by a CloudFormation intrinsic or
a Terraform reference counts as set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awslint.model import Container, EnvVar, FileModel, Kind, Scalar, TaskDefinition
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import task_usage

_KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
_URI_VARIABLES = ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
_PARTITION = r"aws(?:-cn|-us-gov|-iso(?:-[bef])?|-eusc)?"
_ROLE = re.compile(rf"arn:{_PARTITION}:iam::\d{{12}}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{{1,64}}|[\w+=,.@-]{{1,64}}")
_SECRET_ARN = re.compile(rf"arn:{_PARTITION}:secretsmanager:[a-z0-9-]+:\d{{12}}:secret:[\w/+=.@-]+(?::[^:]*:[^:]*:[^:]*)?")
_PARAMETER_ARN = re.compile(rf"arn:{_PARTITION}:ssm:[a-z0-9-]+:\d{{12}}:parameter/[\w/.-]+")
_PARAMETER_NAME = re.compile(r"/?[\w.-]+(?:/[\w.-]+)*")


def _set(value: Scalar | None) -> bool:
    return value is not None and bool(value.text.strip())


def _literal(value: Scalar) -> bool:
    """A role or reference written as plain text: not a CloudFormation intrinsic, a Terraform
    reference or interpolation, nor a template with a placeholder (``{{role}}``, ``<account>``,
    ``arn:aws:iam::XXXXXXXXXXXX:role/...``), which samples fill in before use."""
    text = value.text
    if re.search(r"\$|\{\{|<|^(?:Ref|Fn::|!)|^[a-z_]+\.[\w.-]+\.arn$", text) or " " in text:
        return False
    parts = text.split(":")
    return not (text.startswith("arn:") and len(parts) > 4 and parts[4] and not re.search(r"\d", parts[4]))


def _containers(task: TaskDefinition) -> list[Container]:
    return [c for c in task.containers if isinstance(c, Container)]


@rule(
    "AWS401",
    "missing-task-role-arn",
    Severity.ERROR,
    [Kind.ECS],
    "task definition whose containers call AWS has no taskRoleArn",
    tags=("correctness",),
)
def missing_task_role_arn(model: FileModel) -> Iterator[Hit]:
    """A container shows AWS use (AWS variables, an AWS CLI/SDK image, an AWS resource in its
    environment) but the task has no ``taskRoleArn``: the SDK finds no credentials ("Unable to
    locate credentials"). ``secrets`` are not evidence: ECS fetches them with the execution
    role and hands the application plain environment variables."""
    for task in model.task_definitions:
        if _set(task.task_role_arn):
            continue
        usage = next((found for c in task.containers if (found := task_usage(c))), None)
        if usage is None:
            continue
        reason, where = usage
        also = " (`executionRoleArn` is only for ECS itself: image pulls, logs and secrets)" if task.execution_role_arn else ""
        yield Hit(
            f"task definition `{task.name}` has no `taskRoleArn`, but a container calls AWS ({reason}); "
            f"the SDK in the container will find no credentials: add a task role{also}",
            task.region,
            ((f"AWS use: {reason}", where),),
        )


@rule(
    "AWS402",
    "execution-role-without-task-role",
    Severity.WARNING,
    [Kind.ECS],
    "`executionRoleArn` without `taskRoleArn`",
    tags=("correctness",),
)
def execution_role_without_task_role(model: FileModel) -> Iterator[Hit]:
    """The execution role is often taken for the role the application runs as; it is not, so
    an application that calls AWS gets no credentials. Reported where AWS401 sees no AWS use."""
    for task in model.task_definitions:
        if _set(task.task_role_arn) or not _set(task.execution_role_arn):
            continue
        if any(task_usage(c) for c in task.containers):
            continue  # AWS401
        yield Hit(
            f"task definition `{task.name}` has an `executionRoleArn` but no `taskRoleArn`: the execution role is used "
            "only by ECS (image pulls, logs, secrets), so if the application calls AWS it gets no credentials; add a "
            "`taskRoleArn` with the permissions the application needs",
            task.execution_role_arn.region,
        )


@rule(
    "AWS403",
    "task-role-same-as-execution-role",
    Severity.NOTE,
    [Kind.ECS],
    "`taskRoleArn` equal to `executionRoleArn`",
    tags=("security",),
)
def task_role_same_as_execution_role(model: FileModel) -> Iterator[Hit]:
    """One role for both means the application can do what ECS needs (pull every image, read
    every secret of the task) and ECS what the application needs: two roles keep each to its
    least privilege (Amazon ECS best practices, "IAM roles")."""
    for task in model.task_definitions:
        roles = (task.task_role_arn, task.execution_role_arn)
        if all(_set(r) and _literal(r) for r in roles) and roles[0].text == roles[1].text:
            yield Hit(
                f"task definition `{task.name}` uses one role as task role and execution role, so the application also gets "
                "the permissions ECS needs for image pulls and secrets; give the application its own role",
                task.task_role_arn.region,
            )


@rule(
    "AWS404",
    "missing-execution-role",
    Severity.ERROR,
    [Kind.ECS],
    "secrets, private-registry credentials, environment files or Fargate awslogs without `executionRoleArn`",
    tags=("correctness",),
)
def missing_execution_role(model: FileModel) -> Iterator[Hit]:
    """ECS fetches ``secrets``, ``repositoryCredentials`` and ``environmentFiles`` — and on
    Fargate sends ``awslogs`` logs — with the task execution role; without it the task fails
    to start (``ResourceInitializationError``, or the registration is refused)."""
    for task in model.task_definitions:
        if _set(task.execution_role_arn):
            continue
        fargate = "FARGATE" in task.requires_compatibilities
        for container in _containers(task):
            need = _needs_execution_role(container, fargate)
            if need:
                what, region = need
                yield Hit(
                    f"container `{container.name}` of `{task.name}` uses {what}, which ECS fetches with the task execution "
                    "role, but the task has no `executionRoleArn`, so it cannot start; add an execution role (e.g. with "
                    "the `AmazonECSTaskExecutionRolePolicy` managed policy and read access to the secrets)",
                    region,
                )


def _needs_execution_role(container: Container, fargate: bool):
    secret = next((v for v in container.env if v.origin == "secret"), None)
    if secret:
        return f"`secrets` (`{secret.name}`)", secret.region
    if container.repository_credentials:
        return "`repositoryCredentials`", container.repository_credentials.region
    if container.environment_files:
        return "`environmentFiles`", container.environment_files[0].region
    if fargate and container.log_driver and container.log_driver.text == "awslogs":
        return "the `awslogs` log driver on Fargate", container.log_driver.region
    return None


@rule(
    "AWS405",
    "aws-keys-in-task-environment",
    Severity.ERROR,
    [Kind.ECS],
    "AWS keys in a container's `environment`",
    tags=("security", "secrets"),
    security_severity=7.0,
)
def aws_keys_in_task_environment(model: FileModel) -> Iterator[Hit]:
    """Environment keys come first in every SDK's credential chain, so even a placeholder
    shadows the task role; and values in ``environment`` are plain text in the task
    definition, readable by anyone who can describe it."""
    for task in model.task_definitions:
        for container in task.containers:
            for var in container.env:
                if var.origin == "env" and var.name in _KEY_VARIABLES:
                    yield Hit(
                        f"container `{container.name}` of `{task.name}` sets `{var.name}` in `environment`: it is stored in "
                        "clear text and, set at all, it takes precedence over the task role in every SDK; remove it and use "
                        "`taskRoleArn` (or, for keys you must pass, `secrets` with `valueFrom`)",
                        var.region,
                    )


@rule(
    "AWS406",
    "container-credentials-uri-set",
    Severity.WARNING,
    [Kind.ECS],
    "`AWS_CONTAINER_CREDENTIALS_*_URI` set by hand",
    tags=("correctness",),
)
def container_credentials_uri_set(model: FileModel) -> Iterator[Hit]:
    """The ECS agent sets ``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`` itself, for the task role;
    a value in the task definition replaces the agent's and points the SDK at an endpoint that
    serves no credentials, or someone else's."""
    for task in model.task_definitions:
        for container in task.containers:
            for var in container.env:
                if var.name in _URI_VARIABLES:
                    yield Hit(
                        f"container `{container.name}` of `{task.name}` sets `{var.name}`, which the ECS agent sets for the "
                        "task role; remove it and let the agent provide the task role's credentials",
                        var.region,
                    )


@rule(
    "AWS407",
    "malformed-task-reference",
    Severity.ERROR,
    [Kind.ECS],
    "role ARN or `valueFrom` that is not a valid reference",
    tags=("correctness",),
)
def malformed_task_reference(model: FileModel) -> Iterator[Hit]:
    """``taskRoleArn``/``executionRoleArn`` must be an IAM role ARN or role name; a secret's
    ``valueFrom`` a Secrets Manager secret ARN (optionally ``:json-key:version-stage:version-id``),
    an SSM parameter ARN, or a parameter name (ECS "Specifying sensitive data")."""
    for task in model.task_definitions:
        for label, role in (("taskRoleArn", task.task_role_arn), ("executionRoleArn", task.execution_role_arn)):
            if _set(role) and _literal(role) and not _ROLE.fullmatch(role.text):
                yield Hit(
                    f"`{label}` of `{task.name}` is not an IAM role ARN or name; write `arn:aws:iam::ACCOUNT:role/NAME`",
                    role.region,
                )
        for container in task.containers:
            for var in container.env:
                if var.origin == "secret" and var.value and _bad_value_from(var):
                    yield Hit(
                        f"`valueFrom` of secret `{var.name}` in container `{container.name}` is neither a Secrets Manager "
                        "secret ARN, an SSM parameter ARN nor a parameter name, so the task cannot start; copy the ARN from "
                        "the console or `aws secretsmanager describe-secret`",
                        var.value_region or var.region,
                    )


def _bad_value_from(var: EnvVar) -> bool:
    text = var.value or ""
    if not _literal(Scalar(text, var.region)):
        return False
    if text.startswith("arn:"):
        return not (_SECRET_ARN.fullmatch(text) or _PARAMETER_ARN.fullmatch(text))
    return not _PARAMETER_NAME.fullmatch(text)


@rule(
    "AWS408",
    "duplicate-environment-name",
    Severity.WARNING,
    [Kind.ECS],
    "one variable set twice in a container",
    tags=("correctness",),
)
def duplicate_environment_name(model: FileModel) -> Iterator[Hit]:
    """A name twice in ``environment`` (or in both ``environment`` and ``secrets``): which value
    the container sees is not what the reader of the file expects; keep one."""
    for task in model.task_definitions:
        for container in task.containers:
            seen: dict[str, EnvVar] = {}
            for var in container.env:
                first = seen.setdefault(var.name, var)
                if first is not var:
                    yield Hit(
                        f"`{var.name}` is set again in container `{container.name}` (first at line {first.region.start_line}); "
                        "keep one of them",
                        var.region,
                        (("first set here", first.region),),
                    )
