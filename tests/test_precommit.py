"""The pre-commit hook, run the way users try a hook: ``pre-commit try-repo``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(project: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "awslint", "--all-files"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def test_hook_fails_on_a_bad_dockerfile_and_passes_once_fixed(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    dockerfile = project / "Dockerfile"
    dockerfile.write_text("FROM python:3.12\nCOPY .aws /root/.aws\n")
    (project / "README.md").write_text("not linted\n")
    _git(project, "add", ".")

    failed = _try_repo(project, tmp_path / "cache")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Dockerfile:2:6: AWS201 aws-credentials-copied-into-image" in failed.stdout

    dockerfile.write_text("FROM python:3.12\nCOPY app.py /app/\n")
    _git(project, "add", ".")
    passed = _try_repo(project, tmp_path / "cache")
    assert passed.returncode == 0, passed.stdout + passed.stderr
