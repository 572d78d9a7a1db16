"""AWS12x: access keys in the AWS shared files — complete, well-formed, current.

botocore's static-key providers read each file on its own (the credentials file first, then
the config file) and check nothing but presence (reference §4.4); the formats are IAM's (§6).
Messages never show a secret, and at most the first and last 4 characters of a key id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone

from awslint.model import FileModel, Section, Setting, parse_time
from awslint.parse.profiles import effective_sections
from awslint.rules import Hit, Severity, rule
from awslint.rules.secrets import is_secret_access_key, mask
from awslint.rules.shared_files import SHARED, own

_ID_PREFIXES = {
    "AIDA": "an IAM user id", "AROA": "an IAM role id", "AGPA": "an IAM group id", "ANPA": "a managed policy id",
    "ANVA": "a policy version id", "AIPA": "an instance profile id", "APKA": "a public key id",
    "ASCA": "a certificate id", "ABIA": "an STS bearer token id", "ACCA": "a context-specific credential id",
}
_PLACEHOLDER = re.compile(r"<[^>]*>|\byour[_ -]|replace|change[_-]?me|\bTODO\b|^(?:AKIA|ASIA)?[x*]{4,}$|\.\.\.|EXAMPLE", re.I)
# Key ids in AWS's own documentation contain digits outside base32 (AKIAI44QH8DHBEXAMPLE), so
# any upper-case letter or digit is accepted here; AWS001 looks for the base32 shape of real keys.
_KEY_ID_SHAPE = re.compile(r"(?:AKIA|ASIA)[A-Z0-9]{16}")
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9/+]{40}")
_TOKEN_KEYS = ("aws_session_token", "aws_security_token")
EXPIRY_KEYS = ("x_security_token_expires", "aws_expiration", "aws_session_expiration", "expiration")


def key_sections(model: FileModel) -> Iterator[tuple[Section, dict[str, Setting]]]:
    """Profile sections of this file with the settings the file's static-key provider sees."""
    for section, settings in effective_sections(model):
        if section.profile is not None:
            yield section, settings


def _name(section: Section) -> str:
    return section.profile or section.header


@rule("AWS120", "partial-static-credentials", Severity.ERROR, SHARED, "access key id without secret access key, or the reverse", tags=("correctness",))
def partial_static_credentials(model: FileModel) -> Iterator[Hit]:
    """``aws_access_key_id`` without ``aws_secret_access_key`` makes botocore stop with
    ``PartialCredentialsError``; a secret without a key id is silently skipped (§4.4)."""
    for section, settings in key_sections(model):
        key_id, secret = settings.get("aws_access_key_id"), settings.get("aws_secret_access_key")
        if key_id and not secret and own(model, key_id):
            yield Hit(
                f"profile `{_name(section)}` has `aws_access_key_id` but no `aws_secret_access_key` in this file, so "
                "botocore stops with \"Partial credentials found\"; add the secret next to it or remove the key id",
                key_id.key_region,
            )
        elif secret and not key_id and own(model, secret):
            yield Hit(
                f"profile `{_name(section)}` has `aws_secret_access_key` but no `aws_access_key_id` in this file, so the SDK "
                "silently skips the secret; add the key id next to it",
                secret.key_region,
            )


@rule("AWS121", "malformed-access-key", Severity.WARNING, SHARED, "access key id or secret that cannot be a valid key", tags=("correctness",))
def malformed_access_key(model: FileModel) -> Iterator[Hit]:
    """A key id that is another IAM identifier (``AIDA...`` is a user id), or that looks like a
    key but is not 20 characters of ``AKIA``/``ASIA`` and ``A-Z2-7``; a secret that has the
    characters of a secret key but not its 40-character length. Short dummy values such as
    ``test`` (LocalStack, moto) are not reported."""
    for section, settings in key_sections(model):
        key_id, secret = settings.get("aws_access_key_id"), settings.get("aws_secret_access_key")
        problem = _key_id_problem(key_id.value) if key_id and own(model, key_id) else None
        if problem:
            yield Hit(f"`aws_access_key_id` of profile `{_name(section)}` {problem}", key_id.value_region)
        if secret and own(model, secret) and _bad_secret(secret.value):
            yield Hit(
                f"`aws_secret_access_key` of profile `{_name(section)}` is {len(secret.value)} characters long; secret "
                "access keys are 40 characters of letters, digits, `/` and `+`; paste the whole key again",
                secret.value_region,
            )


