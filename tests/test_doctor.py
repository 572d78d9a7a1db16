"""``awslint doctor`` against botocore itself.

For every reference vector (``tests/data/aws-shared-config-cases.json``, built into a temporary
HOME and environment as ``test_shared_rules_vectors.py`` does) live botocore resolves the
credential chain (``Session(profile=...).get_credentials()``) in exactly that environment, and
``awslint doctor --format json`` must name the same provider (``Credentials.method``), or fail
as botocore fails, with the same exception class. Neither runs anything: botocore's
``credential_process`` goes through a stand-in for ``subprocess.Popen`` that does the operating
system's program lookup (``FileNotFoundError``/``PermissionError``, ``IndexError`` for an
empty command, as ``Popen`` raises them) and then "prints" fixed valid credentials without
starting a process; its container fetcher returns fixed credentials after botocore's own host
check; sockets are blocked around both. The doctor runs in the ``run_cli`` sandbox.

Hand-written scenarios cover what the vectors lack: both profile variables set, empty
``AWS_PROFILE``, container URIs, SSO and CLI caches, ``credential_process`` programs that are
missing or not executable, temporary keys without a token, exit codes and secrets in the output.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import socket
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import botocore.credentials
import botocore.session
import botocore.utils
import pytest

from awslint.doctor import CHAIN, diagnose, render_text

VECTORS = Path(__file__).resolve().parent / "data" / "aws-shared-config-cases.json"
CASES = json.loads(VECTORS.read_text(encoding="utf-8"))
NOW = datetime.now(timezone.utc)

KEY_ID = "AKIAQ7XBM2KDZ4RTW6YP"  # made up, the shape of a real key id
SECRET = "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"  # made up, 40 characters
TEMP_KEY_ID = "ASIAV3NC7HRQ2MXL5KTB"
TOKEN = "IQoJb3JpZ2luX2VjEHMaCXVzLWVhc3QtMSJHMEUCIQDr7fakeSessionTokenValue0123456789abcdefXYZ"
ENV_KEY_ID = "AKIAW5PLD3QX7NZK2MRC"
ENV_SECRET = "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"


# --- the environment of one case ---------------------------------------------------------


def _setup(tmp_path: Path, monkeypatch, env: dict[str, str], config: str | None = None, credentials: str | None = None,
           files: dict[str, str] | None = None, config_encoding: str = "utf-8", imds_off: bool = True) -> Path:
    """Write the files and make ``os.environ`` exactly: no AWS_* or BOTO_CONFIG but these."""
    (tmp_path / "home").mkdir(parents=True, exist_ok=True)
    base = {"HOME": str(tmp_path / "home"), "AWS_CONFIG_FILE": "{DIR}/config", "AWS_SHARED_CREDENTIALS_FILE": "{DIR}/credentials",
            "BOTO_CONFIG": "{DIR}/no-boto.cfg"}
    if imds_off:
        base["AWS_EC2_METADATA_DISABLED"] = "true"
    base.update(env)
    if config is not None:
        (tmp_path / "config").write_bytes(config.encode(config_encoding))
    if credentials is not None:
        (tmp_path / "credentials").write_bytes(credentials.encode("utf-8"))
    for relative, text in (files or {}).items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    for name in list(os.environ):
        if name.startswith("AWS_") or name == "BOTO_CONFIG":
            monkeypatch.delenv(name)
    for name, value in base.items():
        monkeypatch.setenv(name, value.replace("{DIR}", str(tmp_path)))
    return tmp_path


# --- the oracle: live botocore, with nothing run and nothing sent ------------------------


class _Process:
    """What the stand-in ``Popen`` returns: a process that printed valid credentials."""

    returncode = 0

    def communicate(self):
        out = {"Version": 1, "AccessKeyId": "AKIAPROCESSEXAMPLE00", "SecretAccessKey": "processsecret"}
        return json.dumps(out).encode(), b""


def _popen(args, **kwargs):
    """The program lookup ``Popen`` does (``execvpe``), without starting anything."""
    program = args[0]  # Popen([]) raises IndexError here too
    if "/" in program:
        if not os.path.exists(program):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", program)
        if os.path.isdir(program) or not os.access(program, os.X_OK):
            raise PermissionError(errno.EACCES, "Permission denied", program)
    elif shutil.which(program) is None:
        path = os.environ.get("PATH", os.defpath).split(os.pathsep)
        if any(os.path.exists(os.path.join(folder or ".", program)) for folder in path):
            raise PermissionError(errno.EACCES, "Permission denied", program)
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", program)
    return _Process()


def _refuse(*args, **kwargs):
    raise AssertionError("botocore tried to use the network or run a program")


def botocore_outcome(monkeypatch, profile: str | None) -> tuple[str | None, str | None]:
    """``(method, None)`` or ``(None, "ExceptionClass: message")`` from live botocore."""
    original = botocore.credentials.ProcessProvider._retrieve_credentials_using

    def retrieve(self, credential_process):
        self._popen = _popen
        return original(self, credential_process)

    def container(self, full_url, extra_headers=None):
        expires = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"AccessKeyId": "AKIACONTAINEREXAMPLE", "SecretAccessKey": "containersecret", "Token": "token", "Expiration": expires}

    with monkeypatch.context() as patch:
        patch.setattr(botocore.credentials.ProcessProvider, "_retrieve_credentials_using", retrieve)
        patch.setattr(botocore.utils.ContainerMetadataFetcher, "_retrieve_credentials", container)
        for name in ("connect", "connect_ex", "sendto"):
            patch.setattr(socket.socket, name, _refuse)
        for name in ("create_connection", "getaddrinfo"):
            patch.setattr(socket, name, _refuse)
        patch.setattr(subprocess, "Popen", _refuse)
        try:
            credentials = botocore.session.Session(profile=profile).get_credentials()
        except AssertionError:
            raise
        except Exception as error:  # noqa: BLE001 - any exception is botocore's answer
            return None, f"{type(error).__name__}: {error}"
    return (credentials.method, None) if credentials is not None else (None, None)


def doctor(run_cli, cwd: Path, profile: str | None, *extra: str):
    args = ["doctor", "--format", "json", *(["--profile", profile] if profile is not None else []), *extra]
    result = run_cli(args, cwd)
    return json.loads(result.output), result.exit_code


def _agree(report: dict, method: str | None, error: str | None) -> None:
    assert report["source"] == method, (report["source"], method, error, report["error"])
    if method is None:
        expected = error.split(":", 1)[0] if error else "NoCredentialsError"
        assert report["error"].split(":", 1)[0] == expected, (report["error"], error)
        assert not report["usable"]


# --- every reference vector -----------------------------------------------------------------


# Vectors whose recorded failure is what the program printed (`echo` of bad JSON, `false`):
# the stand-in prints valid credentials, and no offline check can know better.
PROGRAM_OUTPUT = {"credential_process_bad_version", "credential_process_missing_secret", "credential_process_nonzero_exit"}


def _recorded(case: dict) -> tuple[str | None, str | None] | None:
    """What the reference run recorded for ``get_credentials()`` (``None`` when it did not run it)."""
    extra = case.get("botocore_extra") or {}
    if extra.get("error_stage") in ("profiles", "resolved", "credentials"):
        return None, case["botocore_result"]["error"].split(":", 1)[0]
    if case.get("skip_credentials"):
        return None
    credentials = extra.get("credentials")
    return (credentials.get("method") if isinstance(credentials, dict) else None), None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_doctor_agrees_with_botocore(case, tmp_path, monkeypatch, run_cli):
    _setup(tmp_path, monkeypatch, case["env"], case["config"], case["credentials"], case.get("setup"),
           case.get("config_encoding", "utf-8"))
    method, error = botocore_outcome(monkeypatch, case["profile"])
    recorded = _recorded(case)
    if recorded is not None and case["name"] not in PROGRAM_OUTPUT:  # the harness reproduces the reference run
        assert (method, error.split(":", 1)[0] if error else None) == recorded
    report, code = doctor(run_cli, tmp_path, case["profile"])
    _agree(report, method, error)
    blocked = any(problem["severity"] == "error" for problem in report["problems"])  # found, but the first call fails
    assert code == (0 if method and not blocked else 1)
    assert [p["name"] for p in report["providers"]] == list(CHAIN)
    if case["name"] in PROGRAM_OUTPUT:
        assert report["source"] == "custom-process" and "not run" in report["providers"][6]["detail"]


def test_vectors_cover_every_outcome():
    """The vectors reach most providers and most of botocore's errors (counted from the reference run)."""
    methods = {(c.get("botocore_extra") or {}).get("credentials", {}).get("method") for c in CASES
               if isinstance((c.get("botocore_extra") or {}).get("credentials"), dict)}
    assert {"env", "assume-role", "assume-role-with-web-identity", "sso", "shared-credentials-file", "custom-process",
            "config-file", "ec2-credentials-file", "boto-config"} <= methods


