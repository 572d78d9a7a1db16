"""AWS16x: the user's own setup (``awslint --home``), and profile names used elsewhere.

Permissions, the SSO token cache (``~/.aws/sso/cache/<sha1>.json``, reference §6) and the
environment (``AWS_PROFILE``/``AWS_DEFAULT_PROFILE``, ``AWS_ACCESS_KEY_ID``, §4.1-§4.3, §5)
only mean something for the files an SDK on this machine reads. In a repository, the
profiles its ``.aws`` files define are checked against the ``AWS_PROFILE`` its compose files,
Dockerfiles, ``.env`` files and workflows name.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator

from awslint.model import FileModel, Kind, Profile, Region
from awslint.rules import ALL_KINDS, Hit, Severity, rule
from awslint.rules.secrets import shown
from awslint.rules.shared_files import SHARED, anchor, near, own, profiles
from awslint.rules.shared_sso import is_sso, session_of

_FILE_START = Region.on_line(1, 0, 0)
PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


def _home(model: FileModel) -> bool:
    return bool(model.shared and model.shared.home)


def _speaks_for_environment(model: FileModel) -> bool:
    """Environment findings are reported once: on the config file, else the credentials file."""
    shared = model.shared
    return _home(model) and (shared.config is model or (shared.config is None and shared.credentials is model))


@rule("AWS160", "shared-file-permissions", Severity.WARNING, SHARED, "shared file readable by other users (`--home`)", tags=("security",), security_severity=5.0)
def shared_file_permissions(model: FileModel) -> Iterator[Hit]:
    """On POSIX the files should be ``0600``: the AWS CLI creates them so, and the credentials
    file holds keys in clear text."""
    mode = model.document.mode
    if _home(model) and os.name == "posix" and mode is not None and mode & 0o077:
        can = " or ".join(verb for verb, bits in (("read", 0o044), ("written", 0o022), ("executed", 0o011)) if mode & bits)
        yield Hit(
            f"{model.document.display_path} can be {can} by other users (mode {mode:04o}); run "
            f"`chmod 600 {model.document.display_path}`",
            _FILE_START,
        )


@rule("AWS161", "sso-token-expired", Severity.WARNING, [Kind.AWS_CONFIG], "SSO login missing or expired (`--home`)", tags=("correctness",))
def sso_token_expired(model: FileModel) -> Iterator[Hit]:
    """For each SSO profile, the cached token botocore looks for: ``sha1(session name)`` or,
    for legacy profiles, ``sha1(sso_start_url)``. No file is "Token for X does not exist";
    an expired one that cannot be refreshed fails with "Token has expired"."""
    if not _home(model) or model.context is None:
        return
    reported: set[str] = set()
    for profile in profiles(model):
        login = _login(model, profile) if is_sso(profile) else None
        if login is None or login[0] in reported:
            continue
        key, command, section = login
        reported.add(key)
        # only sso-session logins are refreshed (SSOTokenProvider); a legacy token is used as is (§6)
        legacy = session_of(model, profile) is None
        token = model.context.sso_tokens.get(hashlib.sha1(key.encode("utf-8")).hexdigest())
        if token is None:
            yield Hit(f"there is no cached SSO login for `{key}`, so SSO profiles fail; run `{command}`", section.header_region)
        elif token.expires_at is not None and token.expires_at < model.context.now and (legacy or not token.refreshable):
            yield Hit(f"the SSO login for `{key}` expired at {token.expires_at:%Y-%m-%d %H:%M} UTC; run `{command}`", section.header_region)


def _login(model: FileModel, profile: Profile):
    session = session_of(model, profile)
    if session is not None:
        return session.name, f"aws sso login --sso-session {session.name}", session.sections[-1]
    start_url = profile.value("sso_start_url")
    if start_url and own(model, anchor(profile)):
        return start_url, f"aws sso login --profile {profile.name}", anchor(profile)
    return None


@rule("AWS162", "profile-not-found", Severity.ERROR, ALL_KINDS, "`AWS_PROFILE` names a profile that does not exist", tags=("correctness",))
def profile_not_found(model: FileModel) -> Iterator[Hit]:
    """``ProfileNotFound: The config profile (X) could not be found`` (§4.2). With ``--home``,
    the environment's ``AWS_PROFILE`` and ``AWS_DEFAULT_PROFILE`` against the user's files
    (botocore prefers ``AWS_DEFAULT_PROFILE``, CLI v2 ``AWS_PROFILE``: both are checked); in a
    repository, literal values in compose files, Dockerfiles, ``.env`` files and workflows
    against the profiles of the nearest ``.aws`` folder at or above the file's folder."""
    if model.document.kind in SHARED:
        yield from _environment_profiles(model)
        return
    known = model.context.profiles_for(model.document.path) if model.context else None
    if known is None:
        return
    for var in model.all_env():
        if var.name in PROFILE_VARIABLES and var.is_literal and var.value and var.value not in known:
            yield Hit(
                f"{var.name}={shown(var.value, 64)} names a profile that the repository's .aws files do not define"
                f"{near(var.value, known)}; add `[profile {shown(var.value, 64)}]` to .aws/config (or `[{shown(var.value, 64)}]` to .aws/credentials), or fix the name",
                var.value_region or var.region,
            )


def _environment_profiles(model: FileModel) -> Iterator[Hit]:
    if not _speaks_for_environment(model):
        return
    environ = model.context.environ
    missing = [(name, environ[name]) for name in PROFILE_VARIABLES if name in environ and environ[name] not in model.shared.profiles]
    if not missing:
        return
    names = " and ".join(f"{name}={shown(value, 64)!r}" for name, value in missing)
    nearest = near(missing[0][1], model.shared.profiles)
    if len(missing) == 2:
        effect = "every SDK call fails (botocore, boto3 and CLI v1 use AWS_DEFAULT_PROFILE; CLI v2 uses AWS_PROFILE)"
    elif all(name in environ for name in PROFILE_VARIABLES):
        effect = "AWS CLI v2 fails" if missing[0][0] == "AWS_PROFILE" else "botocore, boto3 and AWS CLI v1 fail"
        effect += ", as they use it when both variables are set"
    else:
        effect = "every SDK call fails"
    unset = " and ".join(name for name, _ in missing)
    yield Hit(
        f"the environment sets {names}, naming no profile of either shared file{nearest}, so {effect}; create the "
        f"profile or unset {unset}",
        _FILE_START,
    )


@rule("AWS163", "environment-shadows-profiles", Severity.WARNING, SHARED, "keys in the environment that take precedence over every profile (`--home`)", tags=("correctness",))
def environment_shadows_profiles(model: FileModel) -> Iterator[Hit]:
    """Environment keys come first in botocore's chain, before any profile, also when
    ``AWS_PROFILE`` is set (only an explicit ``--profile`` skips them, §4.1); an access key id
    without a secret stops every call with ``PartialCredentialsError`` (§4.3)."""
    if not _speaks_for_environment(model) or not model.context.environ.get("AWS_ACCESS_KEY_ID"):
        return
    if not model.context.environ.get("AWS_SECRET_ACCESS_KEY"):
        message = "AWS_ACCESS_KEY_ID is set in the environment without AWS_SECRET_ACCESS_KEY, so every SDK call fails with \"Partial credentials found in env\"; unset it"
    else:
        message = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set in the environment, so the SDK uses them instead of any profile, AWS_PROFILE included; unset them to use your profiles"
    yield Hit(message, _FILE_START)
