"""``awslint doctor``: which credentials would the SDK use here, and if none, why not — offline.

Approach. :func:`diagnose` walks botocore's credential provider chain
(``botocore.credentials.create_credential_resolver``; reference §4.1, "Order") over the
environment it is given and the shared files that environment selects (``AWS_CONFIG_FILE``,
``AWS_SHARED_CREDENTIALS_FILE``, reference §1.1 and §5), parsed and merged by awslint's own
botocore-compatible reader (:func:`awslint.engine.shared_models`, ``awslint/parse/ini.py`` and
``awslint/parse/profiles.py``, tested against botocore on the reference vectors). For each
provider it decides what botocore's ``load()`` would do — return ``None`` (skipped), return
credentials (used), or raise (fails, with botocore's exception class and message: reference
§4.2-§4.7) — and stops at the first one that returns or raises, as ``CredentialResolver``
does. Before the chain it replays what ``get_credentials()`` reads first: both files
(``ConfigParseError``, §1.3), the selected profile (``ProfileNotFound``, §4.2) and the
instance-metadata settings the resolver converts (``metadata_service_timeout``,
``ec2_metadata_service_endpoint_mode``).

Sources: botocore 1.43/1.44 ``credentials.py`` (``EnvProvider``, ``AssumeRoleProvider``,
``AssumeRoleWithWebIdentityProvider``, ``SSOProvider``, ``SharedCredentialProvider``,
``LoginProvider``, ``ProcessProvider``, ``ConfigProvider``, ``OriginalEC2Provider``,
``BotoProvider``, ``ContainerProvider``, ``InstanceMetadataProvider``), ``configprovider.py``
(``AWS_DEFAULT_PROFILE`` before ``AWS_PROFILE``), ``utils.py`` (``ContainerMetadataFetcher``
host rules, ``InstanceMetadataFetcher``'s ``AWS_EC2_METADATA_DISABLED``); AWS CLI v2 where it
differs (``AWS_PROFILE`` first, ``AWS_REGION``: reference §5, §7); the token and CLI caches of
reference §6. ``tests/test_doctor.py`` checks the verdict against live botocore on every
reference vector.

Safety. Nothing is executed (a ``credential_process`` program is looked up with
``shlex.split`` and ``shutil.which``, never run), nothing is sent (instance metadata and
container endpoints are "cannot tell offline" or assumed to answer), and no secret is kept or
printed: key ids appear as their first and last four characters (``mask``), secrets, tokens
and cache contents never — only expiry times are read from the caches.
"""

from __future__ import annotations

import configparser
import difflib
import hashlib
import importlib.util
import ipaddress
import json
import os
import shlex
import shutil
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from awslint.discover import Candidate
from awslint.engine import shared_models
from awslint.home import FILES, expand, home_dir, sso_tokens
from awslint.model import Kind, Profile, Setting, SharedConfig, parse_time
from awslint.parse.ini import DEFAULT_SECTION
from awslint.parse.profiles import effective_sections
from awslint.read import DEFAULT_LIMIT
from awslint.rules.secrets import ACCESS_KEY_ID, mask, redact, shown
from awslint.rules.shared_keys import EXPIRY_KEYS
from awslint.rules.shared_files import PROFILE_PREFIX, near
from awslint.rules.shared_roles import CREDENTIAL_SOURCES, assumes_role, has_credentials, static_keys
from awslint.rules.shared_sso import REQUIRED, is_sso

#: botocore's chain, in order (``Credentials.method`` of each provider).
CHAIN = (
    "env", "assume-role", "assume-role-with-web-identity", "sso", "shared-credentials-file", "login",
    "custom-process", "config-file", "ec2-credentials-file", "boto-config", "container-role", "iam-role",
)
USED, SKIPPED, FAILS, OFFLINE, NOT_REACHED = "used", "skipped", "fails", "cannot tell offline", "not reached"
#: Providers whose credentials botocore fetches only when they are first used (reference §4.1).
DEFERRED = ("assume-role", "assume-role-with-web-identity", "sso")

_CONTAINER_HOSTS = ("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost")  # ContainerMetadataFetcher._ALLOWED_HOSTS
_BOTO_FILES = ("/etc/boto.cfg", "~/.boto")  # BotoProvider.DEFAULT_CONFIG_FILENAMES
_MAX_CACHE_FILE = 1024 * 1024


# --- the result --------------------------------------------------------------------------


@dataclass
class ProviderStep:
    """One provider of the chain: ``number`` (1-12, botocore's order), ``name`` (its
    ``Credentials.method``), ``status`` (``used``, ``skipped``, ``fails``, ``cannot tell
    offline`` or ``not reached``) and ``detail`` (why; for ``fails`` the exception botocore
    raises, ``"Class: message"``, and ``fix``)."""

    number: int
    name: str
    status: str = NOT_REACHED
    detail: str = ""
    fix: str | None = None


@dataclass
class Problem:
    """Something to fix: ``severity`` is ``error`` (the SDK fails, now or at the first call),
    ``warning`` (it works, but not as intended or not for long) or ``note``."""

    severity: str
    message: str
    fix: str


@dataclass
class ProfileChoice:
    """The profile botocore selects (``Session(profile=...)`` or ``--profile``, else
    ``AWS_DEFAULT_PROFILE``, else ``AWS_PROFILE``; reference §5) and where that name came from
    (``origin``: ``--profile``, one of those variables, or ``none``). ``name`` is ``None``
    when nothing selects one: the providers then look for ``default`` and a missing
    ``default`` is no error (§4.2). ``cli_v2``/``cli_v2_origin``: what AWS CLI v2 selects,
    which reads ``AWS_PROFILE`` first."""

    name: str | None
    origin: str
    exists: bool
    cli_v2: str | None
    cli_v2_origin: str

    @property
    def effective(self) -> str:
        """The name the providers look up (botocore: ``profile or 'default'``)."""
        return self.name or "default"

    @property
    def explicit(self) -> bool:
        """``--profile``: botocore then ignores environment keys and environment web identity (§4.1)."""
        return self.origin == "--profile"


@dataclass
class SharedFile:
    """A shared file botocore reads: ``role`` (``config``/``credentials``), the path shown,
    the variable that set it (``None``: the default path), whether it exists."""

    role: str
    path: str
    variable: str | None
    exists: bool


@dataclass
class RegionChoice:
    """The region botocore uses (``AWS_DEFAULT_REGION``, else the profile's ``region``; it
    ignores ``AWS_REGION``) and AWS CLI v2's (``AWS_REGION`` first; reference §5)."""

    botocore: str | None
    origin: str
    cli_v2: str | None
    cli_v2_origin: str


