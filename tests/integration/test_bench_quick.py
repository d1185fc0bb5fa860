"""The benchmark program keeps working: its quick mode completes and every figure is positive.

No timing is asserted: CI machines are shared and noisy, and the figures that matter are
the full run's, recorded with their machine in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.backends import ADMIN_URL, REQUIRED
from tests.processes import ROOT

pytestmark = pytest.mark.e2e


def test_the_quick_benchmark_completes_with_every_figure_positive(tmp_path):
    report = tmp_path / "bench.json"
    command = [sys.executable, "-m", "parley.scripts.bench", "--quick", "--json", str(report), "--postgres", ADMIN_URL]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    figures = json.loads(report.read_text())["figures"]
    sections = {f["section"] for f in figures}
    assert sections == {
        "http-append",
        "batch-append",
        "rebuild",
        "as-of",
        "export",
        "verify",
        "page",
        "http-append-metrics",
        "http-append-metrics-cpu",
        "http-append-json-logs-cpu",
        "http-append-json-logs",
    }
    assert {f["backend"] for f in figures} >= ({"sqlite", "postgres"} if REQUIRED else {"sqlite"})
    for figure in figures:
        assert figure["parley"] > 0 and figure["baseline"] > 0 and figure["ratio"] > 0, figure
