"""/changes lists each causing event once, by id, and leaves out fields that went from nothing to nothing."""

from __future__ import annotations


def post(client, type_: str, subject: str, occurred: str, data: dict) -> str:
    answer = client.post(
        "/events", json={"type": type_, "subject": subject, "occurred": occurred, "sources": [{"name": "Reuters"}], "data": data}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["event_id"]


def test_each_causing_event_is_listed_once_and_changes_refer_to_it_by_id(client) -> None:
    formed = post(client, "DelegationFormed", "delegation/sudan", "2025-11-20", {"party": "Sudan", "members": []})
    first = post(client, "DelegationHeadReplaced", "delegation/sudan", "2025-11-21", {"new_head": "Dafallah al-Haj"})
    second = post(client, "DelegationHeadReplaced", "delegation/sudan", "2025-11-22", {"new_head": "Omer Siddig"})
    page = client.get("/changes", params={"from": "2025-11-19", "to": "2025-11-30"}).json()
    (sudan,) = page["subjects"]
    by_field = {change["field"]: change for change in sudan["changes"]}
    # Formed with no members and no head: `members` went from nothing to nothing, so it is left out.
    assert set(by_field) == {"party", "head", "former_heads"}
    assert by_field["party"] == {"field": "party", "before": None, "after": "Sudan", "caused_by": [formed]}
    assert by_field["head"]["caused_by"] == [first, second]
    assert by_field["former_heads"] == {
        "field": "former_heads",
        "before": None,
        "after": ["Dafallah al-Haj"],
        "caused_by": [formed, second],
    }
    assert set(page["events"]) == {formed, first, second}
    assert page["events"][second]["type"] == "DelegationHeadReplaced"
    assert page["events"][second]["event_id"] == second and page["events"][second]["data"]["new_head"] == "Omer Siddig"
