"""AWS5xx: GitHub Actions workflows and composite actions."""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Job, Kind, Step
from awslint.rules import Hit, Severity, rule

CONFIGURE_CREDENTIALS = "aws-actions/configure-aws-credentials"
_NOT_OIDC_INPUTS = ("aws-access-key-id", "web-identity-token-file", "role-chaining")


def configures_credentials(step: Step) -> bool:
    """Whether the step uses ``aws-actions/configure-aws-credentials`` (any version)."""
    return step.uses is not None and step.uses.text.lower().startswith(CONFIGURE_CREDENTIALS + "@")


def _wants_oidc(step: Step) -> bool:
    """``role-to-assume`` with no static keys, no token file and no role chaining: the action
    then asks GitHub for an OIDC token (configure-aws-credentials README, "OIDC")."""
    return step.input("role-to-assume") is not None and not any(step.input(name) for name in _NOT_OIDC_INPUTS)


@rule(
    "AWS501",
    "oidc-without-id-token-permission",
    Severity.ERROR,
    [Kind.WORKFLOW],
    "`role-to-assume` via OIDC in a job without `id-token: write`",
    tags=("correctness",),
)
def oidc_without_id_token_permission(model: FileModel) -> Iterator[Hit]:
    """A job's ``permissions`` replaces the workflow's; with neither, the default token has no
    ``id-token`` scope (GitHub docs, "Controlling permissions for GITHUB_TOKEN"). Reusable
    workflows and composite actions take their permissions from the caller, so they are skipped
    when they set none themselves."""
    workflow = model.workflow
    if workflow is None:
        return
    for job in workflow.jobs:
        block = job.permissions or workflow.permissions
        if block is None and workflow.callable:
            continue
        if block is not None and block.grants("id-token", "write"):
            continue
        for step in job.steps:
            if configures_credentials(step) and _wants_oidc(step):
                yield _hit(job, step, block)


def _hit(job: Job, step: Step, block) -> Hit:
    where = "its `permissions:` block has no `id-token: write`" if block else "no `permissions:` block grants `id-token: write`"
    role = step.input("role-to-assume")
    return Hit(
        f"job `{job.name}` assumes a role through OIDC but {where}, so the action cannot get a token "
        "(\"Credentials could not be loaded\"); add `id-token: write` (and `contents: read`) to the job's permissions",
        role.region if role else step.region,
        (("permissions in effect", block.region),) if block else (),
    )
