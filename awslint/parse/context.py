"""The Docker build context next to a Dockerfile: which credential files ``COPY . .`` would send.

The context is taken to be the Dockerfile's folder (``docker build .`` beside it, the usual
case). ``.dockerignore`` at the context root — or ``<Dockerfile name>.dockerignore`` next to
the Dockerfile, which BuildKit prefers — is matched with docker-py's ``PatternMatcher``, a port
of Docker's own rules (Dockerfile reference, ".dockerignore file": patterns are relative to
the context root, ``**`` spans folders, ``!`` re-includes, a matched folder excludes its
contents). Only the context's top level is looked at: ``.aws/credentials``, ``.aws/config``
and ``.env*`` files that hold AWS keys.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_ENV_KEY = re.compile(r"^\s*(?:export\s+)?AWS_(?:SECRET_ACCESS_KEY|SESSION_TOKEN)\s*=\s*['\"]?[^\s'\"$#]|(?:AKIA|ASIA)[A-Z2-7]{16}", re.M)
_MAX_READ = 1024 * 1024


@functools.lru_cache(maxsize=256)
def exposed_credentials(dockerfile: Path) -> tuple[str, ...]:
    """Context-relative paths of credential files that ``COPY . .`` would put into the image,
    because no ``.dockerignore`` pattern excludes them. Never raises (unreadable = absent)."""
    context = dockerfile.parent
    found = [name for name in (".aws/credentials", ".aws/config") if _is_file(context / name)]
    found += sorted(p.name for p in _entries(context) if p.name.startswith(".env") and _holds_keys(p))
    if not found:
        return ()
    matcher = _ignore_matcher(dockerfile)
    return tuple(name for name in found if matcher is None or not matcher.matches(name))


def _entries(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if _is_file(p)]
    except OSError:
        return []


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _holds_keys(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            text = handle.read(_MAX_READ).decode("utf-8", "replace")
    except OSError:
        return False
    return _ENV_KEY.search(text) is not None


def _ignore_matcher(dockerfile: Path):
    """docker-py's ``PatternMatcher`` for the ``.dockerignore`` that applies, or ``None``."""
    for candidate in (dockerfile.with_name(dockerfile.name + ".dockerignore"), dockerfile.parent / ".dockerignore"):
        try:
            text = candidate.read_text("utf-8", "replace")
        except OSError:
            continue
        from docker.utils.build import PatternMatcher  # deferred: only needed for this check

        patterns = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        return PatternMatcher(patterns)
    return None
