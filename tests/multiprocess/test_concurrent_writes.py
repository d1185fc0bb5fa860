"""Writes racing across processes: optimistic concurrency and idempotency hold between processes.

Every race is released by a barrier, so the requests reach the processes together, and each
outcome is checked in the log itself (the store's recorder and GET /events), not only in
the status codes.
"""

from __future__ import annotations

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
        responses = together([lambda client=client, body=body: client.post("/events", json=body)
                              for client, body in zip(posting, bodies)])

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

        first, second = together([lambda: a.post("/events", json=body), lambda: b.post("/events", json=body)])

        assert sorted((first.status_code, second.status_code)) == [200, 201], (first.text, second.text)
        assert first.json() == second.json()  # the same event_id, version, position and recorded_at
        stored = store.app.recorder.select_notifications(start=before, limit=100, inclusive_of_start=False)
        assert len(stored) == 1  # the event, once
        assert [f.event_id for _, f in logged(store, before)] == [event_id]
        for client in (a, b):
            assert [e["event_id"] for e in api_log(client, before)] == [event_id]
