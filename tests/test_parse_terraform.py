"""Tests for awslint.parse.terraform: ``aws_ecs_task_definition`` resources in the ECS model."""

from pathlib import Path

from awslint.config import Config
from awslint.discover import Walker, kind_by_content
from awslint.engine import lint, selected_rules
from awslint.model import Container, Document, Kind, Region
from awslint.parse.ecs import parse
from awslint.rules import all_rules


def model(text: str, path: Path = Path("main.tf")):
    return parse(Document(path, path.name, Kind.ECS, text, text.encode()))


def tasks(text: str, path: Path = Path("main.tf")):
    result = model(text, path)
    assert result.problems == []
    return result.task_definitions


def at(text: str, line: int, needle: str, nth: int = 0) -> Region:
    """The region of the ``nth`` occurrence of ``needle`` on 1-based ``line`` of ``text``."""
    line_text = text.split("\n")[line - 1]
    column = -1
    for _ in range(nth + 1):
        column = line_text.index(needle, column + 1)
    return Region(line, column + 1, line, column + 1 + len(needle))


JSONENCODE = """\
# the web service
resource "aws_ecs_task_definition" "web" {
  family                   = "web-app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = "${aws_iam_role.exec.arn}"
  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "nginx:${var.tag}"
      essential = true
      environment = [
        { name = "AWS_REGION", value = "eu-west-1" },
        {
          name  = "BUCKET"
          value = var.bucket
        },
        { "name" : "PORT", "value" : 8080 },
      ]
      secrets     = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:ssm:eu-west-1:123456789012:parameter/db" }]
      command     = ["sh", "-c", "aws s3 ls"]
      entryPoint  = ["/entry"]
      mountPoints = [{ sourceVolume = "aws", containerPath = "/root/.aws", readOnly = true }]
      user        = "1000"
      logConfiguration = {
        logDriver = "awslogs"
      }
    }
  ])
}

resource "aws_s3_bucket" "other" {
  bucket = "b"
}
"""


def test_jsonencode_task_and_container():
    (task,) = tasks(JSONENCODE)
    assert task.name == "web-app" and task.region == at(JSONENCODE, 2, '"web"')
    assert task.requires_compatibilities == ["FARGATE"]
    assert task.task_role_arn.text == "${aws_iam_role.task.arn}"
    assert task.task_role_arn.region == at(JSONENCODE, 6, "aws_iam_role.task.arn")
    assert task.execution_role_arn.text == "${aws_iam_role.exec.arn}"
    assert task.execution_role_arn.region == at(JSONENCODE, 7, '"${aws_iam_role.exec.arn}"')
    (container,) = task.containers
    assert isinstance(container, Container)
    assert container.name == "web" and container.region == at(JSONENCODE, 10, '"web"')
    assert container.image.text == "nginx:${var.tag}" and container.image.region == at(JSONENCODE, 11, '"nginx:${var.tag}"')
    assert container.user.text == "1000" and container.user.region == at(JSONENCODE, 25, '"1000"')
    assert container.log_driver.text == "awslogs"
    assert [c.text for c in container.commands] == ["/entry", "aws s3 ls"]
    assert [c.exec_form for c in container.commands] == [True, False]
    (mount,) = container.mounts
    assert (mount.source, mount.target) == ("aws", "/root/.aws")


def test_jsonencode_environment_and_secrets():
    (task,) = tasks(JSONENCODE)
    region, bucket, port, secret = task.containers[0].env
    assert (region.name, region.value, region.origin) == ("AWS_REGION", "eu-west-1", "env")
    assert region.region == at(JSONENCODE, 14, '{ name = "AWS_REGION", value = "eu-west-1" }')
    assert region.value_region == at(JSONENCODE, 14, '"eu-west-1"')
    assert region.is_literal
    assert (bucket.name, bucket.value) == ("BUCKET", "${var.bucket}") and not bucket.is_literal
    assert bucket.region == Region(15, 9, 18, 10) and bucket.value_region == at(JSONENCODE, 17, "var.bucket")
    assert (port.name, port.value, port.value_region) == ("PORT", "8080", at(JSONENCODE, 19, "8080"))
    assert (secret.name, secret.origin) == ("DB_PASSWORD", "secret")
    assert secret.value == "arn:aws:ssm:eu-west-1:123456789012:parameter/db"


def test_workloads_are_listed_in_the_model():
    result = model(JSONENCODE)
    assert [w.name for w in result.workloads] == ["web"]


HEREDOC = """\
resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = <<EOF
[
  {
    "name": "worker",
    "image": "${var.image}",
    "cpu": ${var.cpu},
    "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": "AKIAEXAMPLE"}]
  }
]
EOF
}
"""


