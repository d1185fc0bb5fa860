"""The chain (SPEC §15): every fact linked when recorded, each event read with its digest, and a
changed stored byte found at its position, on both backends."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import psycopg
import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.service import chain
from parley.service.application import Parley
from parley.service.bootstrap import System, build, persistence_env
from parley.service.chain_store import verify
from parley.service.settings import Settings
from tests.backends import ADMIN_URL, postgres_database
from tests.faults.old_stores import old_store
from tests.integration.helpers import event, new_id, replaced

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def positions(system: System) -> tuple[str, str]:
    """The events table and its position column."""
    return system.app.recorder.events_table_name, ("notification_id" if system.app.database.postgres else "rowid")


def change(system: System, sql: str, params: tuple[Any, ...] = ()) -> None:
    """One short transaction of raw SQL: what someone with the database file might do."""
    with system.app.database.transaction(commit=True) as cursor:
        cursor.execute(sql, params)


def stored_state(system: System, position: int) -> bytes:
    table, column = positions(system)
    with system.app.database.transaction(commit=False) as cursor:
        return bytes(cursor.execute(f"SELECT state FROM {table} WHERE {column} = ?", (position,)).fetchone()["state"])


def record_some(client) -> list[dict[str, Any]]:
    assert client.post("/events", json=event(event_id=new_id())).status_code == 201
    client.post("/events", json=replaced(event_id=new_id()))
    last = client.post("/events", json={**replaced("Kyrylo Budanov", event_id=new_id()), "note": "née «Ü» — \U0001d11e"}).json()
    retraction = {
        "type": "EventRetracted",
        "subject": "delegation/ukraine",
        "occurred": "2025-12-01",
        "event_id": new_id(),
        "sources": [{"name": "Axios"}],
        "data": {"event_id": last["event_id"], "reason": "corrected"},
    }
    assert client.post("/events", json=retraction).status_code == 201
    return client.get("/events").json()["events"]


def test_every_event_is_read_with_the_digest_the_chain_holds_for_it(client, system: System) -> None:
    events = record_some(client)
    assert verify(system.app.database, system.app.recorder.events_table_name) == (len(events), None)
    previous = chain.GENESIS
    for read in events:
        # Recomputed here from the stored bytes, the seed and the previous digest.
        with system.app.database.transaction(commit=False) as cursor:
            seed = bytes(
                cursor.execute("SELECT seed FROM event_chain WHERE position = ?", (read["position"],)).fetchone()["seed"]
            )
        table, _ = positions(system)
        content = orjson.loads(stored_state(system, read["position"]))
        commitment = chain.commitment(content, seed)
        previous = chain.link(
            previous,
            chain.header(content, f"x:{read['type']}", read["version"], read["position"]),
            chain.committed_bytes(commitment),
        )
        assert read["digest"] == previous.hex()
        assert client.get(f"/events/{read['event_id']}").json()["digest"] == read["digest"]
    history = client.get("/subjects/delegation/ukraine/history").json()
    assert {e["digest"] for e in history["events"]} == {e["digest"] for e in events}


@dataclass
class Recorded:
    """A store that `record_some` wrote, closed: each tamper test changes a copy of it."""

    url: str
    events: list[dict[str, Any]]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    """Built and written once a backend for the module's tamper tests (a store each cost them
    most of their time); on PostgreSQL in a database of its own, the template of the copies."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('recorded') / 'parley.db'}"
        yield Recorded(url, _record_into(url))
        return
    request.getfixturevalue("postgres_url")  # skips, or fails under CI, without a server
    with postgres_database() as url:
        yield Recorded(url, _record_into(url))


def _record_into(url: str) -> list[dict[str, Any]]:
    system = build(Settings(database_url=url))
    try:
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {system.tokens.create('tester')}"
            return record_some(client)
    finally:
        system.close()


@contextmanager
def copy_of(recorded: Recorded, tmp_path: Path) -> Iterator[Parley]:
    """The write side opened on a copy of the recorded store: a file copy, or `CREATE DATABASE …
    TEMPLATE` (the recorded store is closed, so nothing holds it)."""
    if recorded.url.startswith("sqlite"):
        copy = tmp_path / "copy.db"
        shutil.copy(recorded.url.removeprefix("sqlite:///"), copy)
        url, drop = f"sqlite:///{copy}", None
    else:
        name = f"parley_copy_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{urlsplit(recorded.url).path.strip("/")}"')
        url, drop = recorded.url.rsplit("/", 1)[0] + "/" + name, name
    app = Parley(env=persistence_env(Settings(database_url=url)))
    try:
        yield app
    finally:
        app.close()
        if drop is not None:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


def _column(app: Parley) -> str:
    return "notification_id" if app.database.postgres else "rowid"


def _change(app: Parley, sql: str, params: tuple[Any, ...] = ()) -> None:
    with app.database.transaction(commit=True) as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("tamper", ["a byte of the body", "the version", "the digest", "a deleted event"])
