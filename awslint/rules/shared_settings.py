"""AWS11x: settings of the AWS shared files — names, values, and text botocore reads literally.

Key names, accepted values and failure modes are botocore's (``configprovider.py``, the
client-config validators) and the AWS CLI's, as listed in the reference §3; the syntax traps
(quotes, inline comments, continuation lines) are §1.2.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

from awslint.model import FileModel, Kind, Region, Section, Setting
from awslint.parse.profiles import DEFAULT_SECTION
from awslint.rules import Hit, Severity, rule
from awslint.rules.secrets import shown
from awslint.rules.shared_files import SHARED

CREDENTIAL_KEYS = {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token", "aws_account_id"}
ROLE_KEYS = {
    "role_arn", "source_profile", "credential_source", "role_session_name", "external_id", "mfa_serial",
    "duration_seconds", "web_identity_token_file", "credential_process", "login_session",
}
SSO_KEYS = {"sso_session", "sso_account_id", "sso_role_name", "sso_start_url", "sso_region", "sso_registration_scopes"}
GENERAL_KEYS = {
    "region", "output", "ca_bundle", "api_versions", "data_path", "metadata_service_timeout",
    "metadata_service_num_attempts", "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_v1_disabled", "imds_use_ipv6", "use_dualstack_endpoint", "use_fips_endpoint",
    "ignore_configured_endpoint_urls", "endpoint_url", "services", "parameter_validation", "csm_enabled",
    "csm_host", "csm_port", "csm_client_id", "endpoint_discovery_enabled", "sts_regional_endpoints", "retry_mode",
    "max_attempts", "defaults_mode", "sdk_ua_app_id", "request_min_compression_size_bytes",
    "disable_request_compression", "sigv4a_signing_region_set", "request_checksum_calculation",
    "response_checksum_validation", "account_id_endpoint_mode", "disable_host_prefix_injection",
    "auth_scheme_preference", "tcp_keepalive", "s3_disable_express_session_auth", "s3_use_arn_region",
    "s3_us_east_1_regional_endpoint", "proxy_ca_bundle", "proxy_client_cert", "proxy_use_forwarding_for_https",
    "s3", "proxies_config", "cli_timestamp_format", "cli_binary_format", "cli_pager", "cli_auto_prompt",
    "cli_error_format", "cli_help_output", "cli_history", "cli_follow_urlparam",
}
KNOWN_KEYS = CREDENTIAL_KEYS | ROLE_KEYS | SSO_KEYS | GENERAL_KEYS
# Names people write for a key that has another name in the shared files.
_ALIASES = {
    "aws_access_key": "aws_access_key_id", "access_key_id": "aws_access_key_id", "access_key": "aws_access_key_id",
    "aws_secret_key": "aws_secret_access_key", "secret_access_key": "aws_secret_access_key",
    "secret_key": "aws_secret_access_key", "aws_secret": "aws_secret_access_key",
    "session_token": "aws_session_token", "aws_default_region": "region", "aws_region": "region",
    "region_name": "region", "default_region": "region", "aws_default_output": "output",
    "aws_role_arn": "role_arn", "disable_s3_express_session_auth": "s3_disable_express_session_auth",
}
S3_KEYS = {
    "addressing_style", "use_accelerate_endpoint", "use_dualstack_endpoint", "payload_signing_enabled",
    "use_arn_region", "s3_disable_multiregion_access_points", "us_east_1_regional_endpoint", "signature_version",
    "max_concurrent_requests", "max_queue_size", "multipart_threshold", "multipart_chunksize", "io_chunksize",
    "max_bandwidth", "target_bandwidth", "preferred_transfer_client", "should_stream", "direct_io", "disk_throughput",
}
_CREDENTIALS_FILE_KEYS = CREDENTIAL_KEYS | {"x_security_token_expires", "aws_expiration", "aws_session_expiration", "expiration"}


def settings_of(model: FileModel, sections: str = "profiles") -> Iterator[tuple[Section, Setting]]:
    """``(section, setting)`` for each setting written in a profile-like section of the file
    (profiles, ``[sso-session]``, ``[DEFAULT]``); ``sections="all"`` adds every section."""
    for section in model.sections:
        if sections == "all" or _profile_like(section, model.document.kind):
            for setting in section.settings:
                yield section, setting


def _profile_like(section: Section, kind: Kind) -> bool:
    if kind is Kind.AWS_CREDENTIALS or section.header == DEFAULT_SECTION:
        return True
    return section.table in ("profile", "sso-session")


def nested(setting: Setting) -> list[tuple[str, str]]:
    """The ``(sub-key, value)`` pairs of a nested block (``s3 =`` then indented lines), as
    botocore ``configloader._parse_nested`` splits them: at the first ``=``, stripped."""
    if not setting.value.startswith("\n"):
        return []
    pairs = (line.split("=", 1) for line in setting.value.splitlines() if "=" in line)
    return [(key.strip(), value.strip()) for key, value in pairs]


def label(section: Section) -> str:
    """How a message names the section: ``profile `dev```, ``[sso-session corp]``, ``[DEFAULT]``."""
    if section.header == DEFAULT_SECTION or section.profile is None:
        return f"`[{section.header}]`"
    return f"profile `{section.profile}`"


def _hit(section: Section, message: str, region: Region) -> Hit:
    return Hit(f"{label(section)}: {message}", region)


def _where(model: FileModel, setting: Setting, text: str):
    return model.document.locate(text, setting.region) or setting.key_region


@rule("AWS110", "unknown-setting", Severity.WARNING, SHARED, "setting name the SDK does not read", tags=("correctness",))
def unknown_setting(model: FileModel) -> Iterator[Hit]:
    """A key no SDK reads that is close to one it does (``aws_secret_key``), an environment
    variable name used as a key (``AWS_DEFAULT_REGION``), a line whose missing ``=`` made
    ``role_arn arn:...`` a key named ``role_arn arn`` (§1.2), and ``s3`` sub-keys in the wrong
    case (sub-keys are case-sensitive, §1.4). Keys of other tools (``x_*``, ``azure_*``...)
    with no near known key are left alone."""
    for section, setting in settings_of(model):
        message = _unknown(setting.key, setting.raw_key)
        if message:
            yield _hit(section, message, setting.key_region)
        if setting.key == "s3":
            for sub_key, _ in nested(setting):
                if sub_key not in S3_KEYS and sub_key.lower() in S3_KEYS:
                    yield _hit(section, 
                        f"botocore ignores the `s3` sub-key `{sub_key}`: sub-keys are case-sensitive; write `{sub_key.lower()}`",
                        _where(model, setting, sub_key),
                    )


def _unknown(key: str, raw_key: str) -> str | None:
    """Why ``key`` (lower-cased; ``raw_key`` as written) is a mistake, or ``None``."""
    if key in KNOWN_KEYS:
        return None
    first = key.split()[0] if key.split() else key
    if first != key and first in KNOWN_KEYS:
        return (
            f"`{first}` is not followed by `=`, so botocore split the line at its first `=` or `:` and read a key "
            f"named `{shown(raw_key, 64)}`; `{first}` is not set; write `{first} = ...`"
        )
    suggestion = _ALIASES.get(key) or next(iter(difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.85)), None)
    if suggestion is None:
        return None
    return f"no SDK reads `{raw_key}`, so it has no effect; did you mean `{suggestion}`?"


@rule("AWS111", "quoted-value", Severity.WARNING, SHARED, "value in quotes, which are kept", tags=("correctness",))
def quoted_value(model: FileModel) -> Iterator[Hit]:
    """botocore keeps quotes as part of the value (``region = "us-west-2"`` is rejected as a
    region, §1.2). ``credential_process`` is split like a shell line, so quotes work there."""
    for section, setting in settings_of(model):
        value = setting.value
        if setting.key != "credential_process" and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            yield _hit(section, 
                f"botocore keeps the quotes, so `{setting.key}` is {value[0]}...{value[0]} with the quotes included; "
                "remove them",
                setting.value_region,
            )


_INLINE_COMMENT = re.compile(r"\s[#;]")


@rule("AWS112", "inline-comment-in-value", Severity.WARNING, SHARED, "`#` or `;` comment after a value, which is kept", tags=("correctness",))
def inline_comment_in_value(model: FileModel) -> Iterator[Hit]:
    """Only whole-line comments exist in these files: ``region = us-west-2 # note`` makes the
    region ``us-west-2 # note`` (botocore and CLI v2; the Go and JavaScript SDKs strip it, §7). The
    lines of a nested block (``s3 =`` then ``addressing_style = path # note``) are checked too."""
    for section, setting in settings_of(model):
        first_line = setting.value.split("\n", 1)[0]
        match = _INLINE_COMMENT.search(first_line)
        if match:
            column = setting.value_region.start_column + match.start() + 1
            region = Region(setting.value_region.start_line, column, setting.value_region.start_line, column + 1)
            yield _hit(section, _kept(first_line[match.start() + 1:], setting.key), region)
        if setting.value.startswith("\n"):  # nested block: each `sub = value` line keeps its comment too
            for line in range(setting.region.start_line + 1, setting.region.end_line + 1):
                text = model.document.line_text(line)
                sub_key, equals, sub_value = text.partition("=")
                match = _INLINE_COMMENT.search(sub_value) if equals and not text.lstrip().startswith(("#", ";")) else None
                if match:
                    column = len(sub_key) + len(equals) + match.start() + 1
                    message = _kept(sub_value[match.start() + 1:], f"{setting.key}.{sub_key.strip()}")
                    yield _hit(section, message, Region.on_line(line, column, column + 1))


def _kept(comment: str, key: str) -> str:
    return (
        f"botocore keeps `{shown(comment)}` as part of the value of `{key}` "
        "(there are no end-of-line comments); move the comment to its own line"
    )


_REFERENCE = re.compile(r"%\([^)%\n]{0,100}\)|\$\{[^}$\n]{0,100}\}|\$[A-Za-z_][A-Za-z0-9_]*")
_INTERPOLATION = re.compile(r"%\([^)]*\)")  # `data_path` alone is run through os.path.expandvars (loaders.create_loader)


@rule("AWS113", "value-not-expanded", Severity.WARNING, SHARED, "`$VAR`, `${VAR}` or `%(name)s` in a value, which is never expanded", tags=("correctness",))
def value_not_expanded(model: FileModel) -> Iterator[Hit]:
    """botocore reads the files without interpolation (``RawConfigParser``) and expands no
    variables in values (§1.2; ``credential_process`` is AWS140's). ``data_path`` is the
    exception: botocore runs it through ``os.path.expandvars`` (``loaders.create_loader``), so
    only ``%(name)s`` is reported there."""
    for section, setting in settings_of(model):
        match = (_INTERPOLATION if setting.key == "data_path" else _REFERENCE).search(setting.value)
        if match and setting.key != "credential_process":
            yield _hit(section, 
                f"`{shown(match.group(0))}` in `{setting.key}` is used as written: the SDK expands no variables in these "
                "files; write the value itself",
                _where(model, setting, match.group(0)),
            )


@rule("AWS114", "continuation-line", Severity.WARNING, SHARED, "indented line that joins the value above", tags=("correctness",))
def continuation_line(model: FileModel) -> Iterator[Hit]:
    """An indented line after ``key = value`` continues that value with a newline (configparser),
    so ``  output = json`` under ``region = us-west-2`` makes the region two lines (§1.2).
    Nested blocks (``s3 =`` then indented lines) are the intended use and are not reported."""
    for section, setting in settings_of(model, "all"):
        if "\n" in setting.value and not setting.value.startswith("\n"):
            second = next(part for part in setting.value.split("\n")[1:] if part)
            region = model.document.locate(second, Region(setting.region.start_line + 1, 1, setting.region.end_line, 1))
            yield _hit(section, 
                f"this indented line is joined to the value of `{setting.key}` above it (botocore reads indented lines "
                "as continuations, with a newline); if it is a setting of its own, remove the indentation, and if it "
                "belongs to the value, put the value on one line",
                region or setting.region,
            )


Check = Callable[[str], "str | None"]


def _one_of(*allowed: str, case: bool = True) -> Check:
    def check(value: str) -> str | None:
        found = value if case else value.lower()
        if found in allowed:
            return None
        hint = " (the value is case-sensitive)" if case and value.lower() in allowed else ""
        return f"must be one of {', '.join(allowed)}{hint}"

    return check


def _integer(low: int, high: int | None = None) -> Check:
    def check(value: str) -> str | None:
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            return "must be a whole number"
        if int(value) < low or (high is not None and int(value) > high):
            return f"must be between {low} and {high}" if high else f"must be at least {low}"
        return None

    return check


# key -> check, for values botocore or the AWS CLI refuse (§3.3, §3.6; the error each raises is in the page).
_VALUES: dict[str, Check] = {
    "retry_mode": _one_of("legacy", "standard", "adaptive"),
    "max_attempts": _integer(1),
    "defaults_mode": _one_of("legacy", "auto", "standard", "in-region", "cross-region", "mobile", case=False),
    "sts_regional_endpoints": _one_of("legacy", "regional"),
    "request_checksum_calculation": _one_of("when_supported", "when_required", case=False),
    "response_checksum_validation": _one_of("when_supported", "when_required", case=False),
    "account_id_endpoint_mode": _one_of("preferred", "disabled", "required", case=False),
    "request_min_compression_size_bytes": _integer(1, 1048576),
    "metadata_service_timeout": _integer(0),
    "metadata_service_num_attempts": _integer(0),
    "ec2_metadata_service_endpoint_mode": _one_of("ipv4", "ipv6", case=False),
    "s3_disable_express_session_auth": _one_of("true", "false", case=False),
    "endpoint_discovery_enabled": _one_of("true", "false", "auto", case=False),
    "output": _one_of("json", "text", "table", "yaml", "yaml-stream", "off"),
    "cli_timestamp_format": _one_of("wire", "iso8601", "none"),
    "cli_binary_format": _one_of("base64", "raw-in-base64-out"),
}
_S3_VALUES: dict[str, Check] = {
    "addressing_style": _one_of("auto", "virtual", "path"),
    "us_east_1_regional_endpoint": _one_of("legacy", "regional"),
    "preferred_transfer_client": _one_of("auto", "classic", "crt", "default"),
}
# What the AWS CLI does with these keys left empty is not verified, so empty values pass.
_CLI_ONLY = {"output", "cli_timestamp_format", "cli_binary_format"}
BOOLEAN_KEYS = {
    "ec2_metadata_v1_disabled", "imds_use_ipv6", "use_dualstack_endpoint", "use_fips_endpoint",
    "ignore_configured_endpoint_urls", "parameter_validation", "csm_enabled", "disable_request_compression",
    "disable_host_prefix_injection", "tcp_keepalive", "s3_use_arn_region",
}
_S3_BOOLEANS = {"use_accelerate_endpoint", "use_dualstack_endpoint", "payload_signing_enabled", "use_arn_region", "s3_disable_multiregion_access_points", "should_stream", "direct_io"}


@rule("AWS115", "invalid-setting-value", Severity.ERROR, SHARED, "value the SDK or the AWS CLI refuses", tags=("correctness",))
def invalid_setting_value(model: FileModel) -> Iterator[Hit]:
    """Enumerations and numbers that make client creation, credential resolution or the CLI
    fail (``retry_mode = Standard``, ``max_attempts = 0``, ``output = xml``...), a
    whole-number ``duration_seconds`` outside 900-43200 (STS refuses it), and ``s3 = path`` where botocore needs a nested
    block (S3 clients then crash). The message names the accepted values."""
    for section, setting in settings_of(model):
        check = _VALUES.get(setting.key)
        checked = check and not setting.value.startswith("\n") and (setting.value or setting.key not in _CLI_ONLY)
        problem = check(setting.value) if checked else None
        if setting.key == "duration_seconds" and re.fullmatch(r"\d+", setting.value) and not 900 <= int(setting.value) <= 43200:
            problem = "is outside 900-43200 seconds, so STS refuses to assume the role"
        if problem:
            yield _hit(section, f"`{setting.key} = {shown(setting.value)}` {problem}", setting.value_region if setting.value else setting.key_region)
        if setting.key == "s3" and setting.value and not setting.value.startswith("\n"):
            yield _hit(section, 
                "`s3` must be a nested block (`s3 =` followed by indented `name = value` lines); with a plain value "
                "botocore fails to create S3 clients",
                setting.value_region,
            )
        for sub_key, value in nested(setting) if setting.key == "s3" else ():
            sub_problem = _S3_VALUES[sub_key](value) if sub_key in _S3_VALUES else None
            if sub_problem:
                yield _hit(section, f"`s3` sub-key `{sub_key} = {shown(value)}` {sub_problem}", _where(model, setting, sub_key))


@rule("AWS116", "setting-value-ignored", Severity.WARNING, SHARED, "value the SDK silently reads as false or drops", tags=("correctness",))
def setting_value_ignored(model: FileModel) -> Iterator[Hit]:
    """botocore's ``ensure_boolean`` is true only for ``true`` (any case): ``yes``, ``1`` and
    ``on`` are false without any error (§3.8); ``cli_auto_prompt`` values other than ``on``
    and ``on-partial`` mean off; a ``duration_seconds`` that is not a whole number is dropped."""
    for section, setting in settings_of(model):
        if setting.key in BOOLEAN_KEYS and setting.value.lower() not in ("true", "false"):
            yield _hit(section, _boolean(setting.key, setting.value), setting.value_region)
        if setting.key == "duration_seconds" and not re.fullmatch(r"\d+", setting.value):
            yield _hit(section, f"`duration_seconds = {shown(setting.value)}` is not a whole number of seconds, so botocore drops it and uses one hour; write e.g. `3600`", setting.value_region)
        if setting.key == "cli_auto_prompt" and setting.value not in ("on", "on-partial", "off"):
            yield _hit(section, f"`cli_auto_prompt = {shown(setting.value)}` means off; write `on`, `on-partial` or `off`", setting.value_region)
        for sub_key, value in nested(setting) if setting.key == "s3" else ():
            if sub_key in _S3_BOOLEANS and value.lower() not in ("true", "false"):
                yield _hit(section, _boolean(f"s3.{sub_key}", value), _where(model, setting, sub_key))


def _boolean(key: str, value: str) -> str:
    return f"`{key} = {shown(value)}` is read as false (only `true` is true, without an error for anything else); write `true` or `false`"


_REGION_LABEL = re.compile(r"(?![0-9]+$)(?!-)[a-zA-Z0-9-]{1,63}(?<!-)")
# botocore data/partitions.json regionRegex of each partition, plus its global pseudo-regions.
_KNOWN_REGION = re.compile(
    r"(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+|cn-\w+-\d+|us-gov-\w+-\d+|us-iso-\w+-\d+|us-isob-\w+-\d+"
    r"|eu-isoe-\w+-\d+|us-isof-\w+-\d+|eusc-de-\w+-\d+|aws-global|aws-cn-global|aws-us-gov-global"
    r"|aws-iso-global|aws-iso-b-global|aws-iso-e-global|aws-iso-f-global"
)
_REGION_KEYS = ("region", "sso_region")


@rule("AWS117", "invalid-region", Severity.ERROR, SHARED, "region that is malformed or does not exist", tags=("correctness",))
def invalid_region(model: FileModel) -> Iterator[Hit]:
    """``region``/``sso_region`` values botocore rejects (``InvalidRegionError``: not a DNS
    label, e.g. ``us_west_2``, or empty), well-formed names outside every partition's region
    pattern in botocore's ``partitions.json`` (``us-west2``), whose endpoints do not exist, and
    names that fit the pattern but are one typo away from a region AWS has (``us-esat-1``)."""
    for section, setting in settings_of(model):
        problem = _region_problem(setting.value) if setting.key in _REGION_KEYS else None
        if problem:
            value = setting.value
            yield _hit(section, f"`{setting.key} = {shown(value)}` {problem}", setting.value_region if value else setting.key_region)


def _region_problem(value: str) -> str | None:
    """What is wrong with a region name, with a suggestion, or ``None``."""
    guess = value.lower().replace("_", "-")
    guess = guess[:-1] + "1" if guess.endswith(("-l", "-i")) else guess
    typo = guess if guess in _REGIONS else next((region for region in _REGIONS if _one_typo(guess, region)), None)
    close = [typo] if typo else difflib.get_close_matches(guess, _REGIONS, n=1, cutoff=0.75)
    hint = f"; did you mean `{close[0]}`?" if close else "; use a name such as `us-east-1`"
    if _KNOWN_REGION.fullmatch(value):
        return None if value in _REGIONS or typo is None else f"is not one of the regions AWS has{hint}"
    if not value:
        return "is empty, so endpoints cannot be built (`https://sts..amazonaws.com`)" + hint
    if not _REGION_LABEL.fullmatch(value):
        return "is not a valid region name (InvalidRegionError)" + hint
    if _KNOWN_REGION.fullmatch(value.lower()):
        return "is not written as AWS writes region names (lower case)" + hint
    return "is not an AWS region, so its endpoints do not resolve" + hint


def _one_typo(value: str, region: str) -> bool:
    """Two letters swapped, or one letter or digit changed, added or dropped."""
    if len(value) == len(region):
        diff = [i for i, (a, b) in enumerate(zip(value, region)) if a != b]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and value[diff[0]] == region[diff[1]]
        return len(diff) == 1 or swapped
    shorter, longer = sorted((value, region), key=len)
    return len(longer) - len(shorter) == 1 and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# The commercial, China and GovCloud regions as of 2026 (AWS General Reference, "Regions").
_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
    "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1", "cn-north-1", "cn-northwest-1",
    "us-gov-east-1", "us-gov-west-1",
]


