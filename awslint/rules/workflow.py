"""AWS501, AWS510: the OIDC token of a GitHub Actions job (``id-token`` permission, triggers).

GitHub docs, "Workflow syntax for GitHub Actions" (``permissions``) and "GITHUB_TOKEN
reference": a job's ``permissions`` block replaces the workflow's; any explicit block sets the
scopes it does not name to ``none``; ``write-all``/``read-all`` set every scope; with no block
the repository or organisation default applies, and neither default grants ``id-token``. A
called reusable workflow, and every composite action a job uses, gets at most what the caller's
job grants ("Reusing workflow configurations": permissions "can be only downgraded").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from awslint.model import Context, FileModel, Job, Kind, Permissions, Region, Scalar, Step, Workflow
from awslint.rules import Hit, Severity, rule
from awslint.rules.github import action_input, gives_credentials, has_credentials, oidc_steps

_FORK_EVENTS = {"pull_request", "pull_request_review", "pull_request_review_comment"}
# An `if:` that keeps the job off fork pull requests: the head repository is this one, is not a
# fork, or the event is not `pull_request` (an `== 'pull_request'` anywhere lets them in).
_SAME_REPOSITORY = re.compile(
    r"head\.repo\.full_name\s*==\s*github\.repository|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name"
    r"|!\s*\(?\s*github\.event\.pull_request\.head\.repo\.fork|head\.repo\.fork\s*(?:==\s*false|!=\s*true)",
    re.I,
)
_OTHER_EVENT = re.compile(r"event_name\s*!=\s*['\"]pull_request|event_name\s*==\s*['\"](?!pull_request)", re.I)
_PULL_REQUEST_EVENT = re.compile(r"event_name\s*==\s*['\"]pull_request", re.I)


@rule(
    "AWS501",
    "oidc-without-id-token-permission",
    Severity.ERROR,
    [Kind.WORKFLOW],
    "`role-to-assume` via OIDC in a job without `id-token: write`",
    tags=("correctness",),
)
def oidc_without_id_token_permission(model: FileModel) -> Iterator[Hit]:
    """Where an OIDC ``configure-aws-credentials`` step runs while the permissions in effect
    lack ``id-token: write``: in the job itself, or on the ``uses:`` of a job that calls a local
    reusable workflow or composite action needing the token (directly or through another one).
    A workflow run only by its callers, with no block of its own, is left to those callers."""
    workflow = model.workflow
    if workflow is None:
        return
    for job in workflow.jobs:
        block = workflow.permissions_for(job)
        if _grants_token(block) or (block is None and workflow.only_called):
            continue
        for step in _token_steps(workflow, job):
            role = action_input(step, "role-to-assume", workflow.scope_env(job, step))
            yield _hit(f"job `{job.name}` assumes a role through OIDC", block, role.region if role else step.region)
        for uses, callee, needing in _token_calls(model.context, workflow, job):
            if callee.composite:
                yield _hit(f"job `{job.name}` uses the composite action `{uses.text}`, which assumes a role through OIDC,", block, uses.region, True)
            else:
                yield _rejected(job, uses, needing, block)


def _grants_token(block: Permissions | None) -> bool:
    return block is not None and block.grants("id-token", "write")


def _token_steps(workflow: Workflow, job: Job) -> Iterator[Step]:
    """OIDC steps that fail without the token. Without it the action falls back to credentials
    already present (``src/index.ts``), so steps after another credentials step, with key
    variables in scope, or on a self-hosted runner (which may have an instance role) are
    left out."""
    if job.self_hosted:
        return
    for step in oidc_steps(workflow, job):
        before = job.steps[: job.steps.index(step)]
        if not has_credentials(workflow.scope_env(job, step), job) and not any(gives_credentials(b) for b in before):
            yield step


def _token_calls(context: Context | None, workflow: Workflow, job: Job, seen: frozenset[Path] = frozenset()) -> Iterator[tuple[Scalar, Workflow, Job]]:
    """``(uses, callee, callee job)`` for each local reusable workflow or composite action the
    job calls that needs the token, read from ``context``; ``seen`` breaks call cycles."""
    if context is None or workflow.path is None:
        return
    for uses in job.calls:
        callee = context.called(workflow.path, uses.text)
        if callee is not None and callee.path not in seen:
            needing = _needing_job(context, callee, seen | {callee.path})
            if needing is not None:
                yield uses, callee, needing


def _needing_job(context: Context, callee: Workflow, seen: frozenset[Path]) -> Job | None:
    """The first job of ``callee`` that needs the token from its caller: it has an OIDC step or
    calls something that needs one, and its own block does not already deny it (that case is
    reported in the callee's own file)."""
    for job in callee.jobs:
        block = callee.permissions_for(job)
        if block is not None and not _grants_token(block):
            continue
        if next(_token_steps(callee, job), None) is not None or next(_token_calls(context, callee, job, seen), None) is not None:
            return job
    return None


def _where(block: Permissions | None) -> str:
    return "the `permissions:` block in effect has no `id-token: write`" if block else "no `permissions:` block grants `id-token: write` (no default does)"


def _hit(subject: str, block: Permissions | None, region: Region, called: bool = False) -> Hit:
    limit = "; a composite action runs with its caller's token" if called else ""
    return Hit(
        f"{subject} but {_where(block)}, so the action cannot get a token (\"Could not load credentials from any providers\"){limit}; "
        "add `id-token: write` (and `contents: read`) to the job's permissions",
        region,
        (("permissions in effect", block.region),) if block else (),
    )


def _rejected(job: Job, uses: Scalar, callee_job: Job, block: Permissions | None) -> Hit:
    """A called workflow whose job needs the token the caller does not grant: when the callee
    asks for it, GitHub refuses the whole run; when it inherits, the action gets no token."""
    return Hit(
        f"job `{job.name}` calls `{uses.text}`, whose job `{callee_job.name}` needs an OIDC token, but {_where(block)}; "
        "a called workflow never gets more than its caller grants, so GitHub rejects the run (\"The nested job "
        f"'{callee_job.name}' is requesting 'id-token: write', but is only allowed 'id-token: none'\") or the action "
        "gets no token; add `id-token: write` to this job's permissions",
        uses.region,
        (("permissions in effect", block.region),) if block else (),
    )


@rule(
    "AWS510",
    "oidc-on-fork-pull-request",
    Severity.NOTE,
    [Kind.WORKFLOW],
    "OIDC role in a job that pull requests from forks trigger (they get no token)",
    tags=("correctness",),
)
def oidc_on_fork_pull_request(model: FileModel) -> Iterator[Hit]:
    """GitHub never issues an OIDC token to a ``pull_request`` run from a fork (``id-token`` is
    ``none`` in the "Maximum access for pull requests from public forked repositories" column),
    and such runs get no secrets to fall back on. Reported on OIDC steps and on calls of local
    workflows or actions that need the token; skipped when the job's or step's ``if:`` looks
    requires the head repository to be this one or not a fork, or leaves out the
    ``pull_request`` event (a condition that also admits ``pull_request`` does not count)."""
    workflow = model.workflow
    if workflow is None or not workflow.triggers & _FORK_EVENTS:
        return
    events = ", ".join(f"`{e}`" for e in sorted(workflow.triggers & _FORK_EVENTS))
    for job in workflow.jobs:
        if _guarded(job.condition):
            continue
        for step in oidc_steps(workflow, job):
            if not _guarded(step.condition):
                role = action_input(step, "role-to-assume", workflow.scope_env(job, step))
                yield _fork_hit(f"job `{job.name}` assumes a role through OIDC", events, role.region if role else step.region)
        for uses, _, _ in _token_calls(model.context, workflow, job):
            yield _fork_hit(f"job `{job.name}` calls `{uses.text}`, which needs an OIDC token,", events, uses.region)


def _guarded(condition: str | None) -> bool:
    if condition is None:
        return False
    return bool(_SAME_REPOSITORY.search(condition)) or (bool(_OTHER_EVENT.search(condition)) and not _PULL_REQUEST_EVENT.search(condition))


def _fork_hit(subject: str, events: str, region: Region) -> Hit:
    return Hit(
        f"{subject} and runs on {events}, but runs for pull requests from forks get no OIDC token (and no secrets), "
        "so it fails for outside contributors; skip it there with "
        "`if: github.event.pull_request.head.repo.full_name == github.repository`",
        region,
    )
