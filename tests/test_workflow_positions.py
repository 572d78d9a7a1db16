"""``run:`` scripts keep the file position of every character (``Command.positions``), so a
finding about a command deep in a block scalar points at its own line and column."""

from __future__ import annotations

from pathlib import Path

from awslint.model import Document, Kind, Region
from awslint.parse.shell import read_script
from awslint.parse.workflow import parse

WORKFLOW = """\
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: aws sts get-caller-identity
      - run: 'aws s3 ls'
      - name: many lines
        run: |
          set -e
          echo one

          echo two
          aws s3 cp x s3://b/x
      - run: >
          aws s3 ls
          --recursive
"""


def _aws_regions() -> list[Region]:
    model = parse(Document(Path("w.yml"), "w.yml", Kind.WORKFLOW, WORKFLOW, WORKFLOW.encode()))
    found = []
    for command in model.workloads[0].commands:
        for run in read_script(command.text).invocations:
            if run.program == "aws":
                found.append(command.region_of(run.words[0].start, run.words[-1].end))
    return found


def test_each_aws_call_is_located_on_its_own_line():
    plain, quoted, fifth, folded = _aws_regions()
    assert plain == Region(6, 14, 6, 41)
    assert quoted == Region(7, 15, 7, 24)  # inside the quotes
    assert fifth == Region(14, 11, 14, 31)  # the fifth line of the block
    assert folded.start_line == 15  # folded text differs from the file: the whole scalar
