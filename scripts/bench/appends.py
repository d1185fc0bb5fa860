"""Sections 1 and 2: single-event and batch appends over HTTP, each beside its baseline.

1. `POST /events` against the bare endpoint (same body validation, nothing stored), both
   driven by the same load generator with the same bodies: a fifth create new subjects,
   the rest are statements on subjects created beforehand, some backdated.
2. `POST /events/batch` of 100 events against eventsourcing's own `Application.save` of the
   same events in batches of 100, in this process, with no HTTP.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from parley.domain.catalog import BUILT_IN, subject_class
from parley.domain.subject import Subject
from parley.scripts.bench.load import run_load
from parley.scripts.bench.plan import Plan
from parley.scripts.bench.report import Figure
from parley.scripts.bench.servers import bare_server, parley_server, serving
from parley.scripts.bench.stores import Stores, fill, submission
from parley.scripts.bench.workload import PEOPLE, interleaved, stories
from parley.service.bootstrap import persistence_env
from parley.service.settings import Settings

SOURCE = [{"name": "Reuters", "url": "https://news.example/report", "published": "2025-11-30"}]
# Each declared kind's creation, as its declaration's example shows it (GET /catalog).
CREATIONS = tuple((cls.kind, cls.creation.__name__, (cls.creation.example or {"data": {}})["data"]) for cls in BUILT_IN.classes)
FIRST_KIND, FIRST_CREATION, FIRST_DATA = CREATIONS[0]


def existing_subjects(count: int) -> list[dict[str, Any]]:
    """The subjects that single-event appends add statements to, created before the run: of the
    catalog's first kind, as its creation example."""
    return [
        {
            "type": FIRST_CREATION,
            "subject": f"{FIRST_KIND}/existing-{i}",
            "occurred": "2025-11-01",
            "sources": SOURCE,
            "data": FIRST_DATA,
        }
        for i in range(count)
    ]


