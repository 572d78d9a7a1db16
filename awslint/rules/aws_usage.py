"""Evidence that a workload calls AWS, and the credential sources it has.

Shared by the compose (AWS3xx) and ECS (AWS4xx) families. The SDKs' default credential chain
(AWS SDKs and Tools Reference Guide, "Standardized credential providers") looks in this order:
environment keys, web identity token file, shared config/credentials files (``~/.aws``),
container credentials (``AWS_CONTAINER_CREDENTIALS_*_URI``), instance metadata.
"""

from __future__ import annotations

import re

from awslint.model import EnvVar, Region, Workload
from awslint.parse.shell import command_names

_USES_AWS_VARS = {"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"}
_SERVICE_WORD = re.compile(r"(?:^|_)(S3|DYNAMODB|SQS|SNS|KINESIS|FIREHOSE|SES|ATHENA|GLUE|STS)(?:_|$)")
_AWS_IMAGES = re.compile(r"aws-cli|aws-otel-collector|cloudwatch-agent|xray-daemon", re.I)
_EMULATORS = re.compile(r"(?<![a-z0-9])(?:localstack|dynamodb-local|motoserver|moto|minio|elasticmq|s3mock|kinesalite|goaws)(?![a-z0-9])", re.I)

# The partitions of botocore's partitions.json (reference §6), as ARNs spell them.
ARN_PARTITION = r"aws(?:-cn|-us-gov|-iso(?:-[bef])?|-eusc)?"

CREDENTIAL_VARS = {
    "AWS_ACCESS_KEY_ID",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
}


def aws_usage(workload: Workload) -> tuple[str, Region] | None:
    """Why ``workload`` looks like it calls AWS — ``(reason, region)`` — or ``None``.

    Evidence: an AWS image (the AWS CLI, the ADOT collector, the CloudWatch
    agent, the X-Ray daemon), a command running ``aws``, ``AWS_PROFILE``/``AWS_REGION``-style
    variables, or an SDK endpoint variable (``AWS_ENDPOINT_URL`` for LocalStack). An AWS emulator's own container (LocalStack, DynamoDB Local, MinIO, ...) is not
    evidence.
    """
    image = workload.image.text if workload.image else ""
    if is_emulator(workload):
        return None
    if _AWS_IMAGES.search(image):
        return f"it runs the AWS image `{image}`", workload.image.region
    for command in workload.commands:
        if "aws" in command_names(command.text) or (command.exec_form and command.text.split()[:1] == ["aws"]):
            return "it runs the AWS CLI", command.region
    for var in workload.env:
        if var.name in _USES_AWS_VARS or var.name.startswith("AWS_ENDPOINT_URL"):
            return f"it sets `{var.name}`", var.region
    return None


def is_emulator(workload: Workload) -> bool:
    """The container of an AWS emulator (LocalStack, DynamoDB Local, MinIO, ...)."""
    return bool(workload.image and _EMULATORS.search(workload.image.text))


def task_usage(workload: Workload) -> tuple[str, Region] | None:
    """:func:`aws_usage`, widened for ECS containers, which get no ``AWS_REGION`` from their
    authors (ECS sets it): also any ``AWS_*`` variable, a variable naming an AWS service
    (``S3_BUCKET``, ``SQS_QUEUE_URL``) or a value holding an ARN or ``amazonaws.com`` URL."""
    found = aws_usage(workload)
    if found is not None or is_emulator(workload):
        return found
    for var in workload.env:
        if var.origin == "secret":
            continue
        if var.name.startswith("AWS_") or _SERVICE_WORD.search(var.name.upper()):
            return f"it sets `{var.name}`", var.region
        if var.value and ("arn:aws" in var.value or "amazonaws.com" in var.value or var.value.startswith("s3://")):
            return f"`{var.name}` names an AWS resource", var.region
    return None


def credential_source(workload: Workload) -> bool:
    """Whether the workload is given credentials: key or credential-endpoint variables, or a
    mount of a ``.aws`` folder."""
    if any(var.name in CREDENTIAL_VARS for var in workload.env):
        return True
    return any(".aws" in m.target.split("/") or (m.source and ".aws" in re.split(r"[/\\]", m.source)) for m in workload.mounts)


def home_of(user: str, env: list[EnvVar]) -> tuple[str | None, bool]:
    """The home folder the SDK searches for ``~/.aws`` (``~`` is ``$HOME``) and whether it is
    certain: a literal ``HOME`` variable; else ``/root`` for root, ``/home/NAME`` by convention
    for a named user (a guess: the image's ``/etc/passwd`` decides); ``None`` for numeric ids
    and variables."""
    homes = [var.value for var in env if var.name == "HOME" and var.value and var.is_literal]
    if homes:
        return homes[-1], True
    name = user.split(":", 1)[0]
    if name in ("root", "0", ""):
        return "/root", True
    return (None if name.isdigit() or "$" in name else f"/home/{name}"), False
