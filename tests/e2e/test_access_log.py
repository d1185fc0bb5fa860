"""`parley serve` logs every request only when asked (`--log-format text|json`, PARLEY_LOG_FORMAT, or
the older PARLEY_ACCESS_LOG=true): a line costs a single append over a tenth of its time
(docs/benchmarks.md). Each line carries the request id the answer carried, and never a token."""

from __future__ import annotations

import json

import pytest

from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.processes import serving

pytestmark = pytest.mark.e2e


def test_requests_are_not_logged_by_default(tmp_path) -> None:
    with serving(f"sqlite:///{tmp_path / 'parley.db'}") as (server,):
        with server.client() as client:
            assert client.get("/events?limit=7").status_code == 200
        output = server.stopped_output()
    assert not any("/events?limit=7" in line for line in output), output


def minted(url: str) -> str:
    system = build(Settings(database_url=url))
    try:
        return system.tokens.create("reporter")
    finally:
        system.close()


def _requests(server, token: str) -> list:
    """A read, a write, a refused write and a write with a token that is not live."""
    subject = "trip/logged-trip"
    trip = {
        "type": "TripScheduled",
        "subject": subject,
        "occurred": "2025-11-01",
        "sources": [{"name": "A"}],
        "data": {"traveller": "Ann Example", "destination": "Moscow", "planned_for": "2025-12"},
    }
    with server.client(token) as client:
        return [
            client.get("/events?limit=3", headers={"X-Request-ID": "sent-by-the-client"}),
            client.post("/events", json=trip),
            client.post("/events", json={**trip, "type": "TripCompleted", "data": {}, "subject": "trip/never"}),
            client.post("/events", json=trip, headers={"Authorization": "Bearer not-a-live-token"}),
        ]


def test_json_log_lines_parse_and_carry_the_request_id_the_answer_carried(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    token = minted(url)
    with serving(url, args=["--log-format", "json"]) as (server,):
        answers = _requests(server, token)
        output = server.stopped_output()
    lines = [json.loads(line) for line in output if line.startswith("{")]
    by_id = {line["request_id"]: line for line in lines}
    assert [a.status_code for a in answers] == [200, 201, 409, 401]
    for answer in answers:
        line = by_id[answer.headers["x-request-id"]]
        assert line["status"] == answer.status_code and line["route"] == "/events" and line["duration_ms"] > 0
    read, written, refused, unknown = (by_id[a.headers["x-request-id"]] for a in answers)
    assert read["request_id"] == "sent-by-the-client" and read["target"] == "/events?limit=3"
    assert read["token_name"] is None and "subject" not in read
    assert written["token_name"] == "reporter" and written["subject"] == "trip/logged-trip"
    assert written["event_id"] == answers[1].json()["event_id"]
    assert refused["token_name"] == "reporter" and refused["subject"] == "trip/never"
    assert unknown["token_name"] is None
    assert not any(token in line or "not-a-live-token" in line for line in output)


def test_text_log_lines_carry_the_request_id_and_the_token_name(tmp_path) -> None:
    """Text lines, turned on by the older setting PARLEY_ACCESS_LOG=true (`--log-format text` is the
    same switch, as the JSON test shows for `--log-format json`)."""
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    token = minted(url)
    with serving(url, env={"PARLEY_ACCESS_LOG": "true"}) as (server,):
        answers = _requests(server, token)
        output = server.stopped_output()
    assert any(" GET /events?limit=3 200 " in line for line in output), output
    written = next(line for line in output if answers[1].headers["x-request-id"] in line)
    assert " POST /events 201 " in written and "token=reporter" in written
    assert "subject=trip/logged-trip" in written and f"event_id={answers[1].json()['event_id']}" in written
    assert not any(token in line for line in output)