def _key_id_problem(value: str) -> str | None:
    if _KEY_ID_SHAPE.fullmatch(value) or _PLACEHOLDER.search(value):
        return None
    if is_secret_access_key(value):
        return "holds a secret access key (40 characters), not a key id: the key id and the secret are swapped or pasted on the wrong line"
    kind = _ID_PREFIXES.get(value[:4])
    if kind and len(value) >= 16:
        return f"is {kind} ({value[:4]}…), not an access key id (those start with AKIA or ASIA); use the key id from IAM"
    if value.upper().startswith(("AKIA", "ASIA")) or (len(value) >= 16 and re.fullmatch(r"[A-Z0-9 ]+", value)):
        return (
            f"is not an access key id (those are 20 characters: AKIA or ASIA and 16 upper-case letters or digits; this one, "
            f"{mask(value)}, has {len(value)}); copy the whole key id again"
        )
    return None


def _bad_secret(value: str) -> bool:
    if _SECRET_SHAPE.fullmatch(value) or _PLACEHOLDER.search(value) or len(value) < 30:
        return False
    return re.fullmatch(r"[A-Za-z0-9/+ ]+", value) is not None


@rule("AWS122", "placeholder-credentials", Severity.WARNING, SHARED, "placeholder where a key belongs", tags=("correctness",))
def placeholder_credentials(model: FileModel) -> Iterator[Hit]:
    """``<your key>``, ``YOUR_ACCESS_KEY_ID``, ``REPLACE_ME``, ``xxxx`` or the AWS
    documentation's ``...EXAMPLE`` keys: the SDK sends them and AWS answers
    ``InvalidClientTokenId``."""
    for section, settings in key_sections(model):
        for key in ("aws_access_key_id", "aws_secret_access_key", *_TOKEN_KEYS):
            setting = settings.get(key)
            if setting and own(model, setting) and _PLACEHOLDER.search(setting.value):
                yield Hit(
                    f"`{key}` of profile `{_name(section)}` is a placeholder, which AWS rejects (InvalidClientTokenId); "
                    "put the real value here, or configure the profile with `aws configure --profile NAME`",
                    setting.value_region,
                )


@rule("AWS123", "session-token-mismatch", Severity.ERROR, SHARED, "temporary key without session token, or long-term key with one", tags=("correctness",))
def session_token_mismatch(model: FileModel) -> Iterator[Hit]:
    """An ``ASIA`` key id (temporary, from STS) works only with its ``aws_session_token``; an
    ``AKIA`` key id (long-term) must not have one. botocore loads both without a check and AWS
    then rejects the requests (§4.4, §6)."""
    for section, settings in key_sections(model):
        key_id = settings.get("aws_access_key_id")
        if not key_id or not own(model, key_id) or not _KEY_ID_SHAPE.fullmatch(key_id.value):
            continue
        token = next((settings[k] for k in _TOKEN_KEYS if settings.get(k) and settings[k].value), None)
        if key_id.value.startswith("ASIA") and token is None:
            yield Hit(
                f"profile `{_name(section)}` has a temporary key id ({mask(key_id.value)}) without `aws_session_token`, "
                "so AWS rejects every request; add the session token that came with it, or get new credentials",
                key_id.value_region,
            )
        elif key_id.value.startswith("AKIA") and token is not None:
            yield Hit(
                f"profile `{_name(section)}` has a long-term key id ({mask(key_id.value)}) with a session token, "
                f"which AWS rejects; remove `{token.key}` (it belongs to other, temporary keys)",
                token.key_region,
            )


@rule("AWS124", "expired-credentials", Severity.WARNING, SHARED, "temporary credentials whose recorded expiry has passed", tags=("correctness",))
def expired_credentials(model: FileModel) -> Iterator[Hit]:
    """Tools such as saml2aws, gimme-aws-creds and aws-google-auth write the expiry of the
    temporary keys they save (``x_security_token_expires``, ``aws_expiration``...); once it has
    passed, AWS answers ``ExpiredToken``."""
    now = model.context.now if model.context else datetime.now(timezone.utc)
    for section, settings in key_sections(model):
        for key in EXPIRY_KEYS:
            setting = settings.get(key)
            expires = parse_time(setting.value) if setting and own(model, setting) else None
            if expires and expires < now:
                yield Hit(
                    f"the temporary credentials of profile `{_name(section)}` expired at {expires:%Y-%m-%d %H:%M} UTC "
                    "(`{key}`); log in again with the tool that wrote them".replace("{key}", key),
                    setting.value_region,
                )
