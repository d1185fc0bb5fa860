"""The bundled scenario answers truthfully (issue 3's acceptance questions)."""

from __future__ import annotations

import json

import pytest

from parley.api.examples import scenario
from parley.scripts.transfer import import_lines


@pytest.fixture
def example(system, client):
    import_lines(system.app, [json.dumps(e) for e in scenario()], "parley-example")
    return client


def state(client, subject: str, as_of: str) -> dict:
    response = client.get(f"/subjects/{subject}", params={"as_of": as_of})
    assert response.status_code == 200, response.text
    return response.json()


def test_on_22_november_the_plan_has_28_points_and_yermak_heads_ukraine(example):
    assert state(example, "plan/us-peace-plan", "2025-11-22")["state"]["point_count"] == 28
    assert state(example, "delegation/ukraine", "2025-11-22")["state"]["head"] == "Andriy Yermak"


def test_on_24_november_the_point_count_is_disputed_19_against_22_with_sources(example):
    count = state(example, "plan/us-peace-plan", "2025-11-24")["state"]["point_count"]
    assert {(a["value"], tuple(a["sources"])) for a in count["disputed"]} == {(19, ("Axios",)), (22, ("WSJ",))}


def test_on_25_november_the_replacement_by_umerov_is_pending(example):
    answer = state(example, "delegation/ukraine", "2025-11-25")
    assert answer["state"]["head"] == "Andriy Yermak"
    pending = [e for e in answer["pending"] if e["type"] == "DelegationHeadReplaced"]
    assert [e["data"]["new_head"] for e in pending] == ["Rustem Umerov"]
    assert pending[0]["occurred"] == "../2025-11-30"


def test_on_30_november_umerov_heads_and_yermak_is_a_former_head(example):
    delegation = state(example, "delegation/ukraine", "2025-11-30")["state"]
    assert delegation["head"] == "Rustem Umerov"
    assert delegation["former_heads"] == ["Andriy Yermak"]


def test_changes_from_22_november_to_1_december_show_both_changes_with_sources(example):
    response = example.get("/changes", params={"from": "2025-11-22", "to": "2025-12-01"})
    assert response.status_code == 200
    by_subject = {s["subject"]: {c["field"]: c for c in s["changes"]} for s in response.json()["subjects"]}
    events = response.json()["events"]
    head = by_subject["delegation/ukraine"]["head"]
    assert (head["before"], head["after"]) == ("Andriy Yermak", "Rustem Umerov")
    assert events[head["caused_by"][0]]["sources"][0]["name"] == "Forbes"
    points = by_subject["plan/us-peace-plan"]["point_count"]
    assert points["before"] == 28 and len(points["after"]["disputed"]) == 2
    assert {s["name"] for s in events[points["caused_by"][0]]["sources"]} >= {"Forbes", "Axios", "WSJ"}


def test_before_it_existed_a_subject_is_404(example):
    response = example.get("/subjects/trip/witkoff-moscow", params={"as_of": "2025-11-01"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_history_lists_events_in_valid_time_order_with_sources(example):
    events = example.get("/subjects/delegation/ukraine/history").json()["events"]
    assert [e["type"] for e in events] == ["DelegationFormed", "DelegationHeadReplaced", "DelegationMemberLeft"]
    assert all(e["sources"] and e["recorded_at"] for e in events)


def test_state_lists_every_subject_a_page_at_a_time(example):
    first = example.get("/state", params={"as_of": "2025-11-30", "limit": 3}).json()
    assert len(first["subjects"]) == 3 and first["next"]
    rest = example.get("/state", params={"as_of": "2025-11-30", "after": first["next"], "limit": 100}).json()
    names = [s["subject"] for s in first["subjects"] + rest["subjects"]]
    assert names == sorted(set(names)) and "trip/witkoff-moscow" in names
    plans = example.get("/state", params={"kind": "plan"}).json()["subjects"]
    assert [s["subject"] for s in plans] == ["plan/us-peace-plan"]
