"""How big and how long each measurement is, in the quick mode and the full one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    name: str
    rounds: int  # each round measures the baseline and Parley side by side
    seconds: int  # one load-generator run
    requests: int | None  # one run sends this many requests instead (HTTP appends, reads at a date); None: `seconds`
    warmup: int  # seconds of load before measuring; 0 skips it
    connections: int  # concurrent HTTP connections for single-event appends
    existing_subjects: int  # subjects the single-event appends add statements to
    batches: int  # POST /events/batch requests of 100 events
    batch_connections: int
    rebuild_sizes: tuple[int, int]  # events in the smaller and the larger store
    raw_read_once: bool  # the rebuild and the export share one raw read of each store, not each its own beside it
    asof_sizes: tuple[int, int]  # events in the store when reading state at a date
    page: tuple[tuple[int, int], ...]  # per size of the page's large store: subjects, and events each
    backends_at_once: bool  # SQLite's sections and PostgreSQL's side by side: quicker, and no figure holds


QUICK = Plan(
    name="quick",
    rounds=1,
    seconds=1,
    requests=25,
    warmup=0,
    connections=16,
    existing_subjects=100,
    batches=10,
    batch_connections=2,
    rebuild_sizes=(1_000, 2_000),
    raw_read_once=True,
    asof_sizes=(1_000, 2_000),
    page=((8, 25),),
    backends_at_once=True,
)
FULL = Plan(
    name="full",
    rounds=3,
    seconds=10,
    requests=None,
    warmup=2,
    connections=16,
    existing_subjects=1_000,
    batches=300,
    batch_connections=2,
    rebuild_sizes=(100_000, 1_000_000),
    raw_read_once=False,
    asof_sizes=(1_000, 1_000_000),
    page=((200, 100), (1_000, 100), (10_000, 100)),
    backends_at_once=False,  # 20k, 100k and 1M events (issue 28)
)
