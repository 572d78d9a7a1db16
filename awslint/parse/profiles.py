"""The profiles an SDK process sees: the config and credentials files merged as botocore does.

botocore ``Session.full_config``: the config file goes through
``configloader.build_profile_map`` (``[profile NAME]``, ``[default]``, ``[sso-session NAME]``,
``[services NAME]``; a later section for the same name replaces an earlier one entirely), then
every section of the credentials file is a profile by its raw name and its keys are merged in
per key, the credentials file winning. Within a file, ``[DEFAULT]`` keys reach every other
section that does not set them (configparser). Reference §2.1-§2.4.
"""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Profile, Section, Setting, SharedConfig
from awslint.parse.ini import DEFAULT_SECTION



def merge(config: FileModel | None, credentials: FileModel | None, home: bool = False) -> SharedConfig:
    """Build the :class:`SharedConfig` of one pair of files (either may be ``None``) and
    attach it to both models as ``model.shared``. Never raises; a file with parse problems
    still contributes what was parsed."""
    shared = SharedConfig(config, credentials, home=home)
    tables = {"profile": shared.profiles, "sso-session": shared.sso_sessions, "services": shared.services}
    for section, settings in effective_sections(config):
        if section.table is not None and section.name is not None:
            tables[section.table][section.name] = Profile(section.name, [section], settings)
    for section, settings in effective_sections(credentials):
        profile = shared.profiles.setdefault(section.header, Profile(section.header, []))
        profile.sections.append(section)
        profile.settings.update(settings)
    for model in (config, credentials):
        if model is not None:
            model.shared = shared
    return shared


def effective_sections(model: FileModel | None) -> Iterator[tuple[Section, dict[str, Setting]]]:
    """Each section of one file but ``[DEFAULT]``, in file order, with its options as
    ``RawConfigParser`` gives them: the ``[DEFAULT]`` keys, overridden by the section's own.
    This is what botocore's static-key providers read (each from its own file, §4.4)."""
    if model is None:
        return
    defaults = {st.key: st for s in model.sections if s.header == DEFAULT_SECTION for st in s.settings}
    for section in model.sections:
        if section.header != DEFAULT_SECTION:
            yield section, {**defaults, **{st.key: st for st in section.settings}}
