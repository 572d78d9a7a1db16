"""awslint survives hostile input, never leaks a secret, never runs or fetches anything.

- A tree of hostile inputs (binary, UTF-16, oversized, deeply nested, alias bombs (which Compose
  rejects as "excessive aliasing"), recursive aliases, duplicate keys, several documents, JSON comments, links out of the tree and in loops,
  FIFOs, unreadable files and folders, names that are not UTF-8) is linted in one run: one
  finding per bad file, the right findings for the good files beside them, no internal error.
- Canary secrets seeded in every kind never appear in any output format or on standard error.
- The CLI runs sandboxed (``conftest.run_cli``): no socket, no subprocess, no write but ``--output``.
"""

from __future__ import annotations

import json
import os
import random
import string
from pathlib import Path

import pytest

from awslint.discover import Walker

FORMATS = ("text", "json", "sarif", "github")
_KEY_ALPHABET = string.ascii_uppercase + "234567"
_SECRET_ALPHABET = string.ascii_letters + string.digits + "/+"


def _write(root: Path, relative: str, data: bytes | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def _bomb(levels: int = 9) -> str:
    """A billion-laughs document: level ``n`` lists nine aliases of level ``n - 1``."""
    lines = ['  l1: &l1 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(2, levels + 1):
        lines.append(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]")
    return "x-bomb:\n" + "\n".join(lines) + f"\nservices:\n  s:\n    image: x\n    labels: *l{levels}\n    environment: *l{levels}\n"


# (relative path, content, the one rule expected on it); GOOD lists every rule expected
HOSTILE = [
    ("binary/Dockerfile", bytes(range(256)) * 4, "AWS901"),
    ("nul/Dockerfile", b"FROM alpine\x00\nRUN aws s3 ls\n", "AWS901"),
    ("utf16/Dockerfile", "FROM alpine\nENV AWS_PROFILE=x\n".encode("utf-16"), "AWS901"),
    ("utf16-config/.aws/config", "[default]\nregion = eu-west-1\n".encode("utf-16"), "AWS900"),
    ("oversized/compose.yaml", b"services:\n  a:\n    image: x\n# " + b"x" * (5 * 1024 * 1024) + b"\n", "AWS901"),
    ("empty/Dockerfile", b"", "AWS900"),
    ("deep-yaml/compose.yaml", b"services: {a: {image: x}}\nx-deep: " + b"[" * 300 + b"]" * 300 + b"\n", "AWS901"),
    ("deep-json/task-definition.json", b'{"containerDefinitions": ' + b"[" * 5000 + b"]" * 5000 + b"}", "AWS901"),
    ("recursive-alias/compose.yaml", b"services: &s\n  a:\n    image: x\n    labels: *s\n", "AWS900"),
    ("alias-bomb/compose.yaml", _bomb().encode(), "AWS900"),
    ("duplicate-keys/.github/workflows/ci.yml", b"on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n", "AWS900"),
    ("several-docs/compose.yaml", b"services: {a: {image: x}}\n---\nservices: {}\n", "AWS900"),
    ("json-comment/task-definition.json", b'{\n  // the task\n  "family": "x", "containerDefinitions": []\n}\n', "AWS900"),
    ("trailing-comma/task-definition.json", b'{"family": "x", "containerDefinitions": [],}\n', "AWS900"),
    ("not-yaml/compose.yaml", b"services: [\n", "AWS900"),
]
GOOD = [
    ("good/Dockerfile", "FROM alpine\nCOPY .aws /root/.aws\n", ["AWS201"]),
    ("good/compose.yaml", "x-anchors: &env {AWS_PROFILE: dev}\nservices:\n  a:\n    image: x\n    environment: *env\n", ["AWS301", "AWS304", "AWS308"]),
    ("good/tags/compose.yaml", "services:\n  a: !override\n    image: x\n", []),
    ("good/long-line/Dockerfile", "FROM alpine\nRUN echo " + "a" * (4 * 1024 * 1024) + "\n", []),
    ("good/many-lines/Dockerfile", "FROM alpine\n" + "RUN echo hi\n" * 100_000, []),
]


def _hostile_tree(root: Path) -> None:
    for relative, data, _ in HOSTILE:
        _write(root, relative, data)
    for relative, text, _ in GOOD:
        _write(root, relative, text)
    outside = _write(root.parent / "outside", "Dockerfile", "FROM alpine\nCOPY .aws /root/.aws\n")
    (root / "links").mkdir()
    (root / "links" / "Dockerfile").symlink_to(outside)
    (root / "links" / "compose.yaml").symlink_to(root / "links" / "compose.yaml")
    (root / "links" / "parent").symlink_to(root)
    os.mkfifo(root / "fifo.Dockerfile")
    _write(root, "unreadable/Dockerfile", "FROM alpine\n")
    _write(root, "locked/Dockerfile", "FROM alpine\n")
    odd = os.fsencode(root) + b"/name-\xff"
    os.mkdir(odd)
    with open(odd + b"/Dockerfile", "wb") as handle:
        handle.write(b"FROM alpine\nCOPY .aws /root/.aws\n")


def _deny_reads(monkeypatch, root: Path) -> None:
    """Make ``unreadable/Dockerfile`` and the ``locked`` folder fail as without permission
    (chmod does not stop root, which CI may run as)."""
    real_read, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self):
        if self.name == "Dockerfile" and self.parent.name == "unreadable":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)


