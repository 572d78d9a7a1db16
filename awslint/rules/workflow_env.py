"""AWS505-AWS507: the AWS variables and credentials a workflow's steps run with.

A step sees the workflow-level ``env``, its job's ``env`` and its own ``env`` (GitHub docs,
"Workflow syntax for GitHub Actions", ``env``), plus what earlier steps wrote to
``$GITHUB_ENV`` — which is how ``configure-aws-credentials`` hands over its keys: as
``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN`` variables, not a profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awslint.model import EnvVar, FileModel, Job, Kind, Step, Workflow
from awslint.rules import Hit, Severity, rule
from awslint.rules.github import PROFILE_VARS, aws_calls, configures_credentials, gives_credentials, has_credentials, not_a_shell, sets_credentials, written_profile
from awslint.rules.secrets import shown

_KEY_VARS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
_WRITES_PROFILE = re.compile(
    r"aws\s+configure\s+(?:set\b[^\n]*--profile|import)|\.aws/(?:config|credentials)|AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE|aws\s+sso\s+login",
    re.I,
)


@rule(
    "AWS505",
    "aws-keys-in-workflow-env",
    Severity.WARNING,
    [Kind.WORKFLOW],
    "AWS keys in the workflow-level `env`, exposed to every step of every job",
    tags=("security",),
)
def aws_keys_in_workflow_env(model: FileModel) -> Iterator[Hit]:
    """A workflow-level ``env`` is set for every step of every job, including third-party
    actions and steps that never call AWS (GitHub docs, "Security hardening for GitHub
    Actions": use credentials that are minimally scoped; log redaction is not guaranteed).
    Literal keys are AWS001/AWS002."""
    workflow = model.workflow
    for var in workflow.env if workflow else ():
        if var.name in _KEY_VARS and var.value and not var.is_literal:
            yield Hit(
                f"`{var.name}` is set in the workflow-level `env`, so every step of every job — third-party actions "
                "included — gets it; move it to the `env:` of the steps that call AWS, or use OIDC",
                var.region,
            )


@rule(
    "AWS506",
    "aws-command-without-credentials",
    Severity.ERROR,
    [Kind.WORKFLOW],
    "a `run` step calls AWS on a GitHub-hosted runner with no credentials before it",
    tags=("correctness",),
)
def aws_command_without_credentials(model: FileModel) -> Iterator[Hit]:
    """The first command of a job that calls AWS (``aws``, ``sam deploy``, ``cdk deploy``,
    ``copilot``, ``eksctl``; see :func:`~awslint.rules.github.aws_calls`) while nothing has
    given the job credentials: no earlier credentials step or script, no ``AWS_*`` key,
    profile, web-identity or container-credentials variable in scope, no ``.aws`` mount in the
    job's container. A GitHub-hosted runner has no credentials of its own, so the CLI fails
    with "Unable to locate credentials". Self-hosted runners and composite actions are skipped."""
    workflow = model.workflow
    for job in workflow.jobs if workflow else ():
        if not workflow.composite and job.github_hosted:
            hit = _first_uncredentialed_call(model, workflow, job)
            if hit is not None:
                yield hit


def _first_uncredentialed_call(model: FileModel, workflow: Workflow, job: Job) -> Hit | None:
    profiles: set[str] = set()  # written to ~/.aws by earlier configure steps (`aws-profile`)
    for step in job.steps:
        env = workflow.scope_env(job, step)
        call = next(aws_calls(step.run), None) if step.run is not None and not not_a_shell(step) else None
        if call is not None and not has_credentials(env, job) and not sets_credentials(step.run.text[: call.start]):
            selected = call.profile or _selected_profile(env)
            if selected is None or (selected not in profiles and "$" not in selected):
                return _no_credentials(job, call.text, call.region, selected)
        if _gives_credentials(model, step):
            return None
        profiles.update(filter(None, [written_profile(step)]))
    return None


def _selected_profile(env: list[EnvVar]) -> str | None:
    """The profile ``AWS_PROFILE``/``AWS_DEFAULT_PROFILE`` select (the innermost scope wins)."""
    return next((var.value for var in reversed(env) if var.name in PROFILE_VARS and var.value is not None), None)


def _no_credentials(job: Job, text: str, region, profile: str | None) -> Hit:
    if profile is None:
        why = "no step before it sets AWS credentials and no `AWS_*` credential variable is in scope"
    else:
        why = f"it selects the profile `{shown(profile)}`, which no step before it writes (a GitHub-hosted runner has no `~/.aws`)"
    return Hit(
        f"`{text}` runs in job `{job.name}` on a GitHub-hosted runner, but {why}, so it fails with \"Unable to locate "
        "credentials\" (or \"The config profile could not be found\"); add an `aws-actions/configure-aws-credentials` step before it",
        region,
    )


def _gives_credentials(model: FileModel, step: Step) -> bool:
    """:func:`~awslint.rules.github.gives_credentials`, looking inside a local composite action
    when it was read."""
    callee = model.context.called(model.document.path, step.uses.text) if model.context and step.uses else None
    if callee is not None and callee.composite:
        return any(gives_credentials(inner) for job in callee.jobs for inner in job.steps)
    return gives_credentials(step)


@rule(
    "AWS507",
    "aws-profile-with-action-credentials",
    Severity.ERROR,
    [Kind.WORKFLOW],
    "`AWS_PROFILE` set in a job whose credentials come from `configure-aws-credentials`",
    tags=("correctness",),
)
def aws_profile_with_action_credentials(model: FileModel) -> Iterator[Hit]:
    """``configure-aws-credentials`` exports key variables and writes no profile (unless given
    ``aws-profile``). With ``AWS_PROFILE``/``AWS_DEFAULT_PROFILE`` set, botocore looks the
    profile up before it reads any key and fails with "The config profile (x) could not be
    found" (reference §4.2); the JavaScript SDK v3 skips the environment keys altogether.
    Skipped when the action writes that profile (``aws-profile``), when a step of the job
    writes a profile or names other shared files, and for values that are expressions."""
    workflow = model.workflow
    affected: dict = {}
    for job in workflow.jobs if workflow else ():
        configure = [step for step in job.steps if configures_credentials(step)]
        if not configure or _writes_profile(job):
            continue
        written = {written_profile(step) for step in configure}
        after = job.steps[job.steps.index(configure[0]) :]
        for var in [*workflow.env, *job.env, *job.container_env, *(var for step in after for var in step.env)]:
            if var.name in PROFILE_VARS and var.value is not None and var.value not in written and "$" not in var.value:
                # one finding per line, naming every job (a YAML anchor repeats the variable)
                affected.setdefault(var.region, (var, [], configure[0], workflow.composite))[1].append(job)
    for var, jobs, step, composite in affected.values():
        yield _profile_hit(var, jobs, step, composite)


def _writes_profile(job: Job) -> bool:
    return any(step.run is not None and _WRITES_PROFILE.search(step.run.text) for step in job.steps)


def _profile_hit(var: EnvVar, jobs: list[Job], step: Step, composite: bool) -> Hit:
    names = ", ".join(f"`{job.name}`" for job in jobs)
    where = "in this composite action, whose" if composite else f"for job{'s' * (len(jobs) > 1)} {names}, whose"
    sdks = "the CLI and SDKs" if var.name == "AWS_PROFILE" else "the AWS CLI and boto3"
    return Hit(
        f"`{var.name}` is set {where} credentials come from `configure-aws-credentials` as "
        f"environment variables, not as a profile; {sdks} then fail with \"The config profile "
        f"({shown(var.value)}) could not be found\"; remove `{var.name}` (or give the action `aws-profile:`)",
        var.region,
        (("credentials from here", step.uses.region),),
    )
