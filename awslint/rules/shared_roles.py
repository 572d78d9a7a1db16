"""AWS13x-14x: where a profile's credentials come from — assume-role chains, web identity and
``credential_process``.

The checks mirror botocore's ``AssumeRoleProvider`` (``_get_role_config``,
``_validate_source_profile``, ``_resolve_credentials_from_profile``) and
``ProcessProvider`` (``shlex.split``, no shell): reference §4.5 and §4.7. Nothing named in a
file is ever run.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from awslint.model import FileModel, Profile, Region, Setting, SharedConfig
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import ARN_PARTITION
from awslint.rules.secrets import shown
from awslint.rules.shared_files import SHARED, near, own, profiles

CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")
_STATIC = ("aws_access_key_id", "aws_secret_access_key")  # botocore `_has_static_credentials`
_SOURCES = ("role_arn", "credential_process", "sso_account_id", "sso_role_name", "login_session", "web_identity_token_file", "aws_access_key_id")
_ROLE_ARN = re.compile(rf"arn:{ARN_PARTITION}:iam::\d{{12}}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{{1,64}}")
_MFA_ARN = re.compile(rf"arn:{ARN_PARTITION}:iam::\d{{12}}:(?:mfa|u2f)/[\w+=,.@/-]+")
_MFA_SERIAL = re.compile(r"[\w+=/:,.@-]{9,256}")


def assumes_role(profile: Profile) -> bool:
    """botocore's assume-role provider owns the profile: ``role_arn`` without ``web_identity_token_file``."""
    return "role_arn" in profile.settings and "web_identity_token_file" not in profile.settings


def _setting(model: FileModel, profile: Profile, key: str) -> Setting | None:
    """The profile's winning ``key`` when it is written in this file."""
    setting = profile.settings.get(key)
    return setting if setting and own(model, setting) else None


@rule("AWS130", "role-without-source", Severity.ERROR, SHARED, "`role_arn` with nothing to assume it from", tags=("correctness",))
def role_without_source(model: FileModel) -> Iterator[Hit]:
    """``role_arn`` without ``source_profile``, ``credential_source`` or
    ``web_identity_token_file``: botocore raises ``PartialCredentialsError`` ("missing:
    source_profile or credential_source"), also when the profile has SSO or static keys,
    because the assume-role provider comes first in the chain."""
    for profile in profiles(model):
        role = _setting(model, profile, "role_arn")
        if role and assumes_role(profile) and not {"source_profile", "credential_source"} & profile.settings.keys():
            yield Hit(
                f"profile `{profile.name}` has `role_arn` but neither `source_profile` nor `credential_source`, so "
                "botocore fails with \"Partial credentials found in assume-role\"; add `source_profile = NAME` (a "
                "profile with credentials) or `credential_source = Ec2InstanceMetadata`",
                role.key_region,
            )


@rule("AWS131", "conflicting-role-source", Severity.ERROR, SHARED, "both `source_profile` and `credential_source`", tags=("correctness",))
def conflicting_role_source(model: FileModel) -> Iterator[Hit]:
    """botocore raises ``InvalidConfigError``: the profile "contains both source_profile and
    credential_source"."""
    for profile in profiles(model):
        chosen = _setting(model, profile, "credential_source")
        if chosen and assumes_role(profile) and "source_profile" in profile.settings:
            yield Hit(
                f"profile `{profile.name}` sets both `source_profile` and `credential_source`, which botocore refuses; "
                "keep the one that holds the credentials to assume the role with",
                chosen.key_region,
            )


@rule("AWS132", "source-profile-not-found", Severity.ERROR, SHARED, "`source_profile` names no profile", tags=("correctness",))
def source_profile_not_found(model: FileModel) -> Iterator[Hit]:
    """``InvalidConfigError: The source_profile "X" referenced in the profile "Y" does not
    exist``; the names of both files count (profile names are case-sensitive)."""
    for profile in profiles(model):
        source = _setting(model, profile, "source_profile")
        if source and assumes_role(profile) and source.value not in model.shared.profiles:
            what = "is empty" if not source.value else f"names `{shown(source.value, 64)}`, which is not a profile in either shared file"
            yield Hit(
                f"`source_profile` of profile `{profile.name}` {what}{near(source.value, model.shared.profiles)}; "
                "name a profile that has credentials",
                source.value_region if source.value else source.key_region,
            )


