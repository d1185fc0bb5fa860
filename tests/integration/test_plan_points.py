"""SPEC §12 through the API: a plan's points recorded, refused by name with nothing stored, and read
back as of any date; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from parley.domain.subjects import SubjectId
from parley.projections.subject_states import SubjectStates
from parley.scripts.replay import Pins, replay
from tests.integration.helpers import assert_problem, stored_rows

PLAN = "plan/us-peace-plan"
PROPOSED = {
    "type": "PlanProposed",
    "subject": PLAN,
    "occurred": "2025-11-20",
    "sources": [{"name": "Axios"}],
    "data": {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": ["territory"]},
}


def on(type_name: str, data: dict[str, Any], occurred: str = "2025-11-25") -> dict[str, Any]:
    return {
        "type": type_name,
        "subject": PLAN,
        "occurred": occurred,
        "sources": [{"name": "Axios"}, {"name": "WSJ"}],
        "data": data,
    }


def refused(client, system, body: dict[str, Any], status: int, rule: str | None = None) -> dict[str, Any]:
    rows = stored_rows(system)
    problem = assert_problem(client.post("/events", json=body), status)
    assert problem.get("rule") == rule, problem
    assert stored_rows(system) == rows
    return problem


def test_each_point_rule_refuses_by_name_and_stores_nothing(client, system) -> None:
    refused(client, system, on("PlanPointAdded", {"key": "territory"}), 409, "creation-first")
    assert client.post("/events", json=PROPOSED).status_code == 201
    for key, number in (("territory", 1), ("exchanges", 2)):
        assert (
            client.post("/events", json=on("PlanPointAdded", {"key": key, "number": number}, occurred="2025-11-21")).status_code
            == 201
        )
    refused(client, system, on("PlanPointAdded", {"key": "territory"}), 409, "point-added-once")
    refused(client, system, on("PlanPointChanged", {"key": "amnesty", "text": "x"}), 409, "point-in-plan")
    refused(client, system, on("PlanPointRemoved", {"key": "amnesty"}), 409, "point-in-plan")
    refused(
        client,
        system,
        on("PlanPointPositionTaken", {"key": "amnesty", "party": "Russia", "position": "opposes"}),
        409,
        "point-in-plan",
    )
    refused(client, system, on("PlanPointStatusChanged", {"key": "amnesty", "status": "agreed"}), 409, "point-in-plan")
    refused(client, system, on("PlanPointsMerged", {"keys": ["territory", "amnesty"], "into": "territory"}), 409, "point-in-plan")
    refused(client, system, on("PlanPointChanged", {"key": "territory", "number": 1}), 409, "point-changes")
    refused(client, system, on("PlanPointStatusChanged", {"key": "territory", "status": "proposed"}), 409, "point-status-changes")
    assert client.post("/events", json=on("PlanPointAdded", {"key": "elections"})).status_code == 201
    refused(client, system, on("PlanPointsMerged", {"keys": ["territory", "exchanges"], "into": "elections"}), 409, "merge-into")
    # A point removed later cannot be changed after, nor a backdated change before it was added.
    assert client.post("/events", json=on("PlanPointRemoved", {"key": "elections"}, "2025-11-27")).status_code == 201
    refused(client, system, on("PlanPointChanged", {"key": "elections", "text": "x"}, "2025-11-28"), 409, "point-in-plan")
    refused(client, system, on("PlanPointChanged", {"key": "elections", "text": "x"}, "2025-11-24"), 409, "point-in-plan")
    # Bad data is 422 naming the field, nothing stored.
    problem = refused(client, system, on("PlanPointsMerged", {"keys": ["territory"], "into": "territory"}), 422)
    assert "keys" in str(problem)
    problem = refused(
        client, system, on("PlanPointStatusChanged", {"key": "territory", "status": "agreed", "implementation": 7}), 422
    )
    assert "implementation" in str(problem)


def test_a_batch_breaking_a_point_rule_stores_none_of_its_events(client, system) -> None:
    """The rules hold within a batch: a point removed by an earlier event of it is not merged by a later."""
    assert client.post("/events", json=PROPOSED).status_code == 201
    rows = stored_rows(system)
    batch = [
        on("PlanPointAdded", {"key": "territory"}, "2025-11-21"),
        on("PlanPointAdded", {"key": "exchanges"}, "2025-11-21"),
        on("PlanPointRemoved", {"key": "exchanges"}, "2025-11-22"),
        on("PlanPointsMerged", {"keys": ["territory", "exchanges"], "into": "territory"}, "2025-11-23"),
    ]
    problem = assert_problem(client.post("/events/batch", json={"events": batch}), 409)
    assert (problem.get("rule"), problem.get("index")) == ("point-in-plan", 3), problem
    assert stored_rows(system) == rows
    assert client.get(f"/subjects/{PLAN}").json()["state"]["points"] == []


def test_points_are_bitemporal_like_every_field(client) -> None:
    assert client.post("/events", json=PROPOSED).status_code == 201
    added = client.post(
        "/events", json=on("PlanPointAdded", {"key": "territory", "number": 1, "text": "Draft"}, "2025-11-21")
    ).json()
    client.post(
        "/events",
        json=on(
            "PlanRevised",
            {"point_count": {"disputed": [{"value": 19, "sources": ["Axios"]}, {"value": 22, "sources": ["WSJ"]}]}},
            "2025-11-23",
        ),
    )
    client.post(
        "/events",
        json=on(
            "PlanPointPositionTaken",
            {
                "key": "territory",
                "party": "Ukraine",
                "position": {"disputed": [{"value": "opposes", "sources": ["Axios"]}, {"value": "reserves", "sources": ["WSJ"]}]},
            },
        ),
    )

    def state(**params: str) -> dict[str, Any]:
        response = client.get(f"/subjects/{PLAN}", params=params)
        assert response.status_code == 200, response.text
        return response.json()["state"]

    now = state()
    assert now["points_recorded"] == 1 and now["point_count"]["disputed"][0]["value"] == 19
    [point] = now["points"]
    assert point["revision"] == 1 and point["positions"]["Ukraine"]["disputed"][1]["value"] == "reserves"
    assert state(as_of="2025-11-22")["points"] == [{**point, "positions": {}, "revision": 0}]
    assert state(known_at=added["recorded_at"])["points"][0]["positions"] == {}
    assert state(source="WSJ")["points"][0]["positions"] == {"Ukraine": "reserves"}
    assert state(as_of="2025-11-20")["points"] == [] and state(as_of="2025-11-20")["points_recorded"] == 0


def view_rows(system) -> tuple[list[str], int]:
    """The plan's stored states and how many item rows its points take, in the views readers use."""
    queries = system.state_reads
    with queries.database.transaction(commit=False) as cursor:
        names = SubjectStates.names(queries.generations.current(cursor))
        states = [r["state"] for r in cursor.execute(f"SELECT state FROM {names.states} WHERE subject = ?", (PLAN,)).fetchall()]
        items = cursor.scalar(f"SELECT count(*) FROM {names.items} WHERE subject = ?", (PLAN,))
    return states, items