@rule(
    "AWS118",
    "setting-in-credentials-file",
    Severity.NOTE,
    [Kind.AWS_CREDENTIALS],
    "setting other than keys in the credentials file",
    tags=("portability",),
)
def setting_in_credentials_file(model: FileModel) -> Iterator[Hit]:
    """botocore and CLI v2 merge every key of the credentials file into the profile (§2.3),
    but the AWS documentation puts only keys there and some SDKs (Go v2 for most keys, Ruby,
    older JavaScript and Go v1) ignore the rest. Only keys an SDK reads are reported: tools' own
    keys (``x_principal_arn``) mean nothing in either file."""
    for section in model.sections:
        name = re.sub(r"^profile\s+", "", section.header)  # AWS101 reports a `profile ` prefix here
        if section.header == DEFAULT_SECTION or re.match(r"(sso-session|services)\s", section.header):
            continue  # AWS105 / AWS103 say what to do with these sections
        for setting in section.settings:
            if setting.key not in _CREDENTIALS_FILE_KEYS and setting.key in KNOWN_KEYS:
                target = "`[default]`" if name == "default" else f"`[profile {name}]`"
                yield _hit(section, 
                    f"`{setting.key}` in the credentials file works with botocore and the AWS CLI but not with every "
                    f"SDK; move it to {target} in the config file",
                    setting.key_region,
                )


