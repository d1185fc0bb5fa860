"""Bad input the fuzzer found, or that no JSON schema can describe: each is a 4xx problem
with a field path, stores nothing, and leaves the service answering."""

from __future__ import annotations

import json

import pytest

from tests.integration.helpers import assert_problem, event, stored_rows

TRIP = {
    "type": "TripScheduled",
    "subject": "trip/witkoff-moscow",
    "occurred": "2025-11-30",
    "sources": [{"name": "Axios"}],
    "data": {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-01"},
}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (event(occurred="2025-12-05/2025-12-01"), "body.DelegationFormed.occurred"),
        (event(occurred="2025-02-29"), "body.DelegationFormed.occurred"),
        (event(occurred="0999-01-01"), "body.DelegationFormed.occurred"),
        (event(occurred="2025-11-23T14"), "body.DelegationFormed.occurred"),
        ({**TRIP, "data": {**TRIP["data"], "planned_for": "2025-12-03/2025-12-02"}}, "body.TripScheduled.data.planned_for"),
        (
            {
                **TRIP,
                "data": {
                    **TRIP["data"],
                    "planned_for": {
                        "disputed": [{"value": "2025-12-01", "sources": ["A"]}, {"value": "someday", "sources": ["B"]}]
                    },
                },
            },
            "body.TripScheduled.data.planned_for.disputed.1.value",
        ),
        (event(sources=[{"name": "Axios", "published": "2025-13"}]), "body.DelegationFormed.sources.0.published"),
        (event(note="a\u0000b"), "body.DelegationFormed.note"),
        (event(data={"party": "Ukr\u0000aine", "members": []}), "body.DelegationFormed.data.party"),
        ({**TRIP, "subject": "delegation/ukraine"}, "body.TripScheduled.subject"),
    ],
)
def test_input_the_domain_cannot_take_is_422_with_its_path(client, system, body, path) -> None:
    problem = assert_problem(client.post("/events", json=body), 422)
    assert [e["path"] for e in problem["errors"]] == [path], problem["errors"]
    assert stored_rows(system) == 0
    assert client.get("/events").status_code == 200


def test_a_lone_surrogate_is_422(client, system) -> None:
    text = json.dumps(event(note="x")).replace('"note": "x"', '"note": "\\ud800"')
    response = client.post("/events", content=text, headers={"content-type": "application/json"})
    assert_problem(response, 422)
    assert stored_rows(system) == 0


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"from": "2025-12-01", "to": "2025-11-01"}, "query.from"),
        ({"from": "2025-02-30"}, "query.from"),
        ({"from": "2025-11-01", "known_at": "9999-12-31"}, "query.known_at"),
        ({"from": "2025-11-01", "after": "a\u0000"}, "query.after"),
    ],
)
def test_bad_query_times_and_cursors_are_422(client, params, path) -> None:
    problem = assert_problem(client.get("/changes", params=params), 422)
    assert [e["path"] for e in problem["errors"]] == [path], problem["errors"]


def test_a_wrong_method_is_405_naming_every_method_of_the_path(client) -> None:
    response = client.request("PUT", "/events")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, POST"
