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

from awslint.model import (
    Container,
    EnvVar,
    FileModel,
    Kind,
    Region,
    Scalar,
    TaskDefinition,
)
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import ARN_PARTITION, credential_source, task_usage

_KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
_URI_VARIABLES = ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
_ROLE = re.compile(rf"arn:{ARN_PARTITION}:iam::\d{{12}}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{{1,64}}|[\w+=,.@-]{{1,64}}")
_SECRET_ARN = re.compile(rf"arn:{ARN_PARTITION}:secretsmanager:[a-z0-9-]+:\d{{12}}:secret:[\w/+=.@-]+(?::[^:]*:[^:]*:[^:]*)?")
_PARAMETER_ARN = re.compile(rf"arn:{ARN_PARTITION}:ssm:[a-z0-9-]+:\d{{12}}:parameter/[\w/.-]+")
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


def _aws_use(container) -> tuple[str, Region] | None:
    """:func:`task_usage` for AWS401/AWS402, except for a container given credentials of its
    own (keys, a credentials file or endpoint: AWS405/AWS406 report those; compose's AWS301
    skips them the same way)."""
    return None if credential_source(container) else task_usage(container)


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
    role and hands the application plain environment variables. Emulator containers and
    containers with credentials of their own are skipped (:func:`_aws_use`)."""
    for task in model.task_definitions:
        if _set(task.task_role_arn):
            continue
        found = next(((c, usage) for c in task.containers if (usage := _aws_use(c))), None)
        if found is None:
            continue
        container, (reason, where) = found
        also = " (`executionRoleArn` is used only by ECS itself, for image pulls, logs and secrets)" if _set(task.execution_role_arn) else ""
        yield Hit(
            f"task definition `{task.name}` has no `taskRoleArn`, but container `{container.name}` calls AWS ({reason}): "
            "without a task role the AWS SDK or CLI in the container finds no credentials (on EC2 it may fall back to "
            f"the container instance's role); add a `taskRoleArn`{also}",
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
    an application that calls AWS gets no credentials. Reported where AWS401 sees no AWS use
    and no container has credentials of its own (keys passed as ``secrets``, say)."""
    for task in model.task_definitions:
        if _set(task.task_role_arn) or not _set(task.execution_role_arn):
            continue
        if any(_aws_use(c) or credential_source(c) for c in task.containers):
            continue  # AWS401, or a container has credentials of its own (AWS405/AWS406)
        yield Hit(
            f"task definition `{task.name}` has an `executionRoleArn` but no `taskRoleArn`: the execution role is used "
            "only by ECS (image pulls, logs, secrets) and never reaches the containers, so an application that calls "
            "AWS gets no credentials; if it does, add a `taskRoleArn` with the permissions it needs",
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
                f"task definition `{task.name}` uses the same role as `taskRoleArn` and `executionRoleArn`, so the "
                "application also gets what ECS needs (pulling images, reading the task's secrets) and ECS what the "
                "application needs; give the application a role of its own",
                task.task_role_arn.region,
                (("`executionRoleArn`, the same role", task.execution_role_arn.region),),
            )


@rule(
    "AWS404",
    "missing-execution-role",
    Severity.ERROR,
    [Kind.ECS],
    "secrets, private-registry credentials, environment files, or Fargate awslogs or ECR images, without `executionRoleArn`",
    tags=("correctness",),
)
def missing_execution_role(model: FileModel) -> Iterator[Hit]:
    """ECS fetches ``secrets``, ``repositoryCredentials`` and ``environmentFiles`` — and on
    Fargate pulls ECR images and sends ``awslogs`` logs — with the task execution role; without
    it the registration is refused (``ClientException``) or the task fails to start."""
    for task in model.task_definitions:
        if _set(task.execution_role_arn):
            continue
        fargate = "FARGATE" in task.requires_compatibilities
        for container in _containers(task):
            need = _needs_execution_role(container, fargate)
            if need:
                what, consequence, fix, region = need
                yield Hit(
                    f"container `{container.name}` of `{task.name}` {what}, but the task has no `executionRoleArn`: "
                    f"{consequence}; add an execution role ({fix})",
                    region,
                )


_ECR_IMAGE = re.compile(r"\.dkr\.ecr(?:-fips)?\.|\baws_ecr_repository\.")
_MANAGED_POLICY = "the `AmazonECSTaskExecutionRolePolicy` managed policy covers it"


