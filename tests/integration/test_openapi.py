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
