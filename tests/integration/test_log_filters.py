"""One event by its id, and the log filtered by subject, kind, type, recorded and valid time."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from parley.projections import log_reads
from parley.projections.log_reads import LogFilter, log_page
from parley.projections.sql import Cursor
from parley.projections.subject_states import SubjectStates
from tests.integration.helpers import assert_problem

SOURCES = [{"name": "Reuters"}]
EVENTS = [
    ("DelegationFormed", "delegation/ukraine", "2025-11-20", {"party": "Ukraine", "head": "Andriy Yermak", "members": []}),
    ("DelegationHeadReplaced", "delegation/ukraine", "../2025-11-30", {"new_head": "Rustem Umerov"}),
    (
        "TripScheduled",
        "trip/witkoff-moscow",
        "2025-11-25",
        {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-02"},
    ),
    ("StatementRecorded", "trip/witkoff-moscow", "2025-11-26/2025-11-27", {"speaker": "Dmitry Peskov", "quote": "Soon."}),
    ("StatementRecorded", "delegation/ukraine", "2025-11-28", {"speaker": "Rustem Umerov", "quote": "We are ready."}),
]


@pytest.fixture
def recorded(client) -> list[dict[str, Any]]:
    receipts = []
    for type_, subject, occurred, data in EVENTS:
        answer = client.post(
            "/events", json={"type": type_, "subject": subject, "occurred": occurred, "sources": SOURCES, "data": data}
        )
        assert answer.status_code == 201, answer.text
        receipts.append(answer.json())
    return receipts


def listed(client, **params: Any) -> list[str]:
    answer = client.get("/events", params=params)
    assert answer.status_code == 200, answer.text
    return [(event["type"], event["subject"]) for event in answer.json()["events"]]


def test_an_event_is_read_by_its_id_in_the_shape_of_the_log(client, recorded) -> None:
    replaced = recorded[1]
    answer = client.get(f"/events/{replaced['event_id']}")
    assert answer.status_code == 200
    in_log = next(e for e in client.get("/events").json()["events"] if e["event_id"] == replaced["event_id"])
    assert answer.json() == in_log
    assert answer.json()["occurred_earliest"] is None and answer.json()["position"] == replaced["position"]


def test_an_unknown_event_id_is_404_and_the_feed_keeps_its_path(client, recorded) -> None:
    assert_problem(client.get(f"/events/{uuid.uuid4()}"), 404)
    assert_problem(client.get("/events/not-an-id"), 422)  # a malformed id names itself (SPEC §14)
    # The feed's own check answers, not get_event's 404: /events/stream still reaches the feed.
    problem = assert_problem(client.get("/events/stream", headers={"Last-Event-ID": "x"}), 422)
    assert "Last-Event-ID" in problem["title"]


def test_the_log_filters_by_subject_kind_and_type(client, recorded) -> None:
    assert listed(client, subject="trip/witkoff-moscow") == [
        ("TripScheduled", "trip/witkoff-moscow"),
        ("StatementRecorded", "trip/witkoff-moscow"),
    ]
    assert [s for _, s in listed(client, kind="delegation")] == ["delegation/ukraine"] * 3
    assert listed(client, type="StatementRecorded", kind="delegation") == [("StatementRecorded", "delegation/ukraine")]
    assert len(listed(client, type=["TripScheduled", "DelegationFormed"])) == 2  # repeatable: any of them
    assert len(listed(client, subject=["trip/witkoff-moscow", "delegation/ukraine"], type="StatementRecorded")) == 2


def test_the_log_filters_by_valid_time_with_a_date_meaning_the_end_of_that_day(client, recorded) -> None:
    # occurred_before: certainly happened by the end of 25 November (latest instant on or before).
    assert listed(client, occurred_before="2025-11-25") == [
        ("DelegationFormed", "delegation/ukraine"),
        ("TripScheduled", "trip/witkoff-moscow"),
    ]
    # occurred_after: certainly after the end of 25 November; an open start ("../2025-11-30") never is.
    assert listed(client, occurred_after="2025-11-25") == [
        ("StatementRecorded", "trip/witkoff-moscow"),
        ("StatementRecorded", "delegation/ukraine"),
    ]
    assert listed(client, occurred_after="2025-11-26T12:00:00Z", occurred_before="2025-11-28") == [
        ("StatementRecorded", "delegation/ukraine")
    ]


def test_the_log_filters_by_recorded_time(client, recorded) -> None:
    times = [event["recorded_at"] for event in client.get("/events").json()["events"]]
    assert len(listed(client, recorded_after=times[2])) == 2
    assert len(listed(client, recorded_before=times[2])) == 3
    assert len(listed(client, recorded_after=times[0], recorded_before=times[1], kind="delegation")) == 1


def test_the_log_reads_events_by_their_ids_in_recorded_order(client, recorded) -> None:
    ids = [receipt["event_id"] for receipt in recorded]
    answer = client.get("/events", params={"id": [ids[3], ids[1], str(uuid.uuid4()), ids[3]]})
    assert answer.status_code == 200, answer.text
    assert [e["event_id"] for e in answer.json()["events"]] == [ids[1], ids[3]]  # an unknown id is no event
    assert listed(client, id=ids, kind="trip", limit=1) == [("TripScheduled", "trip/witkoff-moscow")]
    assert listed(client, id=ids[:2], subject="delegation/ukraine", type="DelegationHeadReplaced") == [
        ("DelegationHeadReplaced", "delegation/ukraine")
    ]
    assert_problem(client.get("/events", params={"id": [str(uuid.uuid4()) for _ in range(101)]}), 422)


def test_a_filtered_log_pages_as_the_whole_log_does(client, recorded) -> None:
    first = client.get("/events", params={"kind": "delegation", "limit": 2}).json()
    assert len(first["events"]) == 2 and first["next"] == first["events"][-1]["position"]
    rest = client.get("/events", params={"kind": "delegation", "limit": 2, "after": first["next"]}).json()
    assert [e["type"] for e in rest["events"]] == ["StatementRecorded"] and rest["next"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"occurred_after": "2025-13-01"},
        {"recorded_before": "yesterday"},
        {"kind": "treaty"},
        {"type": "DelegationDissolved"},
        {"subject": "Ukraine"},
        {"id": "not-an-id"},
    ],
)
def test_a_filter_of_the_wrong_form_is_422_naming_it(client, params) -> None:
    problem = assert_problem(client.get("/events", params=params), 422)
    assert [error["path"].removesuffix(".0") for error in problem["errors"]] == [f"query.{next(iter(params))}"]


@pytest.mark.parametrize(
    ("only", "index"),
    [
        (LogFilter(subjects=("trip/witkoff-moscow",)), "subject_events_of_subject"),
        (LogFilter(types=("TripScheduled",)), "subject_events_of_type"),
        (
            LogFilter(types=("TripScheduled",), kinds=("trip",), occurred_after=datetime(2025, 11, 1, tzinfo=UTC)),
            "subject_events_of_type",
        ),
        # As the benchmark asks it: the planner, left to itself, read the (latest, position) index.
        (
            LogFilter(
                subjects=("trip/witkoff-moscow",), types=("TripScheduled",), occurred_before=datetime(2025, 11, 30, tzinfo=UTC)
            ),
            "subject_events_of_subject",
        ),
        (
            LogFilter(
                subjects=("trip/witkoff-moscow",),
                recorded_after=datetime(2025, 1, 1, tzinfo=UTC),
                published_by=datetime(2025, 12, 1, tzinfo=UTC),
            ),
            "subject_events_of_subject",
        ),
    ],
)
def test_a_filter_by_subject_or_type_pages_from_its_index(recorded, database_url, only, index) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the plan is read from SQLite; PostgreSQL has the same indexes")
    where, params = only.sql()
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
        (table,) = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'subject_events%'").fetchone()
        sql = f"SELECT * FROM {table} WHERE position > ?{where} ORDER BY position LIMIT 100"
        plan = " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", [0, *params]))
    assert f"USING INDEX {index.replace('subject_events', table)} (" in plan and "TEMP B-TREE" not in plan, plan


TIME_FILTERS = [
    lambda times: {"recorded_after": times[1]},
    lambda times: {"recorded_before": times[3]},
    lambda times: {"recorded_after": times[0], "recorded_before": times[3]},
    lambda times: {"occurred_after": "2025-11-24T23:59:59.999999Z"},
    lambda times: {"occurred_before": "2025-11-27T23:59:59.999999Z"},
    lambda times: {
        "occurred_after": "2025-11-20T23:59:59.999999Z",
        "occurred_before": "2025-11-28T23:59:59.999999Z",
        "kind": "delegation",
    },
    lambda times: {"occurred_after": "2030-01-01T00:00:00Z"},
]


def admits(event: dict[str, Any], params: dict[str, str]) -> bool:
    """The reference: what each time filter means, read from the event as the log shows it."""

    def at(text: str | None) -> datetime | None:
        return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))

    recorded, earliest, latest = at(event["recorded_at"]), at(event["occurred_earliest"]), at(event["occurred_latest"])
    checks = {
        "recorded_after": lambda bound: recorded > bound,
        "recorded_before": lambda bound: recorded <= bound,
        "occurred_after": lambda bound: earliest is not None and earliest > bound,
        "occurred_before": lambda bound: latest is not None and latest <= bound,
    }
    return all(
        checks[name](at(value)) if name in checks else event["subject"].startswith(value + "/") for name, value in params.items()
    )


@pytest.mark.parametrize("narrow", [1, 3, 10_000], ids=["by-position", "mixed", "by-time-index"])
def test_time_filters_page_alike_whichever_way_their_index_is_read(client, recorded, monkeypatch, narrow) -> None:
    # Below NARROW matches a page is the time index's positions sorted; above, a walk in position
    # order from the first match (see log_reads.py). Every page, either way, is the reference's.
    monkeypatch.setattr(log_reads, "NARROW", narrow)
    everything = client.get("/events").json()["events"]
    times = [event["recorded_at"] for event in everything]
    for make in TIME_FILTERS:
        params = make(times)
        walked, after = [], 0
        while True:
            page = client.get("/events", params={**params, "limit": 2, "after": after}).json()
            walked += [event["position"] for event in page["events"]]
            if page["next"] is None:
                break
            after = page["next"]
        assert walked == [e["position"] for e in everything if admits(e, params)], params


class Recording(Cursor):
    """A cursor that keeps every statement it runs, to ask SQLite how it would run them."""

    def __init__(self, raw: Any):
        super().__init__(raw, postgres=False)
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def execute(self, sql: str, params: Any = ()) -> Cursor:
        self.statements.append((sql, tuple(params)))
        return super().execute(sql, params)


@pytest.mark.parametrize("narrow", [1, 10_000])
@pytest.mark.parametrize(
    "only",
    [
        LogFilter(recorded_after=datetime(2025, 1, 1, tzinfo=UTC)),
        LogFilter(recorded_before=datetime(2025, 1, 1, tzinfo=UTC), kinds=("trip",)),
        LogFilter(occurred_after=datetime(2025, 11, 24, tzinfo=UTC)),
        LogFilter(occurred_before=datetime(2025, 11, 28, tzinfo=UTC), occurred_after=datetime(2025, 11, 1, tzinfo=UTC)),
    ],
    ids=["recorded-after", "recorded-before", "occurred-after", "occurred-window"],
)
def test_a_filter_by_time_alone_searches_indexes_and_never_scans_the_log(
    recorded, database_url, monkeypatch, only, narrow
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the plan is read from SQLite; PostgreSQL has the same indexes")
    monkeypatch.setattr(log_reads, "NARROW", narrow)
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
        db.row_factory = sqlite3.Row
        (table,) = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'subject_events%'").fetchone()
        generation = int(table.rsplit("_g", 1)[-1]) if "_g" in table else 0
        cursor = Recording(db.cursor())
        log_page(cursor, SubjectStates.names(generation), 0, 50, only)
        plans = [
            " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)) for sql, params in cursor.statements
        ]
    scans = [plan for plan in plans if "SCAN" in plan.replace("SCAN admitted", "").replace("SCAN walked", "")]
    assert plans and not scans, plans


def test_the_log_sends_each_event_as_it_reads_one_by_its_id(client, recorded) -> None:
    """`GET /events` writes its page from the stored rows; each event is the shape `/events/{id}` answers."""
    noted = client.post(
        "/events",
        json={
            "type": "StatementRecorded",
            "subject": "delegation/ukraine",
            "occurred": "2025-11-29~",
            "sources": [{"name": 'Київ "Post"', "quote": "«Ready»\n\ttab"}],
            "note": 'a "quoted" note — ü',
            "data": {"speaker": "Rustem Umerov", "quote": "Ще ні.\u2028"},
        },
    )
    assert noted.status_code == 201, noted.text
    retraction = client.post(
        "/events",
        json={
            "type": "EventRetracted",
            "subject": "delegation/ukraine",
            "occurred": "2025-11-30",
            "sources": SOURCES,
            "data": {"event_id": noted.json()["event_id"], "reason": "misquoted"},
        },
    )
    assert retraction.status_code == 201, retraction.text
    page = client.get("/events", params={"limit": 3})
    rest = client.get("/events", params={"after": page.json()["next"]})
    assert page.headers["content-type"] == "application/json" and rest.json()["next"] is None
    logged = page.json()["events"] + rest.json()["events"]
    assert len(logged) == len(EVENTS) + 2
    for event in logged:
        assert client.get(f"/events/{event['event_id']}").json() == event
    assert logged[-2]["retracted_by"] == retraction.json()["event_id"] and logged[-2]["note"] == 'a "quoted" note — ü'