@dataclass
class Diagnosis:
    """What :func:`diagnose` found. ``source`` is the provider botocore's
    ``get_credentials()`` would return credentials from (its ``method``), ``None`` when it
    raises or finds nothing; ``error`` is then ``"ExceptionClass: message"`` (botocore's, or
    ``NoCredentialsError: Unable to locate credentials`` when the chain ends empty, §4.1).
    ``offline`` is set when the only remaining source is one that cannot be checked without
    the network (instance metadata): it is not counted as found."""

    profile: ProfileChoice
    files: list[SharedFile]
    providers: list[ProviderStep]
    problems: list[Problem] = field(default_factory=list)
    region: RegionChoice | None = None
    source: str | None = None
    error: str | None = None
    summary: str = ""
    offline: bool = False

    @property
    def usable(self) -> bool:
        """A source was found (deferred ones — assume-role, web identity, SSO — count) and no
        error-level problem means its first call fails (a temporary key without its session
        token, an expired SSO login, a missing web identity token file, ...)."""
        return self.source is not None and self.blocker is None

    @property
    def blocker(self) -> Problem | None:
        """The first error-level problem: the SDK finds a source but a call with it fails."""
        return next((p for p in self.problems if p.severity == "error"), None)

    @property
    def verdict(self) -> str:
        """The final line."""
        if self.source is not None and self.blocker is not None:
            return f"The SDK would use {self.source} ({self.summary}), but its first call fails: {self.blocker.message}"
        if self.source is not None:
            return f"The SDK would use {self.source} ({self.summary})"
        return f"The SDK would fail: {self.error}" + (f" ({self.summary})" if self.summary else "")

    def to_json(self) -> dict:
        """The same as data (``--format json``), every string passed through :func:`redact`."""
        from awslint import __version__

        data = {
            "version": __version__,
            "profile": {**asdict(self.profile), "effective": self.profile.effective, "explicit": self.profile.explicit},
            "files": [asdict(f) for f in self.files],
            "providers": [asdict(p) for p in self.providers],
            "problems": [asdict(p) for p in self.problems],
            "region": asdict(self.region) if self.region else None,
            "source": self.source,
            "error": self.error,
            "usable": self.usable,
            "offline": self.offline,
            "verdict": self.verdict,
        }
        return _redacted(data)


