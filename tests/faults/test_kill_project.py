"""SIGKILL `parley project` part-way: what the script wrote through its view is a whole prefix of
the log, exactly up to the tracked position, and a rerun completes it with nothing applied
twice. On SQLite the script writes into a file of its own (`--into`), on PostgreSQL into
Parley's database: both paths, both backends."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from parley.scripts.transfer import import_lines
from tests.faults import test_kill_commands
from tests.faults.test_kill_commands import LIVE_PROGRESS, PartWay, logged_ids, write_events
from tests.processes import PARLEY, ROOT

system = test_kill_commands.system  # the fixture, shared

pytestmark = pytest.mark.e2e
EVENTS, BATCH = 3_000, 50

# A position applied twice breaks the primary key, so a double application fails the run.
SCRIPT = textwrap.dedent("""
    NAME = "killed"
    TABLES = ["CREATE TABLE IF NOT EXISTS applied (position BIGINT PRIMARY KEY, event_id TEXT NOT NULL)",
              "CREATE TABLE IF NOT EXISTS per_subject (subject TEXT PRIMARY KEY, events INTEGER NOT NULL)"]

    def on_event(event, view):
        view.execute("INSERT INTO applied VALUES (?, ?)", (event["position"], event["event_id"]))
        view.execute("INSERT INTO per_subject VALUES (?, 1) ON CONFLICT (subject)"
                     " DO UPDATE SET events = per_subject.events + 1", (event["subject"],))
        print(event["position"], flush=True)  # output of its own: at least once
""")


def run_project(script: Path, database_url: str, into: Path | None, *, kill: bool) -> str:
    args = [*PARLEY, "project", str(script), *(["--into", str(into)] if into else [])]
    env = {**os.environ, "PARLEY_DATABASE_URL": database_url, "PARLEY_PROJECTION_BATCH": str(BATCH), **LIVE_PROGRESS}
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watcher = PartWay(process, stop=kill)
    if kill:
        watcher.seen.wait(timeout=120)
        process.kill()
    printed = process.stdout.read().decode()
    process.wait(timeout=120)
    if kill:
        assert watcher.part_way and process.returncode == -9, f"not killed part-way: {watcher.output[-300:]!r}"
    else:
        assert process.returncode == 0, watcher.output[-2000:]
    return printed


def view_rows(system, into: Path | None) -> tuple[list[tuple[int, str]], dict[str, int], int]:
    """(applied, events per subject, tracked position) as committed."""
    if into:
        with sqlite3.connect(into) as db:
            applied = db.execute("SELECT position, event_id FROM applied ORDER BY position").fetchall()
            counts = dict(db.execute("SELECT subject, events FROM per_subject").fetchall())
            tracked = db.execute("SELECT notification_id FROM tracking WHERE application_name = 'project:killed'")
            return [tuple(r) for r in applied], counts, (tracked.fetchone() or [0])[0]
    with system.projection.database.transaction(commit=False) as cursor:
        applied = [(r["position"], r["event_id"]) for r in cursor.execute("SELECT * FROM applied ORDER BY position").fetchall()]
        counts = {r["subject"]: r["events"] for r in cursor.execute("SELECT * FROM per_subject").fetchall()}
    return applied, counts, system.app.factory.tracking_recorder().max_tracking_id("project:killed") or 0


def test_a_project_killed_part_way_completes_once_when_run_again(database_url, system, tmp_path):
    lines = write_events(tmp_path / "events.jsonl", EVENTS).read_text().splitlines()
    import_lines(system.app, lines, "tests")
    log = list(zip(_positions(system), logged_ids(system)))
    script = tmp_path / "killed.py"
    script.write_text(SCRIPT)
    into = tmp_path / "mine.sqlite" if database_url.startswith("sqlite") else None

    printed = run_project(script, database_url, into, kill=True)
    applied, counts, tracked = view_rows(system, into)
    assert 0 < len(applied) < len(log)
    assert applied == [entry for entry in log if entry[0] <= tracked], "the view and its position disagree"
    assert sum(counts.values()) == len(applied)

    printed += run_project(script, database_url, into, kill=False)
    applied, counts, tracked = view_rows(system, into)
    assert applied == log and tracked == log[-1][0], "duplicates or gaps after the rerun"
    assert counts == dict(Counter(subject for subject in _subjects(system)))
    assert {int(p) for p in printed.split()} >= {p for p, _ in log}, "other output is at least once"


def _positions(system) -> list[int]:
    positions, after = [], 0
    while page := system.app.log(after, 1000):
        positions += [p for p, _ in page]
        after = page[-1][0]
    return positions


def _subjects(system) -> list[str]:
    subjects, after = [], 0
    while page := system.app.log(after, 1000):
        subjects += [e.subject for _, e in page]
        after = page[-1][0]
    return subjects
