"""AWS502-AWS504, AWS508, AWS509: how a job calls ``aws-actions/configure-aws-credentials``.

Inputs as the action reads them (``src/index.ts``, see :mod:`awslint.rules.github`); versions
and runtimes from its releases: v1 ran on Node 12, v2 and v3 on Node 16, v4 and v5 on Node 20,
v6 on Node 24. GitHub removed Node 12 and 16 from its runners, and deprecated Node 20 (actions
forced onto Node 24 from June 2026, Node 20 removed in September 2026).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awslint.model import FileModel, Job, Kind, Step, Workflow
from awslint.rules import Hit, Severity, rule
from awslint.rules.github import action_input, chains_roles, configures_credentials, exports_env, gives_credentials, has_credentials, release

_RUNTIME = {1: "Node 12", 2: "Node 16", 3: "Node 16", 4: "Node 20", 5: "Node 20"}
_CURRENT = 6
_SECRETS = re.compile(r"\$\{\{(?:(?!\}\}).)*\bsecrets\s*[.\[]")


def _configure_steps(model: FileModel) -> Iterator[tuple[Workflow, Job, Step]]:
    workflow = model.workflow
    for job in workflow.jobs if workflow else ():
        for step in job.steps:
            if configures_credentials(step):
                yield workflow, job, step


@rule(
    "AWS502",
    "configure-credentials-without-region",
    Severity.ERROR,
    [Kind.WORKFLOW],
    "`configure-aws-credentials` without `aws-region`",
    tags=("correctness",),
)
def configure_credentials_without_region(model: FileModel) -> Iterator[Hit]:
    """``aws-region`` is read with ``required: true``; the action also takes it from an
    ``AWS_REGION`` variable in scope. Without either it fails with "Input required and not
    supplied: aws-region"."""
    for workflow, job, step in _configure_steps(model):
        env = workflow.scope_env(job, step)
        if action_input(step, "aws-region", env) is None and not _region_before(job, step):
            ignored = " (here the action does not read the `AWS_REGION` variable)" if any(v.name == "AWS_REGION" and v.value for v in env) else ""
            yield Hit(
                f"`{step.uses.text}` has no `aws-region` input{ignored}, so the action "
                "fails with \"Input required and not supplied: aws-region\"; add `aws-region: <region>` under `with:`",
                step.uses.region,
            )


def _region_before(job: Job, step: Step) -> bool:
    """An earlier step exported ``AWS_REGION``: a configure step (it always exports its
    region) or a script writing it to ``$GITHUB_ENV``."""
    for before in job.steps[: job.steps.index(step)]:
        if (configures_credentials(before) and exports_env(before)) or (before.run and "AWS_REGION" in before.run.text and "GITHUB_ENV" in before.run.text):
            return True
    return False


@rule(
    "AWS503",
    "configure-credentials-without-credentials",
    Severity.ERROR,
    [Kind.WORKFLOW],
    "`configure-aws-credentials` with no credential input on a GitHub-hosted runner",
    tags=("correctness",),
)
def configure_credentials_without_credentials(model: FileModel) -> Iterator[Hit]:
    """With neither ``role-to-assume``, ``aws-access-key-id``, ``web-identity-token-file`` nor
    ``role-chaining``, the action only validates credentials the runner already has. A
    GitHub-hosted runner has none, unless an earlier step or an ``AWS_*`` variable in scope
    provides them. Self-hosted runners (which may have an instance role) and composite actions
    (whose runner is the caller's) are not reported."""
    for workflow, job, step in _configure_steps(model):
        env = workflow.scope_env(job, step)
        if workflow.composite or not job.github_hosted or _has_source(step, env) or has_credentials(env, job):
            continue
        if any(gives_credentials(before) for before in job.steps[: job.steps.index(step)]):
            continue
        given = "`role-chaining` with no earlier credentials to chain from" if chains_roles(step, env) else "no credentials (no `role-to-assume`, `aws-access-key-id` or `web-identity-token-file`)"
        yield Hit(
            f"`{step.uses.text}` is given {given} and job `{job.name}` runs on a GitHub-hosted runner, which has none of its own, "
            "so it fails with \"Credentials could not be loaded\"; add `role-to-assume:` for OIDC (with `id-token: write`)",
            step.uses.region,
        )


def _has_source(step: Step, env) -> bool:
    """A credential input. With ``role-chaining`` the role is assumed with credentials already
    present, so ``role-to-assume`` alone is then no source."""
    if step.input("aws-access-key-id") is not None or action_input(step, "web-identity-token-file", env) is not None:
        return True
    return action_input(step, "role-to-assume", env) is not None and not chains_roles(step, env)


