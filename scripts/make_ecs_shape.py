"""Generate ``awslint/data/ecs_register_task_definition.json`` from botocore's ECS model.

The file is the input shape of ``RegisterTaskDefinition`` (what ``aws ecs
register-task-definition --cli-input-json`` accepts, checked by botocore's
``ParamValidator``), reduced to what rule AWS409 needs: for each structure reachable from
``RegisterTaskDefinitionRequest``, its members in model order, each with its type:

- a scalar type name as botocore spells it: ``"string"``, ``"integer"``, ``"boolean"``
  (``long``, ``double``, ``float``, ``timestamp``, ``blob`` if the model ever uses them);
- the name of another structure of ``shapes`` (structure names are never scalar type names);
- ``["list", T]`` or ``["map", K, V]`` with ``T``, ``K``, ``V`` in the same notation.

``describe_only`` lists the members of ``DescribeTaskDefinition``'s ``TaskDefinition`` output
that the input does not have (``taskDefinitionArn``, ``revision``, ...), accepted when a
task definition comes from ``describe-task-definition``. ``botocore_version`` records where the
data came from; ``tests/test_ecs_shape.py`` fails when the file differs from what this script
makes from the installed botocore.

Usage: ``python scripts/make_ecs_shape.py`` (writes the file) or ``--check`` (exit 1 when stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "awslint" / "data" / "ecs_register_task_definition.json"
SCALARS = ("string", "integer", "long", "boolean", "double", "float", "timestamp", "blob")


def build() -> dict:
    """The data, as a JSON-ready dict, from the installed botocore."""
    import botocore
    import botocore.session

    model = botocore.session.get_session().get_service_model("ecs")
    root = model.operation_model("RegisterTaskDefinition").input_shape
    shapes: dict[str, dict] = {}

    def describe(shape):
        kind = shape.type_name
        if kind == "structure":
            if shape.name not in shapes:
                shapes[shape.name] = {}  # reserve first: recursive shapes stop here
                shapes[shape.name] = {name: describe(member) for name, member in shape.members.items()}
            return shape.name
        if kind == "list":
            return ["list", describe(shape.member)]
        if kind == "map":
            return ["map", describe(shape.key), describe(shape.value)]
        if kind not in SCALARS:
            raise ValueError(f"{shape.name}: unexpected shape type {kind}")
        return kind

    describe(root)
    clash = set(shapes) & set(SCALARS)
    if clash:
        raise ValueError(f"structure names that look like scalar types: {sorted(clash)}")
    output = model.operation_model("DescribeTaskDefinition").output_shape.members["taskDefinition"]
    return {
        "botocore_version": botocore.__version__,
        "service": "ecs",
        "api_version": model.api_version,
        "operation": "RegisterTaskDefinition",
        "root": root.name,
        "describe_only": [name for name in output.members if name not in root.members],
        "shapes": dict(sorted(shapes.items())),
    }


def render(data: dict) -> str:
    """Compact JSON: one line per structure, so a botocore update shows as a readable diff."""
    import json

    head = {key: value for key, value in data.items() if key != "shapes"}
    lines = ["{"]
    lines += [f"  {json.dumps(key)}: {json.dumps(value)}," for key, value in head.items()]
    lines.append('  "shapes": {')
    items = list(data["shapes"].items())
    for index, (name, members) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(members)}{comma}")
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        current = TARGET.read_text("utf-8") if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET} is stale: run python scripts/make_ecs_shape.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
