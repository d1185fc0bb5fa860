"""A redaction through one process reaches the others' memory (SPEC §15): an API process on the
same PostgreSQL store, which held the subject in its write path's cache, answers from the values
as stored after another process (here the test's own, as `parley redact` would) redacted them: a
repeat of the original event is no longer confirmed (which would confirm a guess of the value
removed), and its reads show the marker."""

from __future__ import annotations

import pytest

from parley.service.redact import redact
from tests.integration.helpers import new_id
from tests.multiprocess.helpers import SMALL_POOLS, clients, new_subject, run_servers

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
QUOTE = "the envoy said Vxqplorb would resign"
REASON = "the source asked to be protected"


@pytest.fixture(scope="module")
def servers(shared_url, store):
    env = {**SMALL_POOLS, "PARLEY_REDACTION_LOCK_TIMEOUT": "1", "PARLEY_REDACTION_VACUUM_PATIENCE": "1"}
    with run_servers(shared_url, 1, env) as started:
        yield started


def test_a_redaction_through_one_process_leaves_no_value_in_the_others_cache(servers, store, token):
    [second] = clients(servers, token)
    subject = new_subject()
    formed = {
        "type": "DelegationFormed",
        "subject": subject,
        "occurred": "2025-11-20",
        "event_id": new_id(),
        "sources": [{"name": "Reuters"}],
        "data": {"party": "Ukraine", "head": "A. Head", "members": []},
    }
    said = {
        "type": "StatementRecorded",
        "subject": subject,
        "occurred": "2025-11-21",
        "event_id": new_id(),
        "sources": [{"name": "Reuters"}],
        "data": {"speaker": "A. Head", "quote": QUOTE},
    }
    assert second.post("/events", json=formed).status_code == 201
    assert second.post("/events", json=said).status_code == 201  # the second process now holds the subject
    again = second.post("/events", json=said)
    assert again.status_code == 200 and again.json()["event_id"] == said["event_id"]  # a repeat, from its cache

    answer, created = redact(store, said["event_id"], ["data.quote"], REASON, "operator:test")  # another process
    assert created and answer["redacted"] == ["data.quote"]

    guessed = second.post("/events", json=said)  # the original content, as a guess of the value
    assert guessed.status_code == 409, guessed.text
    assert QUOTE not in guessed.text
    shown = second.get(f"/events/{said['event_id']}")
    assert shown.json()["data"]["quote"] == {"redacted": True, "reason": REASON}
    assert QUOTE not in second.get(f"/subjects/{subject}").text
    # the write path still works on the subject, from the values as stored
    more = {**said, "event_id": new_id(), "data": {"speaker": "A. Head", "quote": "another"}}
    assert second.post("/events", json=more).status_code == 201
