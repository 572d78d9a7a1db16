"""Property-based fuzzing of every parser and of the whole pipeline (hypothesis).

For each file kind, random bytes, structurally generated files (INI, YAML, JSON, Dockerfiles,
``.env``, Terraform) and mutated real files (the rule fixtures and examples; with
``AWSLINT_FUZZ=long`` also ``../shared/corpus``) are linted with every rule. Properties: no
exception escapes, no internal error is reported, and every finding's region lies inside the file.

CI runs the ``ci`` profile (a minute or two). For a long local run::

    AWSLINT_FUZZ=long .venv/bin/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics

which tries inputs until stopped (``AWSLINT_FUZZ_EXAMPLES`` sets the count per test).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awslint.config import Config
from awslint.discover import Candidate
from awslint.engine import lint, selected_rules
from awslint.model import Kind
from awslint.rules import all_rules

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
LONG = os.environ.get("AWSLINT_FUZZ") == "long"
settings.register_profile("ci", max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck), database=None)
settings.register_profile("long", max_examples=int(os.environ.get("AWSLINT_FUZZ_EXAMPLES", "1000000")), deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile("long" if LONG else "ci")

# Where a file of each kind lives, so that discovery-independent rules see a realistic path.
NAMES = {
    Kind.AWS_CONFIG: ".aws/config",
    Kind.AWS_CREDENTIALS: ".aws/credentials",
    Kind.DOCKERFILE: "Dockerfile",
    Kind.COMPOSE: "compose.yaml",
    Kind.DOTENV: ".env",
    Kind.ECS: "task-definition.json",
    Kind.WORKFLOW: ".github/workflows/ci.yml",
}
RULES = selected_rules(all_rules(), Config(root=REPO))
WORK = Path(tempfile.mkdtemp(prefix="awslint-fuzz-"))


def _check(kind: Kind, data: bytes, name: str | None = None) -> list:
    """Lint ``data`` as a file of ``kind``, check the properties, return the findings."""
    folder = WORK / "case"
    shutil.rmtree(folder, ignore_errors=True)
    path = folder / (name or NAMES[kind])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    config = Config(root=folder)
    report = lint([Candidate(path, name or NAMES[kind], kind)], RULES, config)
    assert not report.internal_errors, report.internal_errors
    lines = data.decode("utf-8", "replace").splitlines()  # every line break a parser may honour (\r, \x85, ...)
    for finding in report.findings:
        region = finding.region
        assert 1 <= region.start_line <= region.end_line <= len(lines) + 1, (finding.rule.id, region, len(lines))
        assert region.start_column >= 1 and region.end_column >= 1, (finding.rule.id, region)
        if region.start_line == region.end_line:
            assert region.end_column >= region.start_column, (finding.rule.id, region)
    return report.findings


def test_the_harness_lints() -> None:
    """The harness really runs the rules: a known mistake is found where it is."""
    findings = _check(Kind.DOCKERFILE, b"FROM alpine\nCOPY .aws /root/.aws\n")
    assert [(f.rule.id, f.region.start_line) for f in findings] == [("AWS201", 2)]


# --- random bytes ------------------------------------------------------------------------

KINDS = st.sampled_from(list(NAMES))


@PROFILE
@given(kind=KINDS, data=st.binary(max_size=3000))
def test_random_bytes(kind: Kind, data: bytes) -> None:
    _check(kind, data)


@PROFILE
@given(kind=KINDS, text=st.text(max_size=2000))
def test_random_text(kind: Kind, text: str) -> None:
    _check(kind, text.encode("utf-8", "surrogatepass"))


# --- structure ---------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["aws", "s3", "ls", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "role_arn", "source_profile", "default",
     "profile dev", "sso_session", "credential_process", "${HOME}", "$X", "${{ secrets.K }}", "arn:aws:iam::123456789012:role/x",
     "eu-west-1", "~/.aws", "/root/.aws", "'", '"', "\\", "[", "]", "{", "}", "=", ":", "#", "&a", "*a", "<<", "|", ">", "-", "\t", ""]
)
TEXT = st.lists(WORDS, max_size=6).map(" ".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT, st.text(max_size=20))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, WORDS), inner, max_size=5)), max_leaves=40)
KEYS = {
    Kind.COMPOSE: ["services", "volumes", "secrets", "include", "image", "build", "environment", "env_file", "volumes", "user", "command", "extends"],
    Kind.WORKFLOW: ["on", "jobs", "permissions", "env", "steps", "uses", "with", "run", "runs-on", "container", "id-token", "role-to-assume", "aws-region", "runs", "using"],
    Kind.ECS: ["containerDefinitions", "taskRoleArn", "executionRoleArn", "environment", "secrets", "name", "value", "image", "Resources", "Type", "Properties"],
}


def _shaped(kind: Kind):
    """Trees whose keys are mostly the kind's own keys, so the parsers get past the top level."""
    keys = st.sampled_from(KEYS[kind])
    inner = st.recursive(SCALARS, lambda child: st.one_of(st.lists(child, max_size=4), st.dictionaries(keys, child, max_size=5)), max_leaves=30)
    return st.dictionaries(keys, inner, min_size=1, max_size=5)


