"""A bound on the API's database calls (SPEC §14): a call past it is answered 503 with
Retry-After, the service answers again by itself, and long commands are not cut by it."""

from __future__ import annotations

import sqlite3
import time

import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.scripts.opening import opened
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.backends import empty_postgres
from tests.integration.helpers import assert_problem, event

BOUND = 1


@pytest.mark.postgres
def test_a_served_call_past_the_bound_is_cut_and_a_commands_call_is_not(postgres_url, monkeypatch):
    empty_postgres(postgres_url)
    monkeypatch.setenv("PARLEY_CALL_TIMEOUT", "0.3")
    with opened(postgres_url, serving=True) as served:
        started = time.monotonic()
        with pytest.raises(OperationalError), served.app.database.transaction(commit=False) as cursor:
            cursor.execute("SELECT pg_sleep(2)")
        assert time.monotonic() - started < 1.5
        with served.app.database.transaction(commit=False) as cursor:  # the next call is served
            assert cursor.scalar("SELECT 1") == 1
    with opened(postgres_url) as command, command.app.database.transaction(commit=False) as cursor:
        cursor.execute("SELECT pg_sleep(0.6)")  # a rebuild's or an export's long call runs to its end


def test_a_write_waiting_on_a_locked_sqlite_file_is_503_within_the_busy_timeout_then_served(tmp_path):
    path = tmp_path / "parley.db"
    system = build(Settings(database_url=f"sqlite:///{path}", lock_timeout=BOUND))
    try:
        token = system.tokens.create("bounds")
        with TestClient(create_app(system.settings, system), headers={"Authorization": f"Bearer {token}"}) as client:
            assert client.post("/events", json=event(subject="delegation/one")).status_code == 201
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            try:
                started = time.monotonic()
                response = client.post("/events", json=event(subject="delegation/two"))
                took = time.monotonic() - started
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert assert_problem(response, 503)["type"].endswith("store-unavailable")
            assert response.headers["retry-after"] and took < BOUND + 2
            assert client.post("/events", json=event(subject="delegation/two")).status_code == 201
    finally:
        system.close()