def test_hostile_tree_gives_one_finding_per_bad_file(run_cli, tmp_path, monkeypatch):
    root = tmp_path / "repo"
    _hostile_tree(root)
    _deny_reads(monkeypatch, root)
    result = run_cli(["--format", "json", "."], root)
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    by_file: dict[str, list[str]] = {}
    for finding in findings:
        by_file.setdefault(finding["path"], []).append(finding["rule"])
    for relative, _, rule in HOSTILE:
        assert by_file.pop(relative, None) == [rule], relative
    for relative, _, rules in GOOD:
        assert sorted(by_file.pop(relative, [])) == rules, relative
    assert by_file.pop("links/Dockerfile") == ["AWS901"]  # leads outside the tree
    assert by_file.pop("links/compose.yaml") == ["AWS901"]  # a loop
    assert by_file.pop("fifo.Dockerfile") == ["AWS901"]
    assert by_file.pop("unreadable/Dockerfile") == ["AWS901"]
    assert by_file.pop("name-\\udcff/Dockerfile") == ["AWS201"]
    assert by_file == {}
    assert "locked/: cannot read the folder (Permission denied)" in result.stderr


def test_hostile_tree_in_every_format(run_cli, tmp_path, monkeypatch):
    root = tmp_path / "repo"
    _hostile_tree(root)
    _deny_reads(monkeypatch, root)
    for fmt in FORMATS:
        result = run_cli(["--format", fmt, "."], root)
        assert result.exit_code == 1, (fmt, result.output)
        result.stdout.encode("utf-8")  # printable: no lone surrogate
    sarif = json.loads(run_cli(["--format", "sarif", "."], root).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "name-%FF/Dockerfile" in uris


def test_max_file_size_is_configurable(run_cli, tmp_path):
    _write(tmp_path, "Dockerfile", "FROM alpine\nCOPY .aws /root/.aws\n" + "# padding\n" * 200)
    _write(tmp_path, ".awslint.toml", 'max-file-size = "1KB"\n')
    result = run_cli(["--format", "json", "."], tmp_path)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["AWS901"]
    _write(tmp_path, ".awslint.toml", "max-file-size = 1_000_000\n")
    assert [f["rule"] for f in json.loads(run_cli(["--format", "json", "."], tmp_path).stdout)["findings"]] == ["AWS201"]
    _write(tmp_path, ".awslint.toml", 'max-file-size = "lots"\n')
    bad = run_cli(["."], tmp_path)
    assert bad.exit_code == 2 and "max-file-size" in bad.stderr


def test_an_internal_error_names_the_file_and_the_run_goes_on(run_cli, tmp_path, monkeypatch):
    from awslint import read

    def broken(document):
        raise ValueError("parser bug near AKIAQ2CANARYQ2CANARY")

    monkeypatch.setitem(read.PARSERS, read.Kind.DOTENV, broken)
    _write(tmp_path, ".env", "A=1\n")
    _write(tmp_path, "Dockerfile", "FROM alpine\nCOPY .aws /root/.aws\n")
    result = run_cli(["--format", "json", "."], tmp_path)
    assert result.exit_code == 2
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["AWS201"]
    assert ".env: internal error in the dotenv parser: ValueError" in result.stderr
    assert "Q2CANARYQ2CANARY" not in result.stderr


def test_credential_process_is_never_run(run_cli, tmp_path):
    marker = tmp_path / "ran"
    script = _write(tmp_path, "creds.sh", f"#!/bin/sh\ntouch {marker}\necho '{{}}'\n")
    script.chmod(0o755)
    _write(tmp_path, ".aws/config", f"[default]\ncredential_process = {script}\n[profile p]\ncredential_process = sh -c 'touch {marker}'\n")
    for fmt in FORMATS:
        run_cli(["--format", fmt, "."], tmp_path)
    assert not marker.exists()


def test_the_sandbox_catches_what_awslint_must_never_do(run_cli, tmp_path, monkeypatch):
    """The guard itself works: a rule that phones home, spawns or writes fails the test."""
    import socket
    import subprocess

    from awslint.rules import REGISTRY

    actions = {
        "network": lambda: socket.create_connection(("example.com", 443)),
        "subprocess": lambda: subprocess.run(["true"]),
        "write": lambda: open(tmp_path / "written", "w"),
    }
    _write(tmp_path, "Dockerfile", "FROM alpine\n")
    rule = REGISTRY["AWS201"]
    original = rule.check
    for action in actions.values():
        object.__setattr__(rule, "check", lambda model, action=action: (action(), iter(()))[1])
        try:
            with pytest.raises(AssertionError, match="awslint tried"):
                run_cli(["."], tmp_path)
        finally:
            object.__setattr__(rule, "check", original)
    assert not (tmp_path / "written").exists()


# --- canaries ---------------------------------------------------------------------------


def _canaries(seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    key_ids = ["AKIA" + "".join(rng.choice(_KEY_ALPHABET) for _ in range(16)) for _ in range(12)]
    secrets = ["".join(rng.choice(_SECRET_ALPHABET) for _ in range(38)) + f"{n:02d}" for n in range(12)]
    return key_ids, secrets


def _canary_tree(root: Path, key_ids: list[str], secrets: list[str]) -> None:
    k, s = key_ids, secrets
    files = {
        ".aws/credentials": f"[default]\naws_access_key_id = {k[0]}\naws_secret_access_key = {s[0]}\n[broken\n{k[11]} {s[11]}\n",
        ".aws/config": f"[profile p]\naws_access_key_id={k[1]}\naws_secret_access_key={s[1]}\ncredential_process = /bin/echo {s[10]}\n",
        "Dockerfile": f"FROM alpine\nENV AWS_ACCESS_KEY_ID={k[2]} AWS_SECRET_ACCESS_KEY={s[2]}\nRUN aws configure set aws_secret_access_key {s[3]}\n{k[3]} {s[3]}\n",
        "compose.yaml": f"services:\n  a:\n    image: x\n    environment:\n      AWS_ACCESS_KEY_ID: {k[4]}\n      AWS_SECRET_ACCESS_KEY: \"{s[4]}\"\n",
        ".env": f"AWS_ACCESS_KEY_ID={k[5]}\nAWS_SECRET_ACCESS_KEY='{s[5]}'\n{s[5]}\n",
        "task-definition.json": json.dumps({"family": "t", "containerDefinitions": [{"name": "c", "image": "x", "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": k[6]}, {"name": "AWS_SECRET_ACCESS_KEY", "value": s[6]}]}]}),
        "template.yaml": f"Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: c\n          Image: x\n          Environment:\n            - Name: AWS_SECRET_ACCESS_KEY\n              Value: {s[7]}\n            - Name: AWS_ACCESS_KEY_ID\n              Value: {k[7]}\n",
        "main.tf": f'resource "aws_ecs_task_definition" "t" {{\n  family = "t"\n  container_definitions = jsonencode([{{ name = "c", image = "x", environment = [{{ name = "AWS_ACCESS_KEY_ID", value = "{k[8]}" }}, {{ name = "AWS_SECRET_ACCESS_KEY", value = "{s[8]}" }}] }}])\n}}\n',
        ".github/workflows/ci.yml": f"on: push\nenv:\n  AWS_SECRET_ACCESS_KEY: {s[9]}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v6\n        with:\n          aws-access-key-id: {k[9]}\n          aws-secret-access-key: {s[9]}\n          aws-region: eu-west-1\n      - run: aws s3 ls --secret {k[10]}\n",
        "broken/compose.yaml": f"services:\n  a: [{k[10]}: {s[10]}\n",
        "broken/task-definition.json": f'{{"containerDefinitions": [{{"name": "{k[11]}" "{s[11]}"}}]}}',
    }
    for relative, text in files.items():
        _write(root, relative, text)