def test_heredoc_json_with_exact_regions():
    (task,) = tasks(HEREDOC)
    (container,) = task.containers
    assert container.name == "worker" and container.region == at(HEREDOC, 6, '"worker"')
    assert container.image.text == "${var.image}" and container.image.region == at(HEREDOC, 7, '"${var.image}"')
    (var,) = container.env
    assert (var.name, var.value) == ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    assert var.region == at(HEREDOC, 9, '{"name": "AWS_ACCESS_KEY_ID", "value": "AKIAEXAMPLE"}')
    assert var.value_region == at(HEREDOC, 9, '"AKIAEXAMPLE"')


INDENTED_HEREDOC = """\
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = <<-JSON
    [
      {"name": "api", "image": "amazon/aws-cli",
       "secrets": [{"name": "TOKEN", "valueFrom": "/app/token"}]}
    ]
  JSON
  task_role_arn = null
}
"""


def test_indented_heredoc():
    (task,) = tasks(INDENTED_HEREDOC)
    assert task.task_role_arn is None
    (container,) = task.containers
    assert container.region == at(INDENTED_HEREDOC, 5, '"api"')
    assert container.image.region == at(INDENTED_HEREDOC, 5, '"amazon/aws-cli"')
    (secret,) = container.env
    assert (secret.name, secret.value, secret.origin) == ("TOKEN", "/app/token", "secret")
    assert secret.value_region == at(INDENTED_HEREDOC, 6, '"/app/token"')


def test_invalid_heredoc_json_is_a_problem_at_its_line():
    text = 'resource "aws_ecs_task_definition" "x" {\n  container_definitions = <<EOF\n[\n  {"name": "a" "image": "b"}\n]\nEOF\n}\n'
    result = model(text)
    (problem,) = result.problems
    assert problem.message.startswith("container_definitions: JSON syntax error")
    assert problem.region.start_line == 4
    assert result.task_definitions[0].containers == []


def test_file_next_to_the_tf_file(tmp_path):
    (tmp_path / "containers.json").write_text('[\n  {"name": "app", "image": "amazon/aws-cli",\n   "environment": [{"name": "A", "value": "1"}]}\n]\n')
    text = 'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  container_definitions = file("${path.module}/containers.json")\n}\n'
    (task,) = tasks(text, tmp_path / "main.tf")
    (container,) = task.containers
    call = at(text, 3, 'file("${path.module}/containers.json")')
    assert container.name == "app" and container.region == call
    assert container.image.text == "amazon/aws-cli" and container.image.region == call
    (var,) = container.env
    assert (var.name, var.value, var.region, var.elsewhere) == ("A", "1", call, None)


def test_file_that_is_linted_on_its_own_is_marked_elsewhere(tmp_path):
    (tmp_path / "defs").mkdir()
    # a task-definition JSON, which awslint lints as its own file
    (tmp_path / "defs" / "c.json").write_text('[\n {"name": "app", "image": "x",\n  "containerDefinitions": 0,\n  "environment": [{"name": "A", "value": "1"}]}\n]\n')
    text = 'resource "aws_ecs_task_definition" "app" {\n  container_definitions = file("defs/c.json")\n}\n'
    (task,) = tasks(text, tmp_path / "main.tf")
    (var,) = task.containers[0].env
    assert var.elsewhere == "defs/c.json:4" and var.region == at(text, 2, 'file("defs/c.json")') and var.value_region is None


def test_missing_file_gives_no_containers(tmp_path):
    text = 'resource "aws_ecs_task_definition" "app" {\n  container_definitions = file("nope.json")\n}\n'
    (task,) = tasks(text, tmp_path / "main.tf")
    assert task.name == "app" and task.containers == []


def test_role_references_and_literals():
    text = """\
resource "aws_ecs_task_definition" "a" {
  family             = var.family
  task_role_arn      = "arn:aws:iam::123456789012:role/app"
  execution_role_arn = var.execution_role
  container_definitions = jsonencode([])
}
"""
    (task,) = tasks(text)
    assert task.name == "a"  # a family that is a reference: the resource label names it
    assert task.task_role_arn.text == "arn:aws:iam::123456789012:role/app"
    assert task.task_role_arn.region == at(text, 3, '"arn:aws:iam::123456789012:role/app"')
    assert task.execution_role_arn.text == "${var.execution_role}"


def test_locals_merge_and_concat():
    text = """\
locals {
  base = { essential = true, environment = [{ name = "AWS_PROFILE", value = "dev" }] }
  containers = [merge(local.base, { name = "one", image = "a" })]
}
resource "aws_ecs_task_definition" "t" {
  container_definitions = jsonencode(concat(local.containers, [{ name = "two", image = "b" }]))
}
"""
    (task,) = tasks(text)
    one, two = task.containers
    assert (one.name, two.name) == ("one", "two")
    assert one.region == at(text, 3, '"one"') and two.region == at(text, 6, '"two"')
    (var,) = one.env
    assert (var.name, var.value, var.value_region) == ("AWS_PROFILE", "dev", at(text, 2, '"dev"'))


