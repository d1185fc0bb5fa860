"""Section 4: the state of a subject at a past date, with a small store and with a large one.

The same probe subjects (3 to 187 events each, 1,000 in all) are in both stores; the large
one holds a million other events besides. Each request asks one probe subject's state at a
date inside its history, one connection at a time, so the latencies are the service's own.
"""

from __future__ import annotations

import random
from pathlib import Path

from parley.scripts.bench.load import run_load
from parley.scripts.bench.plan import Plan
from parley.scripts.bench.report import Figure
from parley.scripts.bench.servers import parley_server
from parley.scripts.bench.workload import day_text, probe_stories


def probe_paths(count: int = 400, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    spans = []
    for story in probe_stories():
        list(story)  # play it through to learn its last day
        spans.append((story.subject, story.first_day, story.day))
    paths = []
    for _ in range(count):
        subject, first, last = rng.choice(spans)
        paths.append(f"/subjects/{subject}?as_of={day_text(rng.randint(first, max(first, last)))}")
    return paths


def measure(plan: Plan, backend: str, urls: dict[int, str], workdir: Path) -> list[Figure]:
    small, large = plan.asof_sizes
    name = f"GET /subjects/…?as_of=<past date>, {large:,} vs {small:,} events"
    p50 = Figure("as-of", f"{name}: p50", backend, "ms", goal=1.5, lower_is_better=True)
    p99 = Figure("as-of", f"{name}: p99", backend, "ms", goal=None, lower_is_better=True)
    paths = workdir / "paths.txt"
    paths.write_text("\n".join(probe_paths()) + "\n")
    with parley_server(urls[small], workdir / "parley-asof-small.log") as small_url, \
            parley_server(urls[large], workdir / "parley-asof-large.log") as large_url:
        for url in (small_url, large_url) if plan.warmup else ():
            run_load(url, "paths", paths, connections=1, seconds=plan.warmup, workdir=workdir)
        for _ in range(plan.rounds):
            results = {size: run_load(url, "paths", paths, connections=1, seconds=plan.seconds, workdir=workdir)
                       for size, url in ((small, small_url), (large, large_url))}
            for size, result in results.items():
                if result.http_errors or result.socket_errors or not result.requests:
                    raise RuntimeError(f"state at a date with {size:,} events: {result}")
            p50.add(results[large].p50_ms, results[small].p50_ms)
            p99.add(results[large].p99_ms, results[small].p99_ms)
            p50.details.setdefault("requests_per_second", []).append(
                {"large": results[large].per_second, "small": results[small].per_second})
    return [p50, p99]
