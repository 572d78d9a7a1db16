"""awslint over the shared corpus of real files: no internal error, broken files reported."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


def test_corpus_runs_without_internal_error(run_cli, tmp_path):
    result = run_cli([str(CORPUS), "--format", "json"], tmp_path)
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["files"] > 1500
    broken = {f["path"].split("corpus/")[1] for f in report["findings"] if f["rule"] == "AWS900"}
    assert "docker__compose/pkg/e2e/fixtures/wrong-composefile/service1/Dockerfile" in broken