def _needs_execution_role(container: Container, fargate: bool) -> tuple[str, str, str, Region] | None:
    """What the container needs the execution role for: the finding's wording and region."""
    secret = next((v for v in container.env if v.origin == "secret"), None)
    if secret:
        return (
            f"takes `{secret.name}` from `secrets`, which ECS reads with the task execution role",
            (
                "ECS refuses to register it (\"When you are specifying container secrets, you must also specify a "
                "value for 'executionRoleArn'\")"
            ),
            (
                "allowed to read the secrets: `secretsmanager:GetSecretValue` or `ssm:GetParameters`, and "
                "`kms:Decrypt` for a customer managed key"
            ),
            secret.region,
        )
    if container.repository_credentials:
        return (
            "pulls its image with `repositoryCredentials`, which ECS reads with the task execution role",
            (
                "ECS refuses to register it (\"Private repository authentication requires that the task definition "
                "specify a value for executionRoleArn\")"
            ),
            "allowed `secretsmanager:GetSecretValue` on the credentials secret",
            container.repository_credentials.region,
        )
    if container.environment_files:
        return (
            "loads `environmentFiles`, which ECS downloads from S3 with the task execution role",
            "the task cannot start",
            "allowed `s3:GetObject` on the file and `s3:GetBucketLocation` on its bucket",
            container.environment_files[0].region,
        )
    if fargate and container.log_driver and container.log_driver.text == "awslogs":
        return (
            "uses the `awslogs` log driver on Fargate, which sends the logs with the task execution role",
            (
                "ECS refuses to register it (\"Fargate requires task definition to have execution role ARN to support "
                "log driver awslogs\")"
            ),
            _MANAGED_POLICY,
            container.log_driver.region,
        )
    if fargate and container.image and _ECR_IMAGE.search(container.image.text):
        return (
            "runs an Amazon ECR image on Fargate, which pulls it with the task execution role",
            (
                "ECS refuses to register it (\"Fargate requires task definition to have execution role ARN to support "
                "ECR images\")"
            ),
            _MANAGED_POLICY,
            container.image.region,
        )
    return None