# --- hand-written scenarios: each still checked against botocore ---------------------------

TWO = f"[a]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n[b]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"


def _both(tmp_path, monkeypatch, run_cli, profile=None, **setup):
    _setup(tmp_path, monkeypatch, **setup)
    method, error = botocore_outcome(monkeypatch, profile)
    report, code = doctor(run_cli, tmp_path, profile)
    _agree(report, method, error)
    return report, code, error


def test_profile_variables_differ(tmp_path, monkeypatch, run_cli):
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"}, credentials=TWO)
    assert code == 0 and report["source"] == "shared-credentials-file"
    assert report["profile"]["name"] == "a" and report["profile"]["origin"] == "AWS_DEFAULT_PROFILE"
    assert report["profile"]["cli_v2"] == "b" and report["profile"]["cli_v2_origin"] == "AWS_PROFILE"
    assert any("AWS CLI v2 uses AWS_PROFILE" in p["message"] and p["severity"] == "warning" for p in report["problems"])


def test_cli_v2_profile_missing_is_an_error_but_botocore_works(tmp_path, monkeypatch, run_cli):
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "nope"}, credentials=TWO)
    assert code == 1 and report["source"] == "shared-credentials-file"  # botocore works; the `aws` command fails
    assert any("CLI v2 fails" in p["message"] and p["severity"] == "error" for p in report["problems"])


