"""The tracking record is a compare-and-set: a batch read before the position moved is refused."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from tests.integration.helpers import event, replaced


def advance(system, start: int, end: int) -> None:
    with system.projection.database.transaction(commit=True) as cursor:
        system.projection._advance(cursor, start, end)


def test_a_batch_read_before_another_process_applied_events_is_refused(system, client):
    client.post("/events", json=event())
    client.post("/events", json=replaced())
    system.projection.catch_up()
    position = system.projection.position()
    with pytest.raises(IntegrityError):
        advance(system, position - 1, position + 10)
    assert system.projection.position() == position


def test_a_batch_read_before_a_rebuild_reset_the_views_is_refused(system, client):
    client.post("/events", json=event())
    system.projection.catch_up()
    position = system.projection.position()
    with system.projection.database.transaction(commit=True) as cursor:
        system.projection._drop(cursor)  # what a rebuild in another process does first
    with pytest.raises(IntegrityError):
        advance(system, position, position + 10)
    system.projection.rebuild()
    assert client.get("/subjects/delegation/ukraine").json()["version"] == 1
