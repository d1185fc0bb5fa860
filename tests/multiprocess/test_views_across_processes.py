"""Views across processes: each API process's keeper thread applies the log to the views, and a
read waits for it to hold what the log held when the read came (projections/keeper.py).

Catch-up runs inside every API process (the README's "Running on PostgreSQL" says why), so
three processes reading while they write all apply the same log to the same tables. These
tests show that each event is applied exactly once and that a write acknowledged anywhere is
read everywhere next, within the read's bound of a second.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import permutations

import pytest

from parley.domain.timeline import fold
from tests.integration.helpers import event
from tests.multiprocess.helpers import SMALL_POOLS, api_log, clients, logged, new_subject, run_servers, together

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
WRITERS_PER_PROCESS = 3
EVENTS_PER_WRITER = 8


@pytest.fixture(scope="module")
def servers(shared_url, store):
    # Small catch-up batches, so processes catching up together overlap mid-log, not only at its end.
    with run_servers(shared_url, 3, {**SMALL_POOLS, "PARLEY_PROJECTION_BATCH": "4", "PARLEY_VIEWS_WAIT_SECONDS": "1"}) as started:
        yield started


def statement(subject: str, quote: str) -> dict:
    return event(
        type="StatementRecorded", subject=subject, occurred="2025-11-21", data={"speaker": "Dmitry Peskov", "quote": quote}
    )


def test_a_write_acknowledged_by_one_process_is_seen_by_the_next_get_on_any_other(servers, token):
    processes = clients(servers, token)
    subject = new_subject()
    assert processes[0].post("/events", json=event(subject=subject)).status_code == 201
    for version, (writer, reader) in enumerate(permutations(range(3), 2), start=2):
        quote = f"written by process {writer}, read by process {reader}"
        # expected_version: the writer must see the other process's last write, not a stale copy
        receipt = processes[writer].post("/events", json={**statement(subject, quote), "expected_version": version - 1})
        assert receipt.status_code == 201, receipt.text

        seen = processes[reader].get(f"/subjects/{subject}")
        assert seen.status_code == 200 and seen.json()["version"] == version
        assert seen.json()["state"]["statements"][-1]["quote"] == quote
        logged_there = processes[reader].get("/events", params={"after": receipt.json()["position"] - 1, "limit": 1})
        assert [e["event_id"] for e in logged_there.json()["events"]] == [receipt.json()["event_id"]]


def test_every_event_is_applied_exactly_once_while_three_processes_write_and_read(servers, store, token):
    before = store.app.recorder.max_notification_id() or 0

    def writer(process: int) -> tuple[str, list[dict]]:
        """Writes a subject of its own through one process; reads each write back from the next."""
        posting, reading = clients([servers[process], servers[(process + 1) % 3]], token)
        subject, receipts = new_subject(), []
        for n in range(EVENTS_PER_WRITER):
            body = statement(subject, f"{process}.{n}") if n else event(subject=subject)
            response = posting.post("/events", json=body)
            assert response.status_code == 201, response.text
            receipts.append(response.json())
            assert reading.get(f"/subjects/{subject}").json()["version"] == n + 1
        return subject, receipts

    written = together([lambda p=p: writer(p) for p in range(3) for _ in range(WRITERS_PER_PROCESS)])

    facts = logged(store, before)
    receipts = [r for _, batch in written for r in batch]
    assert sorted(r["position"] for r in receipts) == [position for position, _ in facts]
    for client in clients(servers, token):
        served = api_log(client, before)  # this process's view, after it has caught up
        assert [(e["position"], e["event_id"]) for e in served] == [(p, f.event_id) for p, f in facts]
    assert store.projection.position() >= facts[-1][0]

    now = datetime.now(UTC)
    for subject, _ in written:
        expected = fold("delegation", [f for _, f in facts if f.subject == subject], now, None)
        for client in clients(servers, token):
            shown = client.get(f"/subjects/{subject}").json()
            assert shown["version"] == expected.version == EVENTS_PER_WRITER
            assert shown["state"] == {**json.loads(json.dumps(expected.state)), "kind": "delegation"}


def test_a_rebuild_in_another_process_is_followed_by_every_process_without_a_gap(servers, store, token):
    """Each API process reads the pointer row, so a switch made elsewhere is followed at its next
    read: answers stay whole while the rebuild runs, and writes on any process are read on all."""
    processes = clients(servers, token)
    subject = new_subject()
    assert processes[0].post("/events", json=event(subject=subject)).status_code == 201
    before = [api_log(client, 0) for client in processes]
    generation = store.projection.current()[0]
    written = []

    def between_batches(step: str, done: int, total: int) -> None:
        if len(written) == 9:
            return  # a write at every step would keep the catch-up before the switch going forever
        writer = processes[len(written) % 3]
        receipt = writer.post("/events", json=statement(subject, f"during {step}, {done}/{total}"))
        assert receipt.status_code == 201, receipt.text
        written.append(receipt.json()["event_id"])
        for reader in processes:
            served = reader.get(f"/subjects/{subject}").json()
            assert served["version"] == 1 + len(written)

    store.projection.rebuild_batch = 10
    store.projection.rebuild(between_batches)
    assert store.projection.current()[0] != generation
    for client, earlier in zip(processes, before):
        now = api_log(client, 0)
        assert now[: len(earlier)] == earlier
        assert [e["event_id"] for e in now[len(earlier) :]] == written
        assert client.get(f"/subjects/{subject}").json()["version"] == 1 + len(written)