@rule(
    "AWS405",
    "aws-keys-in-task-environment",
    Severity.ERROR,
    [Kind.ECS],
    "AWS keys in a container's `environment` (or in `secrets` of a task with a task role)",
    tags=("security", "secrets"),
    security_severity=7.0,
)
def aws_keys_in_task_environment(model: FileModel) -> Iterator[Hit]:
    """Environment keys come first in every SDK's credential chain, before the container
    provider that serves the task role, so even a placeholder shadows the task role; and values
    in ``environment`` are plain text in the task definition, readable by anyone who can
    describe it. An empty value (or none) is not reported: no SDK takes an empty key; a value
    that is not text (a CloudFormation ``{"Ref": ...}``) is.

    Keys in ``secrets`` are not in clear text, but ECS hands them to the container as
    environment variables too, so they shadow the task role just the same: they are reported
    when the task has a ``taskRoleArn`` (which they make dead weight). Without a task role,
    keys fetched from Secrets Manager or Parameter Store are the deliberate way to give a
    container an IAM user's keys and are left alone."""
    for task in model.task_definitions:
        has_role = _set(task.task_role_arn)
        for container in task.containers:
            for var in container.env:
                if var.name not in _KEY_VARIABLES:
                    continue
                if var.origin == "env" and var.value_region and (var.value is None or var.value.strip()):
                    yield Hit(
                        f"container `{container.name}` of `{task.name}` sets `{var.name}` in `environment`: the value is "
                        "stored in clear text in the task definition, and the SDK uses keys from environment variables "
                        "before the task role's credentials; remove it and grant the permissions through the task role "
                        "(`taskRoleArn`)",
                        var.region,
                    )
                elif var.origin == "secret" and has_role:
                    yield Hit(
                        f"container `{container.name}` of `{task.name}` gets `{var.name}` from `secrets`, which ECS turns "
                        "into an environment variable, and the SDK uses keys from environment variables before the task "
                        "role's credentials, so the task role is never used; remove the secret and grant the permissions "
                        "through the task role (or remove `taskRoleArn` if these keys are meant to be used)",
                        var.region,
                        (("task role that these keys shadow", task.task_role_arn.region),),
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
    """The ECS agent sets ``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`` itself when the task has a
    task role, overwriting a value from ``environment`` (agent ``initializeCredentialsEndpoint``);
    without a task role, or from ``secrets`` (which ECS applies last), the hand-set value stays
    and the SDK asks the agent's endpoint for credentials it does not have: every AWS call
    fails. ``AWS_CONTAINER_CREDENTIALS_FULL_URI`` is read only when the relative one is unset:
    with a task role it is dead; without one the SDK takes credentials from whatever answers at
    that URL instead of from a role that ECS manages."""
    for task in model.task_definitions:
        has_role = _set(task.task_role_arn)
        for container in task.containers:
            for var in container.env:
                if var.name not in _URI_VARIABLES:
                    continue
                where = "in `environment`" if var.origin == "env" else "from `secrets`"
                subject = f"container `{container.name}` of `{task.name}` sets `{var.name}` {where}"
                if var.name == "AWS_CONTAINER_CREDENTIALS_FULL_URI":
                    effect = (
                        "the SDK ignores it, because the ECS agent sets `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` for the "
                        "task role and the SDK reads that first; remove it"
                        if has_role
                        else "the SDK then takes its credentials from whatever answers at that URL instead of from a role "
                        "that ECS manages; remove it and give the task a `taskRoleArn`"
                    )
                elif has_role and var.origin == "env":
                    effect = (
                        "the ECS agent sets this variable itself, to the task role's credentials endpoint, and overwrites "
                        "the value; remove it"
                    )
                else:
                    effect = (
                        "the ECS agent sets this variable itself for a task role, and this value makes the SDK ask the ECS "
                        "credentials endpoint for credentials it does not have, so every AWS call fails; remove it"
                        + ("" if has_role else " and give the task a `taskRoleArn`")
                    )
                yield Hit(f"{subject}: {effect}", var.region)


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
    ``valueFrom`` a Secrets Manager secret ARN (bare, or with all three of
    ``:json-key:version-stage:version-id``, as the ECS agent requires), an SSM parameter ARN, or
    a parameter name (ECS "Specifying sensitive data"). Templates are left alone (see
    :func:`_literal`), except an ARN in account ``aws``, which is an AWS managed policy."""
    for task in model.task_definitions:
        for label, role in (("taskRoleArn", task.task_role_arn), ("executionRoleArn", task.execution_role_arn)):
            if not _set(role) or not (_literal(role) or _AWS_OWNED.match(role.text)):
                continue
            problem = _role_problem(role.text)
            if problem:
                yield Hit(
                    f"`{label}` of `{task.name}` is not a valid IAM role reference: {problem}; write the role's ARN "
                    "(`arn:aws:iam::ACCOUNT_ID:role/NAME`) or its name",
                    role.region,
                )
        for container in task.containers:
            for var in container.env:
                if var.origin != "secret" or not var.value or not _literal(Scalar(var.value, var.region)):
                    continue
                problem = _value_from_problem(var.value)
                if problem:
                    yield Hit(
                        f"`valueFrom` of secret `{var.name}` in container `{container.name}` is not a valid reference, so "
                        f"the task cannot start: {problem}; {_value_from_fix(var.value)}",
                        var.value_region or var.region,
                    )


_ARN = re.compile(r"arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.*)", re.DOTALL)
_AWS_OWNED = re.compile(rf"arn:{ARN_PARTITION}:iam::aws:")
_IAM_KINDS = {"user": "an IAM user", "group": "an IAM group", "policy": "an IAM policy", "instance-profile": "an instance profile"}


def _arn_problem(match: re.Match | None, service: str) -> str | None:
    """What is wrong with the ARN's frame (partition, region, account) for ``service``."""
    if match is None:
        return "the ARN is incomplete"
    if not re.fullmatch(ARN_PARTITION, match["partition"]):
        return f"`{match['partition']}` is not an AWS partition"
    if service == "iam" and match["region"]:
        return "IAM ARNs have no Region (`arn:aws:iam::ACCOUNT_ID:...`)"
    if service != "iam" and not re.fullmatch(r"[a-z]{2}(?:-[a-z]+)+-\d+", match["region"]):
        return f"the ARN needs the {'secret' if service == 'secretsmanager' else 'parameter'}'s Region"
    if not re.fullmatch(r"\d{12}", match["account"]):
        return "the account ID must be 12 digits"
    return None


def _role_problem(text: str) -> str | None:
    """Why ``text`` is not an IAM role ARN or role name, or ``None`` when it is one."""
    if _ROLE.fullmatch(text):
        return None
    if not text.startswith("arn:"):
        return "a role name has at most 64 characters, all letters, digits or `+=,.@_-`"
    match = _ARN.fullmatch(text)
    service = match["service"] if match else ""
    if match and service == "sts" and match["resource"].startswith("assumed-role/"):
        return "it is the ARN of an STS session (`assumed-role/...`), not of the role"
    if match and service != "iam":
        if not service:
            return "the ARN names no service"
        return f"it is {'an' if service[0] in 'aeiou' else 'a'} `{service}` ARN, not an IAM one"
    if match and match["account"] == "aws":
        if match["resource"].startswith("policy/"):
            return "it is an AWS managed policy, not a role"
        return "the account ID must be 12 digits"
    problem = _arn_problem(match, "iam")
    if problem:
        return problem
    kind = match["resource"].split("/", 1)[0]
    if kind != "role":
        return f"it names {_IAM_KINDS[kind]}, not a role" if kind in _IAM_KINDS else "the resource must be `role/NAME`"
    return "the role name is missing or not valid (at most 64 characters, all letters, digits or `+=,.@_-`)"


def _value_from_fix(text: str) -> str:
    """How to get a valid ``valueFrom``: the parameter's name or ARN for a name or an SSM ARN,
    else the secret's ARN."""
    if not text.startswith("arn:") or text.split(":")[2:3] == ["ssm"]:
        return "use the parameter's name or its ARN (`aws ssm get-parameter --name NAME --query Parameter.ARN`)"
    return "use the secret's ARN (`aws secretsmanager describe-secret --secret-id NAME --query ARN`)"


def _value_from_problem(text: str) -> str | None:
    """Why ``text`` is not a Secrets Manager secret ARN, SSM parameter ARN or parameter name."""
    if not text.startswith("arn:"):
        return None if _PARAMETER_NAME.fullmatch(text) else "a parameter name has only letters, digits, `_.-` and `/`"
    if _SECRET_ARN.fullmatch(text) or _PARAMETER_ARN.fullmatch(text):
        return None
    match = _ARN.fullmatch(text)
    service = match["service"] if match else ""
    if match and service not in ("secretsmanager", "ssm"):
        where = " (S3 objects go in `environmentFiles`)" if service == "s3" else ""
        return f"ECS reads secrets only from Secrets Manager and SSM Parameter Store, not from `{service}`{where}"
    problem = _arn_problem(match, service)
    if problem:
        return problem
    resource = match["resource"]
    if service == "ssm":
        if not resource.startswith("parameter/"):
            return "an SSM ARN must name a `parameter/NAME`"
        return "a parameter name has only letters, digits, `_.-` and `/`"
    if not resource.startswith("secret:") or resource == "secret:":
        return "a Secrets Manager ARN must name a `secret:NAME`"
    if len(resource.split(":")) != 5:
        return (
            "after the secret's name, give all three of `:json-key:version-stage:version-id`, leaving unused ones empty "
            "(as in `:password::`)"
        )
    return "the secret's name has characters that Secrets Manager does not allow"


@rule(
    "AWS408",
    "duplicate-environment-name",
    Severity.WARNING,
    [Kind.ECS],
    "one variable set twice in a container",
    tags=("correctness",),
)
def duplicate_environment_name(model: FileModel) -> Iterator[Hit]:
    """A name twice in ``environment`` (or twice in ``secrets``): the container gets only one of
    the values, which is not what the reader of the file expects. A name in both ``environment``
    and ``secrets``: ECS refuses to register the task definition ("The secret name must be
    unique and not shared with any new or existing environment variables set on the
    container"). Keep one."""
    for task in model.task_definitions:
        for container in task.containers:
            seen: dict[str, EnvVar] = {}
            for var in container.env:
                first = seen.setdefault(var.name, var)
                if first is var:
                    continue
                line = first.region.start_line
                if first.origin != var.origin and "secret" in (first.origin, var.origin):
                    message = (
                        f"`{var.name}` is in both `environment` (line {line}) and `secrets` of container `{container.name}`: "
                        "ECS refuses to register the task definition (\"The secret name must be unique and not shared with "
                        "any new or existing environment variables set on the container\"); keep one of them"
                    )
                else:
                    where = "secrets" if var.origin == "secret" else "environment"
                    message = (
                        f"`{var.name}` is set twice in the `{where}` of container `{container.name}` (first at line {line}): "
                        "the container gets only one of the values; keep one of them"
                    )
                yield Hit(message, var.region, (("first set here", first.region),))
