"""Requests never write (issue 26, part 2): a serving process's views are written by its keeper
thread alone (projections/keeper.py). A read waits for the keeper to hold what the log held when
the read came, so it sees the write acknowledged before it; when the views cannot get there within
`views_wait_seconds`, it answers what they hold and says how far behind they are."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.projections.keeper import THREAD
from parley.projections.sql import Cursor
from parley.service.bootstrap import System, build
from tests.integration.helpers import event, replaced

WRITING = ("INSERT", "UPDATE", "DELETE", "UPSERT", "REPLACE")


@pytest.fixture
def served(settings) -> Iterator[tuple[System, TestClient]]:
    """A serving system whose keeper looks for other processes' writes once an hour: it runs when
    a read wakes it. Reads wait at most 0.3 s for it."""
    system = build(settings.model_copy(update={"views_poll_seconds": 3600.0, "views_wait_seconds": 0.3}))
    try:
        token = system.tokens.create("reader")
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            yield system, client
    finally:
        system.close()


@pytest.fixture
def writes(served, monkeypatch) -> list[tuple[str, str]]:
    """Each write transaction opened on the store and each writing statement of the views, with
    the thread that issued it, for the test to clear before the requests it judges."""
    seen: list[tuple[str, str]] = []
    datastore = served[0].app.database.datastore
    opened = datastore.transaction
    execute, many = Cursor.execute, Cursor.executemany

    @contextmanager
    def transaction(*, commit: bool) -> Iterator[Any]:
        if commit:
            seen.append((threading.current_thread().name, "a write transaction"))
        with opened(commit=commit) as raw:
            yield raw

    def noted(sql: str) -> None:
        if sql.lstrip().upper().startswith(WRITING):
            seen.append((threading.current_thread().name, sql))

    monkeypatch.setattr(datastore, "transaction", transaction)
    monkeypatch.setattr(Cursor, "execute", lambda self, sql, params=(): noted(sql) or execute(self, sql, params))
    monkeypatch.setattr(Cursor, "executemany", lambda self, sql, rows: noted(sql) or many(self, sql, rows))
    return seen


def requests_writing(writes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(thread, sql) for thread, sql in writes if thread != THREAD]


def test_a_read_sees_the_write_before_it_and_the_request_writes_nothing(served, writes) -> None:
    _, client = served
    subject = f"delegation/r-{uuid.uuid4().hex[:8]}"
    for version, body in enumerate((event(subject=subject), replaced(subject=subject)), start=1):
        assert client.post("/events", json=body).status_code == 201
        writes.clear()
        state = client.get(f"/subjects/{subject}")
        logged = client.get("/events", params={"subject": subject})
        found = client.get("/search", params={"q": "Umerov"})
        assert state.status_code == logged.status_code == found.status_code == 200
        assert state.json()["version"] == version and len(logged.json()["events"]) == version
        assert "parley-views-behind" not in state.headers
        assert requests_writing(writes) == []
        assert any(thread == THREAD for thread, _ in writes), writes  # the keeper applied it


def test_a_read_the_views_cannot_serve_in_time_answers_what_they_hold_and_how_far_behind(served, writes) -> None:
    system, client = served
    subject = f"delegation/r-{uuid.uuid4().hex[:8]}"
    assert client.post("/events", json=event(subject=subject)).status_code == 201
    views = system.projection.projection

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a fold that fails")

    views.apply_batch, kept = broken, views.apply_batch
    try:
        writes.clear()
        started = time.perf_counter()
        logged = client.get("/events", params={"subject": subject})
        assert time.perf_counter() - started >= 0.3
    finally:
        views.apply_batch = kept
    assert logged.status_code == 200 and logged.json()["events"] == []
    assert int(logged.headers["parley-views-behind"]) >= 1
    assert requests_writing(writes) == [] and system.views.failure == "RuntimeError: a fold that fails"
