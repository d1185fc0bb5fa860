"""POST /events and /events/batch over HTTP: every status, and refusals store nothing."""

from __future__ import annotations

import pytest

from tests.integration.helpers import assert_problem, event, new_id, replaced, stored_rows


def test_an_event_is_recorded_with_its_place_in_the_log(client):
    response = client.post("/events", json=event())
    assert response.status_code == 201
    body = response.json()
    assert body["subject"] == "delegation/ukraine" and body["version"] == 1
    assert body["position"] >= 1 and body["recorded_at"].endswith("Z")
    logged = client.get("/events").json()["events"]
    assert [e["event_id"] for e in logged] == [body["event_id"]]
    assert logged[0]["recorded_by"] == "tester"


def test_an_unparseable_body_is_400_and_stores_nothing(client, system):
    before = stored_rows(system)
    response = client.post("/events", content=b'{"type": "DelegationFormed",', headers={"content-type": "application/json"})
    assert_problem(response, 400)
    assert stored_rows(system) == before


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (event(data={"party": "Ukraine"}), "body.DelegationFormed.data.members"),
        (event(data={**event()["data"], "flag": True}), "body.DelegationFormed.data.flag"),
        (event(occurred="last Tuesday"), "body.DelegationFormed.occurred"),
        (event(subject="Delegation/Ukraine"), "body.DelegationFormed.subject"),
        (event(subject="trip/ukraine"), "body.DelegationFormed"),
        (event(type="PeaceSigned"), "body"),
        (event(sources=[]), "body.DelegationFormed.sources"),
        (event(sources=[{"url": "https://x.org"}]), "body.DelegationFormed.sources.0.name"),
        (event(expected_version=-1), "body.DelegationFormed.expected_version"),
    ],
)
def test_schema_errors_are_422_with_field_paths_and_store_nothing(client, system, body, path):
    before = stored_rows(system)
    problem = assert_problem(client.post("/events", json=body), 422)
    assert any(error["path"].startswith(path) for error in problem["errors"]), problem["errors"]
    assert stored_rows(system) == before


def test_a_rule_breach_is_409_naming_the_rule_and_stores_nothing(client, system):
    client.post("/events", json=event())
    before = stored_rows(system)
    problem = assert_problem(client.post("/events", json=replaced("Andriy Yermak")), 409)
    assert problem["rule"] == "head-differs"
    assert stored_rows(system) == before


def test_a_backdated_event_before_creation_is_409(client, system):
    client.post("/events", json=event())
    before = stored_rows(system)
    problem = assert_problem(client.post("/events", json=replaced(occurred="2025-11-01")), 409)
    assert problem["rule"] == "creation-first"
    assert stored_rows(system) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (replaced("Andriy Yermak"), "data.new_head"),  # the head it would replace
        (replaced(occurred="2025-11-01"), "occurred"),  # before the delegation was formed
        (replaced(subject="delegation/nowhere"), "type"),  # a new subject's first event creates it
        (event(type="DelegationFormed"), "type"),  # created once
    ],
)
def test_a_rule_breach_names_the_field_it_concerns(client, body, field):
    """A form shows a refusal at the field it concerns (SPEC §13)."""
    client.post("/events", json=event())
    problem = assert_problem(client.post("/events", json=body), 409)
    assert problem["field"] == field, problem


def test_a_stale_expected_version_is_409_with_the_current_version(client, system):
    client.post("/events", json=event())
    before = stored_rows(system)
    problem = assert_problem(client.post("/events", json=replaced(expected_version=0)), 409)
    assert problem["current_version"] == 1
    assert stored_rows(system) == before
    assert client.post("/events", json=replaced(expected_version=1)).status_code == 201


def test_a_stale_if_match_is_412_with_the_current_version(client, system):
    client.post("/events", json=event())
    before = stored_rows(system)
    problem = assert_problem(client.post("/events", json=replaced(), headers={"If-Match": '"0"'}), 412)
    assert problem["current_version"] == 1
    assert stored_rows(system) == before
    response = client.post("/events", json=replaced(), headers={"If-Match": '"1"'})
    assert response.status_code == 201 and response.headers["etag"] == '"2"'


def test_a_body_over_the_limit_is_413_and_stores_nothing(client, system):
    before = stored_rows(system)
    huge = event(note="x" * (system.settings.max_body_bytes + 1))
    assert_problem(client.post("/events", json=huge), 413)
    assert stored_rows(system) == before


def post_alone(client, body):
    return client.post("/events", json=body)


def post_in_a_batch(client, body):
    return client.post("/events/batch", json={"events": [body]})


def receipt(response):
    body = response.json()
    return body["events"][0] if "events" in body else body


