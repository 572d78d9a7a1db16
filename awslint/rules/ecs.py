"""AWS4xx: ECS task definitions (JSON and CloudFormation)."""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Kind
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import task_usage


@rule(
    "AWS401",
    "missing-task-role-arn",
    Severity.WARNING,
    [Kind.ECS],
    "task definition whose containers call AWS has no taskRoleArn",
    tags=("correctness",),
)
def missing_task_role_arn(model: FileModel) -> Iterator[Hit]:
    """Containers get credentials only from the task role (``taskRoleArn``); the execution role
    is used by the ECS agent to pull images and fetch secrets, never by the application
    (Amazon ECS Developer Guide, "Task IAM role" and "Task execution IAM role")."""
    for task in model.task_definitions:
        if task.task_role_arn is not None and task.task_role_arn.text.strip():
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