def has_credentials(profile: Profile) -> bool:
    """Whether some provider of botocore's chain can give the profile credentials, env
    variables aside (they are disabled for source profiles, §4.5)."""
    return any(key in profile.settings for key in _SOURCES)


@rule("AWS133", "source-profile-without-credentials", Severity.ERROR, SHARED, "`source_profile` names a profile without credentials", tags=("correctness",))
def source_profile_without_credentials(model: FileModel) -> Iterator[Hit]:
    """``InvalidConfigError: The source profile "base" must have credentials`` — keys, a role,
    SSO, ``credential_process`` or ``login_session``; environment variables do not count."""
    for profile in profiles(model):
        source = _setting(model, profile, "source_profile")
        target = model.shared.profiles.get(source.value) if source and assumes_role(profile) else None
        if target is not None and target is not profile and not has_credentials(target):
            yield Hit(
                f"`source_profile` of profile `{profile.name}` is `{target.name}`, which has no credentials (no keys, "
                "role, SSO or `credential_process`), so botocore fails; give it credentials or name another profile",
                source.value_region,
            )


@rule("AWS134", "source-profile-cycle", Severity.ERROR, SHARED, "`source_profile` chain that loops", tags=("correctness",))
def source_profile_cycle(model: FileModel) -> Iterator[Hit]:
    """``InfiniteLoopConfigError``: following ``source_profile`` through profiles that assume a
    role comes back to a profile already visited (a profile may name itself only when it also
    has static keys)."""
    loops = _loops(model.shared) if model.shared else {}
    for profile in profiles(model):
        source = _setting(model, profile, "source_profile")
        chain = loops.get(profile.name) if source and assumes_role(profile) else None
        if chain:
            yield Hit(
                f"the `source_profile` chain of profile `{profile.name}` loops ({' → '.join(chain)}), so botocore fails "
                "with \"Infinite loop in credential configuration\"; end the chain at a profile with credentials",
                source.value_region,
            )


def static_keys(profile: Profile) -> bool:
    """Whether the profile sets an access key or secret key (botocore ``_has_static_credentials``)."""
    return any(key in profile.settings for key in _STATIC)


def _loops(shared: SharedConfig) -> dict[str, list[str] | None]:
    """For every profile that assumes a role, the ``source_profile`` chain botocore walks from
    it when that chain loops (``[A, B, A]``, at most 12 names), else ``None``.

    botocore stops at a source profile with static keys or without ``role_arn``, except when
    the walk comes back to the profile it started from. Where each walk that *arrives* at a
    profile ends does not depend on the start, so it is computed once per profile (linear)."""
    arrival = _arrivals(shared)
    found: dict[str, list[str] | None] = {}
    for start in shared.profiles.values():
        first = _successor(shared, start)
        if first is None or not assumes_role(start):
            continue
        if first is start:
            loops = not static_keys(start)
        else:
            loops, stopper = arrival[first.name]
            loops = loops or stopper == start.name
        found[start.name] = _chain(shared, start) if loops else None
    return found


def _successor(shared: SharedConfig, profile: Profile) -> Profile | None:
    return shared.profiles.get(profile.value("source_profile") or "")


def _arrivals(shared: SharedConfig) -> dict[str, tuple[bool, str | None]]:
    """``name -> (loops, the profile that ends the walk)`` for a walk arriving at each profile."""
    arrival: dict[str, tuple[bool, str | None]] = {}
    for profile in shared.profiles.values():
        path: list[str] = []
        on_path: set[str] = set()
        node: Profile | None = profile
        while node is not None and node.name not in arrival and node.name not in on_path:
            if not assumes_role(node) or static_keys(node):
                arrival[node.name] = (False, node.name)
                break
            path.append(node.name)
            on_path.add(node.name)
            node = _successor(shared, node)
        result = (False, None) if node is None else arrival.get(node.name, (True, None))
        arrival.update(dict.fromkeys(path, result))
    return arrival


def _chain(shared: SharedConfig, start: Profile) -> list[str]:
    names, seen, node = [start.name], {start.name}, _successor(shared, start)
    while node is not None and len(names) < 12:
        names.append(node.name)
        if node.name in seen:
            return names
        seen.add(node.name)
        node = _successor(shared, node)
    return [*names, "…"]


