"""AWS409: the shape of ECS task definition JSON, checked against botocore's ECS model.

``aws ecs register-task-definition --cli-input-json file://task-definition.json`` hands the
file to botocore, whose ``ParamValidator`` (``botocore/validate.py``) rejects, before any
request is sent, every key that is not a member of the ``RegisterTaskDefinition`` input shape
("Unknown parameter in containerDefinitions[0]: ...") and every value of the wrong JSON type
("Invalid type for parameter cpu, value: 256, type: <class 'int'>, valid types: <class 'str'>").
The members and their types come from ``awslint/data/ecs_register_task_definition.json``,
generated from botocore by ``scripts/make_ecs_shape.py`` (its ``botocore_version`` says which).

Three forms are checked (``TaskDefinition.body`` and ``TaskDefinition.shape``):

- JSON in the API's own shapes: ``register-task-definition`` input, and the
  ``describe-task-definition`` output, whose ``taskDefinition`` object may also hold the
  read-only keys ECS adds (``taskDefinitionArn``, ``revision``, ``status`` ...; ``describe_only``
  in the data file);
- CloudFormation ``AWS::ECS::TaskDefinition`` ``Properties`` (YAML or JSON): the API's names in
  PascalCase, matched case-insensitively (``EFSVolumeConfiguration``, ``FilesystemId``) plus
  CloudFormation's own ``ProxyConfigurationProperties``. CloudFormation converts scalars
  (``Cpu: 256``, ``ContainerPort: "80"``) and YAML scalars are all text, so only a list, an
  object or a scalar where another of the three is expected is reported; intrinsic functions
  (``!Ref``, ``{"Fn::If": ...}``) may stand for anything and are not looked into;
- Terraform ``aws_ecs_task_definition``: the keys and types inside ``container_definitions``
  (API camelCase), when written in the ``.tf`` file (``jsonencode``, heredoc); the resource's
  own snake_case arguments are Terraform's schema and are not checked, nor are values that
  Terraform fills in (``${...}``, references).

Like botocore, enum values and required keys are not checked here.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from awslint.model import FileModel, Kind, Region
from awslint.parse.tree import Node
from awslint.rules import Hit, Severity, rule
from awslint.rules.secrets import shown

DATA = Path(__file__).resolve().parent.parent / "data" / "ecs_register_task_definition.json"

Type = str | list  # "string" | "ContainerDefinition" | ["list", T] | ["map", K, V]

_REJECTS = "`aws ecs register-task-definition` rejects the file"
_CFN_REJECTS = "CloudFormation rejects the resource"
_TF_REJECTS = (
    "Terraform's AWS provider decodes `container_definitions` into the API's ContainerDefinition, "
    "failing on a value of the wrong type and dropping an unknown key"
)
# CloudFormation property names that are not the API's name in another case
_CFN_ALIASES = {"ProxyConfiguration": {"proxyconfigurationproperties": "properties"}}
_TASK = "RegisterTaskDefinitionRequest"
_CONTAINER = "ContainerDefinition"
_SCALARS = {
    "string": "a string",
    "integer": "a whole number",
    "long": "a whole number",
    "double": "a number",
    "float": "a number",
    "boolean": "`true` or `false`",
    "timestamp": "a date and time",
    "blob": "a string",
}
_PLURALS = {"string": "strings", "integer": "whole numbers", "long": "whole numbers", "double": "numbers", "float": "numbers"}


@lru_cache(maxsize=1)
def shape_data() -> dict:
    """The generated model (see ``scripts/make_ecs_shape.py``), read once."""
    return json.loads(DATA.read_text("utf-8"))


def _shapes() -> dict[str, dict[str, Type]]:
    return shape_data()["shapes"]


def _describe_only() -> list[str]:
    return shape_data()["describe_only"]


def describe_type(kind: Type) -> str:
    """How a type reads in a message: ``a string``, ``a list of strings``, ``an object (PortMapping)``."""
    if isinstance(kind, list):
        if kind[0] == "map":
            return "an object of string values" if kind[2] == "string" else f"an object whose values are {describe_type(kind[2])}"
        inner = kind[1]
        if isinstance(inner, list):
            return f"a list whose items are {describe_type(inner)}"
        if inner in _SCALARS:
            return "a list of " + _PLURALS.get(inner, f"items that are {_SCALARS[inner]}")
        return f"a list of objects ({inner})"
    if kind in _SCALARS:
        return _SCALARS[kind]
    return f"an object ({kind})"


def type_matches(value: object, kind: Type) -> bool:
    """Whether a JSON value has the JSON type botocore's ``ParamValidator`` accepts for ``kind``
    (only the outer type: members are checked one by one). ``true``/``false`` are not numbers
    here: botocore's ``isinstance(value, int)`` lets a Python ``bool`` through, but a JSON
    boolean is no number to the ECS API."""
    if isinstance(kind, list):
        return isinstance(value, list) if kind[0] == "list" else isinstance(value, dict)
    if kind in ("string", "blob"):
        return isinstance(value, str)
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("double", "float"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "timestamp":
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    return isinstance(value, dict)  # a structure


@lru_cache(maxsize=1)
def _parents() -> dict[str, set[str]]:
    """For each structure, the structures that hold it directly (as a member or list item)."""
    found: dict[str, set[str]] = {}
    for owner, members in _shapes().items():
        for kind in members.values():
            target = kind[1] if isinstance(kind, list) and kind[0] == "list" else kind
            if isinstance(target, str) and target in _shapes():
                found.setdefault(target, set()).add(owner)
    return found


def _children(owner: str) -> list[tuple[str, str]]:
    """``(member, structure)`` for each member of ``owner`` that is a structure or a list of them."""
    found = []
    for name, kind in _shapes()[owner].items():
        target = kind[1] if isinstance(kind, list) and kind[0] == "list" else kind
        if isinstance(target, str) and target in _shapes():
            found.append((name, target))
    return found


def _same(name: str) -> str:
    return name


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _at(structure: str) -> str:
    """Where a key of ``structure`` is written: ``at the task level``, ``in a container definition``."""
    if structure == _TASK:
        return "at the task level"
    if structure == _CONTAINER:
        return "in a container definition"
    return f"in `{structure}`"


def _holder(member: str, owner: str, show=_same) -> str:
    """How a message names member ``member`` of ``owner`` that holds a structure."""
    if member == "containerDefinitions":
        return f"a container definition (`{show(member)}`)"
    kind = _shapes()[owner][member]
    return f"each `{show(member)}` entry" if isinstance(kind, list) else f"`{show(member)}`"


def _same_key(key: str, members) -> str | None:
    return next((m for m in members if m.lower() == key.lower()), None)


def unknown_key_message(key: str, structure: str, rejects: str = _REJECTS, pascal: bool = False) -> str:
    """The message for a key that ``structure`` does not have: a case slip, a key of the level
    above or below, a near spelling (difflib), or just the fact. With ``pascal`` (CloudFormation),
    keys are named in PascalCase."""
    shapes = _shapes()
    members = shapes[structure]
    show = _pascal if pascal else _same
    if pascal:
        name = "AWS::ECS::TaskDefinition property" if structure == _TASK else f"{structure} property"
    else:
        name = f"{'RegisterTaskDefinition' if structure == _TASK else structure} key"
    name = ("an " if name[0] in "AEIOU" else "a ") + name
    same = _same_key(key, members)
    if same:
        return f"`{key}` is not {name}: keys are case-sensitive, write `{show(same)}`; {rejects}"
    for parent in sorted(_parents().get(structure, ())):
        moved = _same_key(key, shapes[parent])
        if moved:
            return f"`{show(moved)}` belongs {_at(parent)}, not {_at(structure)}: move it up one level; {rejects}"
    holders = [_holder(member, structure, show) for member, child in _children(structure) if _same_key(key, shapes[child])]
    if holders:
        return f"`{key}` belongs inside {' or '.join(holders)}, not {_at(structure) if structure == _TASK else 'directly ' + _at(structure)}: move it down one level; {rejects}"
    for parent in sorted(_parents().get(structure, ())):
        cousin = next(
            (_holder(m, parent, show) for m, child in _children(parent) if child != structure and _same_key(key, shapes[child])),
            None,
        )
        if cousin:
            where = "" if parent == _TASK else f" of {_at(parent).removeprefix('in ')}"
            return f"`{key}` is not {name}: it is a key of {cousin}{where}, so this entry may belong there; {rejects}"
    close = difflib.get_close_matches(key, [show(m) for m in members], n=1, cutoff=0.6)
    if close:
        hint = f" (did you mean `{close[0]}`?)"
    elif members.get("options") == ["map", "string", "string"]:
        hint = f" (driver options go inside `{show('options')}`)"
    else:
        hint = ""
    return f"`{key}` is not {name}{hint}; {rejects}"


def wrong_type_message(key: str, node: Node, kind: Type, rejects: str = _REJECTS) -> str:
    """The message for a value of the wrong JSON type; quotes the fix for the usual slips
    (``"cpu": 256`` at the task level, ``"memory": "512"`` or ``"essential": "true"`` in a
    container, a string where a list is expected)."""
    value = node.value
    expected = describe_type(kind)
    label = f"`{key}`"
    if value is None:
        return f"{label} is null, but botocore expects {expected}: remove the key or give it a value; {rejects}"
    written = shown(json.dumps(value), 40) if not isinstance(value, (dict, list)) else ("an object" if isinstance(value, dict) else "a list")
    fix = ""
    if kind == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
        fix = f": write `{shown(json.dumps(str(value)), 40)}`"
    elif kind in ("integer", "long") and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        fix = f": write `{shown(value.strip(), 40)}` without quotes"
    elif kind == "boolean" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        fix = f": write `{value.strip().lower()}` without quotes"
    elif isinstance(kind, list) and kind[0] == "list" and not isinstance(value, list):
        fix = ": put the value in `[...]`"
    return f"{label} must be {expected}, not {written}{fix}; {rejects}"


def validate(
    node: Node, structure: str, skip: frozenset[str] = frozenset(), opaque=None, rejects: str = _REJECTS
) -> Iterator[tuple[str, Region]]:
    """``(message, region)`` for each problem in the JSON object ``node`` read as ``structure``;
    keys in ``skip`` (describe-only keys) are accepted as they are, and values for which
    ``opaque(node)`` holds (filled in by Terraform) are not looked into."""
    members = _shapes()[structure]
    for key, child in node.mapping().items():
        region = child.key_region or child.region
        if key in skip:
            continue
        if key not in members and structure == _TASK and key in _describe_only():
            yield (
                (
                    f"`{key}` is read-only output of `describe-task-definition`, not a RegisterTaskDefinition key: "
                    f"remove it (the amazon-ecs-deploy-task-definition action drops it, but {_REJECTS})"
                ),
                region,
            )
            continue
        if key not in members:
            yield unknown_key_message(key, structure, rejects), region
            continue
        yield from _value(key, child, members[key], region, opaque, rejects)


def _value(key: str, node: Node, kind: Type, region: Region, opaque=None, rejects: str = _REJECTS) -> Iterator[tuple[str, Region]]:
    if opaque is not None and opaque(node):
        return
    if not type_matches(node.value, kind):
        yield wrong_type_message(key, node, kind, rejects), region
        item = kind[1] if isinstance(kind, list) and kind[0] == "list" else None
        if isinstance(item, str) and item in _shapes() and isinstance(node.value, dict):
            yield from validate(node, item, opaque=opaque, rejects=rejects)  # the one item it meant: its keys in the same pass
        return
    if isinstance(kind, list):
        if kind[0] == "list":
            labelled = [(f"{key}[{index}]", item) for index, item in enumerate(node.items())]
        else:
            labelled = [(f"{key}.{name}", item) for name, item in node.mapping().items()]
        inner = kind[1] if kind[0] == "list" else kind[2]
        for label, item in labelled:
            yield from _value(label, item, inner, item.key_region or item.region, opaque, rejects)
    elif kind in _shapes():
        yield from validate(node, kind, opaque=opaque, rejects=rejects)


# --- CloudFormation ---------------------------------------------------------------------


def is_intrinsic(node: Node) -> bool:
    """A YAML short tag (``!Ref``, ``!If``, ``!Sub``) or a one-key ``Ref``/``Fn::*`` object: it
    may stand for any value, so its shape is not checked."""
    if node.tag is not None:
        return True
    mapping = node.mapping()
    if len(mapping) != 1:
        return False
    key = next(iter(mapping))
    return key == "Ref" or key.startswith("Fn::")


def _cfn_member(key: str, structure: str) -> str | None:
    """The API member a CloudFormation property name stands for (case-insensitive)."""
    alias = _CFN_ALIASES.get(structure, {}).get(key.lower())
    return alias or _same_key(key, _shapes()[structure])


def _outer(value: object) -> str:
    return "list" if isinstance(value, list) else "object" if isinstance(value, dict) else "scalar"


def _outer_kind(kind: Type) -> str:
    if isinstance(kind, list):
        return "list" if kind[0] == "list" else "object"
    return "scalar" if kind in _SCALARS else "object"


def validate_cloudformation(node: Node, structure: str) -> Iterator[tuple[str, Region]]:
    """``(message, region)`` for each unknown property (named in PascalCase) in the
    CloudFormation object ``node`` read as ``structure``, and each list, object or scalar given
    where another of the three is expected; intrinsics are skipped."""
    members = _shapes()[structure]
    for key, child in node.mapping().items():
        region = child.key_region or child.region
        member = _cfn_member(key, structure)
        if member is None:
            if key != "Ref" and not key.startswith("Fn::"):
                yield unknown_key_message(key, structure, _CFN_REJECTS, pascal=True), region
            continue
        yield from _cfn_value(key, child, members[member], region)


def _cfn_value(label: str, node: Node, kind: Type, region: Region) -> Iterator[tuple[str, Region]]:
    if is_intrinsic(node) or node.value is None:
        return
    if _outer(node.value) != _outer_kind(kind):
        yield wrong_type_message(label, node, kind, _CFN_REJECTS), region
        return
    if isinstance(kind, list):
        if kind[0] == "list":
            for index, item in enumerate(node.items()):
                yield from _cfn_value(f"{label}[{index}]", item, kind[1], item.region)
        else:
            for name, item in node.mapping().items():
                yield from _cfn_value(f"{label}.{name}", item, kind[2], item.key_region or item.region)
    elif kind in _shapes():
        yield from validate_cloudformation(node, kind)


# --- Terraform --------------------------------------------------------------------------


def _terraform_opaque(lines: list[str]):
    """Whether a value of ``container_definitions`` is filled in by Terraform: a ``${...}``
    (a reference, a function call or an interpolation) or, in heredoc JSON, a template that
    the parser read as ``0``; ``null`` is dropped by the provider's JSON decoder."""

    def opaque(node: Node) -> bool:
        if node.value is None or (isinstance(node.value, str) and ("${" in node.value or "%{" in node.value)):
            return True
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            line = node.region.start_line - 1
            if 0 <= line < len(lines):
                return lines[line][node.region.start_column - 1 :].startswith(("${", "%{"))
        return False

    return opaque


