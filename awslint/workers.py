"""Linting independent files in worker processes, while the main process does the rest.

Files whose findings depend only on themselves and the run's :class:`~awslint.model.Context`
(Dockerfiles, ``.env`` files, ECS task definitions) are split into interleaved chunks and
linted by a pool of forked processes; the main process meanwhile parses and lints the kinds
that are linked across files (AWS shared files, compose projects, workflows). Findings are
sorted afterwards exactly as in a serial run, so the output is identical whatever the number of
workers. Workers are forked (``os.fork``, Linux), so they inherit the rules, config and context
instead of receiving them pickled; elsewhere, and for small runs, everything stays serial.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from awslint.config import Config
from awslint.discover import Candidate
from awslint.model import Context
from awslint.rules import Rule

MIN_FILES = 200  # below this a pool costs more than it saves
_STATE: tuple[list[Rule], Config, Context] | None = None  # what forked workers inherit


def default_jobs() -> int:
    """The number of processes to use: the CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def start(candidates: list[Candidate], rules: list[Rule], config: Config, context: Context, jobs: int) -> Callable[[], list[tuple[list, list[str]]]] | None:
    """Begin linting ``candidates`` in ``jobs - 1`` worker processes (the main process is the
    last one, and takes the chunks still waiting when it is done with its own files); returns a
    function that waits and gives ``(findings, internal errors)`` per chunk, or ``None`` when
    the run should stay serial (one job, few files, no ``fork``)."""
    global _STATE
    workers = jobs - 1
    if workers < 1 or len(candidates) < MIN_FILES or not sys.platform.startswith("linux"):
        return None
    import multiprocessing  # only a run big enough for workers pays for these imports
    from concurrent.futures import ProcessPoolExecutor

    _STATE = (rules, config, context)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    count = workers * 24
    chunks = [candidates[i::count] for i in range(count)]
    futures = [pool.submit(_lint_chunk, chunk) for chunk in chunks]

    def collect() -> list[tuple[list, list[str]]]:
        """Wait for the workers; a chunk no worker has started yet is linted here instead, so
        the main process helps once its own files are done."""
        try:
            here = {i: _lint_chunk(chunks[i]) for i in reversed(range(count)) if futures[i].cancel()}
            return [here[i] if i in here else futures[i].result() for i in range(count)]
        finally:
            pool.shutdown()

    return collect


def _lint_chunk(chunk: list[Candidate]) -> tuple[list, list[str]]:
    from awslint.engine import lint_file

    rules, config, context = _STATE
    findings: list = []
    errors: list[str] = []
    for candidate in chunk:
        findings.extend(lint_file(candidate, rules, config, errors, None, context))
    return findings, errors
