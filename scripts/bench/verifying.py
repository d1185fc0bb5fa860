"""The chain's rows (SPEC §15): `parley verify --store` against reading the same log raw, and a
checkpoint and an inclusion proof at random positions of the larger store (p50 against 10 ms)."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from parley.scripts.bench.plan import Plan
from parley.scripts.bench.rebuild import RawReads, timed_process
from parley.scripts.bench.report import Figure
from parley.scripts.bench.stores import Stores
from parley.service.checkpoints import checkpoint, inclusion

GOAL_MS = 10.0


def measure(plan: Plan, stores: Stores, urls: dict[int, str], workdir: Path, read_raw: RawReads) -> list[Figure]:
    small, large = plan.rebuild_sizes
    backend = stores.backend
    rates = {
        size: Figure("verify", f"parley verify --store, {size:,} events: events/s", backend, "ev/s", goal=0.5)
        for size in (small, large)
    }
    rounds = plan.rounds if large <= 100_000 else 1
    for _ in range(rounds):
        for size in (small, large):
            raw = read_raw(urls[size])
            run = timed_process(
                [sys.executable, "-m", "parley.scripts.cli", "verify", "--store"],
                {"PARLEY_DATABASE_URL": urls[size]},
                workdir / "verify.log",
            )
            rates[size].add(size / run.seconds, size / raw.seconds)
            rates[size].details.setdefault("seconds", []).append({"verify": run.seconds, "raw_read": raw.seconds})
    return [rates[small], rates[large], *_latencies(plan, stores, urls[large], large)]


def _latencies(plan: Plan, stores: Stores, url: str, size: int) -> list[Figure]:
    asks = 20 if plan.name == "quick" else 200
    made = [
        Figure(
            "verify",
            f"checkpoint at a random position, {size:,} events: p50",
            stores.backend,
            "ms",
            goal=1.0,
            lower_is_better=True,
        ),
        Figure(
            "verify",
            f"inclusion proof at a random position, {size:,} events: p50",
            stores.backend,
            "ms",
            goal=1.0,
            lower_is_better=True,
        ),
    ]
    with stores.system(url) as system:
        database, last = system.app.database, system.app.recorder.max_notification_id() or 0
        started = time.perf_counter()
        checkpoint(database, last, system.signer)  # the first fills the kept subtrees, once per store
        first = time.perf_counter() - started
        for figure, ask in zip(made, (lambda p: checkpoint(database, p, None), lambda p: inclusion(database, p, last))):
            times = []
            for _ in range(asks):
                position = random.randint(1, last)
                started = time.perf_counter()
                ask(position)
                times.append((time.perf_counter() - started) * 1000)
            figure.add(statistics.median(times), GOAL_MS)
            figure.details.update(first_checkpoint_seconds=first, asks=asks, p90_ms=sorted(times)[int(asks * 0.9)])
    return made