def test_unknown_shapes_are_skipped():
    text = """\
resource "aws_ecs_task_definition" "t" {
  container_definitions = jsonencode(module.defs.containers)
  volume {
    name      = "aws"
    host_path = "/home/ec2-user/.aws"
  }
  dynamic "volume" {
    for_each = var.volumes
    content {
      name = volume.value
    }
  }
}
resource "aws_ecs_task_definition" "u" {
  container_definitions = jsonencode([for c in var.containers : c])
}
"""
    first, second = tasks(text)
    assert first.containers == [] and second.containers == []


def test_escapes_unicode_and_crlf():
    text = 'resource "aws_ecs_task_definition" "t" {\r\n  container_definitions = jsonencode([{ name = "é\\u00e9\\"q", image = "i" }])\r\n}\r\n'
    (task,) = tasks(text)
    (container,) = task.containers
    assert container.name == 'éé"q'
    assert container.region == Region(2, 48, 2, 60)  # code points, after the \r\n line break
    assert container.image.region == at(text.replace("\r", ""), 2, '"i"') == Region(2, 70, 2, 73)


def test_syntax_error_reported_once_with_its_line():
    text = 'resource "aws_ecs_task_definition" "t" {\n  family = "a"\n  task_role_arn = \n}\n'
    result = model(text)
    (problem,) = result.problems
    assert problem.message.startswith("Terraform syntax error")
    assert problem.region.start_line in (3, 4)
    assert result.task_definitions == []


def test_unclosed_block_is_a_problem_at_the_end():
    text = 'resource "aws_ecs_task_definition" "t" {\n  family = "a"\n'
    (problem,) = model(text).problems
    assert problem.message == "Terraform syntax error: unexpected end of file"
    assert problem.region.start_line <= 3


def test_empty_and_undecodable_documents():
    assert model("").task_definitions == []
    result = parse(Document(Path("main.tf"), "main.tf", Kind.ECS, None, b"\xff"))
    assert result.problems == [] and result.task_definitions == []


def test_classification(tmp_path):
    (tmp_path / "ecs.tf").write_text('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n}\n')
    (tmp_path / "other.tf").write_text('resource "aws_ecs_service" "s" {\n  task_definition = aws_ecs_task_definition.t.arn\n}\n')
    (tmp_path / "commented.tf").write_text('# resource "aws_ecs_task_definition" "t" {}\n')
    assert kind_by_content(tmp_path / "ecs.tf") is Kind.ECS
    assert kind_by_content(tmp_path / "other.tf") is None
    assert kind_by_content(tmp_path / "commented.tf") is None
    found = [(c.path.name, c.kind) for c in Walker(tmp_path, [], {}).walk([tmp_path])]
    assert found == [("ecs.tf", Kind.ECS)]


def test_ecs_rules_run_on_terraform(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_ecs_task_definition" "t" {\n'
        '  family = "t"\n'
        "  container_definitions = jsonencode([{\n"
        '    name = "app", image = "amazon/aws-cli"\n'
        '    environment = [{ name = "AWS_SECRET_ACCESS_KEY", value = "x" }]\n'
        "  }])\n"
        "}\n"
    )
    config = Config(root=tmp_path)
    config.select = ["AWS401", "AWS405"]
    report = lint(Walker(tmp_path, [], {}).walk([tmp_path]), selected_rules(all_rules(), config), config)
    found = sorted((f.rule.id, f.region.start_line) for f in report.findings)
    assert found == [("AWS401", 1), ("AWS405", 5)]


def test_templated_heredoc_is_skipped_without_a_problem():
    text = (
        'resource "aws_ecs_task_definition" "x" {\n'
        "  container_definitions = <<EOF\n"
        "[%{ for c in var.names ~}\n"
        '{"name": "${c}", "image": "i"},\n'
        "%{ endfor ~}]\n"
        "EOF\n"
        "}\n"
    )
    result = model(text)
    assert result.problems == [] and result.task_definitions[0].containers == []


def test_quoted_json_string_points_at_the_string():
    text = 'resource "aws_ecs_task_definition" "x" {\n  container_definitions = "[{\\"name\\": \\"q\\", \\"image\\": \\"amazon/aws-cli\\"}]"\n}\n'
    (task,) = tasks(text)
    (container,) = task.containers
    where = Region(2, 27, 2, text.split("\n")[1].rindex('"') + 2)
    assert (container.name, container.image.text) == ("q", "amazon/aws-cli")
    assert container.region == where and container.image.region == where


def test_hcl2_is_imported_only_for_terraform_files():
    import subprocess
    import sys

    code = "import sys, awslint.cli, awslint.engine; print('hcl2' in sys.modules, 'lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
