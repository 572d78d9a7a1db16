"""The Docker build context next to a Dockerfile: which credential files ``COPY . .`` would send.

The context is taken to be the Dockerfile's folder (``docker build .`` beside it, the usual
case). ``.dockerignore`` at the context root — or ``<Dockerfile name>.dockerignore`` next to
the Dockerfile, which BuildKit prefers — is matched with docker-py's patterns, a port of
Docker's own rules (docs "Build context", ".dockerignore files": patterns are relative to the
context root, ``**`` spans folders, ``!`` re-includes, the last matching line wins, a matched
folder excludes its contents — checked for every parent folder, as moby/patternmatcher does).
Only the context's top level is looked at: ``.aws/credentials``, ``.aws/config`` and ``.env*``
files that hold AWS keys.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# A secret key or session token that looks real (16+ base64 characters, as AWS204 checks),
# not a placeholder such as `changeme` or `<your-secret-key>`; or an access key id anywhere.
_ENV_KEY = re.compile(r"^\s*(?:export\s+)?AWS_(?:SECRET_ACCESS_KEY|SESSION_TOKEN)\s*=\s*['\"]?[A-Za-z0-9/+=]{16}|(?:AKIA|ASIA)[A-Z2-7]{16}", re.M)
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
    patterns = _ignore_patterns(dockerfile)
    return tuple(name for name in found if not _excluded(patterns, name))


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


def _ignore_patterns(dockerfile: Path) -> list:
    """docker-py's ``Pattern`` objects (via ``PatternMatcher``, which drops patterns that clean
    to nothing, such as ``.``) of the ``.dockerignore`` that applies; ``[]`` when there is none.
    As moby/patternmatcher's ``ignorefile.ReadAll``: a UTF-8 byte-order mark is dropped, a line
    is a comment only when ``#`` is in column 1, and patterns are trimmed."""
    for candidate in _ignore_candidates(dockerfile):
        try:
            text = candidate.read_text("utf-8-sig", "replace")
        except OSError:
            continue
        from docker.utils.build import PatternMatcher  # deferred: only needed for this check

        patterns = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
        return PatternMatcher(patterns).patterns
    return []


def _ignore_candidates(dockerfile: Path) -> tuple[Path, Path]:
    """``<Dockerfile name>.dockerignore`` beside the Dockerfile (it takes precedence), then
    ``.dockerignore`` at the context root."""
    return dockerfile.with_name(dockerfile.name + ".dockerignore"), dockerfile.parent / ".dockerignore"


def ignore_file(dockerfile: Path) -> str:
    """The name of the ignore file that applies to ``dockerfile``, the one to edit: the
    Dockerfile-specific one when it exists, else ``.dockerignore``."""
    specific = _ignore_candidates(dockerfile)[0]
    return specific.name if _is_file(specific) else ".dockerignore"


def _excluded(patterns: list, name: str) -> bool:
    """Whether the context-relative file ``name`` is left out of the context: the last pattern
    that matches the file or one of its parent folders decides, as moby/patternmatcher's
    ``MatchesOrParentMatches``. (docker-py's ``PatternMatcher.matches`` tries only the parent
    with as many parts as the pattern, so ``**/.aws`` would not exclude ``.aws/credentials``.)"""
    parts = name.split("/")
    paths = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        if any(pattern.match(path) for path in paths):
            excluded = not pattern.exclusion
    return excluded
