"""AWS409 invalid-task-definition-key: the generated ECS shape data is current, the messages
say what to do, and the rule agrees with botocore's ``ParamValidator`` on mutated files."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import botocore
import botocore.session
import pytest
from botocore.validate import ParamValidator

from awslint.model import Document, Kind
from awslint.parse import ecs
from awslint.rules.ecs_shape import DATA, invalid_task_definition_key, shape_data, unknown_key_message

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "AWS409"


def _script():
    spec = importlib.util.spec_from_file_location("make_ecs_shape", REPO / "scripts" / "make_ecs_shape.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hits(text: str, name: str = "task-definition.json"):
    raw = text.encode("utf-8")
    model = ecs.parse(Document(Path(name), name, Kind.ECS, text, raw))
    return list(invalid_task_definition_key(model))


def _messages(document: dict) -> list[str]:
    return [hit.message for hit in _hits(json.dumps(document, indent=2))]


_INPUT = botocore.session.get_session().get_service_model("ecs").operation_model("RegisterTaskDefinition").input_shape


def _botocore_errors(document: dict) -> list[str]:
    """botocore's parameter-validation errors for a register input, without "Missing required"
    (AWS409 does not check required keys)."""
    report = ParamValidator().validate(document, _INPUT).generate_report()
    return [line for line in report.splitlines() if line.strip() and not line.startswith("Missing required")]


# --- the data file --------------------------------------------------------------------------


def test_data_file_agrees_with_the_installed_botocore():
    """Every key the shipped data knows, the installed botocore's model has, with the same type.
    A newer botocore may add keys (then regenerate with ``python scripts/make_ecs_shape.py``);
    with the very version the data came from, the two are identical."""
    script = _script()
    assert script.TARGET == DATA
    current = json.loads(script.render(script.build()))
    shipped = shape_data()
    for shape, members in shipped["shapes"].items():
        for member, kind in members.items():
            assert current["shapes"].get(shape, {}).get(member) == kind, f"{shape}.{member} changed in botocore {botocore.__version__}"
    if shipped["botocore_version"] == botocore.__version__:
        assert DATA.read_text("utf-8") == script.render(script.build())


def test_data_file_ships_in_the_package():
    assert DATA.parent == REPO / "awslint" / "data"
    data = shape_data()
    assert data["root"] == "RegisterTaskDefinitionRequest"
    assert {"runtimePlatform", "ephemeralStorage", "inferenceAccelerators"} <= set(data["shapes"][data["root"]])
    assert {
        "taskDefinitionArn",
        "revision",
        "status",
        "requiresAttributes",
        "compatibilities",
        "registeredAt",
        "registeredBy",
        "deregisteredAt",
    } <= set(data["describe_only"])


# --- messages -------------------------------------------------------------------------------

_VALID = json.loads((FIXTURES / "pass" / "task-definition.json").read_text("utf-8"))


def test_the_valid_fixture_is_valid_for_botocore_too():
    assert _botocore_errors(_VALID) == []
    assert _messages(_VALID) == []


def test_did_you_mean():
    assert unknown_key_message("taskRole", "RegisterTaskDefinitionRequest") == (
        "`taskRole` is not a RegisterTaskDefinition key (did you mean `taskRoleArn`?); "
        "`aws ecs register-task-definition` rejects the file"
    )
    assert "(did you mean `environment`?)" in unknown_key_message("enviroment", "ContainerDefinition")
    assert "keys are case-sensitive, write `entryPoint`" in unknown_key_message("entrypoint", "ContainerDefinition")
    assert "(did you mean" not in unknown_key_message("zzz", "ContainerDefinition")


def test_wrong_level():
    assert unknown_key_message("executionRoleArn", "ContainerDefinition").startswith(
        "`executionRoleArn` belongs at the task level, not in a container definition"
    )
    assert unknown_key_message("image", "RegisterTaskDefinitionRequest").startswith(
        "`image` belongs inside a container definition (`containerDefinitions`), not at the task level"
    )
    assert "inside each `portMappings` entry" in unknown_key_message("containerPort", "ContainerDefinition")
    assert "inside `logConfiguration`" in unknown_key_message("logDriver", "ContainerDefinition")
    assert "driver options go inside `options`" in unknown_key_message("awslogs-group", "LogConfiguration")
    assert "each `secrets` entry" in unknown_key_message("valueFrom", "KeyValuePair")


def test_cpu_and_memory_at_both_levels_but_typed_differently():
    document = copy.deepcopy(_VALID)
    assert _messages(document) == []
    document["cpu"] = 256
    document["containerDefinitions"][0]["memory"] = "1024"
    messages = _messages(document)
    assert messages == [
        '`cpu` must be a string, not 256: write `"256"`; `aws ecs register-task-definition` rejects the file',
        '`memory` must be a whole number, not "1024": write `1024` without quotes; `aws ecs register-task-definition` rejects the file',
    ]
    assert len(_botocore_errors(document)) == 2


def test_wrong_types_quote_the_fix():
    container = {
        "name": "a",
        "image": "nginx",
        "essential": "true",
        "command": "npm start",
        "ulimits": None,
        "environment": [{"name": "PORT", "value": 8080}],
        "dockerLabels": {"n": 1},
    }
    messages = _messages({"family": "f", "containerDefinitions": [container]})
    assert messages == [
        '`essential` must be `true` or `false`, not "true": write `true` without quotes; `aws ecs register-task-definition` rejects the file',
        '`command` must be a list of strings, not "npm start": put the value in `[...]`; `aws ecs register-task-definition` rejects the file',
        "`ulimits` is null, but botocore expects a list of objects (Ulimit): remove the key or give it a value; `aws ecs register-task-definition` rejects the file",
        '`value` must be a string, not 8080: write `"8080"`; `aws ecs register-task-definition` rejects the file',
        '`dockerLabels.n` must be a string, not 1: write `"1"`; `aws ecs register-task-definition` rejects the file',
    ]


def test_findings_point_at_the_key():
    text = '{\n  "family": "f",\n  "containerDefinitions": [\n    {"name": "a", "enviroment": []}\n  ]\n}\n'
    (hit,) = _hits(text)
    assert (hit.region.start_line, hit.region.start_column, hit.region.end_column) == (4, 19, 31)


def test_describe_output_accepts_read_only_keys_only_under_task_definition():
    body = dict(
        _VALID,
        taskDefinitionArn="arn:aws:ecs:us-east-1:123456789012:task-definition/f:1",
        revision=1,
        status="ACTIVE",
        compatibilities=["EC2"],
        requiresAttributes=[{"name": "x"}],
        registeredAt="2024-01-01T00:00:00Z",
        registeredBy="arn:aws:iam::123456789012:root",
        deregisteredAt=1714557600.0,
    )
    assert _messages({"taskDefinition": body, "tags": []}) == []
    messages = _messages(body)
    assert len(messages) == 8
    assert messages[0].startswith("`taskDefinitionArn` is read-only output of `describe-task-definition`")


def test_cloudformation_keys_are_checked_in_pascal_case_but_not_its_scalar_types():
    template = """Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRole: !Ref Role
      ProxyConfiguration: {Type: APPMESH, ContainerName: envoy, ProxyConfigurationProperties: []}
      Volumes: [{Name: v, EFSVolumeConfiguration: {FilesystemId: !Ref Fs}}]
      ContainerDefinitions:
        - Name: a
          Cpu: "256"
          Enviroment: []
          Command: !If [C, [a], !Ref AWS::NoValue]
          PortMappings: {ContainerPort: 80}
