"""AWS10x: section headers of the AWS shared ``config`` and ``credentials`` files.

Which headers name which profile follows botocore (``configloader.build_profile_map`` for the
config file; verbatim names in the credentials file): reference §2.1-§2.2. The helpers at the
top are shared by every AWS1xx family.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from awslint.model import FileModel, Kind, Profile, Section, Setting
from awslint.parse.ini import classify
from awslint.parse.profiles import DEFAULT_SECTION
from awslint.rules import Hit, Severity, rule
from awslint.rules.secrets import shown

SHARED = (Kind.AWS_CONFIG, Kind.AWS_CREDENTIALS)
PROFILE_PREFIX = re.compile(r"profile\s+(\S.*)")
# Sections the AWS CLI itself reads from the config file that are not profiles.
_CLI_SECTIONS = {"plugins", "preview"}
# The profile-name characters the Java SDK v2 accepts (ProfileFileReader), the strictest reader.
_PORTABLE_NAME = re.compile(r"[A-Za-z0-9_\-/.%@]+")


def own(model: FileModel, item: Setting | Section) -> bool:
    """Whether ``item`` is written in ``model``'s file: a finding about a merged profile is
    reported once, in the file that holds the text it points at."""
    return item.origin is model.document.kind


def profiles(model: FileModel) -> list[Profile]:
    """The merged profiles of the pair of files ``model`` belongs to."""
    return list(model.shared.profiles.values()) if model.shared else []


def anchor(profile: Profile) -> Section:
    """The section a profile-level finding points at: its config-file section when it has one."""
    return profile.in_file(Kind.AWS_CONFIG) or profile.sections[-1]


_NEAR_LIMIT = 500  # beyond this many names a suggestion costs more than it helps


def near(name: str, names: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for the closest of ``names`` (at most 500 are compared), or ``""``."""
    candidates = list(names)
    if len(candidates) > _NEAR_LIMIT or len(name) > 256:
        return ""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


@rule(
    "AWS101",
    "profile-prefix-in-credentials",
    Severity.ERROR,
    [Kind.AWS_CREDENTIALS],
    "`[profile NAME]` header in the credentials file",
    tags=("correctness",),
)
def profile_prefix_in_credentials(model: FileModel) -> Iterator[Hit]:
    """botocore uses credentials-file headers verbatim as profile names, so ``[profile dev]``
    defines a profile called ``profile dev`` (reference §2.2)."""
    for section in model.sections:
        match = PROFILE_PREFIX.fullmatch(section.header)
        if match:
            name = match.group(1).strip()
            yield Hit(
                f"`[{section.header}]` in a credentials file defines a profile named \"{section.header}\", "
                f"so `--profile {name}` does not use it; write `[{name}]` here (the `profile ` prefix "
                "belongs only in the config file)",
                section.header_region,
            )


@rule(
    "AWS102",
    "section-ignored-by-sdk",
    Severity.WARNING,
    [Kind.AWS_CONFIG],
    "config-file section that defines no profile",
    tags=("correctness",),
)
def section_ignored_by_sdk(model: FileModel) -> Iterator[Hit]:
    """A config-file header that botocore's ``build_profile_map`` turns into nothing: ``[dev]``
    without the ``profile`` prefix, ``[Default]``, a leading space, or a ``profile``,
    ``sso-session`` or ``services`` header that ``shlex`` does not split into two tokens."""
    for section in model.sections:
        header = section.header
        if header == DEFAULT_SECTION or header in _CLI_SECTIONS:
            continue
        table, name = section.table, section.name
        if table is None:
            yield Hit(_not_a_profile(header, model), section.header_region)
        elif name is None:
            yield Hit(
                f"`[{header}]` is ignored: botocore needs exactly one name after `{table}` (split like a shell "
                f"command line); quote a name that has spaces, as in `[{table} \"my name\"]`",
                section.header_region,
            )


def _not_a_profile(header: str, model: FileModel) -> str:
    bare = header.strip()
    if bare.lower() == "default":
        return f"`[{header}]` is not the default profile (headers are exact and case-sensitive); write `[default]`"
    if classify(bare)[0] is not None:
        return f"`[{header}]` is ignored because of the leading space; write `[{bare}]`"
    for table in ("profile", "sso-session", "services"):
        fixed = table + bare[len(table) :]
        if bare.lower().startswith(table) and classify(fixed)[1] is not None:
            return f"`[{header}]` is ignored: the `{table}` prefix is case-sensitive; write `[{fixed}]`"
    if model.shared and bare in model.shared.profiles:
        return (
            f"`[{header}]` is not a profile in the config file: profile `{bare}` comes from the credentials file "
            f"alone and the settings here never reach it; write `[profile {bare}]`"
        )
    return (
        f"`[{header}]` is not a profile in the config file, so `--profile {bare}` fails with \"The config "
        f"profile ({bare}) could not be found\"; write `[profile {bare}]` (only `[default]` has no prefix)"
    )


