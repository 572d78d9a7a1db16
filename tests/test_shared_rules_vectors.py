"""The AWS1xx rules against botocore's recorded behaviour: every reference vector is linted as
``awslint --home`` would lint it (same files, same environment). Where botocore failed because
of the files or the environment, the rule that explains the failure must fire; where botocore
succeeded, no error-severity finding may appear (errors mean "the SDK fails")."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from awslint.config import Config
from awslint.engine import lint, selected_rules
from awslint.home import home_candidates, home_context
from awslint.rules import Severity, all_rules

VECTORS = Path(__file__).resolve().parent / "data" / "aws-shared-config-cases.json"
CASES = json.loads(VECTORS.read_text(encoding="utf-8"))
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

# botocore's error text -> the rule whose finding explains it.
EXPECTED = [
    ("ConfigParseError", "AWS900"),
    ("InvalidRegionError", "AWS117"),
    ("Invalid endpoint: https://sts..", "AWS117"),
    ("Partial credentials found in shared-credentials-file", "AWS120"),
    ("Partial credentials found in config-file", "AWS120"),
    ("Partial credentials found in env", "AWS163"),
    ("Partial credentials found in assume-role", "AWS130"),
    ("referenced in the profile", "AWS132"),
    ("Infinite loop", "AWS134"),
    ("must have credentials", "AWS133"),
    ("contains both source_profile and credential_source", "AWS131"),
    ("InvalidConfigError: The credential source", "AWS135"),
    ("no role ARN configured", "AWS137"),
    ("sso-session does not exist", "AWS150"),
    ("sso_session configuration does not exist", "AWS150"),
    ("missing required configuration", "AWS153"),
    ("inconsistent between profile", "AWS154"),
    ("InvalidRetryModeError", "AWS115"),
    ("max_attempts", "AWS115"),
    ("ValueError: invalid literal for int()", "AWS115"),
    ("InvalidDefaultsMode", "AWS115"),
    ("InvalidSTSRegionalEndpointsConfigError", "AWS115"),
    ("InvalidS3AddressingStyleError", "AWS115"),
    ("InvalidS3UsEast1RegionalEndpointConfigError", "AWS115"),
    ("'str' object has no attribute 'get'", "AWS115"),
    ("InvalidChecksumConfigError", "AWS115"),
    ("account_id_endpoint_mode", "AWS115"),
    ("request_min_compression_size_bytes", "AWS115"),
    ("InvalidIMDSEndpointModeError", "AWS115"),
    ("s3_disable_express_session_auth", "AWS115"),
    ("InvalidEndpointDiscoveryConfigurationError", "AWS115"),
    ("IndexError: list index out of range", "AWS140"),
    ("No closing quotation", "AWS140"),
    ("ProfileNotFound", "AWS162"),
    ("services configuration does not exist", "AWS106"),
]
# Vectors botocore loads without an error that still fail later, when a request is made or
# in the AWS CLI: the error-severity rule that says so.
LATER = {
    "whitespace_and_quotes_in_values": {"AWS115"},  # output = "json": the CLI refuses it
    "output_invalid_ignored_by_botocore": {"AWS115"},
    "endpoint_discovery_enabled_invalid_sts_not_checked": {"AWS115"},  # DynamoDB clients fail
    "empty_value": {"AWS117"},
    "continuation_after_blank_line": {"AWS117"},  # the next line joins the region
    "tab_indented_key_after_key_is_continuation": {"AWS117"},
    "region_unknown_but_valid_label": {"AWS117"},
    "credentials_profile_prefix_is_literal_name": {"AWS101"},
    "credentials_profile_prefix_selected_literally": {"AWS101"},
    "credentials_profile_default_is_not_default": {"AWS101"},
    "credfile_secret_without_access_key_ignored": {"AWS120"},
    "asia_key_without_token_accepted": {"AWS123"},
    "akia_key_with_token_accepted": {"AWS123"},
    "config_only_static_creds": {"AWS123"},
    "role_arn_not_validated": {"AWS136"},
}
# Vectors whose regions are stand-ins such as `r1`: AWS117 rightly calls them unknown.
_STAND_IN_REGION = re.compile(r"^region\s*=\s*r[\w-]*$", re.M)
# Failures no static check can predict: what a program prints, what the machine has.
RUNTIME = ("custom-process", "FileNotFoundError", "MissingDependencyException", "NoRegionError", "DataNotFoundError",
           "No credentials found in credential_source", "Unsupported host")


def _run(case: dict, tmp_path: Path):
    env = {"HOME": str(tmp_path / "home"), "AWS_CONFIG_FILE": "{DIR}/config", "AWS_SHARED_CREDENTIALS_FILE": "{DIR}/credentials"}
    env.update(case["env"])
    env = {k: v.replace("{DIR}", str(tmp_path)) for k, v in env.items()}
    for name in ("config", "credentials"):
        if case[name] is not None:
            encoding = case.get("config_encoding", "utf-8") if name == "config" else "utf-8"
            (tmp_path / name).write_bytes(case[name].encode(encoding))
    for relative, text in (case.get("setup") or {}).items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    config = Config(root=tmp_path)
    candidates, _ = home_candidates(env)
    report = lint(candidates, selected_rules(all_rules(), config), config, home_context(env, NOW), home=True)
    assert not report.internal_errors, report.internal_errors
    return report.findings


def _expected(case: dict) -> str | None:
    error = case["botocore_result"]["error"]
    if error is None or any(marker in error for marker in RUNTIME):
        return None
    if error.startswith("ProfileNotFound") and case["profile"] is not None:
        return None  # chosen with --profile, which awslint --home cannot know
    return next((rule_id for marker, rule_id in EXPECTED if marker in error), "unmapped: " + error)


FAILING = [c for c in CASES if _expected(c)]
PASSING = [c for c in CASES if c["botocore_result"]["error"] is None]


@pytest.mark.parametrize("case", FAILING, ids=[c["name"] for c in FAILING])
def test_rule_explains_botocore_failure(case, tmp_path):
    rule_id = _expected(case)
    findings = _run(case, tmp_path)
    assert rule_id in {f.rule.id for f in findings}, [(f.rule.id, f.message) for f in findings]


@pytest.mark.parametrize("case", PASSING, ids=[c["name"] for c in PASSING])
def test_no_error_where_botocore_succeeds(case, tmp_path):
    expected = set(LATER.get(case["name"], ()))
    if any(_STAND_IN_REGION.search(case[name] or "") for name in ("config", "credentials")):
        expected.add("AWS117")
    errors = {f.rule.id for f in _run(case, tmp_path) if f.severity is Severity.ERROR}
    assert errors == expected


def test_vectors_cover_the_rules():
    assert len(FAILING) >= 50 and len(PASSING) >= 100
