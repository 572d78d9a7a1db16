"""``[tool.awslint]`` in ``pyproject.toml``, or ``.awslint.toml``, found by walking up.

Keys, spelled as ruff spells its own: ``select``, ``extend-select``, ``ignore``,
``per-file-ignores`` (glob → selectors), ``exclude`` (gitignore-style patterns), ``severity``
(selector → ``error``/``warning``/``note``), ``fail-on``, ``kinds`` (glob → kind) and
``max-file-size`` (bytes, or a text such as ``"5MB"``/``"512KB"``; larger files are not read
and get an AWS901 note). Patterns
are relative to the folder holding the config file. A selector is a rule id, an id prefix
(``AWS1``), a rule name, or ``ALL``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awslint.model import Kind
from awslint.rules import Severity, all_rules, matches

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A config file or option that cannot be used; the message names the file and key."""


@dataclass
class Config:
    """The settings in force for one run; defaults apply when no file is found."""

    root: Path
    source: Path | None = None
    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "warning"
    kinds: dict[str, Kind] = field(default_factory=dict)
    max_file_size: int = 5 * 1024 * 1024


_LISTS = ("select", "extend-select", "ignore", "exclude")
_TABLES = ("per-file-ignores", "severity", "kinds")
_KEYS = (*_LISTS, *_TABLES, "fail-on", "max-file-size")
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def find_config(start: Path) -> Path | None:
    """The nearest ``.awslint.toml``, or ``pyproject.toml`` with a ``[tool.awslint]`` table, in
    ``start`` (a folder, or a file's folder) or any folder above it."""
    folder = Path(os.path.abspath(start))
    folder = folder if folder.is_dir() else folder.parent
    for candidate in [folder, *folder.parents]:
        if (candidate / ".awslint.toml").is_file():
            return candidate / ".awslint.toml"
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "[tool.awslint" in pyproject.read_text("utf-8", "replace"):
            return pyproject
    return None


def load_config(path: Path | None, default_root: Path) -> Config:
    """Read and validate ``path`` (``None``: defaults rooted at ``default_root``).

    Raises :class:`ConfigError` for TOML syntax errors, unknown keys, wrong types, unknown
    rule selectors, severities or kinds.
    """
    if path is None:
        return Config(root=Path(os.path.abspath(default_root)))
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from None
    table = data.get("tool", {}).get("awslint", {}) if path.name == "pyproject.toml" else data
    return _build(table, path)


def _build(table: dict[str, Any], path: Path) -> Config:
    config = Config(root=Path(os.path.abspath(path.parent)), source=path)
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown key `{key}` (known keys: {', '.join(_KEYS)})")
        _check_type(path, key, value)
    config.select = table.get("select", config.select)
    config.extend_select = table.get("extend-select", [])
    config.ignore = table.get("ignore", [])
    config.exclude = table.get("exclude", [])
    config.per_file_ignores = table.get("per-file-ignores", {})
    config.severity = table.get("severity", {})
    config.fail_on = table.get("fail-on", config.fail_on)
    config.kinds = {glob: _kind(path, glob, name) for glob, name in table.get("kinds", {}).items()}
    if "max-file-size" in table:
        config.max_file_size = _size(path, table["max-file-size"])
    validate(config, str(path))
    return config


def _check_type(path: Path, key: str, value: Any) -> None:
    if key in _LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    if key in _TABLES and not isinstance(value, dict):
        raise ConfigError(f"{path}: `{key}` must be a table")
    if key == "per-file-ignores" and not all(isinstance(v, list) for v in value.values()):
        raise ConfigError(f"{path}: `per-file-ignores` values must be lists of rule selectors")
    if key == "fail-on" and not isinstance(value, str):
        raise ConfigError(f"{path}: `fail-on` must be one of error, warning, note")


def _size(path: Path, value: Any) -> int:
    """``max-file-size``: a positive number of bytes, or digits with a unit (``"5MB"``)."""
    text = str(value).strip().upper().replace(" ", "")
    number = text.rstrip("KMGB")
    unit = text[len(number) :] or "B"
    if isinstance(value, bool) or not number.isdigit() or unit not in _UNITS or int(number) <= 0:
        raise ConfigError(f"{path}: `max-file-size` must be a positive number of bytes or a size such as \"5MB\" (got {value!r})")
    return int(number) * _UNITS[unit]


def _kind(path: Path, glob: str, name: Any) -> Kind:
    try:
        return Kind(name)
    except ValueError:
        raise ConfigError(f"{path}: `kinds.\"{glob}\"`: unknown kind {name!r} (known: {', '.join(k.value for k in Kind)})") from None


def validate(config: Config, origin: str) -> None:
    """Check every selector, severity and ``fail-on`` value; ``origin`` names where they came
    from in the error. Raises :class:`ConfigError`."""
    rules = all_rules()
    selectors = [
        ("select", s) for s in config.select
    ] + [("extend-select", s) for s in config.extend_select] + [("ignore", s) for s in config.ignore]
    selectors += [(f"per-file-ignores.\"{g}\"", s) for g, items in config.per_file_ignores.items() for s in items]
    selectors += [("severity", s) for s in config.severity]
    for key, selector in selectors:
        if not isinstance(selector, str) or not any(matches(r, selector) for r in rules):
            raise ConfigError(f"{origin}: `{key}`: {selector!r} matches no rule (see `awslint rules`)")
    levels = {s.value for s in Severity}
    for selector, level in config.severity.items():
        if level not in levels:
            raise ConfigError(f"{origin}: `severity.{selector}`: {level!r} is not one of error, warning, note")
    if config.fail_on not in levels:
        raise ConfigError(f"{origin}: `fail-on`: {config.fail_on!r} is not one of error, warning, note")
