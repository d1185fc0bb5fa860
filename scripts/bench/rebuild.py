"""Section 3: `parley rebuild` against reading the same log raw, and its memory at two sizes.

Both run as their own processes, timed from start to exit, so each pays the same start-up
(the raw reader imports the `parley` command's modules too). Peak memory is the kernel's
high-water mark of the process's own memory (VmHWM), read until it exits: the rusage
maximum would count the benchmark's own memory, which the child shares until it execs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.scripts.bench.plan import Plan
from parley.scripts.bench.report import Figure
from parley.scripts.bench.servers import ROOT


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float


def timed_process(command: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> Run:
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        peak_kib = 0
        while process.poll() is None:
            peak_kib = max(peak_kib, _high_water_kib(process.pid))
            time.sleep(0.01)  # sampling a mark that only rises; the process gives no event to wait on
        seconds = time.perf_counter() - started
    finally:
        if not isinstance(out, int):
            out.close()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}; see {log}")
    return Run(seconds, peak_kib / 1024)


def _high_water_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it has just exited
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def rebuild_once(url: str, log: Path) -> Run:
    return timed_process([sys.executable, "-m", "parley.scripts.cli", "rebuild"], {"PARLEY_DATABASE_URL": url}, log)


def read_raw_once(url: str, log: Path) -> Run:
    return timed_process([sys.executable, "-m", "parley.scripts.bench.readlog", url], log=log)


class RawReads:
    """The baseline of the rebuild and the export: each time, a store's log read raw afresh, beside
    the run it is the baseline of; or (`kept`, the quick mode) read once and reused."""

    def __init__(self, log: Path, kept: bool = False):
        self.log, self.kept = log, kept
        self.runs: dict[Any, Any] = {}

    def __call__(self, url: str) -> Run:
        if not self.kept or url not in self.runs:
            self.runs[url] = read_raw_once(url, self.log)
        return self.runs[url]


def measure(plan: Plan, backend: str, urls: dict[int, str], workdir: Path, read_raw: RawReads) -> list[Figure]:
    """Rebuild rate beside raw reading at each size, and peak memory at the larger size beside the smaller."""
    small, large = plan.rebuild_sizes
    figures = {
        size: Figure("rebuild", f"parley rebuild, {size:,} events: events/s", backend, "ev/s", goal=0.25)
        for size in (small, large)
    }
    memory = Figure(
        "rebuild", f"parley rebuild peak RSS, {large:,} vs {small:,} events", backend, "MiB", goal=1.2, lower_is_better=True
    )
    rounds = plan.rounds if large <= 100_000 else 1
    for _ in range(rounds):
        runs = {}
        for size in (small, large):
            raw = read_raw(urls[size])
            runs[size] = rebuild_once(urls[size], workdir / "rebuild.log")
            figures[size].add(size / runs[size].seconds, size / raw.seconds)
            figures[size].details.setdefault("seconds", []).append(
                {
                    "rebuild": runs[size].seconds,
                    "raw_read": raw.seconds,
                    "rebuild_rss_mib": runs[size].peak_rss_mib,
                    "raw_read_rss_mib": raw.peak_rss_mib,
                }
            )
        memory.add(runs[large].peak_rss_mib, runs[small].peak_rss_mib)
    return [figures[small], figures[large], memory]
