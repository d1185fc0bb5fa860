"""The tracking record is a compare-and-set: a batch read before the position moved is refused,
and so is one read for the generation a rebuild has just switched readers away from."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from tests.integration.helpers import event, replaced


def test_a_batch_read_before_another_process_applied_events_is_refused(system, client):
    client.post("/events", json=event())
    system.projection.catch_up()
    client.post("/events", json=replaced())
    generation, start = system.projection.current()
    batch = system.projection.read_after(start, 10)
    system.projection.catch_up()  # what another process does meanwhile
    position = system.projection.position()
    with pytest.raises(IntegrityError):
        system.projection.write_batch(generation, start, batch)
    assert system.projection.position() == position
    assert len(system.log_reads.events(0, 10)) == 2


def test_a_batch_read_before_a_rebuild_switched_generations_is_refused(system, client):
    client.post("/events", json=event())
    system.projection.catch_up()
    generation, start = system.projection.current()
    client.post("/events", json=replaced())
    batch = system.projection.read_after(start, 10)
    system.projection.rebuild()  # in another process, say
    assert system.projection.current()[0] != generation
    with pytest.raises(IntegrityError):
        system.projection.write_batch(generation, start, batch)
    assert client.get("/subjects/delegation/ukraine").json()["version"] == 2


def test_a_batch_read_for_the_old_generation_after_its_drop_is_refused_even_from_zero(system, client):
    generation, start = system.projection.current()
    client.post("/events", json=event())
    batch = system.projection.read_after(start, 10)
    system.projection.rebuild()
    with pytest.raises(IntegrityError):
        system.projection.write_batch(generation, start, batch)
    assert [e["event_id"] for e in system.log_reads.events(0, 10)] == [batch[0][1].event_id]