def test_a_changed_stored_byte_is_found_at_its_position(recorded: Recorded, tmp_path: Path, tamper: str) -> None:
    target = recorded.events[1]["position"]
    with copy_of(recorded, tmp_path) as app:
        table, column = app.recorder.events_table_name, _column(app)
        assert verify(app.database, table) == (len(recorded.events), None)  # the copy holds, untouched
        if tamper == "a byte of the body":
            with app.database.transaction(commit=False) as cursor:
                state = bytes(cursor.execute(f"SELECT state FROM {table} WHERE {column} = ?", (target,)).fetchone()["state"])
            at = state.index(b"Rustem") + 1
            _change(app, f"UPDATE {table} SET state = ? WHERE {column} = ?", (state[:at] + b"a" + state[at + 1 :], target))
        elif tamper == "the version":
            _change(app, f"UPDATE {table} SET originator_version = originator_version + 10 WHERE {column} = ?", (target,))
        elif tamper == "the digest":
            _change(app, "UPDATE event_chain SET digest = ? WHERE position = ?", (bytes(32), target))
        else:
            _change(app, f"DELETE FROM {table} WHERE {column} = ?", (target,))
        checked, broken = verify(app.database, table)
    assert checked == 1 and broken is not None and broken.position == target, broken


def test_a_fact_stored_without_a_link_is_named(recorded: Recorded, tmp_path: Path) -> None:
    target = recorded.events[2]["position"]
    with copy_of(recorded, tmp_path) as app:
        _change(app, "DELETE FROM event_chain WHERE position = ?", (target,))
        checked, broken = verify(app.database, app.recorder.events_table_name)
    assert broken is not None and broken.position == target and checked == 2


@pytest.mark.parametrize("fixture", ["store-v1.sqlite", "store-v2.sqlite"])
def test_an_old_store_is_chained_on_first_open_without_a_stored_row_changed(
    fixture: str, tmp_path: Path, database_url: str
) -> None:
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    url = old_store(str(tmp_path / fixture), database_url)
    system = build(Settings(database_url=url))
    try:
        table, column = positions(system)
        with system.app.database.transaction(commit=False) as cursor:
            before = cursor.execute(f"SELECT {column} AS p, state FROM {table} ORDER BY {column}").fetchall()
        facts = [p for p, _ in system.app.facts(0, 10_000)]
        checked, broken = verify(system.app.database, table)
        assert broken is None and checked == len(facts) > 0
        with system.app.database.transaction(commit=False) as cursor:
            linked = [r["position"] for r in cursor.execute("SELECT position FROM event_chain ORDER BY position").fetchall()]
            leaves = [r["leaf"] for r in cursor.execute("SELECT leaf FROM event_chain ORDER BY position").fetchall()]
        assert linked == facts and leaves == list(range(len(facts)))  # the claims are not links
    finally:
        system.close()
    again = build(Settings(database_url=url))  # opened again: nothing more to link, nothing rewritten
    try:
        with again.app.database.transaction(commit=False) as cursor:
            after = cursor.execute(f"SELECT {column} AS p, state FROM {table} ORDER BY {column}").fetchall()
        assert [(r["p"], bytes(r["state"])) for r in after] == [(r["p"], bytes(r["state"])) for r in before]
        assert verify(again.app.database, table) == (len(facts), None)
    finally:
        again.close()


def test_exports_carry_the_digest_from_format_version_3_and_json_lines_keep_their_shape(
    client, system: System, tmp_path: Path
) -> None:
    import csv
    import io
    import json

    from parley.scripts.transfer import import_lines
    from parley.service.exports.pin import pin_of
    from parley.service.exports.writer import write_lines

    digests = {e["event_id"]: e["digest"] for e in record_some(client)}
    rows = list(csv.DictReader(io.StringIO(client.get("/export/events.csv").text)))
    assert {r["event_id"]: r["digest"] for r in rows} == digests
    assert "digest" not in client.get("/export/events.csv", params={"format_version": "2"}).text.split("\n", 1)[0]
    cloud, lines = io.StringIO(), io.StringIO()
    write_lines(system.app, pin_of(system.app), "cloudevents", cloud)
    write_lines(system.app, pin_of(system.app), "jsonl", lines)
    assert {e["id"]: e["digest"] for e in map(json.loads, cloud.getvalue().splitlines())} == digests
    exported = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert all("digest" not in line for line in exported)
    # A line carrying a digest (an event as the API reads it) imports; the store links it anew.
    other = build(Settings(database_url=f"sqlite:///{tmp_path / 'other.db'}"))
    try:
        with_digest = [json.dumps({**line, "digest": "00" * 32}) for line in exported]
        assert import_lines(other.app, with_digest, "tests") == (len(exported), 0)
        assert verify(other.app.database, other.app.recorder.events_table_name) == (len(exported), None)
    finally:
        other.close()


def test_a_restamped_imports_file_time_is_committed_with_the_body(system: System, tmp_path: Path) -> None:
    import json

    from parley.scripts.transfer import import_lines

    line = {**event(event_id=new_id()), "recorded_at": "2099-01-01T00:00:00+00:00", "recorded_by": "archive"}
    assert import_lines(system.app, [json.dumps(line)], "tests", restamp=True) == (1, 0)
    ((position, fact),) = system.app.facts(0, 10)
    assert fact.imported_recorded_at is not None
    with system.app.database.transaction(commit=False) as cursor:
        seed = bytes(cursor.execute("SELECT seed FROM event_chain WHERE position = ?", (position,)).fetchone()["seed"])
    assert "imported_recorded_at" in chain.commitment(orjson.loads(stored_state(system, position)), seed)
    table, column = positions(system)
    state = stored_state(system, position)
    assert b"2099-01-01" in state
    change(system, f"UPDATE {table} SET state = ? WHERE {column} = ?", (state.replace(b"2099-01-01", b"2099-01-02"), position))
    checked, broken = verify(system.app.database, table)
    assert checked == 0 and broken is not None and broken.position == position
