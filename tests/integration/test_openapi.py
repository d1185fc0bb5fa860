"""The OpenAPI document as other tools take it: valid, readably named, short operation ids."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from parley.api.main import create_app

OPERATIONS = {"record_event", "record_batch", "read_log", "live_feed", "subject_state", "subject_history",
              "all_states", "changes"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = TestClient(create_app()).get("/openapi.json")  # no lifespan: the document needs no store
    assert response.status_code == 200
    return response.json()


def test_the_served_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_the_feed_is_a_plain_string_stream_with_its_items_described(document: dict[str, Any]) -> None:
    media = document["paths"]["/events/stream"]["get"]["responses"]["200"]["content"]["text/event-stream"]
    assert media["schema"]["type"] == "string"
    assert "itemSchema" not in media
    assert media["x-sse-item"]["data"] == {"$ref": "#/components/schemas/EventOut"}


def test_every_component_has_a_readable_name(document: dict[str, Any]) -> None:
    names = set(document["components"]["schemas"])
    unreadable = [name for name in names if not re.fullmatch(r"[A-Z][A-Za-z]*", name)]
    assert not unreadable
    assert {"AlternativeName", "AlternativeText", "AlternativeFuzzyDate", "AlternativeCount", "AlternativeBoolean",
            "DisputedName", "DisputedText", "DisputedFuzzyDate", "DisputedCount", "DisputedBoolean",
            "Source", "Problem", "FieldError"} <= names
    assert not names & {"HTTPValidationError", "ValidationError"}  # Parley answers problem+json


def test_operations_are_known_by_short_stable_ids(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for path in document["paths"].values() for operation in path.values()]
    assert len(ids) == len(set(ids))
    assert OPERATIONS <= set(ids)


def test_every_problem_answer_refers_to_the_problem_component(document: dict[str, Any]) -> None:
    for path in document["paths"].values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/problem+json"]["schema"] == {
                        "$ref": "#/components/schemas/Problem"}


SPEC_FIELDS = {  # SPEC §2: the state each kind shows, besides `statements` on all
    "DelegationState": {"party", "head", "former_heads", "members"},
    "PlanState": {"title", "proposed_by", "point_count", "topics", "published", "status", "revision", "summary"},
    "MeetingState": {"title", "location", "planned_for", "participants", "status", "outcome"},
    "TripState": {"traveller", "destination", "purpose", "planned_for", "status"},
}


def test_state_is_typed_per_kind_with_every_field_required(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    state = schemas["SubjectState"]["properties"]["state"]
    assert {"$ref": "#/components/schemas/PlanState"} in state["anyOf"]
    for name, fields in SPEC_FIELDS.items():
        assert set(schemas[name]["required"]) >= fields | {"statements"}
        nullable = [f for f in fields if f in schemas[name]["properties"]
                    and {"type": "null"} in schemas[name]["properties"][f].get("anyOf", [])]
        listed = {f for f in fields if schemas[name]["properties"][f].get("type") == "array"}
        assert set(nullable) | listed == fields


def test_a_state_shows_every_field_of_its_kind_even_when_never_set(client) -> None:
    posted = client.post("/events", json={
        "type": "PlanProposed", "subject": "plan/bare", "occurred": "2025-11-20", "sources": [{"name": "Axios"}],
        "data": {"title": "A bare plan", "proposed_by": "United States", "topics": []}})
    assert posted.status_code == 201, posted.text
    for answer in (client.get("/subjects/plan/bare").json(), client.get("/state").json()["subjects"][0]):
        assert set(answer["state"]) == SPEC_FIELDS["PlanState"] | {"statements"}
        assert answer["state"]["summary"] is None and answer["state"]["point_count"] is None
        assert answer["state"]["revision"] == 0 and answer["state"]["topics"] == []
