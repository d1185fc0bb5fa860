"""Section: a subject with a long item list (SPEC §12: a plan of 200 points and 2,000 point events).

The kinds with item lists are the catalog's; each one's sample makes the generated subject
(`Sample.items_story`). Measured through the API in-process, one request at a time: the subject's
state now, and a comparison of its first and last revisions and of two dates; then the rows its
events take in the database (the event store's, and every view's) against its events. Goals:
state and compare p50 under 50 ms, rows within 10× the events.

`python -m parley.scripts.bench.items [--quick] [--database URL]` prints the figures alone.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from parley.domain.catalog import BUILT_IN, Catalog
from parley.projections.subject_states import SubjectStates
from parley.scripts.bench.report import Figure
from parley.scripts.bench.stores import fill
from parley.scripts.bench.workload import POOL
from parley.service.bootstrap import System, build
from parley.service.settings import Settings

GOAL_MS = 50.0
GOAL_ROWS = 10.0
START = datetime(2025, 1, 1, tzinfo=UTC)


def itemised_kinds(catalog: Catalog = BUILT_IN) -> list[Any]:
    return [cls for cls in catalog.classes if cls.item_lists]


def bodies(cls: Any, items: int, events: int, seed: int = 31) -> list[dict[str, Any]]:
    """The generated subject's events as the API takes them, a minute apart."""
    slug = f"generated-{items}"
    sample = cls.sample(cls, slug, random.Random(seed), POOL)
    story = sample.items_story(items, events)
    return [
        {
            "type": type_name,
            "subject": f"{cls.kind}/{slug}",
            "sources": [{"name": "Axios"}],
            "data": data,
            "occurred": (START + timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for index, (type_name, data) in enumerate(story)
    ]


class Timed(NamedTuple):
    """A request's p50 in wall time, and in this process's CPU time: on a machine others load, the
    CPU time is close to what an idle one would take on SQLite (on PostgreSQL the server's is not in it)."""

    wall: float
    cpu: float


def p50_ms(client: Any, path: str, repeat: int) -> Timed:
    times, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        answer = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert answer.status_code == 200, answer.text
    return Timed(statistics.median(times), statistics.median(cpu))


def rows_of(system: System, subject: str) -> tuple[int, int]:
    """(the subject's events, the rows they take: the event store's and every view's)."""
    queries = system.state_reads
    with queries.database.transaction(commit=False) as cursor:
        names = SubjectStates.names(queries.generations.current(cursor))
        events = cursor.scalar(f"SELECT count(*) FROM {names.events} WHERE subject = ?", (subject,))
        views = sum(
            cursor.scalar(f"SELECT count(*) FROM {table} WHERE subject = ?", (subject,))
            for table in (names.events, names.versions, names.states, names.items)
        )
        views += cursor.scalar(
            f"SELECT count(*) FROM {names.cites} WHERE position IN (SELECT position FROM {names.events} WHERE subject = ?)",
            (subject,),
        )
    return events, events + views  # the event store keeps one row per event besides the views


def measure_one(system: System, cls: Any, items: int, events: int, repeat: int, backend: str) -> list[Figure]:
    from fastapi.testclient import TestClient

    from parley.api.main import create_app

    made = bodies(cls, items, events)
    fill(system, made)
    system.projection.catch_up()
    subject = made[0]["subject"]
    revisions = sum(1 for body in made if body["type"] == cls.revised_by)
    middle = made[len(made) // 2]["occurred"]
    with TestClient(create_app(system.settings, system)) as client:
        state = p50_ms(client, f"/subjects/{subject}", repeat)
        last = max(revisions - 1, 0)
        next_one = p50_ms(client, f"/subjects/{subject}/compare?from_revision={last}&to_revision={revisions}", repeat)
        by_revision = p50_ms(client, f"/subjects/{subject}/compare?from_revision=0&to_revision={revisions}", repeat)
        by_date = p50_ms(client, f"/subjects/{subject}/compare?from={middle}", repeat)
    counted, rows = rows_of(system, subject)
    what = f"{items} items, {events:,} item events"
    # A comparison names its causing events by id: 0 → the last reads (and names) nearly every event.
    figures = []
    for name, value in (
        (f"state now, {what}: p50", state),
        (f"compare revision {last} → {revisions} (a draft and the next), {what}: p50", next_one),
        (f"compare revision 0 → {revisions} (every event a cause), {what}: p50", by_revision),
        (f"compare a date → now, {what}: p50", by_date),
    ):
        figure = Figure(
            "items",
            name,
            backend,
            "ms",
            1.0,
            lower_is_better=True,
            details={"baseline": "the goal, 50 ms", "cpu_p50_ms": round(value.cpu, 1)},
        )
        figure.add(value.wall, GOAL_MS)
        figures.append(figure)
    figure = Figure(
        "items",
        f"rows in the database vs events, {what}",
        backend,
        "rows",
        GOAL_ROWS,
        lower_is_better=True,
        details={"events": counted, "rows": rows},
    )
    figure.add(rows, counted)
    figures.append(figure)
    return figures


def measure(system: System, backend: str, quick: bool) -> list[Figure]:
    items, events, repeat = (20, 200, 5) if quick else (200, 2_000, 31)
    return [f for cls in itemised_kinds(system.catalog) for f in measure_one(system, cls, items, events, repeat, backend)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.scripts.bench.items", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 items and 200 item events")
    parser.add_argument("--database", help="an empty store's URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="parley-bench-items-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'items.db'}"
        system = build(Settings(database_url=url))
        try:
            figures = measure(system, "postgres" if url.startswith("postgres") else "sqlite", args.quick)
        finally:
            system.close()
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} after the run")
    for f in figures:
        goal = (
            f"this process's CPU p50 {f.details['cpu_p50_ms']} ms; goal ≤ {GOAL_MS:g} ms"
            if f.unit == "ms"
            else f"goal ≤ {GOAL_ROWS:g}× ({f.details})"
        )
        print(
            f"{f.backend}: {f.name}: {f.parley:.1f} {f.unit} ({f.ratio:.2f}× the {'goal' if f.unit == 'ms' else 'events'};"
            f" {goal}) {'met' if f.met else 'NOT MET'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