@rule(
    "AWS409",
    "invalid-task-definition-key",
    Severity.ERROR,
    [Kind.ECS],
    "task definition has a key or value type that RegisterTaskDefinition does not accept",
    tags=("correctness",),
)
def invalid_task_definition_key(model: FileModel) -> Iterator[Hit]:
    """Unknown keys (with the likely intended one), keys at the wrong level and values of the
    wrong JSON type in task definition JSON, as botocore's parameter validation reports them
    for ``aws ecs register-task-definition --cli-input-json``. A task definition under
    ``taskDefinition`` (``describe-task-definition`` output; its ``key_region`` is set) may
    also hold the read-only keys ECS returns."""
    skip = frozenset(_describe_only())
    lines: list[str] | None = None
    for task in model.task_definitions:
        body = getattr(task, "body", None)
        if not isinstance(body, Node) or not isinstance(body.value, dict) or is_intrinsic(body):
            continue
        shape = getattr(task, "shape", "json")
        if shape == "cloudformation":
            for message, region in validate_cloudformation(body, _TASK):
                yield Hit(message, region)
            continue
        if shape == "terraform":
            if lines is None:
                lines = (model.document.text or "").splitlines()
            opaque = _terraform_opaque(lines)
            definitions = body.get("containerDefinitions")
            for item in definitions.items() if definitions is not None else []:
                if isinstance(item.value, dict):
                    for message, region in validate(item, _CONTAINER, opaque=opaque, rejects=_TF_REJECTS):
                        yield Hit(message, region)
            continue
        described = body.key_region is not None
        for message, region in validate(body, _TASK, skip if described else frozenset()):
            yield Hit(message, region)
