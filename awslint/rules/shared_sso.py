"""AWS15x: IAM Identity Center (SSO) profiles and ``[sso-session NAME]`` sections.

botocore's ``SSOProvider._load_sso_config`` (reference §2.4, §4.6): a profile is an SSO
profile when it sets ``sso_account_id`` or ``sso_role_name``; the keys of the ``sso-session``
it names are copied into it (a different value for the same key is an error); then
``sso_role_name``, ``sso_account_id``, ``sso_start_url`` and ``sso_region`` must all be set.
"""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Kind, Profile
from awslint.rules import Hit, Severity, rule
from awslint.rules.secrets import shown
from awslint.rules.shared_files import SHARED, anchor, near, own, profiles
from awslint.rules.shared_roles import has_credentials

REQUIRED = ("sso_role_name", "sso_account_id", "sso_start_url", "sso_region")
_PROFILE_ONLY = ("sso_account_id", "sso_role_name")


def is_sso(profile: Profile) -> bool:
    """botocore uses the SSO provider for the profile (``sso_account_id`` or ``sso_role_name``)."""
    return any(key in profile.settings for key in _PROFILE_ONLY)


def session_of(model: FileModel, profile: Profile) -> Profile | None:
    """The ``[sso-session NAME]`` the profile names, if it exists."""
    name = profile.value("sso_session")
    return model.shared.sso_sessions.get(name) if name is not None else None


def own_config(profile: Profile) -> bool:
    """The profile has a config-file section (SSO settings belong there)."""
    return profile.in_file(Kind.AWS_CONFIG) is not None


def _reports(model: FileModel, profile: Profile) -> bool:
    return own(model, anchor(profile))


@rule("AWS150", "sso-session-not-found", Severity.ERROR, SHARED, "`sso_session` names no `[sso-session]` section", tags=("correctness",))
def sso_session_not_found(model: FileModel) -> Iterator[Hit]:
    """``InvalidConfigError: The specified sso-session does not exist`` (SSO credentials) or
    "... the "X" sso_session configuration does not exist" (SSO bearer tokens)."""
    for profile in profiles(model):
        setting = profile.settings.get("sso_session")
        if setting and own(model, setting) and session_of(model, profile) is None:
            if not setting.value:
                yield Hit(f"`sso_session` of profile `{profile.name}` is empty; name an `[sso-session NAME]` section", setting.key_region)
                continue
            yield Hit(
                f"`sso_session` of profile `{profile.name}` names `{shown(setting.value, 64)}`, but the config file has no "
                f"`[sso-session {shown(setting.value, 64)}]`{near(setting.value, model.shared.sso_sessions)}; add that section "
                "(or run `aws configure sso-session`)",
                setting.value_region,
            )


@rule("AWS151", "sso-session-incomplete", Severity.ERROR, [Kind.AWS_CONFIG], "`[sso-session]` without `sso_start_url` or `sso_region`", tags=("correctness",))
def sso_session_incomplete(model: FileModel) -> Iterator[Hit]:
    """Every profile that uses the session then fails with "missing required configuration"."""
    for session in model.shared.sso_sessions.values() if model.shared else ():
        missing = [key for key in ("sso_start_url", "sso_region") if key not in session.settings]
        if missing and own(model, session.sections[-1]):
            yield Hit(
                f"`[sso-session {session.name}]` has no {' and no '.join(f'`{k}`' for k in missing)}, so every profile "
                f"that uses it fails; add {'them' if len(missing) > 1 else 'it'} (`sso_start_url = https://NAME.awsapps.com/start`, `sso_region = REGION`)",
                session.sections[-1].header_region,
            )