def test_empty_default_profile_variable_wins_over_profile(tmp_path, monkeypatch, run_cli):
    report, code, error = _both(tmp_path, monkeypatch, run_cli, env={"AWS_DEFAULT_PROFILE": "", "AWS_PROFILE": "a"}, credentials=TWO)
    assert code == 1 and error.startswith("ProfileNotFound")


def test_empty_aws_profile(tmp_path, monkeypatch, run_cli):
    report, code, error = _both(tmp_path, monkeypatch, run_cli, env={"AWS_PROFILE": ""}, credentials=TWO.replace("[a]", "[default]"))
    assert code == 1 and error == "ProfileNotFound: The config profile () could not be found"
    assert report["error"] == error
    assert any("unset AWS_PROFILE" in p["fix"] for p in report["problems"])


def test_missing_explicit_default_fails_unselected_default_does_not(tmp_path, monkeypatch, run_cli):
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, "default", env={}, credentials=TWO)
    assert code == 1 and report["error"].startswith("ProfileNotFound")
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, None, env={}, credentials=TWO)
    assert code == 1 and report["error"].startswith("NoCredentialsError")
    assert any("no `default` profile" in p["message"] for p in report["problems"])


def test_profile_under_wrong_header_or_file(tmp_path, monkeypatch, run_cli):
    credentials = f"[profile dev]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_PROFILE": "dev"}, credentials=credentials, config="[qa]\nregion = eu-west-1\n")
    assert code == 1 and report["error"].startswith("ProfileNotFound")
    fix = " ".join(p["fix"] for p in report["problems"])
    assert "write `[dev]` there" in fix
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_PROFILE": "qa"}, credentials=credentials, config="[qa]\nregion = eu-west-1\n")
    assert "write `[profile qa]` there" in " ".join(p["fix"] for p in report["problems"])


def test_near_names_and_profile_in_overridden_default_file(tmp_path, monkeypatch, run_cli):
    files = {"home/.aws/config": "[profile stage]\nregion = eu-west-1\n"}
    report, _, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_PROFILE": "prod-eu"}, files=files,
                         credentials=TWO.replace("[a]", "[prod-eu1]"))
    assert "did you mean `prod-eu1`?" in report["problems"][0]["fix"]
    report, _, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_PROFILE": "stage"}, files=files, credentials=TWO)
    assert "~/.aws/config defines it, but AWS_CONFIG_FILE points the SDK at" in report["problems"][0]["fix"]


def test_explicit_profile_ignores_environment_keys(tmp_path, monkeypatch, run_cli):
    env = {"AWS_ACCESS_KEY_ID": ENV_KEY_ID, "AWS_SECRET_ACCESS_KEY": ENV_SECRET, "AWS_PROFILE": "a"}
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, None, env=env, credentials=TWO)
    assert report["source"] == "env" and code == 0
    assert any("take precedence over profile `a`" in p["message"] for p in report["problems"])
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, "a", env=env, credentials=TWO)
    assert report["source"] == "shared-credentials-file"


