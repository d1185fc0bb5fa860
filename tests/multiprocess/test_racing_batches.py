"""Batches and single writes racing over shared subjects from three processes (SPEC §14):
every answer 201, 200 or a 409/412 of the client's own precondition, never 5xx, and the log
exactly the acknowledged writes."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.integration.helpers import event, new_id
from tests.multiprocess.helpers import clients, logged, new_subject, together

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
BATCHES, SINGLES, SHARED = 60, 30, 4


def statement(subject: str, quote: str, **changes) -> dict:
    return event(type="StatementRecorded", subject=subject, event_id=new_id(),
                 data={"speaker": "Peskov", "quote": quote}, **changes)


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
