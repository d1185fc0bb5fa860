"""Section 4: the state of a subject at a past date, and the filtered log, with a small store
and with a large one (the log filtered by time alone: timefilters.py).

The same probe subjects (3 to 187 events each, 1,000 in all) are in both stores; the large
one holds a million other events besides. Each request asks one probe subject's state at a
date inside its history, or its events from the log filtered by subject, type and valid
time, one connection at a time, so the latencies are the service's own.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from parley.scripts.bench import timefilters
from parley.scripts.bench.load import run_load
from parley.scripts.bench.plan import Plan
from parley.scripts.bench.readings import reading_paths
from parley.scripts.bench.report import Figure
from parley.scripts.bench.search import search_paths
from parley.scripts.bench.servers import parley_server, serving
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


def log_paths(count: int = 400, seed: int = 7) -> list[str]:
    """Filtered reads of the log: one probe subject's events, alone or of one type or by a date."""
    rng = random.Random(seed)
    spans = []
    for story in probe_stories():
        types = sorted({event["type"] for event in story})
        spans.append((story.subject, types, story.first_day, story.day))
    paths = []
    for _ in range(count):
        subject, types, first, last = rng.choice(spans)
        paths.append(
            rng.choice(
                [
                    f"/events?subject={subject}&limit=50",
                    f"/events?subject={subject}&type={rng.choice(types)}&limit=50",
                    f"/events?type={rng.choice(types)}&subject={subject}&occurred_before={day_text(rng.randint(first, max(first, last)))}",
                ]
            )
        )
    return paths


def measure(plan: Plan, backend: str, urls: dict[int, str], workdir: Path) -> list[Figure]:
    small, large = plan.asof_sizes
    sizes = f"{large:,} vs {small:,} events"
    readings = f"GET /subjects/…?as_of=<past date>&source=…|published_by=…, {sizes}"
    asked: dict[str, tuple[Any, Figure, Figure | None]] = {
        "state": (
            probe_paths(),
            Figure("as-of", f"GET /subjects/…?as_of=<past date>, {sizes}: p50", backend, "ms", goal=1.5, lower_is_better=True),
            Figure("as-of", f"GET /subjects/…?as_of=<past date>, {sizes}: p99", backend, "ms", goal=None, lower_is_better=True),
        ),
        "readings": (
            reading_paths(),
            Figure("as-of", f"{readings}: p50", backend, "ms", goal=1.5, lower_is_better=True),
            Figure("as-of", f"{readings}: p99", backend, "ms", goal=None, lower_is_better=True),
        ),
        "log": (
            log_paths(),
            Figure(
                "as-of",
                f"GET /events?subject=…&type=…&occurred_before=…, {sizes}: p50",
                backend,
                "ms",
                goal=1.5,
                lower_is_better=True,
            ),
            None,
        ),
    }
    by_time = f"GET /events?recorded_…|occurred_…, {sizes}"
    asked["rare-times"] = (
        timefilters.rare_paths,
        Figure("as-of", f"{by_time}, rare matches: p50", backend, "ms", goal=1.5, lower_is_better=True),
        Figure("as-of", f"{by_time}, rare matches: p99", backend, "ms", goal=None, lower_is_better=True),
    )
    asked["common-times"] = (
        timefilters.common_paths,
        Figure("as-of", f"{by_time}, common matches: p50", backend, "ms", goal=None, lower_is_better=True),
        None,
    )
    asked["search"] = (
        search_paths,
        Figure("as-of", f"GET /search?q=…, {sizes}: p50", backend, "ms", goal=1.5, lower_is_better=True),
        Figure("as-of", f"GET /search?q=…, {sizes}: p99", backend, "ms", goal=None, lower_is_better=True),
    )
    with serving(
        parley_server(urls[small], workdir / "parley-asof-small.log"),
        parley_server(urls[large], workdir / "parley-asof-large.log"),
    ) as (small_url, large_url):
        servers = {small: small_url, large: large_url}
        made = {"count": plan.requests} if plan.requests else {}  # a counted run needs no more paths than it sends
        for what, (paths, p50, p99) in asked.items():
            listed = {}
            for size, url in servers.items():  # a list for each store, made from it where it must be
                listed[size] = workdir / f"paths-{what}-{size}.txt"
                listed[size].write_text("\n".join(paths(url, size, **made) if callable(paths) else paths) + "\n")
            for size, url in servers.items() if plan.warmup else ():
                run_load(url, "paths", listed[size], connections=1, seconds=plan.warmup, workdir=workdir)
            for _ in range(plan.rounds):
                results = {
                    size: run_load(
                        url, "paths", listed[size], connections=1, seconds=plan.seconds, workdir=workdir, requests=plan.requests
                    )
                    for size, url in servers.items()
                }
                for size, result in results.items():
                    if result.http_errors or result.socket_errors or not result.requests:
                        raise RuntimeError(f"{what} reads with {size:,} events: {result}")
                p50.add(results[large].p50_ms, results[small].p50_ms)
                if p99 is not None:
                    p99.add(results[large].p99_ms, results[small].p99_ms)
                p50.details.setdefault("requests_per_second", []).append(
                    {"large": results[large].per_second, "small": results[small].per_second}
                )
    return [figure for _, p50, p99 in asked.values() for figure in (p50, p99) if figure is not None]