@rule("AWS135", "invalid-credential-source", Severity.ERROR, SHARED, "`credential_source` that is not one of the three names", tags=("correctness",))
def invalid_credential_source(model: FileModel) -> Iterator[Hit]:
    """botocore accepts exactly ``Environment``, ``Ec2InstanceMetadata`` or ``EcsContainer``,
    case-sensitive; anything else is ``InvalidConfigError`` (read only with ``role_arn``)."""
    for profile in profiles(model):
        source = _setting(model, profile, "credential_source")
        if source and assumes_role(profile) and source.value not in CREDENTIAL_SOURCES:
            exact = next((s for s in CREDENTIAL_SOURCES if s.lower() == source.value.lower()), None)
            hint = f" (did you mean `{exact}`? the value is case-sensitive)" if exact else near(source.value, CREDENTIAL_SOURCES)
            yield Hit(
                f"`credential_source = {shown(source.value)}` in profile `{profile.name}` is not valid{hint}; use "
                "`Environment`, `Ec2InstanceMetadata` or `EcsContainer`",
                source.value_region,
            )


@rule("AWS136", "malformed-arn", Severity.ERROR, SHARED, "`role_arn` or `mfa_serial` that is not a valid ARN or serial", tags=("correctness",))
def malformed_arn(model: FileModel) -> Iterator[Hit]:
    """``role_arn`` must be ``arn:PARTITION:iam::ACCOUNT:role/NAME`` (12-digit account, role
    name of ``\\w+=,.@-``); ``mfa_serial`` an IAM ``mfa/`` ARN or a hardware serial of 9-256
    characters. botocore sends any text and STS rejects it (IAM/STS API models, §6)."""
    for profile in profiles(model):
        role, mfa = _setting(model, profile, "role_arn"), _setting(model, profile, "mfa_serial")
        if role and not _ROLE_ARN.fullmatch(role.value):
            yield Hit(
                f"`role_arn` of profile `{profile.name}` is not an IAM role ARN; write "
                "`arn:aws:iam::123456789012:role/NAME` (12-digit account id, `role/` and the role name)",
                role.value_region,
            )
        if mfa and not (_MFA_ARN.fullmatch(mfa.value) or (not mfa.value.startswith("arn:") and _MFA_SERIAL.fullmatch(mfa.value))):
            yield Hit(
                f"`mfa_serial` of profile `{profile.name}` is neither an MFA device ARN "
                "(`arn:aws:iam::123456789012:mfa/NAME`) nor a hardware serial number; copy it from the IAM console",
                mfa.value_region,
            )


@rule("AWS137", "web-identity-without-role-arn", Severity.ERROR, SHARED, "`web_identity_token_file` without `role_arn`", tags=("correctness",))
def web_identity_without_role_arn(model: FileModel) -> Iterator[Hit]:
    """botocore raises ``InvalidConfigError`` ("configured to assume role with web identity but
    has no role ARN configured") unless ``AWS_ROLE_ARN`` is set in the environment; with
    ``--home``, also ``AWS_WEB_IDENTITY_TOKEN_FILE`` set without ``AWS_ROLE_ARN``."""
    environ = model.context.environ if model.context else {}
    speaks = model.shared and model.shared.home and model.shared.config in (model, None)
    if speaks and environ.get("AWS_WEB_IDENTITY_TOKEN_FILE") and not environ.get("AWS_ROLE_ARN"):
        yield Hit(
            "the environment sets AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN, so botocore cannot assume a role with "
            "the token; set AWS_ROLE_ARN or unset AWS_WEB_IDENTITY_TOKEN_FILE",
            Region.on_line(1, 0, 0),
        )
    for profile in profiles(model):
        token = _setting(model, profile, "web_identity_token_file")
        if token and "role_arn" not in profile.settings and not environ.get("AWS_ROLE_ARN"):
            yield Hit(
                f"profile `{profile.name}` has `web_identity_token_file` but no `role_arn`, so botocore cannot assume a "
                "role with the token; add `role_arn = arn:aws:iam::ACCOUNT:role/NAME`",
                token.key_region,
            )


_SHELLS = {"sh", "bash", "dash", "ksh", "zsh"}
@rule("AWS138", "source-without-role-arn", Severity.WARNING, SHARED, "`source_profile` or `credential_source` without `role_arn`", tags=("correctness",))
def source_without_role_arn(model: FileModel) -> Iterator[Hit]:
    """botocore reads ``source_profile`` and ``credential_source`` only for the role in
    ``role_arn`` (``AssumeRoleProvider``); without it they are ignored and the profile gets no
    credentials from the profile they name (reference §3.2, §4.5)."""
    for profile in profiles(model):
        for key in ("source_profile", "credential_source"):
            setting = _setting(model, profile, key)
            if setting and "role_arn" not in profile.settings:
                yield Hit(
                    f"`{key}` of profile `{profile.name}` is ignored because the profile has no `role_arn`: the SDK uses "
                    f"it only to assume a role; add `role_arn = arn:aws:iam::ACCOUNT:role/NAME`, or remove `{key}`",
                    setting.key_region,
                )