def test_points_are_a_view_of_their_own_not_copied_into_every_state(client, system) -> None:
    assert client.post("/events", json=PROPOSED).status_code == 201
    for day, key in enumerate(("territory", "guarantees", "elections"), start=21):
        client.post("/events", json=on("PlanPointAdded", {"key": key, "number": day - 20}, f"2025-11-{day}"))
    for day in range(24, 29):
        assert (
            client.post(
                "/events", json=on("PlanPointChanged", {"key": "territory", "text": f"Draft of the {day}th"}, f"2025-11-{day}")
            ).status_code
            == 201
        )
    system.projection.catch_up()
    states, items = view_rows(system)
    assert len(states) == 9 and not any('"points":' in state for state in states)
    assert items == 3 + 5  # one row per point, and one more per change of it
    assert [p["text"] for p in client.get(f"/subjects/{PLAN}", params={"as_of": "2025-11-26"}).json()["state"]["points"]] == [
        "Draft of the 26th",
        None,
        None,
    ]


def test_changes_and_replay_show_point_changes_field_by_field(client, system) -> None:
    assert client.post("/events", json=PROPOSED).status_code == 201
    added = client.post(
        "/events", json=on("PlanPointAdded", {"key": "territory", "number": 1, "text": "Draft"}, "2025-11-21")
    ).json()
    guarantees = client.post("/events", json=on("PlanPointAdded", {"key": "guarantees", "number": 2}, "2025-11-21")).json()
    reworded = client.post("/events", json=on("PlanPointChanged", {"key": "territory", "text": "Reworded"}, "2025-11-24")).json()
    positioned = client.post(
        "/events",
        json=on("PlanPointPositionTaken", {"key": "territory", "party": "Ukraine", "position": "opposes"}, "2025-11-25"),
    ).json()
    removed = client.post("/events", json=on("PlanPointRemoved", {"key": "guarantees"}, "2025-11-26")).json()
    answer = client.get("/changes", params={"from": "2025-11-22", "to": "2025-11-30", "kind": "plan"}).json()
    [plan] = answer["subjects"]
    changes = {c["field"]: (c["before"], c["after"], c["caused_by"]) for c in plan["changes"]}
    assert changes["points.territory.text"] == ("Draft", "Reworded", [reworded["event_id"]])
    assert changes["points.territory.positions.Ukraine"] == (None, "opposes", [positioned["event_id"]])
    assert changes["points.guarantees"][1] is None and changes["points.guarantees"][2] == [removed["event_id"]]
    assert changes["points_recorded"][:2] == (2, 1)
    assert "points" not in changes and set(answer["events"]) >= {reworded["event_id"], removed["event_id"]}
    # From before the plan: each point as added, caused by its adding and whatever changed it since.
    answer = client.get("/changes", params={"from": "2025-11-19", "to": "2025-11-30", "kind": "plan"}).json()
    changes = {c["field"]: c for c in answer["subjects"][0]["changes"]}
    assert changes["points.territory"]["before"] is None and changes["points.territory"]["after"]["text"] == "Reworded"
    assert changes["points.territory"]["caused_by"] == [added["event_id"], reworded["event_id"], positioned["event_id"]]
    assert "points.guarantees" not in changes and "points_recorded" in changes
    replayed = {r.step.fact.event_id: r.line()["changes"] for r in replay(system.app, Pins(subject=SubjectId.parse(PLAN)))}
    assert replayed[reworded["event_id"]] == [{"field": "points.territory.text", "before": "Draft", "after": "Reworded"}]
    assert {c["field"] for c in replayed[guarantees["event_id"]]} == {"points.guarantees", "points_recorded"}
    assert replayed[removed["event_id"]][0] == {
        "field": "points.guarantees",
        "before": {
            "key": "guarantees",
            "number": 2,
            "text": None,
            "topic": None,
            "status": "proposed",
            "implementation": None,
            "positions": {},
            "revision": 0,
        },
        "after": None,
    }