_CLI_V2 = {
    "sts_regional_endpoints": "CLI v2 ignores `sts_regional_endpoints` (it always uses regional endpoints)",
    "defaults_mode": "CLI v2 ignores `defaults_mode`",
    "api_versions": "CLI v2 ignores `api_versions`",
}


@rule("AWS119", "cli-v2-difference", Severity.WARNING, SHARED, "setting that AWS CLI v2 refuses or ignores while botocore reads it", tags=("portability",))
def cli_v2_difference(model: FileModel) -> Iterator[Hit]:
    """Reference §7: CLI v2 fails on ``retry_mode = legacy`` and does not read
    ``sts_regional_endpoints``, ``defaults_mode``, ``api_versions`` or
    ``s3.us_east_1_regional_endpoint``; ``output`` values ``yaml``, ``yaml-stream`` and
    ``off`` exist only in CLI v2, so CLI v1 (and boto3 tools that honour it) refuse them."""
    for section, setting in settings_of(model):
        if setting.key == "retry_mode" and setting.value == "legacy":
            yield _hit(section, "AWS CLI v2 refuses `retry_mode = legacy` (botocore accepts it); use `standard`", setting.value_region)
        elif setting.key in _CLI_V2:
            yield _hit(section, f"{_CLI_V2[setting.key]}, so the AWS CLI and boto3 behave differently; remove it or accept the difference", setting.key_region)
        elif setting.key == "output" and setting.value in ("yaml", "yaml-stream", "off"):
            yield _hit(section, f"`output = {setting.value}` exists only in AWS CLI v2; CLI v1 fails with \"Unknown output type\"", setting.value_region)
        elif setting.key == "s3" and any(key == "us_east_1_regional_endpoint" for key, _ in nested(setting)):
            yield _hit(section, "AWS CLI v2 ignores `s3.us_east_1_regional_endpoint`, so the CLI and boto3 use different endpoints", _where(model, setting, "us_east_1_regional_endpoint"))