def _redacted(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


# --- the walk ----------------------------------------------------------------------------


class _Fails(Exception):
    """A provider (or the session) raises ``error`` (``"Class: message"``); ``fix`` says what to do."""

    def __init__(self, error: str, fix: str):
        super().__init__(error)
        self.error = error
        self.fix = fix


@dataclass
class _Found:
    """A provider returns credentials: ``detail`` says which; ``offline`` marks one that cannot
    be checked offline (instance metadata)."""

    detail: str
    offline: bool = False


def diagnose(environ: Mapping[str, str], profile: str | None, now: datetime, *, in_container: bool | None = None) -> Diagnosis:
    """Walk botocore's credential chain for ``environ`` and ``profile`` (``--profile``; ``None``
    when not given) at time ``now`` (timezone-aware), reading only local files.
    ``in_container`` overrides the detection of a container (``/.dockerenv``,
    ``/run/.containerenv``, ``/proc/1/cgroup``), for tests. Never raises for anything found in
    the files or the environment, never runs or sends anything."""
    return _Doctor(dict(environ), profile, now, in_container).run()


class _Doctor:
    def __init__(self, environ: dict[str, str], profile: str | None, now: datetime, in_container: bool | None):
        self.environ = environ
        self.now = now
        self.home = home_dir(environ)
        self.problems: list[Problem] = []
        self._role_offline = False
        self.in_container = _in_container() if in_container is None else in_container
        self.paths: dict[str, Path | None] = {}
        self.files: list[SharedFile] = []
        for variable, default, kind in FILES:
            raw = environ.get(variable, default)
            path = expand(raw, environ) if raw else None
            role = "config" if kind is Kind.AWS_CONFIG else "credentials"
            self.paths[role] = path
            exists = path is not None and os.path.isfile(path)
            shown_path = self.display(path) if path is not None else f"(none: {variable} is empty)"
            self.files.append(SharedFile(role, shown_path, variable if variable in environ else None, exists))
        self.shared = self._read()
        self.profiles = self.shared.profiles
        self.choice = self._choose(profile)

    # -- reading -------------------------------------------------------------------------

    def display(self, path: Path | str) -> str:
        text, home = str(path), str(self.home)
        return "~" + text[len(home):] if text.startswith(home + os.sep) else text

    def _read(self) -> SharedConfig:
        candidates = []
        for role, kind in (("config", Kind.AWS_CONFIG), ("credentials", Kind.AWS_CREDENTIALS)):
            path = self.paths[role]
            if path is not None and os.path.isfile(path):
                candidates.append(Candidate(path, self.display(path), kind))
        models = shared_models(candidates, True, DEFAULT_LIMIT) if candidates else {}
        for candidate in candidates:
            if candidate.path not in models:
                self.problem(
                    "warning",
                    f"{candidate.display_path} could not be read by awslint (unreadable, not a regular file or over "
                    f"{DEFAULT_LIMIT // 1024 // 1024} MB); it is treated as empty here",
                    f"check it with `ls -l {candidate.display_path}`",
                )
        model = next(iter(models.values()), None)
        return model.shared if model is not None and model.shared is not None else SharedConfig(None, None, home=True)

    def problem(self, severity: str, message: str, fix: str) -> None:
        if not any(p.message == message for p in self.problems):
            self.problems.append(Problem(severity, message, fix))

    # -- profile selection (configprovider: AWS_DEFAULT_PROFILE, then AWS_PROFILE) ---------

    def _choose(self, profile: str | None) -> ProfileChoice:
        env = self.environ
        if profile is not None:
            name, origin = profile, "--profile"
            v2, v2_origin = profile, "--profile"
        else:
            origin = next((v for v in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE") if v in env), "none")
            name = env.get(origin) if origin != "none" else None
            v2_origin = next((v for v in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE") if v in env), "none")
            v2 = env.get(v2_origin) if v2_origin != "none" else None
        exists = name is None or name in self.profiles
        return ProfileChoice(name, origin, exists, v2, v2_origin)

    # -- the run -------------------------------------------------------------------------

    def run(self) -> Diagnosis:
        steps = [ProviderStep(number, name) for number, name in enumerate(CHAIN, 1)]
        diagnosis = Diagnosis(self.choice, self.files, steps)
        self._selection_notes()
        try:
            self._session_checks()
        except _Fails as failure:
            diagnosis.error = failure.error
            steps[0].detail = f"botocore raises {failure.error.split(':', 1)[0]} before it asks any provider"
            self.problem("error", failure.error, failure.fix)
            return self._finish(diagnosis)
        providers = [self._env, self._assume_role, lambda: self._web_identity(self.choice.effective, self.choice.explicit),
                     lambda: self._sso(self.choice.effective), lambda: self._shared_credentials(self.choice.effective),
                     lambda: self._login(self.choice.effective), lambda: self._process(self.choice.effective),
                     lambda: self._config_file(self.choice.effective), self._ec2_file, self._boto, self._container, self._imds]
        for step, provider in zip(steps, providers):
            try:
                outcome = provider()
            except _Fails as failure:
                step.status, step.detail, step.fix = FAILS, failure.error, failure.fix
                diagnosis.error = failure.error
                self.problem("error", f"{step.name}: {failure.error}", failure.fix)
                break
            if isinstance(outcome, str):
                step.status, step.detail = SKIPPED, outcome
                continue
            step.detail = outcome.detail
            if outcome.offline:
                step.status = OFFLINE
                diagnosis.offline = True
                diagnosis.error = "NoCredentialsError: Unable to locate credentials"
                diagnosis.summary = "no source found offline; it may work on an EC2 instance with an instance role, which only the network can tell"
            else:
                step.status = USED
                diagnosis.source = step.name
                diagnosis.summary = outcome.detail
            break
        else:
            diagnosis.error = "NoCredentialsError: Unable to locate credentials"
        if diagnosis.source is None and diagnosis.error and diagnosis.error.startswith("NoCredentialsError"):
            self._nothing_found(diagnosis)
        return self._finish(diagnosis)

    def _finish(self, diagnosis: Diagnosis) -> Diagnosis:
        diagnosis.region = self._region(quiet=bool(diagnosis.error and diagnosis.error.startswith("ConfigParseError")))
        self._environment_notes(diagnosis)
        self._permissions()
        self._container_notes(diagnosis)
        order = {"error": 0, "warning": 1, "note": 2}
        diagnosis.problems = sorted(self.problems, key=lambda p: order[p.severity])
        return diagnosis

    # -- before the chain: files, profile, IMDS settings (create_credential_resolver) ------

    def _session_checks(self) -> None:
        for role in ("config", "credentials"):  # Session.full_config: config file first
            model = getattr(self.shared, role)
            if model is not None and model.problems:
                first = model.problems[0]
                path = self.paths[role]
                raise _Fails(
                    f"ConfigParseError: Unable to parse config file: {path}",
                    f"line {first.region.start_line} of {self.display(path)}: {first.message}",
                )
        self._config_int("metadata_service_timeout", "AWS_METADATA_SERVICE_TIMEOUT")
        self._config_int("metadata_service_num_attempts", "AWS_METADATA_SERVICE_NUM_ATTEMPTS")
        self._scoped("ec2_metadata_service_endpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT")
        mode = self._scoped("ec2_metadata_service_endpoint_mode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
        if mode is not None and mode.lower() not in ("ipv4", "ipv6"):
            raise _Fails(
                f"InvalidIMDSEndpointModeError: Invalid EC2 Instance Metadata endpoint mode: {shown(mode)} Valid endpoint "
                "modes (case-insensitive): ('ipv4', 'ipv6').",
                "set `ec2_metadata_service_endpoint_mode` (or AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE) to IPv4 or IPv6, or remove it",
            )
        if mode is None:
            self._scoped("imds_use_ipv6", "AWS_IMDS_USE_IPV6")
        self._scoped("ec2_metadata_v1_disabled", "AWS_EC2_METADATA_V1_DISABLED")

    def _scoped(self, key: str, variable: str) -> str | None:
        """``session.get_config_variable``: the variable, else the selected profile's key;
        reading the profile raises ``ProfileNotFound`` when a selected profile is missing."""
        if variable in self.environ:
            return self.environ[variable]
        name = self.choice.name
        if name is not None and name not in self.profiles:
            raise _Fails(f"ProfileNotFound: The config profile ({name}) could not be found", self._not_found_fix(name))
        profile = self.profiles.get(self.choice.effective)
        return profile.value(key) if profile is not None else None

    def _config_int(self, key: str, variable: str) -> None:
        value = self._scoped(key, variable)
        if value is None:
            return
        try:
            int(value)
        except ValueError:
            where = variable if variable in self.environ else f"`{key}` of profile `{shown(self.choice.effective, 64)}`"
            raise _Fails(f"ValueError: invalid literal for int() with base 10: {shown(value)!r}", f"{where} must be a whole number of seconds/attempts; fix or remove it") from None

    # -- 1. env ------------------------------------------------------------------------------

    def _env(self) -> str | _Found:
        env = self.environ
        if self.choice.explicit:
            if env.get("AWS_ACCESS_KEY_ID"):
                self.problem("note", "AWS_ACCESS_KEY_ID is set in the environment but ignored, because --profile was given "
                             "(botocore skips environment keys for an explicit profile)",
                             "nothing to do for --profile; without it (or with AWS_PROFILE) the environment keys win")
            return "--profile was given: botocore leaves the environment keys out of the chain"
        return self._env_keys()

    def _env_keys(self) -> str | _Found:
        """``EnvProvider.load``: shared by the chain and by ``credential_source = Environment``."""
        env = self.environ
        key_id = env.get("AWS_ACCESS_KEY_ID", "")
        if not key_id:
            if env.get("AWS_SECRET_ACCESS_KEY"):
                self.problem("warning", "AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID, so botocore ignores it",
                             "unset AWS_SECRET_ACCESS_KEY, or set AWS_ACCESS_KEY_ID with it")
            return "AWS_ACCESS_KEY_ID is not set" + (" (it is empty)" if "AWS_ACCESS_KEY_ID" in env else "")
        if not env.get("AWS_SECRET_ACCESS_KEY"):
            raise _Fails(
                "PartialCredentialsError: Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY",
                "unset AWS_ACCESS_KEY_ID (a leftover that shadows your profiles), or set AWS_SECRET_ACCESS_KEY with it; "
                "`--profile NAME` (boto3: `Session(profile_name=...)`) also makes botocore ignore environment keys, "
                "AWS_PROFILE does not",
            )
        token_var = next((v for v in ("AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN") if env.get(v)), None)
        self._key_checks(key_id, token_var is not None, "the environment", "AWS_SESSION_TOKEN")
        expiry = env.get("AWS_CREDENTIAL_EXPIRATION")
        expires = parse_time(expiry) if expiry else None
        if expiry and expires is None:
            self._unreadable_expiry(expiry)
        if expires is not None and expires < self.now:
            self.problem("error", f"the environment keys expired at {expires:%Y-%m-%d %H:%M} UTC (AWS_CREDENTIAL_EXPIRATION); "
                         "botocore refuses them at the first call (\"refreshed credentials are still expired\")",
                         "get new temporary credentials, or unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION")
        parts = f"AWS_ACCESS_KEY_ID ({_key(key_id)}), AWS_SECRET_ACCESS_KEY" + (f", {token_var}" if token_var else "")
        return _Found(f"environment variables {parts}")

    def _unreadable_expiry(self, expiry: str) -> None:
        """``EnvProvider.load`` parses AWS_CREDENTIAL_EXPIRATION with ``dateutil.parser.parse``
        (botocore's dependency, used here only when importable: it reads text, runs nothing)."""
        fix = "write it as ISO 8601 (2030-01-01T00:00:00Z), or unset AWS_CREDENTIAL_EXPIRATION"
        if importlib.util.find_spec("dateutil") is None:
            self.problem("warning", "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time; botocore fails with ParserError unless "
                         "dateutil can read it", fix)
            return
        from dateutil.parser import ParserError, parse

        try:
            parse(expiry)
        except (ParserError, ValueError, OverflowError) as error:
            raise _Fails(f"{type(error).__name__}: AWS_CREDENTIAL_EXPIRATION is not a time botocore can read", fix) from None

    def _key_checks(self, key_id: str, has_token: bool, where: str, token_name: str) -> None:
        """Temporary key without session token, long-term key with one (reference §4.4, §6)."""
        if key_id.startswith("ASIA") and not has_token:
            self.problem("error", f"the access key id in {where} ({_key(key_id)}) is temporary (ASIA...) but has no session "
                         "token, so AWS rejects every request (InvalidClientTokenId)",
                         f"add the {token_name} that came with it, or get new credentials")
        elif key_id.startswith("AKIA") and has_token:
            self.problem("error", f"the access key id in {where} ({_key(key_id)}) is long-term (AKIA...) but comes with a "
                         "session token, which AWS rejects", f"remove the {token_name}")

    # -- 2. assume-role ---------------------------------------------------------------------------

    def _assume_role(self) -> str | _Found:
        name = self.choice.effective
        profile = self.profiles.get(name)
        if profile is None:
            return f"no profile `{shown(name, 64)}`"
        if "role_arn" not in profile.settings:
            return f"profile `{shown(name, 64)}` has no role_arn"
        if "web_identity_token_file" in profile.settings:
            return "role_arn comes with web_identity_token_file: the web identity provider handles it"
        self._role_offline = False
        via = self._role(name, [name])
        self._cli_cache_role(profile)
        offline = self._role_offline
        return _Found(f"assumes role {shown(profile.value('role_arn') or '', 96)} {via}; STS is called at the first request", offline)

    def _role(self, name: str, visited: list[str]) -> str:
        """``AssumeRoleProvider._load_creds_via_assume_role``: validate, then resolve the source
        credentials now (only the STS call is deferred). Returns "with credentials from ..."."""
        profile = self.profiles[name]
        source, credential_source = profile.value("source_profile"), profile.value("credential_source")
        quoted = shown(name, 64)
        if credential_source is not None and source is not None:
            raise _Fails(f'InvalidConfigError: The profile "{quoted}" contains both source_profile and credential_source.',
                         f"keep one of `source_profile` and `credential_source` in profile `{quoted}`")
        if credential_source is None and source is None:
            raise _Fails("PartialCredentialsError: Partial credentials found in assume-role, missing: source_profile or credential_source",
                         f"add `source_profile = NAME` (a profile with credentials) or `credential_source = Ec2InstanceMetadata` "
                         f"(or Environment, EcsContainer) to profile `{quoted}`; a role_arn takes over the profile even when it also has keys or SSO settings")
        if credential_source is not None:
            if credential_source not in CREDENTIAL_SOURCES:
                exact = next((s for s in CREDENTIAL_SOURCES if s.lower() == credential_source.lower()), None)
                raise _Fails(f'InvalidConfigError: The credential source "{shown(credential_source)}" referenced in profile "{quoted}" is not valid.',
                             f"write `{exact}` (the value is case-sensitive)" if exact else "use Environment, Ec2InstanceMetadata or EcsContainer")
            return self._credential_source(credential_source, name)
        if source not in self.profiles:
            raise _Fails(f'InvalidConfigError: The source_profile "{shown(source, 64)}" referenced in the profile "{quoted}" does not exist.',
                         f"name an existing profile in `source_profile`{near(source, self.profiles)}")
        if source in visited and (source != name or not static_keys(self.profiles[source])):
            raise _Fails(f"InfiniteLoopConfigError: Infinite loop in credential configuration detected. Attempting to load from "
                         f"profile {shown(source, 64)} which has already been visited. Visited profiles: {[shown(v, 64) for v in visited]}",
                         "end the source_profile chain at a profile with its own credentials (keys, SSO, credential_process)")
        visited.append(source)
        target = self.profiles[source]
        if static_keys(target) or not assumes_role(target):
            try:
                found = self._profile_chain(source)
            except _Fails as failure:
                raise _Fails(failure.error, f"{failure.fix} (profile `{shown(source, 64)}` is the source_profile of `{quoted}`)") from None
            if found is None:
                raise _Fails(f'InvalidConfigError: The source profile "{shown(source, 64)}" must have credentials.',
                             f"give profile `{shown(source, 64)}` credentials (both keys, SSO, credential_process or a role); "
                             "environment keys do not count for a source profile")
            method, outcome = found
            return f"with credentials from profile `{shown(source, 64)}` ({method}: {outcome.detail})"
        via = self._role(source, visited)
        return f"with credentials from profile `{shown(source, 64)}`, which assumes {shown(target.value('role_arn') or '', 96)} {via}"

    def _profile_chain(self, name: str) -> tuple[str, _Found] | None:
        """``ProfileProviderBuilder.providers(name, disable_env_vars=True)``, as for a source profile."""
        for method, provider in (("assume-role-with-web-identity", lambda: self._web_identity(name, True)),
                                 ("sso", lambda: self._sso(name)), ("shared-credentials-file", lambda: self._shared_credentials(name)),
                                 ("login", lambda: self._login(name)), ("custom-process", lambda: self._process(name)),
                                 ("config-file", lambda: self._config_file(name))):
            outcome = provider()
            if isinstance(outcome, _Found):
                return method, outcome
        return None

    def _credential_source(self, source: str, name: str) -> str:
        """``CanonicalNameCredentialSourcer``: the env, container or instance-metadata provider."""
        nothing = _Fails(f"CredentialRetrievalError: Error when retrieving credentials from {source}: No credentials found in "
                         f"credential_source referenced in profile {shown(name, 64)}", "")
        if source == "Environment":
            outcome = self._env_keys()
            nothing.fix = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or use another credential_source"
        elif source == "EcsContainer":
            outcome = self._container()
            nothing.fix = "EcsContainer works only inside an ECS task (or where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI is set)"
        else:
            outcome = self._imds()
            nothing.fix = "Ec2InstanceMetadata works only on an EC2 instance with an instance role, with AWS_EC2_METADATA_DISABLED unset"
        if isinstance(outcome, str):
            raise nothing
        if outcome.offline:
            self._role_offline = True
            return "with credentials from instance metadata (credential_source = Ec2InstanceMetadata; cannot tell offline)"
        return f"with credentials from credential_source = {source} ({outcome.detail})"

    # -- 3. assume-role-with-web-identity -----------------------------------------------------

    def _web_identity(self, name: str, env_disabled: bool) -> str | _Found:
        profile = self.profiles.get(name)

        def setting(key: str, variable: str) -> tuple[str | None, str]:
            if not env_disabled and variable in self.environ:
                return self.environ[variable], variable
            value = profile.value(key) if profile is not None else None
            return value, f"`{key}` of profile `{shown(name, 64)}`"

        token_file, token_origin = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")
        if not token_file:
            if env_disabled and self.environ.get("AWS_WEB_IDENTITY_TOKEN_FILE") and name == self.choice.effective:
                return "no web_identity_token_file in the profile; AWS_WEB_IDENTITY_TOKEN_FILE is ignored with --profile"
            return "no web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file)"
        role_arn, role_origin = setting("role_arn", "AWS_ROLE_ARN")
        if not role_arn:
            raise _Fails("InvalidConfigError: The provided profile or the current environment is configured to assume role with "
                         "web identity but has no role ARN configured. Ensure that the profile has the role_arnconfiguration set "
                         "or the AWS_ROLE_ARN env var is set.",
                         f"{token_origin} is set: set AWS_ROLE_ARN (or `role_arn` in the profile) with it, or unset it")
        if not os.path.isfile(token_file):
            self.problem("error", f"the web identity token file {shown(token_file, 120)} ({token_origin}) does not exist, so the first "
                         "call fails (botocore reads it only when the credentials are first used)",
                         "point it at the token file your platform mounts (EKS: /var/run/secrets/eks.amazonaws.com/serviceaccount/token), "
                         "or unset it")
        return _Found(f"assumes role {shown(role_arn, 96)} ({role_origin}) with the token in {shown(token_file, 120)} ({token_origin}); "
                      "STS is called at the first request")

    # -- 4. sso -----------------------------------------------------------------------------

    def _sso(self, name: str) -> str | _Found:
        profile = self.profiles.get(name)
        if profile is None or not is_sso(profile):
            return "no sso_account_id or sso_role_name in the profile"
        quoted = shown(name, 64)
        values = {key: setting.value for key, setting in profile.settings.items()}
        session_name = values.get("sso_session")
        required = list(REQUIRED)
        if session_name is not None:
            session = self.shared.sso_sessions.get(session_name)
            if session is None:
                raise _Fails(f'InvalidConfigError: The specified sso-session does not exist: "{shown(session_name, 64)}"',
                             f"add `[sso-session {shown(session_name, 64)}]` to the config file{near(session_name, self.shared.sso_sessions)}, "
                             "or run `aws configure sso-session`")
            for key, setting in session.settings.items():
                if values.get(key, setting.value) != setting.value:
                    raise _Fails(f"InvalidConfigError: The value for {key} is inconsistent between profile ({shown(values[key], 96)}) "
                                 f"and sso-session ({shown(setting.value, 96)}).",
                                 f"keep `{key}` in one place (profile `{quoted}` or `[sso-session {shown(session_name, 64)}]`)")
                values[key] = setting.value
            required.append("sso_session")
        missing = [key for key in required if key not in values]
        if missing:
            raise _Fails(f'InvalidConfigError: The profile "{quoted}" is configured to use SSO but is missing required '
                         f"configuration: {', '.join(missing)}",
                         f"add {_where_sso_keys(missing, quoted, session_name)} (`aws configure sso --profile {quoted}` writes a complete profile)")
        self._sso_token(name, values, session_name)
        return _Found(f"IAM Identity Center role {shown(values['sso_role_name'], 64)} in account {shown(values['sso_account_id'], 32)}; "
                      "the portal is called at the first request")

    def _sso_token(self, name: str, values: dict[str, str], session_name: str | None) -> None:
        """The cached login botocore will need (``~/.aws/sso/cache/<sha1>.json``, reference §6)."""
        key = session_name if session_name is not None else values["sso_start_url"]
        command = f"aws sso login --sso-session {shown(session_name, 64)}" if session_name is not None else f"aws sso login --profile {shown(name, 64)}"
        folder = self.home / ".aws" / "sso" / "cache"
        token = sso_tokens(folder, self.now).get(hashlib.sha1(key.encode("utf-8")).hexdigest())
        cached = self._cli_cache_sso(values, session_name)
        still = f"; the AWS CLI keeps working until its cached role credentials expire at {cached:%Y-%m-%d %H:%M} UTC" if cached and cached > self.now else ""
        if token is None:
            self.problem("error", f"there is no cached SSO login for `{shown(key, 96)}` in {self.display(folder)}, so the first call "
                         f"fails (SSOTokenLoadError: Token for {shown(key, 96)} does not exist){still}", f"run `{command}`")
        elif token.expires_at is not None and token.expires_at < self.now:
            if session_name is not None and token.refreshable:
                self.problem("note", f"the SSO access token for `{shown(key, 96)}` expired at {token.expires_at:%Y-%m-%d %H:%M} UTC; "
                             "botocore refreshes it with the cached refresh token", f"nothing to do; if refreshing fails, run `{command}`")
            else:
                raised = ("TokenRetrievalError: Token has expired and refresh failed" if session_name is not None else
                          "UnauthorizedSSOTokenError: The SSO session associated with this profile has expired or is otherwise invalid")
                self.problem("error", f"the SSO login for `{shown(key, 96)}` expired at {token.expires_at:%Y-%m-%d %H:%M} UTC, so the "
                             f"first call fails ({raised}){still}", f"run `{command}`")

    # -- 5. shared-credentials-file -----------------------------------------------------------

    def _shared_credentials(self, name: str) -> str | _Found:
        model = self.shared.credentials
        if model is None:
            return "no credentials file"
        settings = next((s for section, s in reversed(list(effective_sections(model))) if section.header == name), None)
        if settings is None:
            return f"the credentials file has no `[{shown(name, 64)}]`"
        return self._static(settings, "shared-credentials-file", f"`[{shown(name, 64)}]` in {self.display(model.document.path)}")

    def _static(self, settings: dict[str, Setting], method: str, where: str) -> str | _Found:
        """``SharedCredentialProvider``/``ConfigProvider``: presence of the key id decides."""
        key_id = settings.get("aws_access_key_id")
        if key_id is None:
            if "aws_secret_access_key" in settings:
                self.problem("warning", f"{where} has aws_secret_access_key but no aws_access_key_id, so botocore skips it",
                             "add the aws_access_key_id that belongs to the secret")
            return f"{where} has no aws_access_key_id"
        if "aws_secret_access_key" not in settings:
            raise _Fails(f"PartialCredentialsError: Partial credentials found in {method}, missing: aws_secret_access_key",
                         f"add aws_secret_access_key next to aws_access_key_id in {where}, or remove the key id")
        token = next((settings[k] for k in ("aws_security_token", "aws_session_token") if k in settings), None)
        self._key_checks(key_id.value, bool(token and token.value), where, "aws_session_token")
        for key in EXPIRY_KEYS:
            expires = parse_time(settings[key].value) if key in settings else None
            if expires is not None and expires < self.now:
                self.problem("error", f"the temporary keys of {where} expired at {expires:%Y-%m-%d %H:%M} UTC (`{key}`); AWS answers "
                             "ExpiredToken", "log in again with the tool that wrote them (saml2aws, gimme-aws-creds, ...)")
        return _Found(f"{where}, key {_key(key_id.value)}")

    # -- 6. login -------------------------------------------------------------------------------

    def _login(self, name: str) -> str | _Found:
        profile = self.profiles.get(name)
        session = profile.value("login_session") if profile is not None else None
        if session is None:
            return "no login_session in the profile"
        if importlib.util.find_spec("awscrt") is None:
            raise _Fails('MissingDependencyException: Missing Dependency: Using the login credential provider requires an additional '
                         'dependency. You will need to pip install "botocore[crt]" before proceeding.',
                         "install botocore[crt] in the Python that runs the SDK (the AWS CLI v2 bundles it), then run `aws login`; "
                         "this is what this Python's botocore would do")
        folder = self.environ.get("AWS_LOGIN_CACHE_DIRECTORY")
        cache = expand(folder, self.environ) if folder else self.home / ".aws" / "login" / "cache"
        token = cache / f"{hashlib.sha256(session.encode('utf-8')).hexdigest()}.json"
        if not token.is_file():
            raise _Fails(f"LoginTokenLoadError: Error loading login session token: Unable to load a existing login session for "
                         f"session {shown(session, 96)}. Please reauthenticate with 'aws login'.", f"run `aws login --profile {shown(name, 64)}`")
        return _Found(f"the cached `aws login` session in {self.display(token)}")

    # -- 7. custom-process ----------------------------------------------------------------------

    def _process(self, name: str) -> str | _Found:
        profile = self.profiles.get(name)
        command = profile.value("credential_process") if profile is not None else None
        if command is None:
            return "no credential_process in the profile"
        quoted = shown(name, 64)
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise _Fails(f"ValueError: {error}", f"close the quote in `credential_process` of profile `{quoted}` (no shell runs it)") from None
        if not words:
            raise _Fails("IndexError: list index out of range", f"`credential_process` of profile `{quoted}` is empty: name the program to run, or remove the key")
        program = words[0]
        found = self._which(program)
        if isinstance(found, _Fails):
            raise found
        relative = "/" in program and not program.startswith("/")
        if relative:
            self.problem("warning", f"the credential_process program of profile `{quoted}` is a relative path, {shown(program, 64)}: it is "
                         "looked up from the working directory of each process", "write an absolute path")
        return _Found(f"runs {shown(program, 64)} ({self.display(found)}; checked, not run: its output is not verified)")

    def _which(self, program: str) -> Path | _Fails:
        """Where ``subprocess.Popen`` (``execvpe``) would find ``program``, or the error it raises."""
        path = self.environ.get("PATH", os.defpath)
        if "/" in program:
            target = Path(program)
            if not target.exists():
                return _Fails(f"FileNotFoundError: [Errno 2] No such file or directory: {program!r}",
                              f"install {shown(program, 64)} or fix the path in credential_process")
            if not target.is_file() or not os.access(target, os.X_OK):
                return _Fails(f"PermissionError: [Errno 13] Permission denied: {program!r}", f"run `chmod +x {shlex.quote(program)}`")
            return target
        found = shutil.which(program, path=path)
        if found:
            return Path(found)
        denied = any(os.path.exists(os.path.join(folder or ".", program)) for folder in path.split(os.pathsep))
        if denied:
            return _Fails(f"PermissionError: [Errno 13] Permission denied: {program!r}", f"make {shlex.quote(program)} executable (`chmod +x`)")
        return _Fails(f"FileNotFoundError: [Errno 2] No such file or directory: {program!r}",
                      f"install {shown(program, 64)}, or write its absolute path in credential_process (it is not on PATH)")

    # -- 8. config-file ---------------------------------------------------------------------------

    def _config_file(self, name: str) -> str | _Found:
        model = self.shared.config
        if model is None:
            return "no config file"
        settings = None
        for section, found in effective_sections(model):  # build_profile_map: a later section replaces an earlier one
            if section.profile == name:
                settings = found
        if settings is None:
            return f"the config file has no profile `{shown(name, 64)}`"
        header = "[default]" if name == "default" else f"[profile {shown(name, 64)}]"
        return self._static(settings, "config-file", f"`{header}` in {self.display(model.document.path)}")

    # -- 9. ec2-credentials-file, 10. boto-config (legacy) -----------------------------------------

    def _ec2_file(self) -> str | _Found:
        raw = self.environ.get("AWS_CREDENTIAL_FILE")
        if raw is None:
            return "AWS_CREDENTIAL_FILE is not set"
        path = self.home / raw[2:] if raw == "~" or raw.startswith("~/") else Path(raw)
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError:
            raise _Fails(f"ConfigNotFound: The specified config file ({raw}) could not be found.", "fix or unset AWS_CREDENTIAL_FILE") from None
        except UnicodeDecodeError:
            raise _Fails("UnicodeDecodeError: AWS_CREDENTIAL_FILE is not UTF-8", "save it as UTF-8 or unset AWS_CREDENTIAL_FILE") from None
        values = {}
        for line in text.splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
        if "AWSAccessKeyId" not in values:
            return f"AWS_CREDENTIAL_FILE ({self.display(path)}) has no AWSAccessKeyId"
        if "AWSSecretKey" not in values:
            raise _Fails("KeyError: 'AWSSecretKey'", f"add AWSSecretKey= to {self.display(path)}, or unset AWS_CREDENTIAL_FILE")
        self._key_checks(values["AWSAccessKeyId"], False, "AWS_CREDENTIAL_FILE", "session token (this legacy file cannot hold one)")
        return _Found(f"legacy EC2 tools file {self.display(path)} (AWS_CREDENTIAL_FILE), key {_key(values['AWSAccessKeyId'])}")

    def _boto(self) -> str | _Found:
        locations = [self.environ["BOTO_CONFIG"]] if "BOTO_CONFIG" in self.environ else list(_BOTO_FILES)
        for raw in locations:
            path = expand(raw, self.environ)
            if not os.path.isfile(path):
                continue
            parser = configparser.RawConfigParser()
            try:
                parser.read([path], encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError):
                raise _Fails(f"ConfigParseError: Unable to parse config file: {path}", f"fix the syntax of {self.display(path)} or remove it") from None
            if not parser.has_section("Credentials"):
                continue
            section = dict(parser.items("Credentials"))
            if "aws_access_key_id" in section:
                if "aws_secret_access_key" not in section:
                    raise _Fails("PartialCredentialsError: Partial credentials found in boto-config, missing: aws_secret_access_key",
                                 f"add aws_secret_access_key to [Credentials] in {self.display(path)}, or remove it")
                self._key_checks(section["aws_access_key_id"], False, f"[Credentials] of {self.display(path)}", "session token (boto config cannot hold one)")
                return _Found(f"[Credentials] of the legacy boto config {self.display(path)}, key {_key(section['aws_access_key_id'])}")
        return ("BOTO_CONFIG names no file with [Credentials] keys" if "BOTO_CONFIG" in self.environ
                else "no /etc/boto.cfg or ~/.boto with [Credentials] keys")

    # -- 11. container-role, 12. iam-role ----------------------------------------------------------

    def _container(self) -> str | _Found:
        env = self.environ
        relative, full = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"
        if relative not in env and full not in env:
            return f"neither {relative} nor {full} is set"
        url = f"http://169.254.170.2{env[relative]}" if relative in env else env[full]
        origin = relative if relative in env else full
        token_file = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        token = None
        if token_file is not None:
            try:
                token = Path(token_file).read_text()
            except OSError as error:
                raise _Fails(f"{type(error).__name__}: [Errno {error.errno}] {error.strerror}: {token_file!r}",
                             "fix AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (the platform mounts it) or unset it") from None
        elif "AWS_CONTAINER_AUTHORIZATION_TOKEN" in env:
            token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
        if token is not None and ("\r" in token or "\n" in token):
            raise _Fails("ValueError: Auth token value is not a legal header value",
                         "remove the line break from the container authorization token")
        parsed = urlparse(url)
        host = parsed.hostname
        if parsed.scheme != "https" and not _loopback(host) and host not in _CONTAINER_HOSTS:
            raise _Fails(f"ValueError: Unsupported host '{host}'.  Can only retrieve metadata from a loopback address or one of "
                         f"these hosts: {', '.join(_CONTAINER_HOSTS)}",
                         f"{full} must be https://, or http:// to a loopback address or 169.254.170.2, 169.254.170.23, "
                         "[fd00:ec2::23] or localhost; fix or unset it")
        return _Found(f"the container credentials endpoint at {parsed.scheme}://{host} ({origin}); it is called now and cannot be "
                      "checked offline")

    def _imds(self) -> str | _Found:
        if self.environ.get("AWS_EC2_METADATA_DISABLED", "false").lower() == "true":
            return "AWS_EC2_METADATA_DISABLED=true"
        return _Found("instance metadata (169.254.169.254): only an EC2 instance with an instance profile answers; check "
                      "`aws sts get-caller-identity` there, or set AWS_EC2_METADATA_DISABLED=true where there is none", offline=True)

    # -- problems beyond the chain -------------------------------------------------------------

    def _not_found_fix(self, name: str) -> str:
        hints = self._misplaced(name)
        if name == "":
            hints.insert(0, f"{self.choice.origin} is set but empty; unset it (`unset {self.choice.origin}`) to use the default profile")
        elif self.choice.origin == "--profile" and name == "default":
            hints.append("an explicit `default` must exist: add `[default]` to the credentials or config file, or leave --profile out")
        near = difflib.get_close_matches(name, list(self.profiles), n=3, cutoff=0.6) if len(self.profiles) <= 500 else []
        if near:
            case = " (profile names are case-sensitive)" if any(n.lower() == name.lower() for n in near) else ""
            hints.append("did you mean " + " or ".join(f"`{shown(n, 64)}`" for n in near) + f"?{case}")
        known = ", ".join(f"`{shown(n, 64)}`" for n in list(self.profiles)[:10]) or "none"
        hints.append(f"profiles defined: {known}")
        if not hints[:-1]:
            hints.insert(0, f"create it (`aws configure --profile {shlex.quote(shown(name, 64))}`) or select an existing one")
        return "; ".join(hints)

    def _misplaced(self, name: str) -> list[str]:
        """Where a missing profile was written so that botocore does not see it (§2.1, §2.2)."""
        hints: list[str] = []
        credentials, config = self.shared.credentials, self.shared.config
        quoted = shown(name, 64)
        for section in credentials.sections if credentials else ():
            match = PROFILE_PREFIX.fullmatch(section.header)
            if match and match.group(1).strip() == name:
                hints.append(f"`[{shown(section.header, 72)}]` in the credentials file ({self.display(credentials.document.path)}) defines a "
                             f"profile literally named `{shown(section.header, 72)}`: write `[{quoted}]` there (the `profile ` prefix belongs only in the config file)")
        for section in config.sections if config else ():
            if section.header == name and section.table is None and name != DEFAULT_SECTION:
                hints.append(f"`[{quoted}]` in the config file ({self.display(config.document.path)}) is not a profile: write `[profile {quoted}]` there")
            elif section.profile is None and section.header.lower().split() == ["profile", name]:
                hints.append(f"`[{shown(section.header, 72)}]` in the config file is not a profile (the header is case-sensitive): write `[profile {quoted}]`")
        if name == DEFAULT_SECTION:
            hints.append("`[DEFAULT]` is configparser's section of defaults for every other section, not a profile; select `default`")
        if name.startswith("profile ") and name[8:].strip() in self.profiles:
            hints.append(f"the name is `{shown(name[8:].strip(), 64)}`: the `profile ` prefix is only part of the config file's header")
        for role, (variable, default, kind) in zip(("config", "credentials"), FILES):
            path = self.paths[role]
            usual = expand(default, self.environ)
            if variable in self.environ and path != usual and os.path.isfile(usual) and _defines(usual, kind, name):
                hints.append(f"{self.display(usual)} defines it, but {variable} points the SDK at {self.display(path) if path else 'no file'}")
        return hints

    def _selection_notes(self) -> None:
        choice, env = self.choice, self.environ
        if choice.explicit:
            for variable in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE"):
                if variable in env and env[variable] != choice.name:
                    self.problem("note", f"{variable}={shown(env[variable], 64)!r} is overridden by --profile", "nothing to do")
            return
        if choice.cli_v2 != choice.name:
            v2 = "" if choice.cli_v2 is None else choice.cli_v2
            missing = choice.cli_v2 is not None and choice.cli_v2 not in self.profiles
            self.problem(
                "error" if missing else "warning",
                f"AWS_DEFAULT_PROFILE={shown(env.get('AWS_DEFAULT_PROFILE', ''), 64)!r} and AWS_PROFILE={shown(env.get('AWS_PROFILE', ''), 64)!r} "
                f"differ: botocore, boto3 and AWS CLI v1 use {choice.origin} (`{shown(choice.name or '', 64)}`), AWS CLI v2 uses "
                f"{choice.cli_v2_origin} (`{shown(v2, 64)}`)" + (", which does not exist, so the CLI v2 fails" if missing else ""),
                "set only one of them (AWS_PROFILE is what every SDK and both CLIs read)",
            )

    def _environment_notes(self, diagnosis: Diagnosis) -> None:
        env, choice = self.environ, self.choice
        if diagnosis.source == "env" and choice.origin in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            target = self.profiles.get(choice.effective)
            if target is not None and has_credentials(target):
                self.problem("warning", f"the environment keys (AWS_ACCESS_KEY_ID ...) take precedence over profile `{shown(choice.effective, 64)}` "
                             f"that {choice.origin} selects, so that profile's credentials are not used",
                             f"unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or pass --profile {shown(choice.effective, 64)} "
                             "(an explicit profile makes botocore ignore environment keys)")
        if env.get("AWS_ACCESS_KEY_ID") and diagnosis.providers[0].status == NOT_REACHED and not choice.explicit:
            if not env.get("AWS_SECRET_ACCESS_KEY"):
                self.problem("error", "AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: environment keys come first in the chain, "
                             "so once the rest is fixed every call still fails with \"Partial credentials found in env\" (AWS_PROFILE "
                             "does not skip them; --profile would)", "unset AWS_ACCESS_KEY_ID")
            else:
                self.problem("warning", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: they come first in the chain and will "
                             "shadow every profile, AWS_PROFILE included (--profile would not)",
                             "unset them if you mean to use a profile")
        if not env.get("AWS_ACCESS_KEY_ID"):
            for variable in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
                if env.get(variable):
                    self.problem("note", f"{variable} is set without AWS_ACCESS_KEY_ID, so nothing uses it (a leftover?)", f"unset {variable}")

    def _region(self, quiet: bool) -> RegionChoice:
        env = self.environ
        profile = self.profiles.get(self.choice.effective)
        in_profile = profile.value("region") if profile is not None else None
        if "AWS_DEFAULT_REGION" in env:
            region, origin = env["AWS_DEFAULT_REGION"], "AWS_DEFAULT_REGION"
        elif in_profile is not None:
            region, origin = in_profile, f"`region` of profile `{shown(self.choice.effective, 64)}`"
        else:
            region, origin = None, "none"
        v2, v2_origin = (env["AWS_REGION"], "AWS_REGION") if "AWS_REGION" in env else (region, origin)
        if v2 is None:
            v2_origin = "instance metadata, if on EC2"
        if region is None and not quiet:
            if env.get("AWS_REGION"):
                self.problem("warning", "AWS_REGION is set but no AWS_DEFAULT_REGION or profile `region`: AWS CLI v2 uses AWS_REGION, "
                             "botocore, boto3 and AWS CLI v1 ignore it and fail with NoRegionError", "also set AWS_DEFAULT_REGION, or "
                             f"`region = ...` in profile `{shown(self.choice.effective, 64)}`")
            elif self.choice.exists:
                self.problem("warning", "no region: neither AWS_DEFAULT_REGION nor `region` in the profile, so creating a client fails "
                             "with NoRegionError (\"You must specify a region\")",
                             f"add `region = us-east-1` (your region) to profile `{shown(self.choice.effective, 64)}`, or set AWS_DEFAULT_REGION")
        return RegionChoice(shown(region, 64) if region is not None else None, origin, shown(v2, 64) if v2 is not None else None, v2_origin)

    def _permissions(self) -> None:
        if os.name != "posix":
            return
        for shared in self.files:
            path = self.paths[shared.role]
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode) if shared.exists else 0
            except OSError:
                continue
            if mode & 0o077:
                can = " and ".join(verb for verb, bits in (("read", 0o044), ("written", 0o022), ("executed", 0o011)) if mode & bits)
                self.problem("warning", f"{shared.path} can be {can} by other users (mode {mode:04o})", f"run `chmod 600 {shared.path}`")

    def _container_notes(self, diagnosis: Diagnosis) -> None:
        env = self.environ
        relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        if relative is not None and not self.in_container:
            self.problem("warning", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set, but this does not look like a container: its endpoint, "
                         "169.254.170.2, exists only inside ECS tasks (and CodeBuild), so the SDK fails here if it reaches it",
                         "unset it outside ECS (a leftover copied from a task?)")
        if self.in_container and not any(f.exists for f in self.files) and diagnosis.source in (None, "iam-role"):
            self.problem("note", "this runs in a container without ~/.aws files or credentials in the environment",
                         "give the container a role (ECS task role, EKS IRSA/pod identity), pass AWS_* variables, or mount ~/.aws "
                         "read-only (`-v $HOME/.aws:/root/.aws:ro`, matching the container user's HOME)")

    def _nothing_found(self, diagnosis: Diagnosis) -> None:
        choice = self.choice
        if choice.name is None and "default" not in self.profiles:
            self.problem("error", "no profile is selected and there is no `default` profile, and no other source has credentials",
                         "run `aws configure` (writes [default]), select a profile with AWS_PROFILE, or log in with `aws sso login`")
        elif choice.exists and not diagnosis.offline:
            misplaced = self._misplaced(choice.effective)  # e.g. its keys under `[profile x]` in the credentials file
            self.problem("error", f"profile `{shown(choice.effective, 64)}` has no credentials (no keys, role, SSO, login or credential_process)",
                         "; ".join(misplaced) if misplaced else f"configure it (`aws configure --profile {shlex.quote(shown(choice.effective, 64))}` or `aws configure sso`)")

    # -- the AWS CLI's cache (~/.aws/cli/cache, reference §6) -----------------------------------

    def _cli_cache_role(self, profile: Profile) -> None:
        args: dict[str, object] = {"RoleArn": profile.value("role_arn")}
        session_name = profile.value("role_session_name")
        if session_name:
            args["RoleSessionName"] = session_name
        for key, arg in (("external_id", "ExternalId"), ("mfa_serial", "SerialNumber")):
            if profile.value(key) is not None:
                args[arg] = profile.value(key)
        try:
            args["DurationSeconds"] = int(profile.value("duration_seconds") or "")
        except ValueError:
            pass
        key = hashlib.sha1(json.dumps(args, sort_keys=True).encode("utf-8")).hexdigest()
        expires = self._cache_expiry(key)
        if expires is not None and expires < self.now:
            mfa = " and asks for an MFA code" if "SerialNumber" in args else ""
            self.problem("note", f"the AWS CLI's cached credentials for role {shown(str(args['RoleArn']), 96)} expired at "
                         f"{expires:%Y-%m-%d %H:%M} UTC; the next call assumes the role again{mfa}, which needs the source credentials to work",
                         "nothing to do if they work; `aws sts get-caller-identity` refreshes the cache")

    def _cli_cache_sso(self, values: dict[str, str], session_name: str | None) -> datetime | None:
        args = {"roleName": values["sso_role_name"], "accountId": values["sso_account_id"]}
        if session_name:
            args["sessionName"] = session_name
        else:
            args["startUrl"] = values["sso_start_url"]
        key = hashlib.sha1(json.dumps(args, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()
        return self._cache_expiry(key)

    def _cache_expiry(self, key: str) -> datetime | None:
        """``Credentials.Expiration`` of ``~/.aws/cli/cache/<key>.json``; nothing else is kept."""
        path = self.home / ".aws" / "cli" / "cache" / f"{key}.json"
        try:
            if not path.is_file() or path.stat().st_size > _MAX_CACHE_FILE:
                return None
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        credentials = data.get("Credentials") if isinstance(data, dict) else None
        return parse_time(credentials.get("Expiration")) if isinstance(credentials, dict) else None


# --- helpers -------------------------------------------------------------------------------


def _where_sso_keys(missing: list[str], profile: str, session: str | None) -> str:
    """Where each missing SSO key belongs: with an ``sso_session``, ``sso_start_url`` and
    ``sso_region`` go in its ``[sso-session]`` section (as ``aws configure sso`` writes them)."""
    if session is None:
        return f"{', '.join(missing)} to profile `{profile}`"
    shared = [key for key in missing if key in ("sso_start_url", "sso_region")]
    own = [key for key in missing if key not in shared]
    parts = ([f"{', '.join(shared)} to `[sso-session {shown(session, 64)}]`"] if shared else []) + ([f"{', '.join(own)} to profile `{profile}`"] if own else [])
    return " and ".join(parts)


def _key(key_id: str) -> str:
    """A key id as output may show it: the first and last four characters of what has the shape
    of an access key id (``AKIA``/``ASIA`` and 16 more), else only its length — a secret key
    pasted into the key id field must not be partly shown."""
    return mask(key_id) if ACCESS_KEY_ID.fullmatch(key_id) else f"<{len(key_id)} characters>"


def _loopback(host: str | None) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback  # type: ignore[arg-type]
    except ValueError:
        return False


def _defines(path: Path, kind: Kind, name: str) -> bool:
    """Whether the shared file at ``path`` (not the one in use) defines profile ``name``."""
    models = shared_models([Candidate(path, str(path), kind)], True, DEFAULT_LIMIT)
    model = models.get(path)
    return bool(model and model.shared and name in model.shared.profiles)


def _in_container() -> bool:
    """``/.dockerenv`` (Docker), ``/run/.containerenv`` (Podman), or a container runtime in
    ``/proc/1/cgroup`` (Docker, containerd, Kubernetes, ECS, LXC)."""
    if os.path.exists("/.dockerenv") or os.path.exists("/run/.containerenv"):
        return True
    try:
        with open("/proc/1/cgroup", encoding="utf-8", errors="replace") as cgroup:
            text = cgroup.read(65536)
    except OSError:
        return False
    return any(word in text for word in ("docker", "containerd", "kubepods", "/ecs/", "lxc", "libpod"))


# --- text output ---------------------------------------------------------------------------


def render_text(diagnosis: Diagnosis) -> str:
    """The report ``awslint doctor`` prints: header, one line per provider, problems, verdict."""
    choice = diagnosis.profile
    if choice.name is None:
        selected = "`default` (nothing selects a profile: no --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE)"
    else:
        selected = f"`{shown(choice.name, 64)}` (from {choice.origin}" + ("" if choice.exists else "; it does not exist") + ")"
    if not choice.explicit and choice.cli_v2 != choice.name:
        selected += f"; AWS CLI v2 would use `{shown(choice.cli_v2 or 'default', 64)}` (from {choice.cli_v2_origin})"
    files = ", ".join(f"{f.path}" + (f" [{f.variable}]" if f.variable else "") + (" (found)" if f.exists else " (missing)") for f in diagnosis.files)
    lines = ["awslint doctor: the credentials botocore (boto3, AWS CLI) would use, checked offline",
             f"profile: {selected}", f"files:   {files}"]
    if diagnosis.region is not None:
        region = diagnosis.region
        text = f"`{region.botocore}` (from {region.origin})" if region.botocore is not None else "none"
        if region.cli_v2 != region.botocore:
            text += "; AWS CLI v2: " + (f"`{region.cli_v2}` (from {region.cli_v2_origin})" if region.cli_v2 else region.cli_v2_origin)
        lines.append(f"region:  {text}")
    lines.append("")
    width = max(len(name) for name in CHAIN)
    for step in diagnosis.providers:
        detail = f"  {step.detail}" if step.detail else ""
        lines.append(f"{step.number:>2}  {step.name:<{width}}  {step.status:<19}{detail}".rstrip())
    if diagnosis.problems:
        lines += ["", "problems:"]
        for number, problem in enumerate(diagnosis.problems, 1):
            lines.append(f"{number:>2}. {problem.severity}: {problem.message}")
            lines.append(f"    fix: {problem.fix}")
    lines += ["", diagnosis.verdict]
    return redact("\n".join(lines)) + "\n"