@rule(
    "AWS504",
    "long-lived-keys-from-secrets",
    Severity.NOTE,
    [Kind.WORKFLOW],
    "long-lived access keys from `secrets` where OIDC would do",
    tags=("security",),
)
def long_lived_keys_from_secrets(model: FileModel) -> Iterator[Hit]:
    """Access keys taken from repository secrets work, but they are long-lived IAM user keys
    that must be rotated and can leak; OIDC gives each job credentials that expire within the
    hour (GitHub docs, "About security hardening with OpenID Connect"). Reported on
    ``aws-access-key-id`` inputs without ``role-to-assume``, and on ``AWS_ACCESS_KEY_ID`` in a
    job's or step's ``env`` (the workflow level is AWS505)."""
    workflow = model.workflow
    for job in workflow.jobs if workflow else ():
        for step in job.steps:
            key = step.input("aws-access-key-id") if configures_credentials(step) else None
            if key is not None and _from_secrets(key.value) and action_input(step, "role-to-assume", workflow.scope_env(job, step)) is None:
                yield _keys_hit(key.region, "`aws-access-key-id`")
        for var in [*job.env, *job.container_env, *(var for step in job.steps for var in step.env)]:
            if var.name == "AWS_ACCESS_KEY_ID" and _from_secrets(var.value):
                yield _keys_hit(var.region, "`AWS_ACCESS_KEY_ID`")


def _from_secrets(value: str | None) -> bool:
    """A ``${{ secrets.NAME }}`` (or ``secrets['NAME']``) expression."""
    return bool(value) and bool(_SECRETS.search(value))


def _keys_hit(region, what: str) -> Hit:
    return Hit(
        f"{what} comes from a secret: long-lived IAM user keys that must be rotated by hand and work "
        "wherever they leak; prefer OIDC (`role-to-assume` with `id-token: write`), which gives each job keys that expire",
        region,
    )


@rule(
    "AWS508",
    "outdated-configure-credentials-ref",
    Severity.WARNING,
    [Kind.WORKFLOW],
    "`configure-aws-credentials` at a deprecated major version or a branch",
    tags=("correctness",),
)
def outdated_configure_credentials_ref(model: FileModel) -> Iterator[Hit]:
    """A major version below v6 runs on a Node.js runtime GitHub removed or deprecated; a branch
    (``@main``, ``@v1-node16``) changes under the workflow. A commit SHA is not judged."""
    for _, _, step in _configure_steps(model):
        action = step.action
        if action.pinned:
            continue
        version = release(action.ref)
        if version is None:
            why = "no ref" if not action.ref else f"`{action.ref}`, which is not a release tag (a branch changes under you)"
            yield Hit(f"`{step.uses.text}` names {why}; use a release such as `@v{_CURRENT}` or its commit SHA", step.uses.region)
        elif version[0] < _CURRENT:
            runtime = _RUNTIME.get(version[0], "an old Node.js")
            yield Hit(
                f"`{step.uses.text}` runs on {runtime}, which GitHub's runners no longer support as is; "
                f"upgrade to `@v{_CURRENT}` (Node 24)",
                step.uses.region,
            )


@rule(
    "AWS509",
    "unpinned-aws-action",
    Severity.NOTE,
    [Kind.WORKFLOW],
    "AWS action not pinned to a commit SHA in a job that holds AWS credentials",
    tags=("security",),
)
def unpinned_aws_action(model: FileModel) -> Iterator[Hit]:
    """A tag can be moved to other code; only a full commit SHA is immutable (GitHub docs,
    "Security hardening for GitHub Actions", "Using third-party actions"). In a job that holds
    AWS credentials, the action runs with them."""
    workflow = model.workflow
    for job in workflow.jobs if workflow else ():
        configured = any(configures_credentials(s) for s in job.steps)
        for index, step in enumerate(job.steps):
            action = step.action
            if action is None or not action.slug.startswith("aws-actions/") or action.pinned:
                continue
            if configured or has_credentials(workflow.scope_env(job, step), job) or any(gives_credentials(b) for b in job.steps[:index]):
                where = "this composite action, whose caller holds" if workflow.composite else f"job `{job.name}`, which holds"
                yield Hit(
                    f"`{step.uses.text}` runs in {where} AWS credentials, but a tag can be moved "
                    "to other code; pin the full commit SHA (and keep the tag in a comment)",
                    step.uses.region,
                )
