"""Queries as strict as bodies (SPEC §6, items 5, 9 and 10 of issue 15): each mistake is a
422 naming the parameter, never a quiet answer to another question."""

from __future__ import annotations

import pytest

from tests.integration.helpers import assert_problem, event, stored_rows


@pytest.mark.parametrize(
    ("path", "query", "names"),
    [
        ("/subjects/delegation/ukraine", "asof=2025-11-01", ["query.asof"]),
        ("/subjects/delegation/ukraine", "as_of=2025-11-01&as_of=2025-12-01", ["query.as_of"]),
        ("/state", "as_of=2025-11-01&kind=plan&kind=trip", ["query.kind"]),
        ("/changes", "from=2025-11-01&to=2025-12-01&too=1", ["query.too"]),
        ("/events", "after=0&after=1", ["query.after"]),
        ("/events", "limit=1&page=2", ["query.page"]),
        ("/subjects/delegation/ukraine/history", "as_of=2025-11-01", ["query.as_of"]),
    ],
)
def test_an_unknown_or_repeated_query_parameter_is_422_naming_it(client, path, query, names) -> None:
    client.post("/events", json=event())
    problem = assert_problem(client.get(f"{path}?{query}"), 422)
    assert problem["type"] == "/problems/validation"
    assert [error["path"] for error in problem["errors"]] == names


def test_a_repeatable_parameter_may_be_repeated(client) -> None:
    problem = assert_problem(client.get("/events/stream?after=99999&kind=plan&kind=trip&type=TripScheduled"), 422)
    assert [error["path"] for error in problem["errors"]] == ["query.after"]


def test_an_offset_whose_plus_arrived_as_a_space_says_to_send_percent_2b(client) -> None:
    client.post("/events", json=event())
    problem = assert_problem(client.get("/subjects/delegation/ukraine?as_of=2025-12-01T10:00:00+01:00"), 422)
    assert problem["errors"][0]["path"] == "query.as_of" and "%2B" in problem["detail"]
    assert client.get("/subjects/delegation/ukraine?as_of=2025-12-01T10:00:00%2B01:00").status_code == 200


@pytest.mark.parametrize(
    ("path", "headers", "name"),
    [
        ("/events?after=99999", {}, "query.after"),
        ("/events/stream?after=99999", {}, "query.after"),
        ("/events/stream", {"Last-Event-ID": "99999"}, "header.last-event-id"),
    ],
)
def test_a_position_beyond_the_end_of_the_log_is_422(client, system, path, headers, name) -> None:
    client.post("/events", json=event())
    last = stored_rows(system)
    problem = assert_problem(client.get(path, headers=headers), 422)
    assert problem["errors"][0]["path"] == name and f"last position, {last}" in problem["detail"]
    assert client.get(f"/events?after={last}").json()["events"] == []


def test_the_log_says_where_it_ends_so_no_page_is_asked_beyond_it(client, system) -> None:
    client.post("/events", json=event())
    response = client.get("/events")
    assert response.headers["parley-log-end"] == str(stored_rows(system))