_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", "&", "|&"}


@rule("AWS140", "credential-process-shell-syntax", Severity.WARNING, SHARED, "`credential_process` that relies on a shell", tags=("correctness",))
def credential_process_shell_syntax(model: FileModel) -> Iterator[Hit]:
    """botocore splits ``credential_process`` with ``shlex.split`` and runs it without a shell:
    pipes, ``&&``, redirects, ``$VAR``, ``~`` and backquotes reach the program as plain
    arguments, an unbalanced quote fails with ``ValueError``, an empty value with
    ``IndexError``, a backslash-newline does not join lines, and ``# note`` becomes arguments. The
    script of ``sh -c SCRIPT`` is left to that shell."""
    for profile in profiles(model):
        process = _setting(model, profile, "credential_process")
        problem = _shell_problem(process.value) if process else None
        if problem:
            yield Hit(f"`credential_process` of profile `{profile.name}` {problem}", process.value_region if process.value else process.key_region)


_LONGEST_COMMAND = 4096  # longer values are not commands a person wrote; they are not analysed


def _shell_problem(command: str) -> str | None:
    if len(command) > _LONGEST_COMMAND:
        return None
    if not command.strip():
        return "is empty, so botocore fails (IndexError); name the program to run or remove the key"
    if "\\\n" in command or command.rstrip().endswith("\\"):
        return "uses a backslash to continue the line, which the SDK does not do; put the whole command on one line"
    try:
        words = shlex.split(command)
    except ValueError:
        return "has an unbalanced quote, so botocore fails with \"No closing quotation\"; close the quote"
    fix = "; no shell runs it, so wrap the command in a script, or run `sh -c '...'`"
    script = _shell_script(words)
    for index, word in enumerate(words):
        if index == script:
            continue  # the script of `sh -c '...'`: that shell expands it
        if word in _OPERATORS or word.startswith("#"):
            what = "a comment" if word.startswith("#") else f"the shell operator `{shown(word)}`"
            return f"contains {what}, which the program receives as arguments{fix}"
        if "$" in word or word.startswith("~") or "`" in word:
            return f"contains `{shown(word)}`, which is passed as written (no variable or `~` expansion){fix}"
    return None


def _shell_script(words: list[str]) -> int:
    """The index of SCRIPT in ``sh -c SCRIPT`` (also ``bash -lc``, ``/bin/zsh -c``...), else -1."""
    if words and words[0].rsplit("/", 1)[-1] in _SHELLS:
        for index, word in enumerate(words[1:-1], 1):
            if not word.startswith("-"):
                break
            if re.fullmatch(r"-[a-z]*c[a-z]*", word):
                return index + 1
    return -1


@rule("AWS141", "credential-process-relative-path", Severity.WARNING, SHARED, "`credential_process` program given by a relative path", tags=("correctness",))
def credential_process_relative_path(model: FileModel) -> Iterator[Hit]:
    """A program path with a ``/`` that is not absolute (``bin/creds``, ``./creds.sh``) is
    resolved against the working directory of whatever process uses the SDK, so it works in
    one folder and fails with ``FileNotFoundError`` elsewhere. A bare name is looked up on
    ``PATH`` and is fine. Windows paths with backslashes lose them on POSIX (``shlex``)."""
    for profile in profiles(model):
        process = _setting(model, profile, "credential_process")
        problem = _path_problem(process.value) if process else None
        if problem:
            yield Hit(f"the program in `credential_process` of profile `{profile.name}` {problem}", process.value_region)


def _path_problem(command: str) -> str | None:
    if len(command) > _LONGEST_COMMAND:
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None  # AWS140 reports it
    raw = command.strip().split()[0]
    if re.match(r"[A-Za-z]:\\|\\\\", raw):
        return f"is a Windows path; on Linux and macOS botocore reads it as `{shown(program, 64)}` (backslashes are escapes); use forward slashes"
    if "/" in program and not program.startswith("/") and not re.match(r"[A-Za-z]:/", program):
        return f"is `{shown(program, 64)}`, a path relative to the current directory of the process; write an absolute path"
    return None
