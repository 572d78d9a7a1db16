"""The workflow model: ``uses:`` references, the permissions in effect for a job, the variables
a step sees, GitHub-hosted runners, and which script commands need AWS credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from awslint.model import ActionRef, Command, Document, Kind, Region, local_target
from awslint.parse.workflow import parse
from awslint.rules.github import aws_calls

WORKFLOW = """\
on:
  pull_request:
  workflow_call:
permissions:
  contents: read
  id-token: write
env:
  AWS_REGION: eu-west-1
jobs:
  inherits:
    runs-on: ubuntu-latest
    env:
      STAGE: prod
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        env:
          ROLE_TO_ASSUME: arn:aws:iam::123456789012:role/x
  replaces:
    runs-on: [self-hosted, linux]
    permissions:
      contents: read
    container:
      image: amazon/aws-cli
      env:
        AWS_PROFILE: ci
      volumes:
        - /home/runner/.aws:/root/.aws
    steps: []
  everything:
    runs-on: ${{ matrix.os }}
    permissions: write-all
  call:
    uses: ./.github/workflows/reusable.yml
    secrets: inherit
"""


def _workflow():
    model = parse(Document(Path("w.yml"), "w.yml", Kind.WORKFLOW, WORKFLOW, WORKFLOW.encode()))
    return model.workflow, {job.name: job for job in model.workflow.jobs}


@pytest.mark.parametrize(
    ("text", "slug", "path", "ref", "pinned"),
    [
        ("aws-actions/configure-aws-credentials@v6", "aws-actions/configure-aws-credentials", "", "v6", False),
        ("Org/Repo/sub/dir@main", "org/repo", "sub/dir", "main", False),
        ("aws-actions/configure-aws-credentials@" + "a" * 40, "aws-actions/configure-aws-credentials", "", "a" * 40, True),
        ("aws-actions/configure-aws-credentials", "aws-actions/configure-aws-credentials", "", "", False),
    ],
)
def test_action_ref_splits_owner_repo_path_and_ref(text, slug, path, ref, pinned):
    action = ActionRef.parse(text)
    assert (action.slug, action.path, action.ref, action.pinned, action.local) == (slug, path, ref, pinned, False)


def test_local_and_docker_refs():
    assert ActionRef.parse("./.github/actions/login").local
    assert ActionRef.parse("docker://amazon/aws-cli:2").docker


def test_local_target_is_relative_to_the_repository_root(tmp_path):
    caller = tmp_path / ".github" / "workflows" / "ci.yml"
    caller.parent.mkdir(parents=True)
    assert local_target(caller, "./.github/workflows/deploy.yml") == [(tmp_path / ".github/workflows/deploy.yml").resolve()]
    assert local_target(caller, "./actions/login") == [(tmp_path / "actions/login/action.yml").resolve(), (tmp_path / "actions/login/action.yaml").resolve()]
    assert local_target(tmp_path / "action.yml", "./x") == []


def test_job_block_replaces_the_workflow_block():
    workflow, jobs = _workflow()
    assert workflow.permissions_for(jobs["inherits"]).grants("id-token", "write")
    assert not workflow.permissions_for(jobs["replaces"]).grants("id-token", "write")
    assert workflow.permissions_for(jobs["everything"]).grants("id-token", "write")


def test_triggers_callable_and_reusable_calls():
    workflow, jobs = _workflow()
    assert workflow.triggers == {"pull_request", "workflow_call"} and not workflow.only_called
    assert jobs["call"].uses.text == "./.github/workflows/reusable.yml" and jobs["call"].inherits_secrets


def test_scope_env_is_workflow_then_job_then_container_then_step():
    workflow, jobs = _workflow()
    job = jobs["inherits"]
    assert [v.name for v in workflow.scope_env(job, job.steps[0])] == ["AWS_REGION", "STAGE", "ROLE_TO_ASSUME"]
    assert [v.name for v in workflow.scope_env(jobs["replaces"])] == ["AWS_REGION", "AWS_PROFILE"]
    assert [m.target for m in jobs["replaces"].mounts] == ["/root/.aws"]


def test_only_github_hosted_labels_count_as_hosted():
    _, jobs = _workflow()
    assert jobs["inherits"].github_hosted
    assert not jobs["replaces"].github_hosted
    assert not jobs["everything"].github_hosted


@pytest.mark.parametrize(
    ("script", "calls"),
    [
        ("aws s3 ls", ["aws s3 ls"]),
        ("aws --version && aws configure set region eu-west-1", []),
        ("aws s3 ls --no-sign-request s3://open-data", []),
        ("aws help; aws s3 help", []),
        ("sam build && sam deploy --no-confirm-changeset", ["sam deploy"]),
        ("npx cdk synth && npx aws-cdk deploy --all", ["aws-cdk deploy"]),
        ("yarn cdk deploy; yarn run deploy; pnpm exec cdk bootstrap", ["cdk deploy", "cdk bootstrap"]),
        ("cdk synth; cdk deploy --all", ["cdk deploy"]),
        ("eksctl version; eksctl get clusters", ["eksctl get clusters"]),
        ("copilot svc deploy", ["copilot svc deploy"]),
        ("terraform apply", []),
        ("$buckets = aws s3api list-buckets | ConvertFrom-Json", ["aws s3api list-buckets"]),
    ],
)
def test_aws_calls_are_the_commands_that_need_credentials(script, calls):
    command = Command(script, Region(1, 1, 1, len(script) + 1))
    assert [call.text for call in aws_calls(command)] == calls