"""
    messages = [hit.message for hit in _hits(template, "template.yaml")]
    assert [m.split(";")[0] for m in messages] == [
        "`TaskRole` is not an AWS::ECS::TaskDefinition property (did you mean `TaskRoleArn`?)",
        "`Enviroment` is not a ContainerDefinition property (did you mean `Environment`?)",
        "`PortMappings` must be a list of objects (PortMapping), not an object: put the value in `[...]`",
    ]
    assert all(m.endswith("CloudFormation rejects the resource") for m in messages)


def test_terraform_checks_container_definitions_only(tmp_path):
    from awslint.parse import terraform

    text = 'resource "aws_ecs_task_definition" "t" {\n  cpu = 256\n  container_definitions = jsonencode([{\n    name = "a"\n    memory = var.m\n    essential = "true"\n    enviroment = []\n  }])\n}\n'
    path = tmp_path / "main.tf"
    model = terraform.parse(Document(path, "main.tf", Kind.ECS, text, text.encode()))
    hits = list(invalid_task_definition_key(model))
    assert [(h.region.start_line, h.message.split(":")[0]) for h in hits] == [(6, "`essential` must be `true` or `false`, not \"true\""), (7, "`enviroment` is not a ContainerDefinition key (did you mean `environment`?); Terraform's AWS provider decodes `container_definitions` into the API's ContainerDefinition, failing on a value of the wrong type and dropping an unknown key")]


def test_cloudformation_scalars_and_yaml_api_files_are_not_type_checked():
    cfn = {
        "Resources": {
            "T": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {"Cpu": 256, "ContainerDefinitions": [{"Name": "a", "Image": "nginx", "Essential": "true"}]},
            }
        }
    }
    assert _messages(cfn) == []
    assert _hits(json.dumps(cfn), "template.json") == []
    # YAML (``--cli-input-yaml`` style, e.g. a file forced to the ECS kind): scalars are all text
    assert _hits("family: f\ncpu: 256\ncontainerDefinitions:\n  - name: a\n    essential: true\n", "t.yaml") == []


def test_fixture_folders_agree_with_botocore():
    for path in sorted(FIXTURES.rglob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        if not isinstance(document, dict) or "Resources" in document:
            continue
        described = "containerDefinitions" not in document
        body = document["taskDefinition"] if described else document
        if described:
            body = {k: v for k, v in body.items() if k not in shape_data()["describe_only"]}
        ours, theirs = _hits(path.read_text("utf-8")), _botocore_errors(body)
        assert bool(ours) == bool(theirs), (path, [h.message for h in ours], theirs)


# --- agreement with botocore on single mutations ---------------------------------------------


def _paths(value, path=()):
    """Every key path in ``value`` (a JSON document), with the value found there."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*path, key), child
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*path, index), child
            yield from _paths(child, (*path, index))


def _wrong(value):
    if isinstance(value, bool):
        return "true"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return 1
    if isinstance(value, list):
        return "x"
    return ["x"]


def _mutations():
    for path, value in _paths(_VALID):
        for how in ("rename", "retype"):
            if how == "rename" and (not isinstance(path[-1], str) or path == ("containerDefinitions",)):
                continue  # without `containerDefinitions` the file is not taken for a task definition
            document = copy.deepcopy(_VALID)
            parent = document
            for step in path[:-1]:
                parent = parent[step]
            if how == "rename":
                parent[path[-1] + "Zz"] = parent.pop(path[-1])
            else:
                parent[path[-1]] = _wrong(value)
            yield pytest.param(document, id=f"{how}-{'.'.join(map(str, path))}")


@pytest.mark.parametrize("document", list(_mutations()))
def test_one_mutation_one_finding_as_botocore(document):
    """Renaming any key or giving any value the wrong JSON type makes botocore report one
    problem (a map key may be renamed freely: none); AWS409 reports as many."""
    assert len(_messages(document)) == len(_botocore_errors(document)) <= 1
