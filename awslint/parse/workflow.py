"""GitHub Actions workflows (``.github/workflows/*.yml``) and composite actions (``action.yml``).

Follows GitHub's "Workflow syntax for GitHub Actions" and "Metadata syntax for GitHub Actions"
(``runs.using: composite``). Each job becomes a :class:`~awslint.model.Job` holding its own
``permissions`` block, ``env``, ``container`` image, ``run`` commands and steps with their
``uses``/``with``/``env``; the workflow-level ``env`` goes to ``FileModel.variables``.
"""

from __future__ import annotations

import re

from awslint.model import Command, Document, FileModel, Job, Mount, Permissions, Region, Scalar, Spots, Step, Workflow
from awslint.parse.common import load_mapping, mapping_env, scalar
from awslint.parse.tree import Node


def parse(document: Document) -> FileModel:
    """Parse a workflow or composite action; a non-mapping top level is a problem, and an
    ``action.yml`` that is not a composite action yields an empty model."""
    model = FileModel(document)
    root = load_mapping(document, model, "a mapping with `on:` and `jobs:` (or `runs:` in an action)")
    if root is None:
        return model
    runs = root.get("runs")
    if runs is not None and root.get("jobs") is None:
        model.workflow = _composite_action(runs)
    else:
        model.workflow = _workflow(root)
        model.variables = model.workflow.env
    if model.workflow:
        model.workflow.path = document.path
    model.workloads = list(model.workflow.jobs) if model.workflow else []
    lines = document.lines()
    for job in model.workloads:
        for command in job.commands:
            command.positions = script_positions(command.text, command.region, lines)
    return model


def script_positions(text: str, region: Region, lines: list[str]) -> Spots | None:
    """Where each character of a ``run:`` script stands in the file (``Command.positions``):
    each script line is found, in order and inside the scalar's ``region``, as the end of a
    file line with only indentation before it (the first line may follow ``run:``, and a
    one-line quoted script ends before its closing quote). This holds for plain and quoted
    one-line scripts and literal ``|`` blocks; for folded or escaped scalars, whose text
    differs from the file, it returns ``None``."""
    positions = Spots()
    number = region.start_line
    body = text.rstrip("\n")  # a block's final newlines (clip or keep) sit on no line of their own
    for index, line in enumerate(body.split("\n")):
        while number <= min(region.end_line, len(lines)):
            raw = lines[number - 1]
            if number == region.start_line and raw.rstrip()[-1:] in ("'", '"') and not raw.endswith(line):
                raw = raw.rstrip()[:-1]
            before = raw[: len(raw) - len(line)] if raw.endswith(line) else None
            if before is not None and (not before.strip() or (index == 0 and number == region.start_line)):
                break
            number += 1
        else:
            return None
        column = len(raw) - len(line)
        positions.add(number, column, len(line) + 1)
        number += 1
    last = positions[-1]
    return positions.add(*last, len(text) - len(body), cap=last[1])


def _workflow(root: Node) -> Workflow:
    jobs = root.get("jobs")
    triggers = _events(root.get("on"))
    return Workflow(
        permissions=permissions(root.get("permissions")),
        jobs=[_job(name, node) for name, node in (jobs.mapping() if jobs else {}).items() if isinstance(node.value, dict)],
        triggers=frozenset(triggers),
        env=mapping_env(root.get("env")),
    )


def _composite_action(runs: Node) -> Workflow | None:
    using = runs.get("using")
    if using is None or using.text != "composite":
        return None
    job = Job(type="job", name="composite action", region=runs.key_region or runs.region)
    job.steps = _steps(runs.get("steps"))
    job.commands = [step.run for step in job.steps if step.run]
    return Workflow(permissions=None, jobs=[job], composite=True)


def _events(node: Node | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node.value, list):
        return {item.text for item in node.items() if item.text}
    if isinstance(node.value, dict):
        return set(node.value)
    return {node.text} if node.text else set()


def permissions(node: Node | None) -> Permissions | None:
    """A ``permissions:`` value: ``read-all``/``write-all``, a scope map, or ``{}`` (none)."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return Permissions(node.region, {scope: (v.text or "none") for scope, v in node.value.items()})
    return Permissions(node.region, {}, node.text if node.text in ("read-all", "write-all") else None)


def _job(name: str, node: Node) -> Job:
    container = node.get("container")
    image = container.get("image") if container and isinstance(container.value, dict) else container
    steps = _steps(node.get("steps"))
    secrets = node.get("secrets")
    return Job(
        type="job",
        name=name,
        region=node.key_region or node.region,
        image=scalar(image),
        env=mapping_env(node.get("env")),
        mounts=_volumes(container.get("volumes") if container else None),
        commands=[step.run for step in steps if step.run],
        permissions=permissions(node.get("permissions")),
        steps=steps,
        runs_on=_labels(node.get("runs-on"), node.find("strategy", "matrix")),
        uses=scalar(node.get("uses")),
        inherits_secrets=secrets is not None and secrets.text == "inherit",
        condition=_condition(node.get("if")),
        container_env=mapping_env(container.get("env")) if container else [],
    )


def _labels(node: Node | None, matrix: Node | None) -> Scalar | None:
    """``runs-on`` as one text of labels: a label, a list of labels, a runner ``group`` mapping
    (``group=NAME`` plus its labels), or ``${{ matrix.NAME }}`` replaced by every value the
    job's ``strategy.matrix`` lists for it."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        group = node.get("group")
        labels = [f"group={group.text}"] if group is not None and group.text else []
        listed = node.get("labels")
        labels += [item.text for item in (listed.items() if listed else []) if item.text] or ([listed.text] if listed and listed.text else [])
        return Scalar(" ".join(labels), node.region) if labels else None
    if isinstance(node.value, list):
        labels = [item.text for item in node.items() if item.text]
        return Scalar(" ".join(labels), node.region) if labels else None
    text = node.text
    match = _MATRIX.fullmatch(text or "")
    values = matrix.get(match.group(1)) if match and matrix is not None else None
    if values is not None and isinstance(values.value, list) and all(item.text and "${{" not in item.text for item in values.items()):
        return Scalar(" ".join(item.text for item in values.items()), node.region)
    return Scalar(text, node.region) if text else None


_MATRIX = re.compile(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}")


def _volumes(node: Node | None) -> list[Mount]:
    """A job container's ``volumes``: ``source:target`` strings, as ``docker run -v`` takes them."""
    found = []
    for item in node.items() if node else []:
        source, _, target = (item.text or "").partition(":")
        if target:
            found.append(Mount(source=source, target=target.split(":")[0], type="bind", region=item.region))
    return found


def _condition(node: Node | None) -> str | None:
    return None if node is None or node.text is None else str(node.text)


def _steps(node: Node | None) -> list[Step]:
    return [_step(item) for item in (node.items() if node else []) if isinstance(item.value, dict)]


def _step(node: Node) -> Step:
    run = node.get("run")
    shell = node.get("shell")
    return Step(
        region=node.region,
        uses=scalar(node.get("uses")),
        inputs=mapping_env(node.get("with"), origin="input"),
        env=mapping_env(node.get("env")),
        run=Command(run.text, run.region) if run is not None and run.text else None,
        shell=shell.text if shell is not None else None,
        condition=_condition(node.get("if")),
    )
