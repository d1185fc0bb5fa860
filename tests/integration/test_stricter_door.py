"""SPEC §14 at the door: what an adversarial trial got past it (issue 27). A key given twice, a
compressed or non-UTF-8 body, HEAD, a malformed id and an inverted range each get the answer
the SPEC names, and nothing is stored. Nothing here is the store's: SQLite alone."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.integration.helpers import FORMED, assert_problem, event, stored_rows

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
pytestmark = SQLITE_ONLY


def test_a_key_given_twice_is_refused_naming_it_and_nothing_is_stored(client, system) -> None:
    body = json.dumps(event(subject="delegation/first"))[:-1] + ', "subject": "delegation/second"}'
    problem = assert_problem(client.post("/events", content=body, headers={"content-type": "application/json"}), 400)
    assert '"subject" is given twice' in problem["detail"]
    second = body.rindex('"subject"')
    assert f"character {second}" in problem["detail"]
    assert problem["errors"][0]["path"] == "body"
    assert stored_rows(system) == 0


def test_a_key_given_twice_deep_in_a_batch_is_refused(client, system) -> None:
    inner = json.dumps(event(subject="delegation/first"))
    twice = inner.replace('"party": "Ukraine"', '"party": "Ukraine", "party": "Russia"')
    body = '{"events": [' + inner.replace("first", "other") + ", " + twice + "]}"
    problem = assert_problem(client.post("/events/batch", content=body, headers={"content-type": "application/json"}), 400)
    assert '"party" is given twice' in problem["detail"]
    assert stored_rows(system) == 0


def test_the_same_key_in_two_objects_is_no_repeat(client) -> None:
    response = client.post("/events", json=event(sources=[{"name": "Forbes"}, {"name": "Axios"}]))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("headers", "body", "said"),
    [
        ({"content-encoding": "gzip"}, gzip.compress(json.dumps(FORMED).encode()), "Content-Encoding gzip"),
        ({"content-encoding": "br"}, json.dumps(FORMED).encode(), "Content-Encoding br"),
        ({}, gzip.compress(json.dumps(FORMED).encode()), "gzip-compressed"),
        ({"content-type": "application/json; charset=latin-1"}, json.dumps(FORMED).encode("latin-1"), "charset=latin-1"),
        ({"content-type": 'application/json;charset="ISO-8859-1"'}, json.dumps(FORMED).encode(), "ISO-8859-1"),
    ],
)
def test_a_body_it_cannot_read_as_sent_is_415(client, system, headers, body, said) -> None:
    sent = {"content-type": "application/json", **headers}
    for path, content in (("/events", body), ("/events/batch", body)):
        problem = assert_problem(client.post(path, content=content, headers=sent), 415)
        assert said in problem["detail"]
    assert stored_rows(system) == 0


def test_utf_8_named_as_its_charset_is_read(client) -> None:
    for n, charset in enumerate(("utf-8", "UTF8", '"utf-8"')):
        response = client.post(
            "/events",
            content=json.dumps(event(subject=f"delegation/c-{n}")),
            headers={"content-type": f"application/json; charset={charset}", "content-encoding": "identity"},
        )
        assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/events",
        "/events?limit=1",
        "/subjects/delegation/ukraine",
        "/subjects/delegation/ukraine/history",
        "/state",
        "/changes?from=2025-11-01",
        "/catalog",
        "/export/events.csv",
        "/events/stream",
        "/openapi.json",
    ],
)
def test_head_is_answered_wherever_get_is_with_the_gets_status_and_headers(client, path) -> None:
    assert client.post("/events", json=FORMED).status_code == 201
    got = client.get(path) if path != "/events/stream" else None
    head = client.head(path)
    assert head.content == b""
    if got is None:  # the live feed never ends for GET: its answer starts as a feed, and a HEAD's ends there
        assert head.status_code == 200 and head.headers["content-type"].startswith("text/event-stream")
        return
    assert head.status_code == got.status_code
    assert head.headers["content-type"] == got.headers["content-type"]
    if "?" not in path and path.startswith(("/events", "/catalog", "/openapi")):  # answers that hold no "now"
        assert head.headers["content-length"] == got.headers["content-length"]


def test_head_is_not_in_the_openapi_document_and_a_405_allows_it(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path, operations in paths.items() if "head" in operations]
    assert client.head("/subjects/delegation/nobody").status_code == 404
    response = client.request("PUT", "/state")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD"


def test_a_malformed_event_id_is_422_naming_it(client) -> None:
    problem = assert_problem(client.get("/events/not-a-uuid"), 422)
    assert [e["path"] for e in problem["errors"]] == ["path.event_id"]
    assert client.get("/events/stream", headers={"Last-Event-ID": "x"}).status_code == 422  # the feed's own check


@pytest.mark.parametrize("name", ["occurred", "recorded"])
def test_an_inverted_range_on_the_log_is_422_as_on_changes(client, name) -> None:
    problem = assert_problem(client.get("/events", params={f"{name}_after": "2025-11-30", f"{name}_before": "2025-11-01"}), 422)
    assert [e["path"] for e in problem["errors"]] == [f"query.{name}_after"]
    assert client.get("/events", params={f"{name}_after": "2025-11-01", f"{name}_before": "2025-11-01"}).status_code == 200
