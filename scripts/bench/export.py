"""The export row: `parley export --format csv` (all four tables) against reading the same log raw.

Like the rebuild, both run as their own processes, timed from start to exit; peak memory at
the larger store beside the smaller shows whether the export streams.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from parley.scripts.bench.plan import Plan
from parley.scripts.bench.rebuild import RawReads, Run, timed_process
from parley.scripts.bench.report import Figure


def export_once(url: str, folder: Path, log: Path) -> Run:
    shutil.rmtree(folder, ignore_errors=True)
    return timed_process(
        [sys.executable, "-m", "parley.scripts.cli", "export", "--format", "csv", "--out", str(folder)],
        {"PARLEY_DATABASE_URL": url},
        log,
    )


def measure(plan: Plan, backend: str, urls: dict[int, str], workdir: Path, read_raw: RawReads) -> list[Figure]:
    small, large = plan.rebuild_sizes
    figures = {
        size: Figure("export", f"parley export --format csv, {size:,} events: events/s", backend, "ev/s", goal=None)
        for size in (small, large)
    }
    memory = Figure(
        "export", f"parley export peak RSS, {large:,} vs {small:,} events", backend, "MiB", goal=1.2, lower_is_better=True
    )
    rounds = plan.rounds if large <= 100_000 else 1
    for _ in range(rounds):
        runs = {}
        for size in (small, large):
            raw = read_raw(urls[size])
            runs[size] = export_once(urls[size], workdir / "export", workdir / "export.log")
            figures[size].add(size / runs[size].seconds, size / raw.seconds)
            figures[size].details.setdefault("seconds", []).append(
                {
                    "export": runs[size].seconds,
                    "raw_read": raw.seconds,
                    "export_rss_mib": runs[size].peak_rss_mib,
                    "raw_read_rss_mib": raw.peak_rss_mib,
                }
            )
        memory.add(runs[large].peak_rss_mib, runs[small].peak_rss_mib)
    shutil.rmtree(workdir / "export", ignore_errors=True)
    return [figures[small], figures[large], memory]
