"""The command line: ``awslint [PATH ...]``, ``awslint rules``, ``awslint explain ID|NAME``,
``awslint doctor [--profile NAME]``.

Exit codes (as ruff and hadolint use them): 0 when no finding is at or above ``fail-on``
(default ``warning``), 1 when one is, 2 for usage or config errors, a missing path, or an
internal error. ``--exit-zero`` turns 1 into 0.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from awslint import __version__, workers
from awslint.config import Config, ConfigError, find_config, load_config, validate
from awslint.discover import Walker
from awslint.docs import page
from awslint.engine import Report, clean, lint, selected_rules
from awslint.home import home_candidates, home_context
from awslint.model import Kind
from awslint.report import FORMATS
from awslint.rules import Rule, Severity, all_rules, find_rule


class _DefaultToCheck(click.Group):
    """``awslint PATH`` means ``awslint check PATH``, as ``awslint`` alone means ``awslint check .``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awslint")
def main() -> None:
    """Lint AWS credentials setup in ~/.aws files, Dockerfiles, compose, .env, ECS task
    definitions and GitHub workflows. `awslint PATH...` is short for `awslint check PATH...`;
    `awslint check --help` lists its options (--format, --home, --select, --jobs, ...)."""


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option("--select", multiple=True, help="Only these rules (ids, prefixes such as AWS1, or names; comma-separated).")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rules to leave out.")
@click.option("--kind", type=click.Choice([k.value for k in Kind]), help="Treat the files named on the command line as this kind.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Config file (default: nearest .awslint.toml or pyproject.toml).")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option("--no-respect-gitignore", is_flag=True, help="Also lint files that .gitignore excludes.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Processes to lint with (default 0: one per CPU; 1: no workers).")
@click.option("--home", is_flag=True, help="Lint your own ~/.aws/config and credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), SSO logins and AWS_* environment.")
def check(paths: tuple[Path, ...], output_format: str, output: Path | None, select, extend_select, ignore, kind, config_path, fail_on, exit_zero, no_respect_gitignore, jobs, home) -> None:
    """Lint PATHS (default: the current folder)."""
    if home and (paths or kind):
        raise click.UsageError("--home lints your own AWS files; it takes no paths and no --kind")
    targets = list(paths) or [Path(".")]
    # --home lints the user's own files: a repository's config in the working folder must not
    # silence it, so only an explicit --config applies.
    config = _config(config_path, None if home else targets[0], select, extend_select, ignore, fail_on)
    rules = selected_rules(all_rules(), config)
    if home:
        report = _lint_home(rules, config)
    else:
        report = _lint_paths(targets, kind, no_respect_gitignore, rules, config, jobs or workers.default_jobs())
    _write(FORMATS[output_format](report, rules, _colour(output, output_format)), output)
    for error in report.internal_errors:
        click.echo(f"awslint: {clean(error)}", err=True)
    sys.exit(_exit_code(report, config, exit_zero))


def _lint_paths(targets: list[Path], kind: str | None, no_respect_gitignore: bool, rules: list[Rule], config: Config, jobs: int) -> Report:
    walker = Walker(config.root, config.exclude, config.kinds, respect_gitignore=not no_respect_gitignore)
    try:
        candidates = list(walker.walk(targets, Kind(kind) if kind else None))
    except FileNotFoundError as missing:
        raise click.UsageError(f"no such file or directory: {missing}") from None
    for note in walker.skipped:
        click.echo(f"awslint: skipped {clean(note)}", err=True)
    return lint(candidates, rules, config, jobs=jobs)


def _lint_home(rules: list[Rule], config: Config) -> Report:
    candidates, looked = home_candidates(os.environ)
    if not any(os.path.isfile(c.path) for c in candidates):
        click.echo(clean(f"awslint: no AWS shared files found (looked at {', '.join(looked) or 'nothing: both variables are empty'})"), err=True)
    return lint(candidates, rules, config, home_context(os.environ), home=True)


def _config(config_path, start: Path | None, select, extend_select, ignore, fail_on) -> Config:
    """The config file given, else the one found from ``start`` (none when ``start`` is ``None``),
    with the command-line flags applied. Exits 2 on a config error."""
    try:
        found = config_path or (find_config(start) if start is not None else None)
        config = load_config(found, Path.cwd())
        if select:
            config.select = _split(select)
        config.extend_select += _split(extend_select)
        config.ignore += _split(ignore)
        config.fail_on = fail_on or config.fail_on
        validate(config, "command line")
    except ConfigError as error:
        click.echo(f"awslint: error: {error}", err=True)
        sys.exit(2)
    return config


def _colour(output: Path | None, output_format: str) -> bool:
    if output is not None or output_format != "text" or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, "utf-8")
        except OSError as error:
            click.echo(f"awslint: error: cannot write {output}: {error.strerror or error}", err=True)
            sys.exit(2)


def _exit_code(report: Report, config: Config, exit_zero: bool) -> int:
    if report.internal_errors:
        return 2
    threshold = Severity(config.fail_on).rank
    failing = any(f.severity.rank >= threshold for f in report.findings)
    return 1 if failing and not exit_zero else 0


@main.command("rules")
def list_rules() -> None:
    """List every rule: id, name, default severity and the kinds it applies to."""
    rules = all_rules()
    width = max(len(r.name) for r in rules)
    click.echo(f"{'ID':<7} {'NAME':<{width}} {'SEVERITY':<8} KINDS")
    for r in rules:
        kinds = "all" if len(r.kinds) == len(Kind) else ", ".join(sorted(k.value for k in r.kinds))
        click.echo(f"{r.id:<7} {r.name:<{width}} {r.severity.value:<8} {kinds}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation page of RULE (an id such as AWS101, or a name)."""
    found: Rule | None = find_rule(rule)
    if found is None:
        raise click.UsageError(f"unknown rule {rule!r}; `awslint rules` lists them")
    click.echo(page(found.id) or found.summary)


@main.command()
@click.option("--profile", default=None, help="Diagnose this profile, as `aws --profile NAME` or boto3 `Session(profile_name=NAME)` would use it.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Report format.")
def doctor(profile: str | None, output_format: str) -> None:
    """Say which credentials the AWS SDK would use here, or why it finds none: walks botocore's
    credential provider chain over this environment and your shared files, offline (nothing is
    run or sent, no secret printed). Exit 0 when a usable source is found, 1 otherwise."""
    from awslint.doctor import diagnose, render_text  # imported here: `awslint PATH` does not need it

    diagnosis = diagnose(os.environ, profile, datetime.now(timezone.utc))
    if output_format == "json":
        click.echo(json.dumps(diagnosis.to_json(), indent=2))
    else:
        click.echo(render_text(diagnosis), nl=False)
    sys.exit(0 if diagnosis.usable else 1)
