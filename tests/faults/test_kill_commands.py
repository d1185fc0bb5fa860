"""SIGKILL `parley import` and `parley rebuild` part-way: running them again completes,
with every event once, none missing, and views equal to what they were. A rebuild builds
beside the live views, so whatever step it is killed in, they answer as before meanwhile."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import astuple
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.projections.rebuild import FOLDING, LOADING
from parley.projections.subject_states import SubjectStates
from parley.scripts.transfer import import_lines
from parley.service.bootstrap import System, build
from parley.service.settings import Settings
from tests.faults.load import answers
from tests.processes import PARLEY, ROOT, parley

pytestmark = pytest.mark.e2e
PER_SUBJECT = 150
# Long enough to be caught part-way: an import goes 500 lines at a time, a rebuild here loads
# 500 events at a time and folds 250 that change states (statements change none), and each
# shows its progress after every step.
IMPORTED, REBUILT, REBUILD_BATCH = 6_000, 3_000, "500"
# Rich draws its live progress bar only on a terminal; these make it draw into the pipe.
LIVE_PROGRESS = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"}


@pytest.fixture(scope="module")
def events_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_events(tmp_path_factory.mktemp("import") / "events.jsonl", IMPORTED)


@pytest.fixture(scope="module")
def many_events(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    path = tmp_path_factory.mktemp("rebuild") / "events.jsonl"
    return write_events(path, REBUILT, rescheduled).read_text().splitlines()


def said(subject: str, i: int) -> dict[str, Any]:
    return _line(
        subject, "StatementRecorded", f"2025-11-{i % 28 + 1:02d}", {"speaker": "Dmitry Peskov", "quote": f"statement {i}"}
    )


def rescheduled(subject: str, i: int) -> dict[str, Any]:
    planned_for = date(2026, 1, 1) + timedelta(days=i)  # never the date it is already planned for
    return _line(subject, "MeetingRescheduled", f"2025-11-{i % 28 + 1:02d}", {"planned_for": planned_for.isoformat()})


def write_events(path: Path, count: int, then: Callable[[str, int], dict[str, Any]] = said) -> Path:
    lines = []
    for n in range(count // PER_SUBJECT):
        subject = f"meeting/round-{n}"
        lines.append(
            _line(
                subject, "MeetingScheduled", "2025-11-01", {"location": "Geneva", "planned_for": "2025-12-01", "participants": []}
            )
        )
        lines += [then(subject, i) for i in range(PER_SUBJECT - 1)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _line(subject: str, type_name: str, occurred: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": type_name,
        "subject": subject,
        "occurred": occurred,
        "sources": [{"name": "Reuters"}],
        "data": data,
    }


class PartWay:
    """Reads a command's live progress bar; `seen` is set once it shows the work (or the
    named step of it) part-way done, or once the command has ended without ever showing that."""

    def __init__(self, process: subprocess.Popen, step: str = "", *, stop: bool = False):
        self.process = process
        self.stop = stop
        self.shown = re.compile(re.escape(step.encode()) + rb"[^\n]*?(\d+)/(\d+)")
        self.seen = threading.Event()
        self.part_way = False
        self.output = b""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while chunk := os.read(self.process.stderr.fileno(), 65536):
            self.output += chunk
            if not self.part_way and any(0 < int(done) < int(total) for done, total in self.shown.findall(self.output[-4096:])):
                # Stopped at once: the bar is drawn after each batch, and the next batch may be the last.
                if self.stop:
                    os.kill(self.process.pid, signal.SIGSTOP)
                self.part_way = True
                self.seen.set()
        self.seen.set()


def killed_part_way(*args: str, database_url: str, step: str = "") -> bytes:
    process = subprocess.Popen(
        [*PARLEY, *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PARLEY_DATABASE_URL": database_url, **LIVE_PROGRESS},
    )
    watcher = PartWay(process, step, stop=True)
    watcher.seen.wait(timeout=120)
    process.kill()
    process.wait(timeout=30)
    assert watcher.part_way and process.returncode == -9, f"not killed part-way: {watcher.output[-300:]!r}"
    return watcher.output


@pytest.fixture
def system(database_url: str) -> Iterator[System]:
    built = build(Settings(database_url=database_url))
    try:
        yield built
    finally:
        built.close()


def logged_ids(system: System) -> list[str]:
    ids, after = [], 0
    while page := system.app.log(after, 1000):
        ids += [event.event_id for _, event in page]
        after = page[-1][0]
    return ids


def test_an_import_killed_part_way_completes_when_run_again(events_file: Path, database_url: str, system: System) -> None:
    wanted = [json.loads(line)["event_id"] for line in events_file.read_text().splitlines()]
    killed_part_way("import", str(events_file), database_url=database_url)
    stored = logged_ids(system)
    assert 0 < len(stored) < len(wanted)
    assert stored == wanted[: len(stored)], "a killed import left something other than a prefix of the file"

    again = parley("import", str(events_file), database_url=database_url)
    assert f"recorded {len(wanted) - len(stored):,} events; {len(stored):,} were already recorded" in again.stderr
    assert logged_ids(system) == wanted, "duplicates or gaps after the second import"


def test_a_rebuild_killed_in_any_step_leaves_the_views_answering_and_completes_when_run_again(
    many_events: list[str], database_url: str, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARLEY_REBUILD_BATCH", REBUILD_BATCH)
    import_lines(system.app, many_events, "tests")
    with TestClient(create_app(system.settings, system)) as client:
        before = answers(client)
    logged = [(position, event.event_id) for position, event in _log(system)]
    assert _projected(system) == logged

    for step in (LOADING, FOLDING):
        killed_part_way("rebuild", database_url=database_url, step=step)
        assert _projected(system) == logged, f"killed while {step}, the views readers use changed"
        with TestClient(create_app(system.settings, system)) as client:
            assert answers(client) == before

    parley("rebuild", database_url=database_url)
    assert _projected(system) == logged, "duplicates or gaps in the rebuilt views"
    with TestClient(create_app(system.settings, system)) as client:
        assert answers(client) == before
    generation = system.projection.current()[0]
    assert _view_tables(system) == set(astuple(SubjectStates.names(generation))), "a killed run's tables were left"


def _projected(system: System) -> list[tuple[int, str]]:
    return [(e["position"], e["event_id"]) for e in system.log_reads.events(0, 2 * REBUILT)]


def _log(system: System) -> list[tuple[int, Any]]:
    entries, after = [], 0
    while page := system.app.log(after, 1000):
        entries += page
        after = page[-1][0]
    return entries


def _view_tables(system: System) -> set[str]:
    """Tables of any generation of the projection: its names without a suffix, or with `_g<n>`."""
    stems = astuple(SubjectStates.names(0))
    sql = (
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        if system.projection.database.postgres
        else "SELECT name FROM sqlite_master WHERE type = 'table'"
    )
    with system.projection.database.transaction(commit=False) as cursor:
        names = [row["name"] for row in cursor.execute(sql).fetchall()]
    return {name for name in names if any(re.fullmatch(f"{stem}(_g\\d+)?", name) for stem in stems)}
