"""AWS0xx: AWS keys written into files, in any kind.

Key formats are AWS's: an access key id is ``AKIA`` (long-term) or ``ASIA`` (temporary) followed
by 16 characters of ``A-Z2-7`` (IAM User Guide, "Manage access keys"; "Unique identifiers"); a
secret access key is 40 characters of base64 text. The documentation's own placeholders
(``AKIAIOSFODNN7EXAMPLE``, ``wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY``) and other obvious
placeholders are not leaks. Messages show at most the first and last 4 characters of a key id
and nothing of a secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awslint.model import Document, FileModel, Region
from awslint.parse.shell import read_script
from awslint.rules import ALL_KINDS, Hit, Severity, rule

ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])")
_SECRET = re.compile(r"[A-Za-z0-9/+]{40}")
_SECRET_WORD = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])")
_SECRET_NAMES = {"awssecretaccesskey", "secretaccesskey", "awssecretkey"}


def mask(key_id: str) -> str:
    """``AKIA…MPLE``: the first and last 4 characters of an access key id, never more."""
    return f"{key_id[:4]}…{key_id[-4:]}"


_KEY_ID_PART = re.compile(r"A[SK]IA[A-Z0-9]{4,}")
_OPAQUE_RUN = re.compile(r"[A-Za-z0-9/+=]{17,}")


def shown(value: str, limit: int = 32) -> str:
    """``value`` as a message may quote it: its first line, with anything that may be (part
    of) a key id masked, and replaced by its length when it is longer than ``limit`` or holds
    a run of 17 or more base64 characters mixing letter cases or digits (a piece of a secret
    access key or session token)."""
    first = value.split("\n", 1)[0]
    suffix = "\\n..." if "\n" in value else ""
    if len(first) > limit or any(_mixed(run) for run in _OPAQUE_RUN.findall(first)):
        return f"<{len(value)} characters>"
    return _KEY_ID_PART.sub(lambda m: mask(m.group(0)), first) + suffix


def _mixed(run: str) -> bool:
    return sum((any(c.isupper() for c in run), any(c.islower() for c in run), any(c.isdigit() for c in run))) >= 2


def redact(message: str) -> str:
    """``message`` with every access key id masked and every secret-looking 40-character word
    replaced: the engine's last guard so that no output ever carries a whole key."""
    message = ACCESS_KEY_ID.sub(lambda m: mask(m.group(0)), message)
    return _SECRET_WORD.sub(lambda m: "<redacted>" if is_secret_access_key(m.group(0)) else m.group(0), message)


def is_placeholder_key_id(key_id: str) -> bool:
    """AWS's documentation keys end in ``EXAMPLE``; a tail of six or fewer distinct characters
    (``AKIAXXXXXXXXXXXXXXXX``) is a placeholder too."""
    return key_id.endswith("EXAMPLE") or len(set(key_id[4:])) <= 6


def is_secret_access_key(value: str) -> bool:
    """40 base64 characters mixing upper, lower case and digits, without ``EXAMPLE``."""
    return (
        _SECRET.fullmatch(value) is not None
        and "EXAMPLE" not in value
        and any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
    )


def _named_values(model: FileModel) -> Iterator[tuple[str, str, Region]]:
    """``(name, literal value, value region)`` for every literal value in the file, except
    the settings of the user's own shared files (``--home``)."""
    for var in model.all_env():
        if var.is_literal and var.value:
            yield var.name, var.value, var.value_region or var.region
    if model.shared and model.shared.home:
        return  # the user's own ~/.aws/credentials is where keys belong
    for section in model.sections:
        for setting in section.settings:
            yield setting.key, _bare(setting.value), setting.value_region


def _bare(value: str) -> str:
    """A shared-file value as people meant it: botocore keeps quotes and `` # comments`` in
    the value, but the key inside is still a leaked key."""
    value = re.split(r"\s[#;]", value, maxsplit=1)[0].strip()
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def _command_values(model: FileModel) -> Iterator[tuple[str, str, Region]]:
    """``(name, value, region)`` for every ``aws configure set NAME VALUE`` a workload runs and
    every ``NAME=value`` its scripts assign (``export AWS_SECRET_ACCESS_KEY=...``)."""
    for workload in model.workloads:
        for command in workload.commands:
            script = read_script(command.text)
            for run in script.invocations:
                if run.program == "aws" and run.args[:2] == ["configure", "set"] and len(run.args) >= 4:
                    yield run.args[2], run.args[3], command.region_of(run.words[4].start, run.words[4].end)
            for assignment in script.assignments:
                if assignment.value is not None:
                    value = assignment.value
                    yield assignment.name, value.text, command.region_of(value.start, value.end)


def _named_secret(value: str) -> bool:
    """A value under a secret's name: 40 base64 characters with both letter cases (about one
    real key in 900 has no digit), not AWS's ``EXAMPLE`` placeholder."""
    return _SECRET.fullmatch(value) is not None and "EXAMPLE" not in value and value != value.lower() and value != value.upper()


def _within(document: Document, needle: str, region: Region) -> Region:
    return document.locate(needle, region) or region


@rule(
    "AWS001",
    "hardcoded-access-key-id",
    Severity.ERROR,
    ALL_KINDS,
    "AWS access key id written in the file",
    tags=("security", "secrets"),
    security_severity=8.0,
)
def hardcoded_access_key_id(model: FileModel) -> Iterator[Hit]:
    """An ``AKIA``/``ASIA`` key id in any value or command of the file."""
    texts = [(value, region) for _, value, region in _named_values(model)]
    texts += [(c.text, c.region) for w in model.workloads for c in w.commands]
    reported: set[Region] = set()
    for text, region in texts:
        for key_id in ACCESS_KEY_ID.findall(text):
            where = _within(model.document, key_id, region)
            if is_placeholder_key_id(key_id) or where in reported:
                continue
            reported.add(where)
            kind = "temporary (ASIA)" if key_id.startswith("ASIA") else "long-term (AKIA)"
            yield Hit(
                f"{kind} AWS access key id {mask(key_id)} is written here; deactivate it in IAM, remove it "
                "from the file and its history, and let the SDK find credentials (role, SSO, OIDC) instead",
                where,
            )


@rule(
    "AWS002",
    "hardcoded-secret-access-key",
    Severity.ERROR,
    ALL_KINDS,
    "AWS secret access key written in the file",
    tags=("security", "secrets"),
    security_severity=9.0,
)
def hardcoded_secret_access_key(model: FileModel) -> Iterator[Hit]:
    """A value named like ``aws_secret_access_key`` that holds a real-looking secret key, also
    when a command sets it with ``aws configure set aws_secret_access_key VALUE``."""
    for name, value, region in [*_named_values(model), *_command_values(model)]:
        if re.sub(r"[^a-z]", "", name.lower()) in _SECRET_NAMES and _named_secret(value):
            yield Hit(
                f"`{name}` holds a literal secret access key; rotate the key in IAM, delete it from the "
                "file and its history, and pass credentials at run time (a role, SSO, or a secret store)",
                _within(model.document, value, region),
            )