@rule("AWS152", "profile-setting-in-sso-session", Severity.WARNING, [Kind.AWS_CONFIG], "`sso_account_id` or `sso_role_name` in an `[sso-session]`", tags=("portability",))
def profile_setting_in_sso_session(model: FileModel) -> Iterator[Hit]:
    """An account and role belong to a profile; botocore happens to copy them from the session
    into every profile that names it, but ``aws configure sso`` and other SDKs read them only
    from the profile, and every profile of the session then gets the same role."""
    for session in model.shared.sso_sessions.values() if model.shared else ():
        for key in _PROFILE_ONLY:
            setting = session.settings.get(key)
            # a key the session only inherits from [DEFAULT] is not written in it (AWS105)
            if setting and own(model, setting) and any(setting is s for section in session.sections for s in section.settings):
                yield Hit(
                    f"`{key}` belongs in a `[profile ...]` that uses `sso_session = {session.name}`, not in the "
                    "session; move it there",
                    setting.key_region,
                )


@rule("AWS153", "sso-profile-incomplete", Severity.ERROR, SHARED, "SSO profile missing a required key", tags=("correctness",))
def sso_profile_incomplete(model: FileModel) -> Iterator[Hit]:
    """After the session's keys are merged in, an SSO profile without all of
    ``sso_role_name``, ``sso_account_id``, ``sso_start_url``, ``sso_region`` makes botocore
    fail ("configured to use SSO but is missing required configuration"); a legacy profile
    with only ``sso_start_url``/``sso_region`` and nothing else gets no credentials at all
    (a profile with just ``sso_session`` is fine: it serves SSO bearer tokens)."""
    for profile in profiles(model):
        if not _reports(model, profile):
            continue
        keys = set(profile.settings)
        session = session_of(model, profile)
        if session is not None:
            keys |= set(session.settings)
        elif "sso_session" in keys:
            continue  # AWS150
        missing = [key for key in REQUIRED if key not in keys]
        if is_sso(profile) and missing:
            yield Hit(
                f"SSO profile `{profile.name}` is missing {', '.join(f'`{k}`' for k in missing)}, so botocore fails; "
                f"add {'them' if len(missing) > 1 else 'it'} (`aws configure sso --profile {profile.name}` writes a complete profile)",
                anchor(profile).header_region,
            )
        elif not is_sso(profile) and session is None and own_config(profile) and {"sso_start_url", "sso_region"} & keys and not has_credentials(profile):
            yield Hit(
                f"profile `{profile.name}` has SSO settings but no `sso_account_id` or `sso_role_name`, so the SDK "
                "gets no credentials from it; add the account and the role to use",
                anchor(profile).header_region,
            )


@rule("AWS154", "sso-value-conflict", Severity.ERROR, SHARED, "profile and its `[sso-session]` disagree on a value", tags=("correctness",))
def sso_value_conflict(model: FileModel) -> Iterator[Hit]:
    """``InvalidConfigError: The value for sso_start_url is inconsistent between profile (...)
    and sso-session (...)`` — for any key the two both set (a ``[DEFAULT]`` key included)."""
    for profile in profiles(model):
        session = session_of(model, profile)
        if session is None or not is_sso(profile):
            continue
        for key, setting in profile.settings.items():
            other = session.settings.get(key)
            if other is not None and other.value != setting.value and own(model, setting) and key != "sso_session":
                yield Hit(
                    f"`{key}` of profile `{profile.name}` differs from `[sso-session {session.name}]` (line "
                    f"{other.region.start_line}), which botocore refuses; keep it in one place",
                    setting.value_region,
                )


@rule("AWS155", "sso-profile-without-region", Severity.WARNING, SHARED, "SSO profile without `region`", tags=("correctness",))
def sso_profile_without_region(model: FileModel) -> Iterator[Hit]:
    """``sso_region`` is where the SSO portal is, not where commands go: without ``region``
    (or ``AWS_DEFAULT_REGION``) the CLI and SDKs fail with "You must specify a region"."""
    environ = model.context.environ if model.context else {}
    if environ.get("AWS_DEFAULT_REGION") or environ.get("AWS_REGION"):
        return
    for profile in profiles(model):
        if is_sso(profile) and "region" not in profile.settings and _reports(model, profile):
            yield Hit(
                f"SSO profile `{profile.name}` has no `region` (`sso_region` is only the portal's), so commands fail "
                "with \"You must specify a region\"; add `region = ...`",
                anchor(profile).header_region,
            )