@PROFILE
@given(kind=st.sampled_from([Kind.COMPOSE, Kind.WORKFLOW, Kind.ECS]), data=st.data())
def test_generated_yaml_and_json(kind: Kind, data) -> None:
    tree = data.draw(st.one_of(_shaped(kind), TREES))
    as_json = data.draw(st.booleans())
    text = json.dumps(tree) if as_json else yaml.safe_dump(tree, allow_unicode=True)
    name = None if as_json or kind is not Kind.ECS else "template.yaml"
    _check(kind, text.encode("utf-8", "surrogatepass"), name)


INI_LINE = st.one_of(
    st.builds(lambda name: f"[{name}]", st.one_of(TEXT, st.sampled_from(["default", "profile dev", "sso-session s", "services x", "DEFAULT"]))),
    st.builds(lambda key, value: f"{key} = {value}", st.sampled_from(["region", "role_arn", "source_profile", "aws_access_key_id", "s3", "sso_session", "credential_process", "output", "x"]), TEXT),
    st.builds(lambda text: f"  {text}", TEXT),
    TEXT,
)


@PROFILE
@given(kind=st.sampled_from([Kind.AWS_CONFIG, Kind.AWS_CREDENTIALS]), lines=st.lists(INI_LINE, max_size=30))
def test_generated_ini(kind: Kind, lines: list[str]) -> None:
    _check(kind, "\n".join(lines).encode("utf-8", "surrogatepass"))


DOCKER_LINE = st.one_of(
    st.builds(lambda op, text: f"{op} {text}", st.sampled_from(["FROM", "RUN", "ENV", "ARG", "USER", "COPY", "ADD", "WORKDIR", "CMD", "ENTRYPOINT", "SHELL", "ONBUILD", "run", "from"]), TEXT),
    st.builds(lambda text: f"RUN <<EOF\n{text}\nEOF", TEXT),
    st.builds(lambda text: f'RUN ["{text}"]', TEXT),
    st.builds(lambda text: f"RUN --mount=type=secret,id=aws {text} \\", TEXT),
    st.sampled_from(["# escape=`", "# syntax=docker/dockerfile:1", "FROM alpine AS base", "FROM base", "COPY .aws /root/.aws", ""]),
)


@PROFILE
@given(lines=st.lists(DOCKER_LINE, max_size=25))
def test_generated_dockerfile(lines: list[str]) -> None:
    _check(Kind.DOCKERFILE, "\n".join(lines).encode("utf-8", "surrogatepass"))


@PROFILE
@given(lines=st.lists(st.one_of(st.builds(lambda k, v: f"{k}={v}", WORDS, TEXT), TEXT), max_size=20))
def test_generated_dotenv(lines: list[str]) -> None:
    _check(Kind.DOTENV, "\n".join(lines).encode("utf-8", "surrogatepass"))


@PROFILE
@given(body=st.lists(st.one_of(TEXT, st.builds(lambda k, v: f'{k} = "{v}"', WORDS, TEXT)), max_size=15))
def test_generated_terraform(body: list[str]) -> None:
    text = 'resource "aws_ecs_task_definition" "t" {\n' + "\n".join(body) + '\ncontainer_definitions = jsonencode([{ name = "a" }])\n}\n'
    _check(Kind.ECS, text.encode("utf-8", "surrogatepass"), "main.tf")


# --- mutated real files ------------------------------------------------------------------


def _seeds() -> list[tuple[Kind, str, bytes]]:
    from awslint.discover import Walker

    folders = [REPO / "tests" / "fixtures", REPO / "examples"] + ([CORPUS] if LONG and CORPUS.is_dir() else [])
    seeds = []
    for folder in folders:
        for candidate in Walker(folder, [], {}, respect_gitignore=False).walk([folder]):
            if candidate.skip is None and candidate.path.stat().st_size < 200_000:
                # ECS files keep their name: the extension picks JSON, CloudFormation or Terraform.
                name = candidate.path.name if candidate.kind is Kind.ECS else NAMES[candidate.kind]
                seeds.append((candidate.kind, name, candidate.path.read_bytes()))
    return seeds


SEEDS = _seeds()
MUTATION = st.tuples(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]), st.floats(0, 1), st.integers(1, 64), st.binary(min_size=1, max_size=16))


def _mutate(data: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    for op, where, size, chunk in mutations:
        at = int(where * len(data))
        if op == "delete":
            data = data[:at] + data[at + size :]
        elif op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "replace":
            data = data[:at] + chunk + data[at + len(chunk) :]
        elif op == "duplicate":
            data = data[:at] + data[at : at + size] * 3 + data[at:]
        else:
            data = data[:at]
    return data


@PROFILE
@given(seed=st.sampled_from(SEEDS), mutations=st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_real_files(seed: tuple[Kind, str, bytes], mutations) -> None:
    kind, name, data = seed
    _check(kind, _mutate(data, mutations), name)


def test_there_are_seeds_of_every_kind() -> None:
    assert {kind for kind, _, _ in SEEDS} == set(NAMES)
