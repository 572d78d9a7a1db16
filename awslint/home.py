"""``awslint --home``: the shared files and facts an SDK on this machine would use.

Paths follow botocore: ``AWS_CONFIG_FILE`` and ``AWS_SHARED_CREDENTIALS_FILE`` (``$VAR`` and
``~`` expanded; unset means ``~/.aws/config`` and ``~/.aws/credentials``; a missing, empty or
non-regular path means no file), reference §1.1 and §5. The SSO token cache is read for
expiry only: no token is kept, printed or sent anywhere.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

from awslint.discover import Candidate
from awslint.model import Context, Kind, SsoToken, parse_time

FILES = (
    ("AWS_CONFIG_FILE", "~/.aws/config", Kind.AWS_CONFIG),
    ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials", Kind.AWS_CREDENTIALS),
)
_VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)\}")
_MAX_TOKEN_FILE = 1024 * 1024


def home_dir(environ: Mapping[str, str]) -> Path:
    """``$HOME``, or the account's home when it is unset (``os.path.expanduser``)."""
    return Path(environ.get("HOME") or os.path.expanduser("~"))


def expand(path: str, environ: Mapping[str, str]) -> Path:
    """``os.path.expandvars`` then ``expanduser``, against ``environ`` (unknown variables stay)."""
    path = _VARIABLE.sub(lambda m: environ.get(m.group(1) or m.group(2), m.group(0)), path)
    if path == "~" or path.startswith("~/"):
        return home_dir(environ) / path[2:]
    return Path(os.path.expanduser(path))


def home_candidates(environ: Mapping[str, str]) -> tuple[list[Candidate], list[str]]:
    """``(the shared files that exist, as candidates; every path looked at)``. When neither
    exists, the config file's path is still a candidate (linted as empty), so that the
    environment is checked against "no profiles at all"."""
    found, looked = [], []
    first = None
    home = str(home_dir(environ))
    for variable, default, kind in FILES:
        raw = environ.get(variable, default)
        if not raw:
            continue
        path = expand(raw, environ)
        looked.append(str(path))
        shown = "~" + str(path)[len(home):] if str(path).startswith(home + os.sep) else str(path)
        first = first or Candidate(path, shown, Kind.AWS_CONFIG)
        if os.path.isfile(path):  # botocore's test; False for what cannot be examined
            found.append(Candidate(path, shown, kind))
    if not found and first is not None and not os.path.lexists(first.path):
        found.append(first)
    return found, looked



def home_context(environ: Mapping[str, str], now: datetime | None = None) -> Context:
    """The ``AWS_*`` environment and the SSO token cache of ``~/.aws/sso/cache``."""
    now = now or datetime.now(timezone.utc)
    aws = {name: value for name, value in environ.items() if name.startswith("AWS_")}
    return Context(now=now, environ=aws, sso_tokens=sso_tokens(home_dir(environ) / ".aws" / "sso" / "cache", now))


def sso_tokens(folder: Path, now: datetime) -> dict[str, SsoToken]:
    """Cached SSO tokens by file stem (the sha1 botocore names them by, §6). Unreadable or
    malformed files are left out, as botocore then fails the same way as for a missing one."""
    tokens: dict[str, SsoToken] = {}
    try:
        paths = sorted(folder.glob("*.json"))
    except (OSError, RecursionError):
        return tokens
    for path in paths:
        try:
            if not path.is_file() or path.stat().st_size > _MAX_TOKEN_FILE:
                continue
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError, RecursionError):  # RecursionError: deeply nested JSON
            continue
        if isinstance(data, dict) and "accessToken" in data:
            tokens[path.stem] = SsoToken(path, parse_time(data.get("expiresAt")), _refreshable(data, now))
    return tokens


def _refreshable(data: dict, now: datetime) -> bool:
    """botocore's ``SSOTokenProvider`` refreshes with the registration's client id and secret
    and a refresh token while the registration has not expired."""
    registration = parse_time(data.get("registrationExpiresAt"))
    has_keys = all(data.get(key) for key in ("refreshToken", "clientId", "clientSecret"))
    return has_keys and registration is not None and registration > now