def single_templates(count: int, existing: int, seed: int = 11) -> list[str]:
    """Bodies for `POST /events`, with `{{ID}}` and `{{SEQ}}` for the load generator to fill in."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        if i % 5 == 0:
            kind, type_name, data = CREATIONS[(i // 5) % len(CREATIONS)]
            body = {
                "type": type_name,
                "subject": f"{kind}/bench-SEQ",
                "occurred": f"2025-11-{rng.randint(1, 28):02d}",
                "data": data,
            }
        else:
            body = {
                "type": "StatementRecorded",
                "subject": f"{FIRST_KIND}/existing-{rng.randrange(existing)}",
                "occurred": rng.choice((f"2025-11-{rng.randint(2, 30):02d}", f"2025-12-{rng.randint(1, 20):02d}", "2025-12")),
                "data": {"speaker": rng.choice(PEOPLE), "quote": "We made progress on the prisoner exchange."},
            }
        line = json.dumps({"event_id": "ID", **body, "sources": SOURCE}, separators=(",", ":"))
        lines.append(line.replace('"ID"', '"{{ID}}"').replace("bench-SEQ", "bench-{{SEQ}}"))
    return lines


def single_appends(plan: Plan, stores: Stores, workdir: Path) -> Figure:
    figure = Figure("http-append", f"POST /events, c={plan.connections}: requests/s", stores.backend, "req/s", goal=0.5)
    templates = workdir / "single.txt"
    templates.write_text("\n".join(single_templates(1000, plan.existing_subjects)) + "\n")
    with stores.fresh("append") as url:
        with stores.system(url) as system:
            fill(system, existing_subjects(plan.existing_subjects))
            token = system.tokens.create("bench")
        with serving(bare_server(workdir / "bare.log"), parley_server(url, workdir / "parley-append.log")) as (
            bare_url,
            parley_url,
        ):
            for target, auth in ((bare_url, "-"), (parley_url, token)) if plan.warmup else ():
                run_load(
                    target, "templates", templates, connections=plan.connections, seconds=plan.warmup, token=auth, workdir=workdir
                )
            for _ in range(plan.rounds):
                bare = run_load(
                    bare_url,
                    "templates",
                    templates,
                    connections=plan.connections,
                    seconds=plan.seconds,
                    workdir=workdir,
                    requests=plan.requests,
                )
                parley = run_load(
                    parley_url,
                    "templates",
                    templates,
                    connections=plan.connections,
                    seconds=plan.seconds,
                    token=token,
                    workdir=workdir,
                    requests=plan.requests,
                )
                _check(parley, "Parley")
                _check(bare, "the bare endpoint")
                figure.add(parley.per_second, bare.per_second)
                figure.details.setdefault("latency_ms", []).append(
                    {"parley_p50": parley.p50_ms, "parley_p99": parley.p99_ms, "bare_p50": bare.p50_ms, "bare_p99": bare.p99_ms}
                )
                figure.details["generator"] = parley.generator
    return figure


def batch_bodies(count: int, size: int = 100) -> list[list[dict[str, Any]]]:
    """Batches whose subjects are their own, so batches in flight at once never depend on each other."""
    return [list(interleaved(stories(f"batch-{number}", number), size, active=10, seed=number)) for number in range(count)]


def batch_appends(plan: Plan, stores: Stores, workdir: Path) -> Figure:
    figure = Figure(
        "batch-append", f"POST /events/batch of 100, c={plan.batch_connections}: events/s", stores.backend, "ev/s", goal=0.5
    )
    batches = batch_bodies(plan.batches)
    for _ in range(plan.rounds):  # fresh stores each round, so the same events are new again
        baseline = _save_directly(stores, batches)
        bodies = workdir / "batches.txt"
        bodies.write_text("".join(json.dumps({"events": b}, separators=(",", ":")) + "\n" for b in batches))
        with stores.fresh("batch") as url:
            with stores.system(url) as system:
                token = system.tokens.create("bench")
            with serving(parley_server(url, workdir / "parley-batch.log")) as (parley_url,):
                result = run_load(
                    parley_url, "bodies", bodies, connections=plan.batch_connections, seconds=0, token=token, workdir=workdir
                )
        _check(result, "Parley", expect=len(batches))
        events = sum(len(b) for b in batches)
        figure.add(events / result.seconds, baseline)
        figure.details["generator"] = result.generator
    return figure


def _save_directly(stores: Stores, batches: list[list[dict[str, Any]]]) -> float:
    """events/s of `Application.save`, one save per batch, of the domain events Parley would store."""
    prepared = [_domain_events(batch) for batch in batches]
    with stores.fresh("save") as url:
        app: Application[Any] = Application(env=persistence_env(Settings(database_url=url)))
        try:
            started = time.perf_counter()
            for events in prepared:
                app.save(*events)
            seconds = time.perf_counter() - started
        finally:
            app.close()
    return sum(len(e) for e in prepared) / seconds


def _domain_events(batch: list[dict[str, Any]]) -> list[Any]:
    """The batch's facts as Parley's domain records them (rules checked), in submission order."""
    subjects: dict[str, Subject] = {}
    events: list[Any] = []
    for body in batch:
        s = submission(body)
        content: dict[str, Any] = {
            "event_id": s.event_id,
            "occurred": s.occurred,
            "sources": s.sources,
            "data": s.data,
            "note": s.note,
            "recorded_by": "bench",
            "recorded_at": None,
        }
        if body["subject"] not in subjects:
            subjects[body["subject"]] = subject_class(s.subject.kind).open(s.subject, s.type, **content)
        else:
            subjects[body["subject"]].record(s.type, **content)
        events += subjects[body["subject"]].collect_events()
    return events


def _check(result: Any, who: str, expect: int | None = None) -> None:
    if result.http_errors or result.socket_errors or result.requests == 0 or (expect is not None and result.ok != expect):
        raise RuntimeError(
            f"{who} answered {result.http_errors} errors and {result.socket_errors} socket errors "
            f"in {result.requests} requests ({result.ok} ok, {expect} expected)"
        )
