"""PostgreSQL's write runs in psycopg's pipeline mode: a result the server sends early must not be
read as another statement's. The chain read its last link on the cursor that had just inserted the
event ids; when the server flushed that INSERT's result before the SELECT was read (it does under
load, or when its buffer fills), psycopg handed the cursor the INSERT's result and the write failed
with "the last operation didn't produce records" (seen in a full suite run at load 12)."""

from __future__ import annotations

import select

import pytest
from psycopg.generators import send

from parley.service import event_ids
from tests.integration.helpers import event, new_id

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_url: str) -> str:
    from tests.backends import empty_postgres

    empty_postgres(postgres_url)
    return postgres_url


def test_a_write_holds_when_the_server_flushes_the_event_ids_result_early(client, monkeypatch) -> None:
    insert = event_ids.insert

    def insert_then_flush(cursor, ids, positions):
        insert(cursor, ids, positions)
        connection = cursor.raw.connection  # what the server does by itself under load, made certain
        connection.pgconn.send_flush_request()
        connection.wait(send(connection.pgconn))
        select.select([connection.pgconn.socket], [], [], 1.0)  # the result is on its way back, unread

    monkeypatch.setattr(event_ids, "insert", insert_then_flush)
    first = client.post("/events", json=event(event_id=new_id()))
    assert first.status_code == 201, first.text
    second = client.post("/events/batch", json={"events": [event(event_id=new_id(), subject="delegation/second")]})
    assert second.status_code == 201, second.text
    assert [e["digest"] for e in client.get("/events").json()["events"]] != [None, None]
