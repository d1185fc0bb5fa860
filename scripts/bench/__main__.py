"""`python -m parley.scripts.bench [--quick]`: every figure beside its baseline, as a table and as JSON.

Per backend (SQLite, then PostgreSQL when a server answers): HTTP appends against a bare
endpoint, batch appends against `Application.save`, `parley rebuild` and `parley export`
against reading the log raw, state at a date in a small store against a large one, and (SQLite
only) the page's first render with 20,000 events against the example's 20; `parley verify --store` against
the raw read, and checkpoints and proofs against 10 ms; and single appends with
metrics and JSON request lines on, against the same server with them off. The quick mode (CI)
uses small stores and short runs, measures both backends at once and checks only that everything
runs; the full mode is the run recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from pathlib import Path
from typing import Any

from parley.scripts.bench import appends, asof, export, observe, page, rebuild, verifying
from parley.scripts.bench.plan import FULL, QUICK, Plan
from parley.scripts.bench.report import Figure, machine, save, table
from parley.scripts.bench.stores import Stores, fill, postgres_reachable
from parley.scripts.bench.workload import interleaved, probe_stories, stories

SECTIONS = ("http", "batch", "rebuild", "asof", "export", "verify", "page", "observe")
DEFAULT_POSTGRES = os.environ.get("PARLEY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


STEPS: list[dict] = []  # each step with the load average when it began: how busy the machine was


def say(message: str) -> None:
    STEPS.append({"at": time.strftime("%H:%M:%S"), "step": message, "load_average": os.getloadavg()})
    print(f"[bench {STEPS[-1]['at']}] {message}", file=sys.stderr, flush=True)


def run_backends(plan: Plan, backends: list[str], sections: set[str], workdir: Path, postgres: str) -> list[Figure]:
    """Each backend's figures in its own folder: one after the other, or side by side when the plan says so."""

    def one(backend: str) -> list[Figure]:
        folder = workdir / backend
        folder.mkdir()
        return run_backend(plan, Stores(backend, folder, postgres if backend == "postgres" else None), sections, folder)

    if plan.backends_at_once:
        with ThreadPoolExecutor(len(backends)) as pool:  # each thread mostly waits on its own processes
            return [figure for figures in pool.map(one, backends) for figure in figures]
    return [figure for backend in backends for figure in one(backend)]


def run_backend(plan: Plan, stores: Stores, sections: set[str], workdir: Path) -> list[Figure]:
    figures: list[Figure] = []
    if "http" in sections:
        say(f"{stores.backend}: single-event appends, Parley and the bare endpoint")
        figures.append(appends.single_appends(plan, stores, workdir))
    if "observe" in sections:
        say(f"{stores.backend}: single-event appends with metrics on, off, and with JSON request lines")
        figures += observe.observed_appends(plan, stores, workdir)
    if "batch" in sections:
        say(f"{stores.backend}: batch appends, Parley and Application.save")
        figures.append(appends.batch_appends(plan, stores, workdir))
    if sections & {"rebuild", "asof", "export", "verify"}:
        figures += stored_sections(plan, stores, sections, workdir)
    if "page" in sections and stores.backend == "sqlite":  # the browser's side; the backend barely shows in it
        sizes = ", ".join(f"{subjects * each:,}" for subjects, each in plan.page)
        say(f"{stores.backend}: the page's first render, heap and as-of move at {sizes} events, and the example")
        figures += page.measure(plan, stores, workdir)
    return figures


def stored_sections(plan: Plan, stores: Stores, sections: set[str], workdir: Path) -> list[Figure]:
    """Fill one store per size (the probe subjects, then other subjects up to the size) and measure."""
    sizes = sorted(
        set(plan.rebuild_sizes * bool(sections & {"rebuild", "export", "verify"}) + plan.asof_sizes * ("asof" in sections))
    )
    figures: list[Figure] = []
    with _stores(stores, sizes) as urls:
        for size, url in urls.items():
            say(f"{stores.backend}: filling a store with {size:,} events")
            with stores.system(url) as system:
                probes = [event for story in probe_stories() for event in story]
                filler = interleaved(stories(f"s{size}", size), max(0, size - len(probes)))
                fill(system, chain(probes, filler))
        read_raw = rebuild.RawReads(workdir / "readlog.log", kept=plan.raw_read_once)
        if "rebuild" in sections:
            say(f"{stores.backend}: parley rebuild and the raw read, {' and '.join(f'{s:,}' for s in plan.rebuild_sizes)} events")
            figures += rebuild.measure(plan, stores.backend, urls, workdir, read_raw)
        if "export" in sections:
            say(
                f"{stores.backend}: parley export --format csv and the raw read, {' and '.join(f'{s:,}' for s in plan.rebuild_sizes)} events"
            )
            figures += export.measure(plan, stores.backend, urls, workdir, read_raw)
        if "verify" in sections:
            say(
                f"{stores.backend}: parley verify --store and the raw read, {' and '.join(f'{s:,}' for s in plan.rebuild_sizes)}"
                " events; checkpoints and proofs at the larger"
            )
            figures += verifying.measure(plan, stores, urls, workdir, read_raw)
        if "asof" in sections:
            for size in plan.asof_sizes:
                with stores.system(urls[size]) as system:
                    for runner in system.projections:
                        runner.catch_up()
            say(
                f"{stores.backend}: state at a date (plain, by one outlet, as published by a day) and the"
                f" filtered log, {' and '.join(f'{s:,}' for s in plan.asof_sizes)} events"
            )
            figures += asof.measure(plan, stores.backend, urls, workdir)
    return figures


class _stores:
    """Fresh stores, one per size, all removed at the end."""

    def __init__(self, stores: Stores, sizes: list[int]):
        self.contexts = {size: stores.fresh(f"s{size}") for size in sizes}

    def __enter__(self) -> dict[int, str]:
        return {size: context.__enter__() for size, context in self.contexts.items()}

    def __exit__(self, *exc: Any) -> None:
        for context in self.contexts.values():
            context.__exit__(*exc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.scripts.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small and short: under 30 s, for CI")
    parser.add_argument("--json", type=Path, default=Path("bench.json"), help="where to write the figures")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a server where databases may be created")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"some of {','.join(SECTIONS)}")
    parser.add_argument("--workdir", type=Path, help="for stores and logs; default a temporary folder")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    sections = set(args.sections.split(","))
    notes: list[str] = []
    backends = ["sqlite"]
    if not args.no_postgres:
        why = postgres_reachable(args.postgres)
        if why is None:
            backends.append("postgres")
        elif os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            parser.error(f"CI=true requires PostgreSQL at {args.postgres}: {why}")
        else:
            notes.append(f"PostgreSQL skipped: {why}")
            say(notes[-1])
    before, started = machine(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="parley-bench-", dir=args.workdir) as folder:
        figures = run_backends(plan, backends, sections, Path(folder), args.postgres)
    seconds = time.perf_counter() - started
    print(table(figures))
    print(f"\n{plan.name} run, {seconds:.0f} s; load average before {before['load_average']}, after {os.getloadavg()}")
    save(args.json, plan.name, figures, before, seconds, notes, STEPS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
