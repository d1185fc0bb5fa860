"""Operating Parley (SPEC §16): health, readiness, metrics read with prometheus_client's own
parser, and request ids on every answer and inside every problem."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from parley.api.main import create_app
from tests.integration.helpers import assert_problem, event, replaced

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # nothing there is the store's


def scraped(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by name and labels, as prometheus_client parses the text."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def moved(before: dict, after: dict, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_healthz_and_readyz_answer_200_and_stay_out_of_the_openapi_document(client) -> None:
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["database"]["ok"] and checks["projections"]["subject_states"]["lag"] == 0
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/healthz", "/readyz", "/metrics"} & set(paths)


def test_each_counter_moves_for_the_request_that_should_move_it(client) -> None:
    before = scraped(client)
    subject = f"delegation/m-{uuid.uuid4().hex[:8]}"
    assert client.post("/events", json=event(subject=subject)).status_code == 201
    after_write = scraped(client)
    assert moved(before, after_write, "parley_http_requests_total", route="/events", method="POST", status="201") == 1
    assert moved(before, after_write, "parley_http_request_duration_seconds_count", route="/events", method="POST") == 1
    assert moved(before, after_write, "parley_events_recorded_total", type="DelegationFormed") == 1
    assert moved(before, after_write, "parley_group_commit_size_count") == 1
    assert moved(before, after_write, "parley_group_commit_seconds_count") == 1
    # The view has not read the new event yet: one position behind, until a read wakes the keeper.
    assert after_write["parley_projection_lag", (("projection", "subject_states"),)] >= 1

    refused = client.post("/events", json=replaced(new_head="Andriy Yermak", subject=subject))
    assert_problem(refused, 409)
    unsigned = client.post("/events", json=event(), headers={"Authorization": ""})
    assert_problem(unsigned, 401)
    assert client.get(f"/subjects/{subject}").status_code == 200
    after = scraped(client)
    assert (
        moved(after_write, after, "parley_refusals_total", status="409", problem="rule-broken", rule=refused.json()["rule"]) == 1
    )
    assert moved(after_write, after, "parley_refusals_total", status="401", problem="unauthorised", rule="") == 1
    assert moved(after_write, after, "parley_http_requests_total", route="/events", method="POST", status="401") == 1
    assert (
        moved(after_write, after, "parley_http_requests_total", route="/subjects/{kind}/{slug}", method="GET", status="200") == 1
    )
    assert moved(after_write, after, "parley_events_recorded_total", type="DelegationHeadReplaced") == 0
    log_end = client.get("/events?limit=1").headers["parley-log-end"]
    assert after["parley_projection_position", (("projection", "subject_states"),)] == int(log_end)
    assert after["parley_projection_lag", (("projection", "subject_states"),)] == 0


@SQLITE_ONLY
def test_a_batch_counts_each_event_it_records(client) -> None:
    subject = f"trip/m-{uuid.uuid4().hex[:8]}"
    before = scraped(client)
    batch = [
        {
            "type": "TripScheduled",
            "subject": subject,
            "occurred": "2025-11-01",
            "sources": [{"name": "A"}],
            "data": {"traveller": "Ann Example", "destination": "Moscow", "planned_for": "2025-12"},
        },
        {"type": "TripCompleted", "subject": subject, "occurred": "2025-11-02", "sources": [{"name": "A"}], "data": {}},
    ]
    assert client.post("/events/batch", json={"events": batch}).status_code == 201
    after = scraped(client)
    assert moved(before, after, "parley_events_recorded_total", type="TripScheduled") == 1
    assert moved(before, after, "parley_events_recorded_total", type="TripCompleted") == 1
    assert moved(before, after, "parley_group_commit_size_count") == 0  # a batch is its own transaction


@SQLITE_ONLY
@pytest.mark.parametrize("request_id", [None, "trace-42.a_b:c"])
def test_every_answer_carries_the_request_id_and_every_problem_holds_it(client, request_id) -> None:
    headers = {"X-Request-ID": request_id} if request_id else {}
    answers = [
        client.get("/events", headers=headers),
        client.get("/healthz", headers=headers),
        client.post("/events", json=event(), headers={**headers, "Authorization": ""}),  # the door: 401
        client.post("/events", content=b"{}", headers={**headers, "Content-Type": "text/plain"}),  # 415
        client.get("/events?nonsense=1", headers=headers),  # the strict queries: 422
        client.post("/events", json={"type": "Nothing"}, headers=headers),  # the schema: 422
        client.get("/subjects/delegation/nobody-here", headers=headers),  # a route: 404
        client.delete("/events", headers=headers),  # the router: 405
    ]
    ids = [answer.headers["x-request-id"] for answer in answers]
    if request_id:
        assert ids == [request_id] * len(answers)
    else:
        assert len(set(ids)) == len(answers) and all(uuid.UUID(i) for i in ids)
    for answer in answers:
        if answer.status_code >= 400:
            assert answer.json()["request_id"] == answer.headers["x-request-id"], answer.text


@SQLITE_ONLY
@pytest.mark.parametrize("sent", ["x" * 201, "two words", "tab\there"])
def test_a_request_id_that_cannot_be_echoed_safely_is_replaced(client, sent) -> None:
    made = client.get("/healthz", headers={"X-Request-ID": sent}).headers["x-request-id"]
    assert made != sent and uuid.UUID(made)


@pytest.fixture
def app_with(settings) -> Iterator:
    """A client of a system on the same store under other settings."""
    opened: list[TestClient] = []

    def make(**changes) -> TestClient:
        client = TestClient(create_app(settings.model_copy(update=changes)))
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@SQLITE_ONLY
def test_metrics_can_be_closed_to_all_but_a_token_or_turned_off(app_with, token) -> None:
    closed = app_with(metrics="token")
    assert_problem(closed.get("/metrics"), 401)
    assert closed.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    off = app_with(metrics="off")
    assert_problem(off.get("/metrics"), 404)
    assert "x-request-id" in off.get("/healthz").headers


def test_readyz_is_503_naming_a_view_that_cannot_apply_the_log(app_with, token) -> None:
    client = app_with(ready_max_lag=0)
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.post("/events", json=event(subject=f"delegation/r-{uuid.uuid4().hex[:8]}")).status_code == 201

    def broken(*_args, **_kwargs):
        raise RuntimeError("a fold that fails")

    views = client.app.state.system.projection.projection
    views.apply_batch, kept = broken, views.apply_batch
    try:
        answer = client.get("/readyz")
    finally:
        views.apply_batch = kept
    problem = assert_problem(answer, 503)
    view = problem["checks"]["projections"]["subject_states"]
    assert not view["ok"] and view["lag"] >= 1 and "a fold that fails" in view["detail"]
    assert "subject_states" in problem["detail"] and problem["checks"]["database"]["ok"]
    assert client.get("/readyz").status_code == 200  # the view catches up once it can
