"""SIGKILL `parley serve` in the middle of a load: nothing acknowledged is lost, nothing
refused is stored, nothing is stored twice, and the views equal a fresh rebuild."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.faults.load import Ledger, answers, load
from tests.processes import parley, start_server

pytestmark = pytest.mark.e2e
APPENDS = 2000
SUBJECTS = [f"delegation/load-{n}" for n in range(4)]


def test_a_killed_server_keeps_every_acknowledged_event_once(database_url: str) -> None:
    token = parley("token", "create", "load", database_url=database_url).stdout.strip()
    ledger = Ledger()
    server = start_server(database_url)
    threads = load(server, token, ledger, SUBJECTS, APPENDS, create=True)
    ledger.wait_for(APPENDS // 2)
    server.kill()  # SIGKILL, with requests in flight
    for thread in threads:
        thread.join()
    unanswered = list(ledger.unanswered)
    assert unanswered, "the kill found no request in flight"

    server = start_server(database_url)
    try:
        with server.client(token) as client:
            for events in unanswered:  # a client retries what got no answer, with the same ids
                retried = client.post("/events/batch", json={"events": events})
                ledger.record(events, retried)
                breaks_a_rule = any(e["type"] == "DelegationMemberLeft" for e in events)
                assert retried.status_code in ((409,) if breaks_a_rule else (200, 201)), retried.text
        for thread in load(server, token, ledger, SUBJECTS, APPENDS, create=False):
            thread.join()
        with server.client() as reader:
            before_rebuild = answers(reader)
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)

    logged = Counter(e["event_id"] for e in before_rebuild["log"])
    assert len(ledger.acknowledged) >= APPENDS
    assert max(logged.values()) == 1, "an event is in the log twice"
    assert {e["event_id"]: e["position"] for e in before_rebuild["log"]} == ledger.acknowledged
    assert not ledger.refused & set(logged), "an event the client saw refused is in the log"
    assert ledger.refused, "the load had no refused events to check"

    parley("rebuild", database_url=database_url)
    server = start_server(database_url)
    try:
        with server.client() as reader:
            assert answers(reader) == before_rebuild
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