def drafts(client) -> dict[str, dict[str, Any]]:
    """Revision 0 with three points; revision 1 rewords one, merges two and adds one; Ukraine positions."""
    assert client.post("/events", json=PROPOSED).status_code == 201
    posted = {}
    for key, data, occurred in (
        ("territory", {"key": "territory", "number": 1, "text": "Draft"}, "2025-11-21"),
        ("guarantees", {"key": "guarantees", "number": 2}, "2025-11-21"),
        ("exchanges", {"key": "exchanges", "number": 3}, "2025-11-21"),
    ):
        posted[key] = client.post("/events", json=on("PlanPointAdded", data, occurred)).json()
    # Recorded on the day of the revision but before it: part of revision 0, as its stamp says.
    posted["position"] = client.post(
        "/events",
        json=on("PlanPointPositionTaken", {"key": "guarantees", "party": "Ukraine", "position": "reserves"}, "2025-11-23"),
    ).json()
    posted["revised"] = client.post("/events", json=on("PlanRevised", {"summary": "After Geneva"}, "2025-11-23")).json()
    posted["reworded"] = client.post(
        "/events", json=on("PlanPointChanged", {"key": "territory", "text": "Reworded"}, "2025-11-24")
    ).json()
    posted["merged"] = client.post(
        "/events", json=on("PlanPointsMerged", {"keys": ["territory", "exchanges"], "into": "territory"}, "2025-11-24")
    ).json()
    posted["added"] = client.post("/events", json=on("PlanPointAdded", {"key": "elections", "number": 4}, "2025-11-25")).json()
    assert all("event_id" in p for p in posted.values()), posted
    return posted