EITHER_WAY = pytest.mark.parametrize("post", [post_alone, post_in_a_batch], ids=["alone", "in-a-batch"])


@EITHER_WAY
def test_the_same_event_id_and_content_returns_the_original_result_and_stores_nothing(client, system, post):
    body = event(event_id=new_id())
    first = post(client, body)
    before = stored_rows(system)
    again = post(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert receipt(again) == receipt(first)
    assert stored_rows(system) == before


@EITHER_WAY
def test_the_same_event_id_with_other_content_is_409_and_stores_nothing(client, system, post):
    event_id = new_id()
    post(client, event(event_id=event_id))
    before = stored_rows(system)
    problem = assert_problem(post(client, event(event_id=event_id, note="changed")), 409)
    assert problem["type"].endswith("event-id-reused")
    assert stored_rows(system) == before


def test_a_write_without_a_valid_token_is_401_and_stores_nothing(client, system):
    before = stored_rows(system)
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer nonsense"}):
        response = client.post("/events", json=event(), headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert stored_rows(system) == before


def test_a_revoked_token_is_refused(client, system):
    system.tokens.revoke("tester")
    assert_problem(client.post("/events", json=event()), 401)


def test_a_batch_is_stored_whole_in_order(client):
    batch = [event(), replaced(), event(type="DelegationMemberJoined", occurred="2025-11-29", data={"name": "Rustem Umerov"})]
    response = client.post("/events/batch", json={"events": batch})
    assert response.status_code == 201
    receipts = response.json()["events"]
    assert [r["version"] for r in receipts] == [1, 2, 3]
    assert [r["position"] for r in receipts] == sorted(r["position"] for r in receipts)


def test_positions_in_a_new_store_go_1_2_3_one_stored_row_per_fact(client, system, database_url):
    said = [
        event(type="DelegationMemberJoined", occurred=f"2025-11-2{i}", data={"name": f"Member {i}"}, event_id=new_id())
        for i in range(1, 5)
    ]
    positions = [client.post("/events", json=event()).json()["position"]]
    positions += [r["position"] for r in client.post("/events/batch", json={"events": said[:2]}).json()["events"]]
    positions.append(client.post("/events", json=said[2]).json()["position"])
    assert positions == [1, 2, 3, 4] and stored_rows(system) == 4
    if database_url.startswith("postgresql"):
        return  # there, a write refused by the store has used up a position of the sequence
    assert client.post("/events", json=said[2]).status_code == 200  # a repeat: the store refuses a second row
    assert_problem(client.post("/events", json={**said[2], "note": "changed"}), 409)
    assert client.post("/events", json=said[3]).json()["position"] == 5


def test_a_batch_with_one_bad_event_stores_nothing_and_names_its_index(client, system):
    before = stored_rows(system)
    problem = assert_problem(client.post("/events/batch", json={"events": [event(), replaced("Andriy Yermak")]}), 409)
    assert problem["index"] == 1
    assert stored_rows(system) == before


def test_a_batch_over_the_event_limit_is_refused(client, system):
    many = [event(type="StatementRecorded", data={"speaker": "A", "quote": str(i)}) for i in range(51)]
    assert_problem(client.post("/events/batch", json={"events": many}), 422)


def test_a_batch_posted_twice_is_stored_once(client, system):
    batch = {"events": [event(event_id=new_id()), replaced(event_id=new_id())]}
    first = client.post("/events/batch", json=batch)
    before = stored_rows(system)
    again = client.post("/events/batch", json=batch)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert stored_rows(system) == before


def test_the_openapi_document_shows_every_event_type_with_an_example(client):
    from parley.domain.catalog import ALL_TYPES

    document = client.get("/openapi.json").json()
    examples = document["paths"]["/events"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert set(examples) == set(ALL_TYPES)
    assert all(example["value"]["type"] == name for name, example in examples.items())


def test_event_ids_stay_idempotent_whatever_the_environment_says(database_url, monkeypatch):
    """eventsourcing reads its settings from the process environment too; its PostgreSQL insert
    function would skip the recorder that writes `event_ids`."""
    from fastapi.testclient import TestClient

    from parley.api.main import create_app
    from parley.service.bootstrap import build
    from parley.service.settings import Settings

    monkeypatch.setenv("POSTGRES_ENABLE_DB_FUNCTIONS", "y")
    system = build(Settings(database_url=database_url))
    try:
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {system.tokens.create('tester')}"
            body = event(event_id=new_id())
            assert [client.post("/events", json=body).status_code for _ in range(2)] == [201, 200]
            assert stored_rows(system) == 1
    finally:
        system.close()
