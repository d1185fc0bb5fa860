"""A store written before the chain is linked once, at start (SPEC §15): a run killed part-way
resumes when the store is opened again, two processes opening it together then link each
remaining fact once between them, and no stored event is rewritten."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from eventsourcing.sqlite import SQLiteFactory
from eventsourcing.utils import Environment

from parley.scripts.transfer import import_lines
from parley.service.application import Parley
from parley.service.bootstrap import build, persistence_env
from parley.service.claims import copy_claims
from parley.service.settings import Settings
from tests.faults.old_stores import old_store
from tests.faults.test_claims_migration import query
from tests.faults.test_kill_commands import killed_part_way, write_events
from tests.processes import PARLEY, ROOT

pytestmark = pytest.mark.e2e
FACTS = 2_100  # linked 1,000 stored rows at a time, the progress shown after each: the kill after the
# first, two batches (one part-full) left for the two processes; a whole number of write_events' subjects


@pytest.fixture(scope="module")
def unchained_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store of many facts as the last version before the chain wrote them: events only."""
    folder = tmp_path_factory.mktemp("unchained")
    new = build(Settings(database_url=f"sqlite:///{folder / 'new.db'}"))
    try:
        import_lines(new.app, write_events(folder / "events.jsonl", FACTS).read_text().splitlines(), "tests")
        rows = new.app.recorder.select_notifications(start=None, limit=10**9)
    finally:
        new.close()
    factory = SQLiteFactory(Environment("parley", {"SQLITE_DBNAME": str(folder / "old.sqlite")}))
    try:
        factory.application_recorder().insert_events(rows)
    finally:
        factory.close()
    return folder / "old.sqlite"


def opened_before_the_chain(unchained_store: Path, tmp_path: Path, database_url: str) -> str:
    """The store on this backend, its one earlier upgrade (claims) done, so the chain is all that is left."""
    shutil.copy(unchained_store, tmp_path / "old.sqlite")
    url = old_store(str(tmp_path / "old.sqlite"), database_url)
    app = Parley(env=persistence_env(Settings(database_url=url)))
    try:
        copy_claims(app, app.database)
    finally:
        app.close()
    return url


def table_of(url: str) -> str:
    return "stored_events" if url.startswith("sqlite") else "parley_events"


def links(url: str) -> list[tuple[int, int]]:
    return query(url, "SELECT position, leaf FROM event_chain ORDER BY position")


def test_linking_killed_part_way_resumes_once_when_two_processes_open_the_store_again(
    unchained_store: Path, tmp_path: Path
) -> None:
    # SQLite alone, for time: its lock is taken per batch, where PostgreSQL's start-up holds the
    # schema lock throughout; linking an old store on PostgreSQL is tested in test_chain.py.
    url = opened_before_the_chain(unchained_store, tmp_path, f"sqlite:///{tmp_path / 'parley.db'}")
    before = query(url, f"SELECT * FROM {table_of(url)}")

    killed_part_way("export", database_url=url)
    part = links(url)
    assert 0 < len(part) < FACTS and [leaf for _, leaf in part] == list(range(len(part)))

    env = {**os.environ, "PARLEY_DATABASE_URL": url}
    both = [
        subprocess.Popen(
            [*PARLEY, "verify", "--store"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[1] for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    assert all(f"the chain holds: {FACTS} events" in output for output in outputs)
    assert links(url)[: len(part)] == part and [leaf for _, leaf in links(url)] == list(range(FACTS))
    assert query(url, f"SELECT * FROM {table_of(url)}") == before