def test_compare_two_drafts_by_revision_or_by_date(client) -> None:
    posted = drafts(client)
    answer = client.get(f"/subjects/{PLAN}/compare", params={"from_revision": 0, "to_revision": 1})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["from"]["revision"] == 0 and body["to"]["revision"] == 1 and body["field"] == "points"
    assert [(a["key"], a["caused_by"]) for a in body["added"]] == [("elections", [posted["added"]["event_id"]])]
    assert [(m["key"], m["into"], m["caused_by"]) for m in body["merged"]] == [
        ("exchanges", "territory", [posted["merged"]["event_id"]])
    ]
    [changed] = body["changed"]
    assert changed["key"] == "territory" and changed["changes"] == [{"field": "text", "before": "Draft", "after": "Reworded"}]
    assert changed["caused_by"] == [posted["reworded"]["event_id"], posted["merged"]["event_id"]]
    # The position taken on the revision's day, recorded before it, is in revision 0: unchanged since.
    [unchanged] = body["unchanged"]
    assert unchanged["key"] == "guarantees" and unchanged["item"]["positions"] == {"Ukraine": "reserves"}
    assert unchanged["caused_by"] == [] and body["removed"] == []
    # The causes are named by id, not written out: GET /events?id=… reads them, in recorded order.
    causes = [posted[k]["event_id"] for k in ("reworded", "merged", "added")]
    assert "events" not in body and body["causes"] == 3
    read = client.get("/events", params={"id": [causes[2], causes[0], causes[1], causes[0]]})
    assert read.status_code == 200, read.text
    assert [e["event_id"] for e in read.json()["events"]] == causes and read.json()["next"] is None
    assert all(e["digest"] and e["subject"] == PLAN for e in read.json()["events"])
    # By dates: from before the plan's points to a date between.
    by_date = client.get(f"/subjects/{PLAN}/compare", params={"from": "2025-11-20", "to": "2025-11-23"}).json()
    assert [a["key"] for a in by_date["added"]] == ["territory", "guarantees", "exchanges"]
    assert by_date["added"][1]["caused_by"] == [posted["guarantees"]["event_id"], posted["position"]["event_id"]]
    # Known at the time of the merge's recording the point added later was not known.
    known = client.get(
        f"/subjects/{PLAN}/compare", params={"from_revision": 0, "to": "2025-12-01", "known_at": posted["merged"]["recorded_at"]}
    ).json()
    assert [a["key"] for a in known["added"]] == [] and [m["key"] for m in known["merged"]] == ["exchanges"]


def test_compare_refuses_what_it_cannot_answer(client, system) -> None:
    drafts(client)
    for params, status, where in (
        ({"from_revision": 0, "to_revision": 2}, 422, "to_revision"),
        ({"from_revision": 1, "to_revision": 0}, 422, "from"),
        ({"from": "2025-11-22", "from_revision": 0}, 422, "from_revision"),
        ({"to": "2025-11-22"}, 422, "from"),
        ({"from_revision": -1}, 422, "from_revision"),
        ({"from": "2025-11-22", "too": "x"}, 422, "too"),
    ):
        problem = assert_problem(client.get(f"/subjects/{PLAN}/compare", params=params), status)
        assert where in str(problem), (params, problem)
    assert_problem(client.get("/subjects/plan/no-such-plan/compare", params={"from": "2025-11-22"}), 404)


def test_the_points_table_has_a_row_per_point_and_interval_and_states_do_not_copy_them(client) -> None:
    posted = drafts(client)
    answer = client.get("/export/points.csv")
    assert answer.status_code == 200, answer.text
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["key"], r["valid_from_date"], r["valid_to_date"]) for r in rows] == [
        ("elections", "2025-11-25", ""),
        ("exchanges", "2025-11-21", "2025-11-23"),
        ("guarantees", "2025-11-21", "2025-11-22"),
        ("guarantees", "2025-11-23", ""),
        ("territory", "2025-11-21", "2025-11-23"),
        ("territory", "2025-11-24", ""),
    ]
    territory = rows[-1]
    assert territory["text"] == "Reworded" and territory["revision"] == "1" and territory["number"] == "1"
    assert territory["caused_by"] == posted["merged"]["event_id"] and territory["sources"] == "Axios; WSJ"
    assert json.loads(rows[3]["positions"]) == {"Ukraine": "reserves"} and rows[3]["status"] == "proposed"
    states = list(csv.DictReader(io.StringIO(client.get("/export/states.csv").text)))
    fields = {r["field"] for r in states if r["subject"] == PLAN}
    assert "points" not in fields and "points_recorded" in fields
    # Format 3 knew neither: the same pin gives the bytes it gave then.
    older = client.get("/export/states.csv", params={"format_version": "3"}).text
    assert "points_recorded" not in older and "plan/us-peace-plan,plan,title" in older
    assert client.get("/export/points.csv", params={"format_version": "3"}).status_code == 404
