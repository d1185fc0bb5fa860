"""Stores written with event-id claims (earlier versions) are upgraded once, at start: every
claim is copied into `event_ids`, no stored row is changed, and a copy killed part-way
resumes when any command opens the store again."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from parley.scripts.transfer import import_lines
from parley.service import claims
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.faults.old_stores import old_store, with_claims
from tests.faults.test_kill_commands import killed_part_way, write_events
from tests.processes import parley

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLAIMED = 6_000  # facts; the copy goes 1,000 stored rows at a time, showing its progress after each


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows read straight from the database, without opening (and so upgrading) the store."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(sql).fetchall()
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


def indexed(url: str) -> set[tuple[Any, ...]]:
    return set(query(url, "SELECT event_id, position, subject, version, digest FROM event_ids"))


def claimed(url: str) -> set[tuple[Any, ...]]:
    """What the store's claim rows say, each at the position of the fact it claims (the row before)."""
    table, position = ("stored_events", "rowid") if url.startswith("sqlite") else ("parley_events", "notification_id")
    rows = query(url, f"SELECT {position}, topic, state FROM {table} ORDER BY {position}")
    claims = set()
    for (fact_position, _, _), (_, topic, state) in zip(rows, rows[1:]):
        if topic.endswith("claims:EventIdClaimed.Created"):
            c = json.loads(bytes(state))
            claims.add((c["event_id"], fact_position, c["subject"], c["version"], c["digest"]))
    return claims


@pytest.mark.parametrize("fixture", ["store-v1.sqlite", "store-v2.sqlite"])
def test_every_claim_of_an_old_store_is_copied_into_event_ids_and_no_stored_row_changes(
    fixture: str, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Copied 7 rows at a time, so some claims are read in a batch after their fact's.
    monkeypatch.setattr(claims, "BATCH", 7)
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    url = old_store(str(tmp_path / fixture), database_url)
    before = query(url, "SELECT * FROM " + ("stored_events" if url.startswith("sqlite") else "parley_events"))
    expected = claimed(url)
    system = build(Settings(database_url=url))
    try:
        logged = {event.event_id: position for position, event in system.app.log(0, 10_000)}
        assert indexed(url) == expected and len(expected) == len(logged) > 0
        assert {(e, p) for e, p, *_ in expected} == set(logged.items())
    finally:
        system.close()
    assert query(url, "SELECT * FROM " + ("stored_events" if url.startswith("sqlite") else "parley_events")) == before


@pytest.fixture(scope="module")
def claimed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An old SQLite store of many facts, each with its claim."""
    folder = tmp_path_factory.mktemp("claimed")
    new = build(Settings(database_url=f"sqlite:///{folder / 'new.db'}"))
    try:
        import_lines(new.app, write_events(folder / "events.jsonl", CLAIMED).read_text().splitlines(), "tests")
        return Path(with_claims(new, str(folder / "old.sqlite")))
    finally:
        new.close()


def test_an_upgrade_killed_part_way_completes_when_the_store_is_opened_again(
    claimed_store: Path, tmp_path: Path, database_url: str
) -> None:
    shutil.copy(claimed_store, tmp_path / "old.sqlite")
    url = old_store(str(tmp_path / "old.sqlite"), database_url)
    table = "stored_events" if url.startswith("sqlite") else "parley_events"
    before, expected = query(url, f"SELECT * FROM {table}"), claimed(url)
    assert len(expected) == CLAIMED

    killed_part_way("export", database_url=url)
    assert 0 < len(indexed(url)) < CLAIMED
    assert indexed(url) <= expected
    assert query(url, "SELECT done FROM parley_migrations") == [(0,)]

    parley("export", database_url=url)
    assert indexed(url) == expected
    assert query(url, "SELECT done FROM parley_migrations") == [(1,)]
    assert query(url, f"SELECT * FROM {table}") == before