def test_stale_partial_environment_key(tmp_path, monkeypatch, run_cli):
    env = {"AWS_ACCESS_KEY_ID": ENV_KEY_ID, "AWS_PROFILE": "a"}
    report, code, error = _both(tmp_path, monkeypatch, run_cli, None, env=env, credentials=TWO)
    assert code == 1 and error.startswith("PartialCredentialsError: Partial credentials found in env")
    assert "--profile" in report["providers"][0]["fix"]
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, "a", env=env, credentials=TWO)
    assert code == 0 and report["source"] == "shared-credentials-file"


def test_stale_partial_key_reported_behind_a_missing_profile(tmp_path, monkeypatch, run_cli):
    env = {"AWS_ACCESS_KEY_ID": ENV_KEY_ID, "AWS_PROFILE": "nope"}
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, None, env=env, credentials=TWO)
    assert report["error"].startswith("ProfileNotFound")
    assert any("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY" in p["message"] for p in report["problems"])


@pytest.mark.parametrize("where", ["file", "env"])
def test_temporary_key_without_session_token(where, tmp_path, monkeypatch, run_cli):
    if where == "file":
        setup = {"env": {}, "credentials": f"[default]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET}\n"}
    else:
        setup = {"env": {"AWS_ACCESS_KEY_ID": TEMP_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET}}
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, **setup)
    assert code == 1  # botocore loads them, AWS rejects them: doctor names the source and exits 1
    assert any("ASIA" in p["message"] and "no session token" in p["message"] for p in report["problems"])


@pytest.mark.parametrize("expiry", ["soon", "2024-05-01 10:00:00", "2999-01-01T00:00:00Z", "2020-01-01T00:00:00Z"])
def test_environment_expiration(expiry, tmp_path, monkeypatch, run_cli):
    env = {"AWS_ACCESS_KEY_ID": TEMP_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": TOKEN, "AWS_CREDENTIAL_EXPIRATION": expiry}
    report, _, _ = _both(tmp_path, monkeypatch, run_cli, env=env)
    if expiry.startswith("2020"):
        assert any("expired at 2020-01-01 00:00 UTC" in p["message"] for p in report["problems"])


def test_expired_x_security_token_expires(tmp_path, monkeypatch, run_cli):
    credentials = (f"[default]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
                   "x_security_token_expires = 2020-01-01T00:00:00Z\n")
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={}, credentials=credentials)
    assert code == 1 and any("expired at 2020-01-01 00:00 UTC" in p["message"] for p in report["problems"])


def test_container_relative_uri(tmp_path, monkeypatch, run_cli):
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/0f1e2d3c"})
    assert code == 0 and report["source"] == "container-role"
    outside = diagnose(os.environ, None, NOW, in_container=False)
    assert any("does not look like a container" in p.message for p in outside.problems)
    inside = diagnose(os.environ, None, NOW, in_container=True)
    assert not any("does not look like a container" in p.message for p in inside.problems)


