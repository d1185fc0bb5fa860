"""`parley rebuild` builds beside the live views: a reader during a rebuild gets complete
answers, the same as before it started, at every step; writes made meanwhile are read at
once and are in the rebuilt views; the old generation's tables are gone after the switch."""

from __future__ import annotations

import threading
from importlib import resources

import pytest
from eventsourcing.persistence import PersistenceError
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.domain.subjects import SubjectId
from parley.projections.generations import GenerationGone, Generations
from parley.projections.rebuild import FOLDING, INDEXING, LOADING, SWITCHING
from parley.projections.sql import table_gone
from parley.projections.subject_states import SubjectStates
from parley.scripts.transfer import import_lines
from parley.service.bootstrap import build
from tests.faults.load import answers
from tests.integration.helpers import event, new_id

STEPS = {LOADING, INDEXING, FOLDING, SWITCHING}


class Paused:
    """Runs a rebuild in a thread that stops after each of its transactions until told to go on."""

    def __init__(self, system):
        self.system = system
        self.paused, self.resume = threading.Event(), threading.Event()
        self.steps: list[tuple[str, int, int]] = []
        self.done = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.system.projection.rebuild(self._pause)
        finally:
            self.done = True
            self.paused.set()

    def _pause(self, step: str, done: int, total: int) -> None:
        self.steps.append((step, done, total))
        self.paused.set()
        assert self.resume.wait(timeout=60)
        self.resume.clear()

    def each_pause(self):
        self.thread.start()
        while True:
            assert self.paused.wait(timeout=60)
            self.paused.clear()
            if self.done:
                self.thread.join()
                return
            yield self.steps[-1]
            self.resume.set()


@pytest.fixture
def recorded(system, client):
    lines = resources.files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8").splitlines()
    import_lines(system.app, lines, "tests")
    assert client.post("/events", json=event(subject="delegation/rebuilt")).status_code == 201
    stated = client.post(
        "/events",
        json={
            **event(subject="delegation/rebuilt"),
            "type": "StatementRecorded",
            "data": {"speaker": "Rustem Umerov", "quote": "withdrawn"},
        },
    ).json()
    retracted = client.post(
        "/events",
        json={
            **event(subject="delegation/rebuilt"),
            "type": "EventRetracted",
            "data": {"event_id": stated["event_id"], "reason": "misquoted"},
        },
    )
    assert retracted.status_code == 201, retracted.text
    system.projection.rebuild_batch = 4  # a pause after every few events


def test_a_reader_during_a_rebuild_gets_the_answers_from_before_it_began(system, client, recorded):
    before = answers(client)
    generation = system.projection.current()[0]
    seen = set()
    for step, done, total in Paused(system).each_pause():
        seen.add(step)
        assert answers(client) == before, f"{step} {done}/{total}"
    assert seen == STEPS
    assert system.projection.current()[0] != generation
    assert answers(client) == before


def test_writes_made_during_a_rebuild_are_read_at_once_and_kept_by_it(system, client, recorded):
    written = []
    for step, _, _ in Paused(system).each_pause():
        if step in (LOADING, FOLDING, SWITCHING) and len(written) < 6:
            receipt = client.post("/events", json={**event(subject=f"delegation/during-{new_id()[:8]}")})
            assert receipt.status_code == 201, receipt.text
            written.append(receipt.json())
            read = client.get(f"/subjects/{receipt.json()['subject']}")
            assert read.status_code == 200 and read.json()["version"] == 1
    assert len(written) == 6
    logged = {e["event_id"] for e in answers(client)["log"]}
    assert {w["event_id"] for w in written} <= logged


def test_the_old_generations_tables_are_dropped_after_the_switch(system, client, recorded):
    before = system.projection.current()[0]
    names = system.projection.projection.names
    system.projection.rebuild()
    after = system.projection.current()[0]
    assert after != before
    assert not exists(system, names(before).events) and exists(system, names(after).events)


def exists(system, table: str) -> bool:
    try:
        with system.projection.database.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
    except PersistenceError as error:
        assert table_gone(error), error
        return False
    return True


def test_views_of_an_older_layout_are_rebuilt_at_start_by_the_same_path(settings, system, client, recorded):
    before, generation = answers(client), system.projection.current()[0]
    with system.projection.database.transaction(commit=True) as cursor:
        cursor.execute("UPDATE projection_generations SET layout = layout - 1 WHERE generation = ?", (generation,))
    started = build(settings)  # a process of a newer version, whose layout differs
    try:
        assert started.projection.current()[0] != generation
        assert not exists(started, SubjectStates.names(generation).events)
        with TestClient(create_app(settings, started)) as other:
            assert answers(other) == before
    finally:
        started.close()


def test_a_reader_that_read_the_pointer_just_before_the_old_tables_were_dropped_reads_again(
    system, client, recorded, monkeypatch
):
    subject = "delegation/rebuilt"
    system.projection.catch_up()
    before = system.state_reads.history(SubjectId.parse(subject), None)
    assert before
    old = system.projection.current()[0]
    system.projection.rebuild()
    pointer, reads = Generations.current, []

    def read_just_before_the_switch(self, cursor):  # the first read sees the pointer as it was
        reads.append(self.name)
        return old if len(reads) == 1 else pointer(self, cursor)

    monkeypatch.setattr(Generations, "current", read_just_before_the_switch)
    assert system.state_reads.history(SubjectId.parse(subject), None) == before
    assert len(reads) == 2


def test_a_rebuild_started_meanwhile_replaces_the_one_under_way_which_stops_saying_so(system, client, recorded):
    before, started = answers(client), []

    def start_another(step: str, done: int, total: int) -> None:
        if step == LOADING and done and not started:
            started.append(system.projection.rebuild())

    with pytest.raises(GenerationGone, match="dropped by another rebuild"):
        system.projection.rebuild(start_another)
    assert started and answers(client) == before
    with system.projection.database.transaction(commit=False) as cursor:
        assert system.projection.generations.registered(cursor) == [system.projection.current()[0]]
