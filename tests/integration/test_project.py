"""`parley project SCRIPT.py`: a user's projection over the log, with a tracked position; what
it writes through its view commits with that position (SPEC §7)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.scripts.cli import cli
from tests.integration.helpers import event, replaced

# Writes, for every event it is given, the event as it arrived and what it asked of the view.
SEEN = textwrap.dedent("""
    import json
    NAME = "seen"
    TABLES = ["CREATE TABLE IF NOT EXISTS seen (position BIGINT PRIMARY KEY, event TEXT, head TEXT, target TEXT)"]
    DROP = ["DROP TABLE IF EXISTS seen"]

    def on_event(event, view):
        state = view.state("delegation/ukraine", as_of="2025-12-31")
        target = view.event(event["data"]["event_id"]) if event["type"] == "EventRetracted" else None
        view.execute("INSERT INTO seen VALUES (?, ?, ?, ?)",
                     (event["position"], json.dumps(event), state and state["head"], json.dumps(target)))
""")


def project(*args: str) -> str:
    run = CliRunner().invoke(cli, ["project", *args])
    assert run.exit_code == 0, run.output
    return run.stderr


def rows(system, table: str = "seen") -> list[dict]:
    with system.projection.database.transaction(commit=False) as cursor:
        return [dict(r) for r in cursor.execute(f"SELECT * FROM {table} ORDER BY position").fetchall()]


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "seen.py"
    path.write_text(SEEN)
    return path


def test_events_arrive_as_read_and_the_view_answers_as_of_each_event(client, system, database_url, script):
    client.post("/events", json=event())
    head = client.post("/events", json=replaced()).json()
    retraction = client.post(
        "/events",
        json=event(type="EventRetracted", occurred="2025-11-30", data={"event_id": head["event_id"], "reason": "misreported"}),
    ).json()
    assert "applied 3 events" in project(str(script), "--database", database_url)

    seen = rows(system)
    logged = client.get("/events", params={"after": 0}).json()["events"]
    assert [json.loads(r["event"]) for r in seen] == [{**e, "retracted_by": None, "retracted_at": None} for e in logged]
    # The head as the log stood at each event: replaced at the second, restored by the retraction.
    assert [r["head"] for r in seen] == ["Andriy Yermak", "Rustem Umerov", "Andriy Yermak"]
    assert json.loads(seen[2]["target"])["event_id"] == head["event_id"]
    # As of the retraction, the log holds it: the view counts the event being processed.
    assert json.loads(seen[2]["target"])["retracted_by"] == retraction["event_id"]


def test_a_rerun_continues_where_the_last_stopped_and_again_starts_over(client, system, database_url, script):
    client.post("/events", json=event())
    assert "applied 1 events" in project(str(script), "--database", database_url)
    assert "applied 0 events" in project(str(script), "--database", database_url)
    client.post("/events", json=replaced())
    assert "applied 1 events" in project(str(script), "--database", database_url)
    before = rows(system)
    assert "applied 2 events" in project(str(script), "--database", database_url, "--again")
    assert rows(system) == before, "starting over gave other answers"


def test_into_a_file_of_its_own(client, system, database_url, script, tmp_path):
    client.post("/events", json=event())
    into = tmp_path / "mine.sqlite"
    assert "applied 1 events" in project(str(script), "--database", database_url, "--into", str(into))
    import sqlite3

    with sqlite3.connect(into) as db:
        assert db.execute("SELECT count(*) FROM seen").fetchone()[0] == 1
        assert db.execute("SELECT notification_id FROM tracking WHERE application_name = 'project:seen'").fetchone()
    assert system.app.factory.tracking_recorder().max_tracking_id("project:seen") is None


def test_a_script_without_on_event_is_refused_by_name(tmp_path, database_url):
    bad = tmp_path / "bad.py"
    bad.write_text("TABLES = []\n")
    run = CliRunner().invoke(cli, ["project", str(bad), "--database", database_url])
    assert run.exit_code == 2 and "must define on_event(event, view)" in run.stderr
