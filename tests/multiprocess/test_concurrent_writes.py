"""Writes racing across processes: optimistic concurrency and idempotency hold between processes.

Every race is released by a barrier, so the requests reach the processes together, and each
outcome is checked in the log itself (the store's recorder and GET /events), not only in
the status codes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.integration.helpers import assert_problem, event, new_id, replaced
from tests.multiprocess.helpers import api_log, clients, logged, new_subject, together

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
ROUNDS = 3


def test_one_expected_version_from_three_processes_is_accepted_exactly_once(servers, store, token):
    posting = clients(servers, token)
    subject = new_subject()
    assert posting[0].post("/events", json=event(subject=subject)).status_code == 201
    accepted = []  # (receipt, the head it posted), one per round
    for version in range(1, ROUNDS + 1):
        bodies = [replaced(f"Head {version}-{i}", subject=subject, expected_version=version) for i in range(3)]
        responses = together(
            [lambda client=client, body=body: client.post("/events", json=body) for client, body in zip(posting, bodies)]
        )

        assert sorted(r.status_code for r in responses) == [201, 409, 409], [r.text for r in responses]
        for loser in (r for r in responses if r.status_code == 409):
            assert assert_problem(loser, 409)["current_version"] == version + 1
        accepted += [(r.json(), body["data"]["new_head"]) for r, body in zip(responses, bodies) if r.status_code == 201]

    facts = [fact for _, fact in logged(store) if fact.subject == subject]
    assert [f.version for f in facts] == list(range(1, ROUNDS + 2))  # nothing lost, nothing twice
    assert [(f.event_id, f.data["new_head"]) for f in facts[1:]] == [(r["event_id"], head) for r, head in accepted]
    for client in posting:
        served = [e for e in api_log(client) if e["subject"] == subject]
        assert [e["event_id"] for e in served] == [f.event_id for f in facts]


def test_one_event_id_posted_to_two_processes_at_once_is_stored_once_with_one_answer(servers, store, token):
    a, b, _ = clients(servers, token)
    for _ in range(ROUNDS):
        subject, event_id = new_subject(), new_id()
        body = event(subject=subject, event_id=event_id)
        before = store.app.recorder.max_notification_id() or 0

        first, second = together([lambda body=body: a.post("/events", json=body), lambda body=body: b.post("/events", json=body)])

        assert sorted((first.status_code, second.status_code)) == [200, 201], (first.text, second.text)
        assert first.json() == second.json()  # the same event_id, version, position and recorded_at
        stored = store.app.recorder.select_notifications(start=before, limit=100, inclusive_of_start=False)
        assert len(stored) == 1  # the event, once
        assert [f.event_id for _, f in logged(store, before)] == [event_id]
        for client in (a, b):
            assert [e["event_id"] for e in api_log(client, before)] == [event_id]


# Batches and single writes racing over shared subjects (SPEC §14): every answer 201, 200 or a
# 409/412 of the client's own precondition, never 5xx, and the log exactly the acknowledged writes.
BATCHES, SINGLES, SHARED = 60, 30, 4


def statement(subject: str, quote: str, **changes) -> dict:
    return event(
        type="StatementRecorded", subject=subject, event_id=new_id(), data={"speaker": "Peskov", "quote": quote}, **changes
    )


def test_racing_batches_over_shared_subjects_end_in_an_order_never_in_5xx(servers, store, token):
    posting = clients(servers, token)
    shared = [new_subject() for _ in range(SHARED)]
    for subject in shared:
        assert posting[0].post("/events", json=event(subject=subject)).status_code == 201
    before = store.app.recorder.max_notification_id() or 0

    calls, sent = [], []
    for i in range(BATCHES):
        client = posting[i % len(posting)]
        # Two shared subjects in an order of their own, and a subject this batch creates.
        a, b = shared[i % SHARED], shared[(i * 3 + 1) % SHARED]
        events = [statement(a, f"batch {i} a"), statement(b, f"batch {i} b"), event(subject=new_subject(), event_id=new_id())]
        if i % 10 == 9:  # a precondition that may or may not hold by the time it is decided
            events[0]["expected_version"] = 2
        sent.append(events)
        calls.append(lambda client=client, events=events: client.post("/events/batch", json={"events": events}))
    for i in range(SINGLES):
        client, body = posting[i % len(posting)], statement(shared[i % SHARED], f"single {i}")
        sent.append([body])
        calls.append(lambda client=client, body=body: client.post("/events", json=body))

    answers = together(calls)

    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= {200, 201, 409, 412}, {r.status_code: r.text for r in answers if r.status_code >= 500}
    acknowledged = {e["event_id"] for events, r in zip(sent, answers) if r.status_code in (200, 201) for e in events}
    assert statuses[201] >= BATCHES - BATCHES // 10 + SINGLES  # only the preconditions may lose
    facts = [fact for _, fact in logged(store, before)]
    assert Counter(f.event_id for f in facts) == Counter(acknowledged)  # each acknowledged write once, no other
    for subject in shared:
        versions = [f.version for _, f in logged(store) if f.subject == subject]
        assert versions == list(range(1, len(versions) + 1))
