"""Section 4, read according to an outlet or as published by a day (SPEC §9).

The same probe subjects and stores as `asof`: each request asks one probe subject's state at a
date inside its history, according to one outlet (`source=`: the stored state, resolved) or as
published by a day (`published_by=`: the subject's own events, folded). Neither depends on
how many other events the store holds, so the large store should answer as the small one does.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from parley.scripts.bench.load import run_load
from parley.scripts.bench.plan import Plan
from parley.scripts.bench.report import Figure
from parley.scripts.bench.servers import parley_server
from parley.scripts.bench.workload import OUTLETS, day_text, probe_stories


def reading_paths(count: int = 400, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    today = datetime.now(timezone.utc).date().isoformat()
    spans = []
    for story in probe_stories():
        list(story)  # play it through to learn its last day
        spans.append((story.subject, story.first_day, story.day))
    paths = []
    for index in range(count):
        subject, first, last = rng.choice(spans)
        as_of = day_text(rng.randint(first, max(first, last)))
        # By today, so every probe event without a published date counts too (from its recorded
        # time): the subject exists, and the whole of its history is folded, the costly case.
        reading = f"source={rng.choice(OUTLETS).replace(' ', '%20')}" if index % 2 else f"published_by={today}"
        paths.append(f"/subjects/{subject}?as_of={as_of}&{reading}")
    return paths


def measure(plan: Plan, backend: str, urls: dict[int, str], workdir: Path) -> list[Figure]:
    small, large = plan.asof_sizes
    name = f"GET /subjects/…?as_of=<past date>&source=…|published_by=…, {large:,} vs {small:,} events"
    p50 = Figure("as-of", f"{name}: p50", backend, "ms", goal=1.5, lower_is_better=True)
    p99 = Figure("as-of", f"{name}: p99", backend, "ms", goal=None, lower_is_better=True)
    paths = workdir / "paths-readings.txt"
    paths.write_text("\n".join(reading_paths()) + "\n")
    with parley_server(urls[small], workdir / "parley-readings-small.log") as small_url, \
            parley_server(urls[large], workdir / "parley-readings-large.log") as large_url:
        for url in (small_url, large_url) if plan.warmup else ():
            run_load(url, "paths", paths, connections=1, seconds=plan.warmup, workdir=workdir)
        for _ in range(plan.rounds):
            results = {size: run_load(url, "paths", paths, connections=1, seconds=plan.seconds, workdir=workdir)
                       for size, url in ((small, small_url), (large, large_url))}
            for size, result in results.items():
                if result.http_errors or result.socket_errors or not result.requests:
                    raise RuntimeError(f"readings with {size:,} events: {result}")
            p50.add(results[large].p50_ms, results[small].p50_ms)
            p99.add(results[large].p99_ms, results[small].p99_ms)
    return [p50, p99]