@pytest.mark.parametrize("url", [
    "https://example.com/creds", "http://127.0.0.1:8080/creds", "http://127.5.5.5/x", "http://[::1]/x", "http://localhost/x",
    "http://169.254.170.2/x", "http://169.254.170.23/x", "http://[fd00:ec2::23]/x", "http://example.com/creds",
    "http://169.254.169.254/x", "http://10.0.0.1/x", "ftp://localhost/x", "http://localhost.example.com/x",
])
def test_container_full_uri_host_rules(url, tmp_path, monkeypatch, run_cli):
    _both(tmp_path, monkeypatch, run_cli, env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": url})


def test_container_authorization_token_file_missing(tmp_path, monkeypatch, run_cli):
    env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{DIR}/missing"}
    report, code, error = _both(tmp_path, monkeypatch, run_cli, env=env)
    assert code == 1 and error.startswith("FileNotFoundError")


def test_container_hint_without_aws_folder():
    diagnosis = diagnose({"HOME": "/nonexistent-home", "AWS_EC2_METADATA_DISABLED": "true", "PATH": "", "BOTO_CONFIG": "/nonexistent-boto.cfg"}, None, NOW, in_container=True)
    assert any("runs in a container without ~/.aws" in p.message for p in diagnosis.problems)


SSO_CONFIG = ("[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
              "[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nregion = eu-west-1\n")


def _sso_token(expires: datetime, refresh: bool = False) -> str:
    token = {"accessToken": TOKEN, "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": "us-east-1"}
    if refresh:
        token.update(refreshToken="r" * 30, clientId="c", clientSecret=SECRET, registrationExpiresAt="2999-01-01T00:00:00Z")
    return json.dumps(token)


def test_expired_sso_token(tmp_path, monkeypatch, run_cli):
    cache = f"home/.aws/sso/cache/{hashlib.sha1(b'corp').hexdigest()}.json"
    files = {cache: _sso_token(NOW - timedelta(hours=2))}
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, "s", env={}, config=SSO_CONFIG, files=files)
    assert code == 1 and report["source"] == "sso"  # found, but its first call fails
    assert any(p["severity"] == "error" and "SSO login for `corp` expired" in p["message"] and "aws sso login --sso-session corp" in p["fix"]
               for p in report["problems"])
    files = {cache: _sso_token(NOW - timedelta(hours=2), refresh=True)}
    report, _, _ = _both(tmp_path, monkeypatch, run_cli, "s", env={}, config=SSO_CONFIG, files=files)
    assert not any(p["severity"] == "error" for p in report["problems"])
    report, _, _ = _both(tmp_path / "none", monkeypatch, run_cli, "s", env={}, config=SSO_CONFIG)
    assert any("no cached SSO login for `corp`" in p["message"] for p in report["problems"])


ROLE = "arn:aws:iam::123456789012:role/R"


def test_expired_cli_cache_entry(tmp_path, monkeypatch, run_cli):
    key = hashlib.sha1(json.dumps({"RoleArn": ROLE}, sort_keys=True).encode()).hexdigest()
    assert key == "c03ce438bc208f6214854d85d3ca930ff73e3004"  # reference §6, from the real CLI v2
    entry = {"Credentials": {"AccessKeyId": TEMP_KEY_ID, "SecretAccessKey": SECRET, "SessionToken": TOKEN,
                             "Expiration": "2021-03-04T05:06:07+00:00"}, "AssumedRoleUser": {}}
    config = f"[profile r]\nrole_arn = {ROLE}\nsource_profile = a\nregion = eu-west-1\n"
    files = {f"home/.aws/cli/cache/{key}.json": json.dumps(entry)}
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, "r", env={}, config=config, credentials=TWO, files=files)
    assert code == 0 and report["source"] == "assume-role"
    assert any("cached credentials for role" in p["message"] and "2021-03-04 05:06" in p["message"] for p in report["problems"])
    text = run_cli(["doctor", "--profile", "r"], tmp_path).output
    assert "2021-03-04 05:06" in text and SECRET not in text and TOKEN not in text and TEMP_KEY_ID not in text


def test_credential_process_missing_program(tmp_path, monkeypatch, run_cli):
    config = "[default]\ncredential_process = /opt/nowhere/get-creds --json\n"
    report, code, error = _both(tmp_path, monkeypatch, run_cli, env={}, config=config)
    assert code == 1 and error.startswith("FileNotFoundError") and report["providers"][6]["status"] == "fails"


def test_credential_process_not_executable(tmp_path, monkeypatch, run_cli):
    program = tmp_path / "creds.sh"
    program.write_text("#!/bin/sh\necho never run\n")
    program.chmod(0o644)
    report, code, error = _both(tmp_path, monkeypatch, run_cli, env={}, config=f"[default]\ncredential_process = {program}\n")
    assert code == 1 and error.startswith("PermissionError")
    program.chmod(0o755)
    report, code, _ = _both(tmp_path, monkeypatch, run_cli, env={}, config=f"[default]\ncredential_process = {program}\n")
    assert code == 0 and report["source"] == "custom-process"


def test_instance_metadata_cannot_tell_offline(tmp_path, monkeypatch, run_cli):
    _setup(tmp_path, monkeypatch, {}, imds_off=False)
    report, code = doctor(run_cli, tmp_path, None)
    assert code == 1 and report["source"] is None and report["offline"]
    assert report["providers"][-1]["status"] == "cannot tell offline"
    assert "EC2 instance" in report["verdict"]
    for value, status in (("TRUE", "skipped"), ("true", "skipped"), ("1", "cannot tell offline"), (" true", "cannot tell offline")):
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", value)
        assert doctor(run_cli, tmp_path, None)[0]["providers"][-1]["status"] == status