def _leaks(text: str, key_ids: list[str], secrets: list[str]) -> list[str]:
    """Whole canaries, or more than the first and last four characters of a key id (its middle
    eight), or any twelve characters in a row of a secret."""
    found = [k for k in key_ids if k in text or k[4:-4] in text]
    found += [s for s in secrets if any(s[i : i + 12] in text for i in range(len(s) - 11))]
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_leaks_a_canary(run_cli, tmp_path, fmt):
    key_ids, secrets = _canaries(seed=len(fmt))
    _canary_tree(tmp_path, key_ids, secrets)
    assert len(list(Walker(tmp_path, [], {}).walk([tmp_path]))) == 11
    result = run_cli(["--format", fmt, "."], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.count("AWS00") >= 8, result.stdout  # the keys were found ...
    assert _leaks(result.stdout + result.stderr, key_ids, secrets) == []  # ... and never shown
    written = tmp_path / "report.out"
    run_cli(["--format", fmt, "--output", str(written), "."], tmp_path)
    assert _leaks(written.read_text("utf-8"), key_ids, secrets) == []


def test_home_mode_leaks_no_canary(run_cli, tmp_path, monkeypatch):
    key_ids, secrets = _canaries(seed=99)
    _write(tmp_path, ".aws/credentials", f"[default]\naws_access_key_id = {key_ids[0]}\naws_secret_access_key = {secrets[0]}\n[x\n{secrets[1]}\n")
    (tmp_path / ".aws" / "credentials").chmod(0o644)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_ids[1])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secrets[2])
    monkeypatch.setenv("AWS_PROFILE", secrets[3])
    for fmt in FORMATS:
        result = run_cli(["--home", "--format", fmt], tmp_path)
        assert result.exit_code in (1, 2) and result.stdout
        assert _leaks(result.stdout + result.stderr, key_ids, secrets) == [], fmt
