"""Shared test helpers: run the engine or the CLI on a folder, as a user would.

Every CLI run in the tests is sandboxed (:func:`run_cli`): a network connection, a name lookup,
a subprocess, ``exec``/``fork``/``system``, or a file opened for writing anywhere but the
``--output`` path fails the test. awslint must never run what a scanned file names
(``credential_process``, scripts), never phone home, and never write outside ``--output``.
"""

from __future__ import annotations

import builtins
import io
import os
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from awslint.cli import main
from awslint.config import Config
from awslint.discover import Walker
from awslint.engine import Report, lint, selected_rules
from awslint.rules import all_rules

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def lint_folder(folder: Path, select: list[str] | None = None) -> Report:
    """Lint ``folder`` with default settings (or only the ``select``ed rules)."""
    config = Config(root=folder)
    if select:
        config.select = select
    candidates = Walker(folder, [], {}).walk([folder])
    return lint(candidates, selected_rules(all_rules(), config), config)


# ``os.fork`` stays allowed: awslint forks its own workers (awslint/workers.py), which inherit
# this sandbox; running another program (exec, spawn, system, subprocess) is what is forbidden.
_PROCESS_CALLS = ("system", "popen", "forkpty", "execv", "execve", "execvp", "execvpe", "posix_spawn", "posix_spawnp")
_WRITE_MODES = set("wax+")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@pytest.fixture
def run_cli(monkeypatch):
    """Run ``awslint ARGS`` in a given working directory, sandboxed (see the module
    docstring); returns the click ``Result``. Fails the test on any forbidden attempt."""

    def run(args: list[str], cwd: Path):
        monkeypatch.chdir(cwd)
        attempts: list[str] = []
        allowed = _output_path(args)
        with monkeypatch.context() as patch:
            _sandbox(patch, attempts, allowed)
            result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert not attempts, f"awslint tried: {attempts}"
        return result

    return run


def _output_path(args: list[str]) -> str | None:
    for flag in ("--output", "-o"):
        if flag in args[:-1]:
            return os.path.abspath(args[args.index(flag) + 1])
    return None


def _sandbox(patch: pytest.MonkeyPatch, attempts: list[str], allowed: str | None) -> None:
    def deny(what: str):
        def refuse(*args, **kwargs):
            attempts.append(what)
            raise PermissionError(f"forbidden in awslint's tests: {what}")

        return refuse

    for name in ("connect", "connect_ex", "sendto"):
        patch.setattr(socket.socket, name, deny(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        patch.setattr(socket, name, deny(f"socket.{name}"))
    patch.setattr(subprocess, "Popen", deny("subprocess"))
    for name in _PROCESS_CALLS:
        if hasattr(os, name):
            patch.setattr(os, name, deny(f"os.{name}"))
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and _WRITE_MODES & set(mode) and os.path.abspath(os.fsdecode(file)) != allowed:
            return deny(f"writing {os.fsdecode(file)}")()
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & _WRITE_FLAGS and os.path.abspath(os.fsdecode(path)) != allowed:
            return deny(f"writing {os.fsdecode(path)}")()
        return real_os_open(path, flags, *args, **kwargs)

    patch.setattr(builtins, "open", guarded_open)
    patch.setattr(io, "open", guarded_open)
    patch.setattr(os, "open", guarded_os_open)