def test_region_cli_v2_only(tmp_path, monkeypatch):
    _setup(tmp_path, monkeypatch, {"AWS_REGION": "eu-west-1"}, credentials=TWO.replace("[a]", "[default]"))
    diagnosis = diagnose(os.environ, None, NOW)
    assert diagnosis.region.botocore is None and diagnosis.region.cli_v2 == "eu-west-1"
    assert any("AWS CLI v2 uses AWS_REGION" in p.message for p in diagnosis.problems)


def test_file_permissions(tmp_path, monkeypatch):
    _setup(tmp_path, monkeypatch, {}, credentials=TWO.replace("[a]", "[default]"))
    (tmp_path / "credentials").chmod(0o644)
    assert any("can be read by other users (mode 0644)" in p.message for p in diagnose(os.environ, None, NOW).problems)
    (tmp_path / "credentials").chmod(0o600)
    assert not any("other users" in p.message for p in diagnose(os.environ, None, NOW).problems)


# --- output: no secret, exit codes -----------------------------------------------------------

SECRETS = (KEY_ID, SECRET, TEMP_KEY_ID, TOKEN, ENV_KEY_ID, ENV_SECRET)
SCENARIOS = {
    "env keys used": ({"AWS_ACCESS_KEY_ID": ENV_KEY_ID, "AWS_SECRET_ACCESS_KEY": ENV_SECRET}, None, 0),
    "file keys used": ({"AWS_PROFILE": "a"}, None, 0),
    "temporary keys": ({"AWS_PROFILE": "t"}, None, 0),
    "partial env": ({"AWS_ACCESS_KEY_ID": ENV_KEY_ID, "AWS_SESSION_TOKEN": TOKEN}, None, 1),
    "explicit profile": ({"AWS_ACCESS_KEY_ID": ENV_KEY_ID, "AWS_SECRET_ACCESS_KEY": ENV_SECRET}, "b", 0),
    "missing profile": ({"AWS_PROFILE": "nope", "AWS_SECRET_ACCESS_KEY": ENV_SECRET}, None, 1),
    "source profile": ({}, "r", 0),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_text_output_never_shows_a_secret_and_exit_codes(name, tmp_path, monkeypatch, run_cli):
    env, profile, expected = SCENARIOS[name]
    credentials = TWO + f"[t]\naws_access_key_id = {TEMP_KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
    config = f"[profile r]\nrole_arn = {ROLE}\nsource_profile = t\n[profile a]\nregion = eu-west-1\n"
    _setup(tmp_path, monkeypatch, env, config, credentials)
    result = run_cli(["doctor", *(["--profile", profile] if profile else [])], tmp_path)
    assert result.exit_code == expected, result.output
    for secret in SECRETS:
        assert secret not in result.output
    last = result.output.rstrip().splitlines()[-1]
    assert last.startswith("The SDK would fail") or ("its first call fails" in last) == (expected == 1)
    json_output = run_cli(["doctor", "--format", "json", *(["--profile", profile] if profile else [])], tmp_path).output
    for secret in SECRETS:
        assert secret not in json_output
    if name == "env keys used":
        assert "AKIA…2MRC" in result.output


def test_text_layout(tmp_path, monkeypatch):
    _setup(tmp_path, monkeypatch, {"AWS_PROFILE": "a"}, credentials=TWO)
    text = render_text(diagnose(os.environ, None, NOW))
    lines = text.splitlines()
    assert lines[1] == "profile: `a` (from AWS_PROFILE)"
    assert lines[2].startswith("files:   ") and "(found)" in lines[2] and "[AWS_CONFIG_FILE]" in lines[2]
    rows = lines[lines.index("") + 1:lines.index("") + 13]
    assert [row.split()[1] for row in rows] == list(CHAIN)
    assert rows[4].split()[2] == "used" and rows[0].split()[2] == "skipped" and rows[5].split()[2:4] == ["not", "reached"]
    assert lines[-1].startswith("The SDK would use shared-credentials-file (`[a]` in ")


def test_default_command_still_checks_paths(tmp_path, run_cli):
    (tmp_path / "ok.env").write_text("REGION=eu-west-1\n")
    assert run_cli([str(tmp_path)], tmp_path).exit_code == 0
    assert run_cli(["doctor", "--help"], tmp_path).exit_code == 0
