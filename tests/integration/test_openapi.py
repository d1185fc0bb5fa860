"""The OpenAPI document as other tools take it: valid, readably named, short operation ids."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.openapi.utils import get_openapi
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from pydantic import TypeAdapter

from parley.api.main import create_app
from parley.api.problem_types import PROBLEM_TYPES
from parley.domain.fuzzy_dates import GRAMMAR
from parley.domain.rules import RULES
from parley.domain.values import SOME_NAME, SOME_TEXT, FuzzyText, Name

OPERATIONS = {
    "record_event",
    "record_batch",
    "read_log",
    "get_event",
    "live_feed",
    "subject_state",
    "subject_history",
    "all_states",
    "changes",
}


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
    assert {
        "AlternativeName",
        "AlternativeText",
        "AlternativeFuzzyDate",
        "AlternativeCount",
        "AlternativeBoolean",
        "DisputedName",
        "DisputedText",
        "DisputedFuzzyDate",
        "DisputedCount",
        "DisputedBoolean",
        "Source",
        "Problem",
        "FieldError",
    } <= names
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
                    assert response["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


SPEC_FIELDS = {  # SPEC §2: the state each kind shows, besides `statements` on all
    "DelegationState": {"party", "head", "former_heads", "members"},
    "PlanState": {
        "title",
        "proposed_by",
        "point_count",
        "topics",
        "published",
        "status",
        "revision",
        "summary",
        "points",
        "points_recorded",
    },  # SPEC §12 adds the points
    "MeetingState": {"title", "location", "planned_for", "participants", "status", "outcome"},
    "TripState": {"traveller", "destination", "purpose", "planned_for", "status"},
}


def test_state_is_typed_per_kind_with_every_field_required(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    state = schemas["SubjectState"]["properties"]["state"]
    typed = next(option for option in state["anyOf"] if "oneOf" in option)
    assert {"$ref": "#/components/schemas/PlanState"} in typed["oneOf"]
    assert typed["discriminator"]["propertyName"] == "kind"
    assert typed["discriminator"]["mapping"]["plan"] == "#/components/schemas/PlanState"
    for name, fields in SPEC_FIELDS.items():
        assert set(schemas[name]["required"]) >= fields | {"statements", "kind"}
        nullable = [
            f
            for f in fields
            if f in schemas[name]["properties"] and {"type": "null"} in schemas[name]["properties"][f].get("anyOf", [])
        ]
        listed = {f for f in fields if schemas[name]["properties"][f].get("type") == "array"}
        assert set(nullable) | listed == fields


def test_a_state_shows_every_field_of_its_kind_even_when_never_set(client) -> None:
    posted = client.post(
        "/events",
        json={
            "type": "PlanProposed",
            "subject": "plan/bare",
            "occurred": "2025-11-20",
            "sources": [{"name": "Axios"}],
            "data": {"title": "A bare plan", "proposed_by": "United States", "topics": []},
        },
    )
    assert posted.status_code == 201, posted.text
    for answer in (client.get("/subjects/plan/bare").json(), client.get("/state").json()["subjects"][0]):
        assert set(answer["state"]) == SPEC_FIELDS["PlanState"] | {"statements", "kind"}
        assert answer["state"]["summary"] is None and answer["state"]["point_count"] is None
        assert answer["state"]["revision"] == 0 and answer["state"]["topics"] == []
        assert answer["state"]["points"] == [] and answer["state"]["points_recorded"] == 0


def test_every_operation_and_parameter_is_described_with_an_example(document: dict[str, Any]) -> None:
    for template, path in document["paths"].items():
        for method, operation in path.items():
            where = f"{method.upper()} {template}"
            assert operation.get("summary") and len(operation.get("description", "")) > 80, where
            assert "Example" in operation["description"], where
            for parameter in operation.get("parameters", []):
                named = f"{where} {parameter['name']}"
                assert parameter.get("description", "")[:1].isupper(), named
                if parameter["name"] == "If-Match":  # a precondition: its example is given in words
                    assert "e.g." in parameter["description"], named
                    continue
                assert (
                    "example" in parameter
                    or parameter["schema"].get("examples")
                    or any("examples" in s for s in parameter["schema"].get("anyOf", []))
                    or "examples" in parameter
                ), named


def test_query_times_are_described_with_their_semantics(document: dict[str, Any]) -> None:
    state = {p["name"]: p["description"] for p in document["paths"]["/subjects/{kind}/{slug}"]["get"]["parameters"]}
    assert "end of that day" in state["as_of"] and "pending" in state["as_of"]
    assert "recorded on or before" in state["known_at"]
    window = {p["name"]: p["description"] for p in document["paths"]["/changes"]["get"]["parameters"]}
    assert "end of that day" in window["from"] and "end of that day" in window["to"]


def _literals(folder: str, pattern: str) -> set[str]:
    root = Path(__file__).resolve().parents[2] / folder
    return {m for file in root.rglob("*.py") for m in re.findall(pattern, file.read_text(encoding="utf-8"))}


def test_every_problem_type_and_rule_is_listed(document: dict[str, Any]) -> None:
    raised = _literals("api", r'Problem\(\s*\d{3},\s*"([a-z-]+)"') | _literals("service", r'Problem\(\s*\d{3},\s*"([a-z-]+)"')
    assert raised and raised <= set(PROBLEM_TYPES)
    rules = _literals("domain", r'RuleBroken\(\s*"([a-z-]+)"')
    assert rules and rules <= set(RULES)
    listed = document["components"]["schemas"]["Problem"]["description"]
    assert all(f"/problems/{name}" in listed for name in PROBLEM_TYPES)
    assert all(f"`{rule}`" in listed for rule in RULES)


@pytest.mark.parametrize("name", sorted(PROBLEM_TYPES))
def test_each_problem_type_uri_explains_itself(name: str) -> None:
    client = TestClient(create_app())
    answer = client.get(f"/problems/{name}", headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) >= {"type", "title", "description", "fix", "rules"} and body["type"] == f"/problems/{name}"
    assert (body["rules"] == RULES) == (name == "rule-broken")
    page = client.get(f"/problems/{name}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert body["title"] in page.text


def test_a_problem_answered_links_to_its_explanation_and_the_uris_stay_out_of_the_schema(document) -> None:
    client = TestClient(create_app())
    refused = client.get("/problems/no-such-problem")
    assert refused.status_code == 404
    assert client.get(refused.json()["type"]).status_code == 200
    assert not any(template.startswith("/problems") for template in document["paths"])


def test_names_texts_and_fuzzy_dates_show_the_grammar_their_validators_check(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    source = schemas["Source"]["properties"]
    assert source["name"]["pattern"] == SOME_NAME and source["quote"]["anyOf"][0]["pattern"] == SOME_TEXT
    assert {"type": "string", "maxLength": 40, "pattern": GRAMMAR} in source["published"]["anyOf"]
    assert schemas["AlternativeFuzzyDate"]["properties"]["value"]["pattern"] == GRAMMAR
    formed = schemas["DelegationFormedData"]["properties"]["party"]["oneOf"]
    assert {"type": "string", "minLength": 1, "maxLength": 200, "pattern": SOME_NAME} in formed


def test_the_domains_value_types_carry_no_schema_of_their_own() -> None:
    assert "pattern" not in TypeAdapter(Name).json_schema()
    assert "pattern" not in TypeAdapter(FuzzyText).json_schema()
    domain = Path(__file__).resolve().parents[2] / "domain"
    assert not [f.name for f in domain.glob("*.py") if "JsonSchema" in f.read_text(encoding="utf-8")]


def test_apps_of_one_process_share_one_document_made_once(document: dict[str, Any], monkeypatch) -> None:
    # The first request with a query asks for the document (StrictQueries): every app made in a
    # process has the same routes, so it is made once, not once per app (a few hundred ms each).
    from parley.api import openapi

    made = []
    monkeypatch.setattr(openapi, "_DOCUMENTS", {})
    monkeypatch.setattr(openapi, "get_openapi", lambda **kw: made.append(kw) or get_openapi(**kw))
    first, second = create_app(), create_app()
    assert first.openapi() is second.openapi() and len(made) == 1
    assert TestClient(second).get("/openapi.json").json() == document
