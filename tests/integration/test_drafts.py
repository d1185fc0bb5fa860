"""Drafts from a report (SPEC §13): stored apart from the log, confirmed as one batch under every
rule, idempotently; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from tests.integration.helpers import assert_problem, stored_rows

REPORT = (
    "Steve Witkoff will travel to Moscow on December 1 for talks, the White House said on Sunday. "
    'US Secretary of State Marco Rubio called the Geneva meeting "very productive and useful." '
    "The American plan was reduced to 19 or 22 points, according to various reports."
)
SOURCE = {"name": "Forbes", "url": "https://www.forbes.com/", "published": "2025-11-30"}


def made(client, text: str = REPORT) -> dict:
    response = client.post("/drafts", json={"text": text, "source": SOURCE})
    assert response.status_code == 201, response.text
    return response.json()


def of_type(draft: dict, type_name: str) -> dict:
    return next(p for p in draft["proposals"] if p["type"] == type_name)


def test_a_draft_answers_proposals_in_the_spec_shape_and_stores_nothing_in_the_log(client, system):
    draft = made(client)
    assert set(draft) == {"draft_id", "proposals"}
    assert stored_rows(system) == 0
    trip = of_type(draft, "TripScheduled")
    assert {
        "proposal_id",
        "type",
        "subject",
        "new_subject",
        "occurred",
        "data",
        "sources",
        "span",
        "confidence",
        "why",
        "people",
        "missing",
    } <= set(trip)
    assert trip["subject"] == "trip/witkoff-moscow" and trip["new_subject"] is True
    assert trip["data"] == {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-01"}
    start, end = trip["span"]
    assert REPORT[start:end] == trip["sources"][0]["quote"]
    assert trip["sources"][0]["name"] == "Forbes" and trip["sources"][0]["published"] == "2025-11-30"
    assert "travel" in trip["why"] and 0 < trip["confidence"] <= 1


def test_drafts_are_listed_read_and_deleted_with_who_made_them(client):
    draft = made(client)
    listed = client.get("/drafts").json()
    assert [d["draft_id"] for d in listed["drafts"]] == [draft["draft_id"]]
    assert listed["drafts"][0]["created_by"] == "tester"
    whole = client.get(f"/drafts/{draft['draft_id']}").json()
    assert whole["text"] == REPORT and whole["source"] == SOURCE and whole["recorded"] == {}
    assert whole["proposals"] == draft["proposals"]
    assert client.delete(f"/drafts/{draft['draft_id']}").status_code == 204
    assert_problem(client.get(f"/drafts/{draft['draft_id']}"), 404)
    assert_problem(client.delete(f"/drafts/{draft['draft_id']}"), 404)


def test_confirm_records_one_batch_with_derived_ids_and_a_repeat_stores_nothing(client, system):
    draft = made(client)
    trip = of_type(draft, "TripScheduled")
    url = f"/drafts/{draft['draft_id']}/confirm"
    first = client.post(url, json={"proposals": [{"proposal_id": trip["proposal_id"]}]})
    assert first.status_code == 201, first.text
    [receipt] = first.json()["events"]
    assert receipt["proposal_id"] == trip["proposal_id"] and receipt["subject"] == "trip/witkoff-moscow"
    again = client.post(url, json={"proposals": [{"proposal_id": trip["proposal_id"]}]})
    assert again.status_code == 200 and again.json()["events"] == first.json()["events"]
    assert stored_rows(system) == 1
    recorded = client.get(f"/drafts/{draft['draft_id']}").json()["recorded"]
    assert recorded[trip["proposal_id"]]["event_id"] == receipt["event_id"]
    assert recorded[trip["proposal_id"]]["recorded_by"] == "tester"
    event = client.get(f"/events/{receipt['event_id']}").json()
    assert event["recorded_by"] == "tester" and event["sources"][0]["quote"] == trip["sources"][0]["quote"]
    edited = client.post(
        url, json={"proposals": [{"proposal_id": trip["proposal_id"], "edits": {"data.planned_for": "2025-12-02"}}]}
    )
    body = assert_problem(edited, 409)
    assert body["event_id"] == receipt["event_id"] and body["proposal_id"] == trip["proposal_id"]
    assert receipt["event_id"] in body["detail"]


def test_a_refused_proposal_names_its_rule_at_its_field_and_nothing_of_the_batch_is_recorded(client, system):
    draft = made(client)
    trip = of_type(draft, "TripScheduled")
    statement = of_type(draft, "StatementRecorded")  # of a delegation the draft creates first, not chosen here
    assert any(p["type"] == "DelegationFormed" and p["subject"] == statement["subject"] for p in draft["proposals"])
    response = client.post(
        f"/drafts/{draft['draft_id']}/confirm",
        json={"proposals": [{"proposal_id": trip["proposal_id"]}, {"proposal_id": statement["proposal_id"]}]},
    )
    body = assert_problem(response, 409)
    assert body["rule"] == "creation-first" and body["proposal_id"] == statement["proposal_id"] and body["index"] == 1
    assert body["errors"] == [{"path": "body.proposals.1", "message": body["detail"], "type": "creation-first"}]
    assert stored_rows(system) == 0
    assert client.get(f"/drafts/{draft['draft_id']}").json()["recorded"] == {}


def test_a_disputed_count_waits_for_its_sources_and_then_records(client, system):
    draft = made(client)
    revised = next(p for p in draft["proposals"] if p["type"] == "PlanRevised")
    assert revised["data"]["point_count"] == {"disputed": [{"value": 19, "sources": []}, {"value": 22, "sources": []}]}
    assert revised["missing"] == ["data.point_count.disputed.0.sources", "data.point_count.disputed.1.sources"]
    created = next(p for p in draft["proposals"] if p["subject"] == revised["subject"] and p["type"] == "PlanProposed")
    url = f"/drafts/{draft['draft_id']}/confirm"
    edits = {"data.title": "US peace plan", "data.proposed_by": "United States"}
    chosen = [{"proposal_id": created["proposal_id"], "edits": edits}, {"proposal_id": revised["proposal_id"]}]
    body = assert_problem(client.post(url, json={"proposals": chosen}), 422)
    assert any(e["path"].startswith("body.proposals.1.data.point_count") for e in body["errors"])
    assert stored_rows(system) == 0
    chosen[1]["edits"] = {
        "sources.1": {"name": "Axios"},
        "sources.2": {"name": "WSJ"},
        "data.point_count.disputed.0.sources": ["Axios"],
        "data.point_count.disputed.1.sources": ["WSJ"],
    }
    response = client.post(url, json={"proposals": chosen})
    assert response.status_code == 201, response.text
    assert client.get(f"/subjects/{revised['subject']}").json()["state"]["point_count"]["disputed"][1]["value"] == 22


def test_bad_requests_are_refused_and_store_nothing(client, system):
    assert_problem(client.post("/drafts", json={"text": REPORT, "source": SOURCE}, headers={"Authorization": ""}), 401)
    assert_problem(client.post("/drafts", json={"text": "", "source": SOURCE}), 422)
    assert_problem(client.post("/drafts", json={"text": REPORT, "source": {**SOURCE, "published": "2999-01-01"}}), 422)
    assert_problem(client.post("/drafts", json={"text": REPORT, "source": {**SOURCE, "published": "soon"}}), 422)
    assert_problem(client.post("/drafts", json={"text": REPORT, "source": SOURCE, "language": "fr"}), 422)
    assert_problem(client.get("/drafts/not-a-uuid"), 422)
    assert_problem(client.post(f"/drafts/{uuid.uuid4()}/confirm", json={"proposals": [{"proposal_id": "p1"}]}), 404)
    draft = made(client)
    url = f"/drafts/{draft['draft_id']}/confirm"
    body = assert_problem(client.post(url, json={"proposals": [{"proposal_id": "p999"}]}), 422)
    assert body["errors"][0]["path"] == "body.proposals.0.proposal_id"
    body = assert_problem(client.post(url, json={"proposals": [{"proposal_id": "p1", "edits": {"recorded_at": 1}}]}), 422)
    assert body["errors"][0]["path"] == "body.proposals.0.edits.recorded_at"
    assert_problem(client.post(url, json={"proposals": []}), 422)
    assert stored_rows(system) == 0


def test_parley_draft_makes_a_draft_and_confirms_the_proposals_named(database_url, tmp_path):
    import json

    from typer.testing import CliRunner

    from parley.scripts.cli import cli
    from parley.service.bootstrap import build
    from parley.service.settings import Settings

    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    runner = CliRunner()
    args = ["draft", str(report), "--source", "Forbes", "--published", "2025-11-30", "--database", database_url, "--json"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    drafted = json.loads(first.stdout)
    trip = of_type(drafted, "TripScheduled")
    second = runner.invoke(cli, [*args, "--confirm", trip["proposal_id"]])
    assert second.exit_code == 0, second.output
    [receipt] = json.loads(second.stdout)["events"]
    assert receipt["subject"] == "trip/witkoff-moscow"
    refused = runner.invoke(cli, [*args[:-1], "--confirm", "p999"])
    assert refused.exit_code == 2 and "p999" in refused.output
    system = build(Settings(database_url=database_url))
    try:
        drafts, _ = system.app.drafts.page(10)
        assert len(drafts) == 3 and {d["created_by"] for d in drafts} == {"parley-draft"}
        assert stored_rows(system) == 1
    finally:
        system.close()