@rule(
    "AWS103",
    "odd-section-header",
    Severity.WARNING,
    SHARED,
    "section header that works differently than it reads",
    tags=("correctness", "portability"),
)
def odd_section_header(model: FileModel) -> Iterator[Hit]:
    """Headers botocore accepts with a surprising result: a prefix typo that still counts
    (``[profileg h]`` is profile ``h``), a name ending in ``]`` (``[profile dev]]``), a
    ``default`` with extra spaces in the credentials file, and names with characters other
    SDKs reject (the Java SDK v2 accepts only ``A-Z a-z 0-9 _ - / . % @``), and
    ``[sso-session]``/``[services]`` sections in the credentials file (profiles there)."""
    for section in model.sections:
        message = _odd(section, model.document.kind)
        if message:
            yield Hit(message, section.header_region)


def _odd(section: Section, kind: Kind) -> str | None:
    header = section.header
    if kind is Kind.AWS_CREDENTIALS:
        if re.match(r"(sso-session|services)\s", header):
            return f"`[{header}]` in the credentials file is a profile named {header!r}; `[sso-session]` and `[services]` sections are read only from the config file: move it there"
        if header != "default" and header.strip() == "default":
            return f"`[{header}]` defines a profile named {header!r}, not `default`; write `[default]`"
        return _portability(header, header) if header != DEFAULT_SECTION and not PROFILE_PREFIX.fullmatch(header) else None
    table, name = section.table, section.name
    if table is None or name is None or header == "default":
        return None
    if not re.match(re.escape(table) + r"[ \t]", header):
        return (
            f"botocore reads `[{header}]` as {table} `{name}` because it only checks that the header starts with "
            f"`{table}`; other SDKs ignore it; write `[{table} {name}]`"
        )
    if name.endswith("]"):
        return f"`[{header}]` names the {table} `{name}` (the header ends at the last `]`); remove the extra `]`"
    return _portability(header, name)


def _portability(header: str, name: str) -> str | None:
    if _PORTABLE_NAME.fullmatch(name):
        return None
    if "\x00" in name:
        return "this header contains NUL characters: the file is probably UTF-16, which no SDK reads; save it as UTF-8"
    return (
        f"the name {name!r} in `[{header}]` works with botocore but not with every SDK (the Java SDK accepts only "
        "letters, digits and `_-/.%@`; the JavaScript SDK rejects spaces); rename it"
    )


@rule(
    "AWS104",
    "profile-defined-twice",
    Severity.WARNING,
    [Kind.AWS_CONFIG],
    "two config-file sections for one profile; the later replaces the earlier",
    tags=("correctness",),
)
def profile_defined_twice(model: FileModel) -> Iterator[Hit]:
    """``[default]`` and ``[profile default]``, or ``[profile dev]`` and ``[profile "dev"]``:
    different headers for one name, so no parse error, but botocore keeps only the later
    section, whole (reference §2.1, ``config_default_then_profile_default_last_wins``)."""
    last: dict[tuple[str, str], Section] = {}
    for section in reversed(model.sections):
        table, name = section.table, section.name
        if table is None or name is None:
            continue
        winner = last.setdefault((table, name), section)
        if winner is not section and winner.header != section.header:
            yield Hit(
                f"{table} `{name}` is defined again by `[{winner.header}]` at line {winner.header_region.start_line}, "
                f"and botocore uses only that later section: every key here is ignored; merge the two sections",
                section.header_region,
                ((f"`[{winner.header}]` replaces this section", winner.header_region),),
            )


@rule(
    "AWS106",
    "services-section-not-found",
    Severity.ERROR,
    SHARED,
    "`services` names no `[services NAME]` section",
    tags=("correctness",),
)
def services_section_not_found(model: FileModel) -> Iterator[Hit]:
    """``InvalidConfigError: The profile is configured to use the services section but the
    "NAME" services configuration does not exist`` when a client is created (§2.4)."""
    for profile in profiles(model):
        setting = profile.settings.get("services")
        if setting and own(model, setting) and setting.value not in model.shared.services:
            if not setting.value:
                yield Hit(
                    f"`services` of profile `{profile.name}` is empty, and botocore looks for a `[services]` section "
                    "named \"\", so creating any client fails; name a `[services NAME]` section or remove the key",
                    setting.key_region,
                )
                continue
            yield Hit(
                f"`services` of profile `{profile.name}` names `{shown(setting.value, 64)}`, but the config file has no "
                f"`[services {shown(setting.value, 64)}]`{near(setting.value, model.shared.services)}, so creating any client fails; "
                "add that section or fix the name",
                setting.value_region if setting.value else setting.key_region,
            )


@rule(
    "AWS105",
    "default-section-inherited",
    Severity.WARNING,
    SHARED,
    "`[DEFAULT]` section, whose keys reach every section of the file",
    tags=("correctness",),
)
def default_section_inherited(model: FileModel) -> Iterator[Hit]:
    """Upper-case ``[DEFAULT]`` is configparser's defaults section, not the ``default``
    profile: its keys are copied into every other section of the file, ``sso-session`` and
    ``services`` included, and it cannot be selected (reference §1.2)."""
    for section in model.sections:
        if section.header == DEFAULT_SECTION:
            keys = ", ".join(f"`{s.key}`" for s in section.settings[:3]) or "its keys"
            yield Hit(
                f"`[DEFAULT]` is not the default profile: botocore copies {keys} into every section of this file "
                f"{'(SSO sessions included) ' if model.document.kind is Kind.AWS_CONFIG else ''}and never selects it; "
                "write `[default]`",
                section.header_region,
            )
