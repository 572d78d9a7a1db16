"""``awslint --home`` as a user runs it: a real process with a temporary ``HOME`` that holds
each mistake, in every output format. Nothing may be executed, no secret may be printed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awslint.home import expand, home_candidates

# Canaries: unique values that must never appear in any output.
KEY_ID = "AKIA2CANARY7HOMEKEY5"
SECRET = "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"
TOKEN = "IQoJcanarySESSIONtoken0123456789abcdefghijklmnopqrstuvwxyz"

CONFIG = """\
[default]
region = us-west2

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = basee

[profile tool]
credential_process = /bin/sh -c "touch {marker}" | tee

[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
"""
CREDENTIALS = f"""\
[profile base]
aws_access_key_id = {KEY_ID}
aws_secret_access_key = {SECRET}

[temp]
aws_access_key_id = ASIA2CANARY7HOMEKEY5
aws_secret_access_key = {SECRET}
x_security_token_expires = 2020-01-01T00:00:00Z
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    aws = tmp_path / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True)
    (aws / "config").write_text(CONFIG.format(marker=tmp_path / "EXECUTED"))
    (aws / "credentials").write_text(CREDENTIALS)
    (aws / "credentials").chmod(0o644)
    (aws / "config").chmod(0o600)
    token = {"accessToken": TOKEN, "expiresAt": "2020-01-01T00:00:00Z"}
    name = hashlib.sha1(b"corp").hexdigest()
    (aws / "sso" / "cache" / f"{name}.json").write_text(json.dumps(token))
    return tmp_path


def _run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environ.update({"HOME": str(home), "AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": KEY_ID, **env})
    return subprocess.run(
        [sys.executable, "-m", "awslint", "--home", *args], env=environ, capture_output=True, text=True, timeout=60, cwd=home
    )


def test_home_reports_each_mistake(home: Path):
    result = _run(home, "--format", "json")
    assert result.returncode == 1, result.stderr
    found = {(f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert found >= {
        ("~/.aws/config", "AWS117"),  # region us-west2
        ("~/.aws/config", "AWS132"),  # source_profile basee
        ("~/.aws/config", "AWS140"),  # a pipe in credential_process
        ("~/.aws/config", "AWS161"),  # expired SSO login
        ("~/.aws/config", "AWS162"),  # AWS_PROFILE=prod
        ("~/.aws/config", "AWS163"),  # AWS_ACCESS_KEY_ID set, no secret
        ("~/.aws/credentials", "AWS101"),  # [profile base]
        ("~/.aws/credentials", "AWS123"),  # ASIA key without token
        ("~/.aws/credentials", "AWS124"),  # expired temporary keys
        ("~/.aws/credentials", "AWS160"),  # mode 0644
    }
    assert not any(rule in ("AWS001", "AWS002") for _, rule in found), "keys belong in ~/.aws/credentials"


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_home_prints_no_secret_and_runs_nothing(home: Path, output_format: str):
    result = _run(home, "--format", output_format)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and output.strip()
    for canary in (KEY_ID, SECRET, TOKEN, SECRET[:12], TOKEN[:16]):
        assert canary not in output
    assert not (home / "EXECUTED").exists()


def test_home_honours_the_file_variables(tmp_path: Path):
    (tmp_path / "cfg").write_text("[dev]\nregion = eu-west-1\n")
    result = _run(tmp_path, "--format", "json", AWS_CONFIG_FILE="$HOME/cfg", AWS_SHARED_CREDENTIALS_FILE="")
    findings = json.loads(result.stdout)["findings"]
    assert {(f["path"], f["rule"]) for f in findings} >= {("~/cfg", "AWS102")}


def test_home_without_files_says_where_it_looked_and_checks_the_environment(tmp_path: Path):
    result = _run(tmp_path, "--format", "json")
    assert f"looked at {tmp_path}/.aws/config, {tmp_path}/.aws/credentials" in result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {(f["path"], f["rule"]) for f in findings} == {("~/.aws/config", "AWS162"), ("~/.aws/config", "AWS163")}
    assert _run(tmp_path, AWS_PROFILE="default", AWS_ACCESS_KEY_ID="").returncode == 1  # no profile exists at all
    quiet = subprocess.run([sys.executable, "-m", "awslint", "--home"], env={"HOME": str(tmp_path), "PATH": os.environ["PATH"]}, capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 0, quiet.stdout


def test_home_takes_no_paths(tmp_path: Path):
    result = _run(tmp_path, ".")
    assert result.returncode == 2 and "takes no paths" in result.stderr


def test_expand_follows_botocore(tmp_path: Path):
    env = {"HOME": str(tmp_path), "DIR": "x"}
    assert expand("~/a/$DIR/${DIR}/$NOPE", env) == tmp_path / "a" / "x" / "x" / "$NOPE"
    assert home_candidates({"HOME": str(tmp_path), "AWS_CONFIG_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path)}) == ([], [str(tmp_path)])


def test_home_ignores_the_working_folders_config(tmp_path: Path):
    (tmp_path / ".awslint.toml").write_text('ignore = ["AWS1"]\n')
    result = _run(tmp_path, "--format", "json")
    assert "AWS162" in {f["rule"] for f in json.loads(result.stdout)["findings"]}
