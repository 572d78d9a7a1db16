"""ECS task definitions: RegisterTaskDefinition JSON and CloudFormation ``AWS::ECS::TaskDefinition``.

Accepted shapes (Amazon ECS Developer Guide, "Task definition parameters"; CloudFormation
``AWS::ECS::TaskDefinition``):

- JSON whose top level holds ``containerDefinitions`` (``register-task-definition --cli-input-json``);
- the ``describe-task-definition`` output, where it sits under ``taskDefinition``;
- CloudFormation/SAM templates, YAML (with ``!Ref``-style tags) or JSON, whose ``Resources``
  hold ``AWS::ECS::TaskDefinition`` resources (PascalCase properties).

Every container becomes a :class:`~awslint.model.Workload` of type ``container``, listed both in
its :class:`~awslint.model.TaskDefinition` and in ``FileModel.workloads``.
"""

from __future__ import annotations

from awslint.model import Command, Container, Document, EnvVar, FileModel, Mount, TaskDefinition
from awslint.parse.common import load_tree, scalar
from awslint.parse.tree import Node

_CFN_TYPE = "AWS::ECS::TaskDefinition"


def parse(document: Document) -> FileModel:
    """Parse every task definition in the file; syntax errors become problems."""
    if document.path.suffix.lower() == ".tf":  # Terraform: awslint.parse.terraform (loads python-hcl2 only then)
        from awslint.parse import terraform

        return terraform.parse(document)
    model = FileModel(document)
    text = (document.text or "").lstrip("\ufeff \t\r\n")
    as_json = text.startswith(("{", "["))
    root = load_tree(document, model, as_json=as_json)
    if root is None or not isinstance(root.value, dict):
        return model
    for task in _task_definitions(root, as_json):
        model.task_definitions.append(task)
        model.workloads.extend(task.containers)
    return model


def _task_definitions(root: Node, as_json: bool = False) -> list[TaskDefinition]:
    resources = root.get("Resources")
    if resources is not None:
        found = []
        for name, node in resources.mapping().items():
            if node.get("Type") and node.get("Type").text == _CFN_TYPE:
                properties = node.get("Properties")
                task = _task(name, properties or Node({}, node.region), node.key_region or node.region, _CFN_KEYS)
                task.body, task.shape = properties, "cloudformation"  # AWS409: PascalCase keys
                found.append(task)
        return found
    body = root.get("taskDefinition") if root.get("containerDefinitions") is None else root
    if body is None or not isinstance(body.value, dict):
        return []
    family = body.get("family")
    task = _task(family.text if family and family.text else "task", body, body.region, _JSON_KEYS)
    task.body = body if as_json else None  # API JSON: AWS409 checks its shape (YAML scalars are all text)
    return [task]


class _Keys:
    """Property names of one shape: camelCase (API JSON) or PascalCase (CloudFormation)."""

    def __init__(self, pascal: bool):
        self.pascal = pascal

    def __call__(self, name: str) -> str:
        return name[0].upper() + name[1:] if self.pascal else name


_JSON_KEYS, _CFN_KEYS = _Keys(False), _Keys(True)


def _task(name: str, body: Node, region, key: _Keys) -> TaskDefinition:
    containers = body.get(key("containerDefinitions"))
    return TaskDefinition(
        name=name,
        region=region,
        task_role_arn=scalar(body.get(key("taskRoleArn"))),
        execution_role_arn=scalar(body.get(key("executionRoleArn"))),
        containers=[_container(c, key) for c in (containers.items() if containers else []) if isinstance(c.value, dict)],
        requires_compatibilities=[i.text for i in _items(body.get(key("requiresCompatibilities"))) if i.text],
    )


def _container(node: Node, key: _Keys) -> Container:
    name = node.get(key("name"))
    log = node.get(key("logConfiguration"))
    return Container(
        type="container",
        name=name.text if name and name.text else "container",
        region=name.region if name else node.region,
        image=scalar(node.get(key("image"))),
        env=_pairs(node.get(key("environment")), key, "value", "env") + _pairs(node.get(key("secrets")), key, "valueFrom", "secret"),
        mounts=[m for m in (_mount(p, key) for p in _items(node.get(key("mountPoints")))) if m],
        user=scalar(node.get(key("user"))),
        commands=[c for c in (_command(node.get(key("entryPoint"))), _command(node.get(key("command")))) if c],
        repository_credentials=scalar(node.get(key("repositoryCredentials"))),
        environment_files=[s for s in (scalar(i.get(key("value")) or i) for i in _items(node.get(key("environmentFiles")))) if s],
        log_driver=scalar(log.get(key("logDriver"))) if log else None,
    )


def _items(node: Node | None) -> list[Node]:
    return node.items() if node else []


def _pairs(node: Node | None, key: _Keys, value_key: str, origin: str) -> list[EnvVar]:
    """``[{"name": N, "value": V}]`` entries (``environment``; ``secrets`` with ``valueFrom``)."""
    found = []
    for item in _items(node):
        name, value = item.get(key("name")), item.get(key(value_key))
        if name is None or name.text is None:
            continue
        found.append(EnvVar(name.text, value.text if value else None, item.region, value.region if value else None, origin))
    return found


def _mount(node: Node, key: _Keys) -> Mount | None:
    source, target = node.get(key("sourceVolume")), node.get(key("containerPath"))
    if target is None or target.text is None:
        return None
    return Mount(source.text if source else None, target.text, "volume", node.region)


def _command(node: Node | None) -> Command | None:
    if node is None or not isinstance(node.value, list):
        return None
    words = [item.text or "" for item in node.items()]
    if words[:1] in (["sh"], ["/bin/sh"], ["bash"], ["/bin/bash"]) and len(words) >= 3 and words[1] == "-c":
        return Command(" ".join(words[2:]), node.region)
    return Command(" ".join(words), node.region, exec_form=True)
