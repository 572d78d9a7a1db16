"""AWS1xx: the AWS shared ``config`` and ``credentials`` files, as botocore reads them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from awslint.model import FileModel, Kind
from awslint.rules import Hit, Severity, rule

_PROFILE_PREFIX = re.compile(r"profile\s+(\S.*)")


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
        match = _PROFILE_PREFIX.fullmatch(section.header)
        if match:
            name = match.group(1).strip()
            yield Hit(
                f"`[{section.header}]` in a credentials file defines a profile named \"{section.header}\", "
                f"so `--profile {name}` does not use it; write `[{name}]` here (the `profile ` prefix "
                "belongs only in the config file)",
                section.header_region,
            )
