"""Exports for analysts (SPEC §8): the four tables, their pins, and the same bytes on a later day.

Run against SQLite and PostgreSQL. An export is pinned to a log position; what is recorded
after it, and a rebuild of every view, must not change one byte of it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from cloudevents.core.formats.json import JSONFormat

from parley.service.exports.log import PinnedLog
from parley.service.exports.pin import PinRefused, pin_of
from parley.service.exports.table_rows import rows
from parley.service.exports.tables import TABLES
from parley.service.exports.writer import Options, write_export, write_lines
from tests.integration.helpers import assert_problem, event, replaced

HEADERS = {
    "events": "event_id,position,subject,kind,slug,version,type,occurred,occurred_earliest,occurred_latest,"
    "occurred_precision,date_prec,recorded_at,recorded_by,retracted_by,retracted_at,note,data,digest",
    "sources": "event_id,source_index,name,url,published,quote",
    "statements": "event_id,subject,speaker,role,quote,occurred,occurred_earliest,occurred_latest",
    "states": "subject,kind,field,value,disputed,valid_from,valid_to,valid_from_date,valid_to_date,caused_by,sources",
    "claims": "subject,field,valid_from,valid_to,valid_from_date,valid_to_date,value,sources,event_id",
}
DISPUTED = {"disputed": [{"value": 19, "sources": ["Axios"]}, {"value": 22, "sources": ["WSJ"]}]}


def post(client, body) -> dict:
    answer = client.post("/events", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def scenario(client) -> dict[str, dict]:
    """A delegation, a plan with a disputed count, statements; a join retracted later."""
    said = {"speaker": "Marco Rubio", "role": "Secretary of State", "quote": 'very productive, "useful"'}
    return {
        "formed": post(client, event(note='named, with "quotes", a comma\nand a second line, made one line (SPEC §6)')),
        "replaced": post(client, replaced()),
        "joined": post(client, event(type="DelegationMemberJoined", occurred="2025-11-22", data={"name": "Rustem Umerov"})),
        "plan": post(
            client,
            event(
                type="PlanProposed",
                subject="plan/us-peace-plan",
                occurred="2025-11",
                sources=[{"name": "Axios"}, {"name": "WSJ", "url": "https://www.wsj.com/"}],
                data={"title": "28 points", "proposed_by": "United States", "point_count": DISPUTED, "topics": ["territory"]},
            ),
        ),
        "said": post(client, event(type="StatementRecorded", occurred="2025-11-23T14:30:00Z", data=said)),
    }


def table_csv(client, name: str, **pin) -> str:
    answer = client.get(f"/export/{name}.csv", params=pin)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert not answer.content.startswith(b"\xef\xbb\xbf") and b"\r" not in answer.content
    return answer.content.decode("utf-8")


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_each_table_has_the_spec_columns_in_order_and_rows_as_known_at_the_pin(client, system):
    ids = scenario(client)
    before_retraction = ids["said"]["position"]
    withdrawal = post(
        client,
        event(
            type="EventRetracted", occurred="2025-11-25", data={"event_id": ids["joined"]["event_id"], "reason": "misreported"}
        ),
    )
    post(
        client,
        event(type="EventRetracted", occurred="2025-11-25", data={"event_id": ids["said"]["event_id"], "reason": "never said"}),
    )

    for name, header in HEADERS.items():
        assert table_csv(client, name).split("\n", 1)[0] == header

    events = parsed(table_csv(client, "events"))
    assert [int(e["position"]) for e in events] == sorted(int(e["position"]) for e in events)
    formed, head, joined, plan = events[:4]
    assert (formed["kind"], formed["slug"], formed["version"], formed["occurred_precision"], formed["date_prec"]) == (
        "delegation",
        "ukraine",
        "1",
        "day",
        "1",
    )
    assert formed["note"] == 'named, with "quotes", a comma and a second line, made one line (SPEC §6)'
    assert formed["occurred_earliest"] == "2025-11-20T00:00:00.000000Z"
    assert formed["occurred_latest"] == "2025-11-20T23:59:59.999999Z"
    assert formed["retracted_by"] == "" and formed["recorded_by"] == "tester"
    assert (head["occurred_earliest"], head["occurred_precision"], head["date_prec"]) == ("", "open", "5")
    assert (plan["occurred_precision"], plan["date_prec"]) == ("month", "4")
    assert plan["data"] == json.dumps(json.loads(plan["data"]), sort_keys=True, separators=(",", ":"))
    assert joined["retracted_by"] == withdrawal["event_id"]
    assert datetime.fromisoformat(joined["retracted_at"]) == datetime.fromisoformat(withdrawal["recorded_at"])
    earlier = {e["event_id"]: e for e in parsed(table_csv(client, "events", position=before_retraction))}
    assert earlier[ids["joined"]["event_id"]]["retracted_by"] == "" and len(earlier) == 5

    sources = parsed(table_csv(client, "sources"))
    plan_sources = [(s["source_index"], s["name"], s["url"]) for s in sources if s["event_id"] == ids["plan"]["event_id"]]
    assert plan_sources == [("1", "Axios", ""), ("2", "WSJ", "https://www.wsj.com/")]

    assert parsed(table_csv(client, "statements")) == []  # the only statement was retracted
    [statement] = parsed(table_csv(client, "statements", position=before_retraction))
    assert (statement["speaker"], statement["quote"], statement["occurred_latest"]) == (
        "Marco Rubio",
        'very productive, "useful"',
        "2025-11-23T14:30:00.000000Z",
    )

    states = parsed(table_csv(client, "states"))
    assert [(s["subject"], s["field"], s["valid_from"]) for s in states] == sorted(
        (s["subject"], s["field"], s["valid_from"]) for s in states
    )
    heads = [(s["value"], s["valid_from"], s["valid_to"]) for s in states if s["field"] == "head"]
    assert heads == [
        ('"Andriy Yermak"', "2025-11-20T23:59:59.999999Z", "2025-11-30T23:59:59.999999Z"),
        ('"Rustem Umerov"', "2025-11-30T23:59:59.999999Z", ""),
    ]
    members = [json.loads(s["value"]) for s in states if s["field"] == "members"]
    assert members == [[{"name": "Andriy Yermak", "role": None}]]  # the retracted join set nothing
    count = next(s for s in states if s["field"] == "point_count")
    assert count["disputed"] == "true" and json.loads(count["value"]) == DISPUTED
    assert {s["disputed"] for s in states if s["field"] != "point_count"} == {"false"}


def test_the_same_pin_gives_the_same_bytes_after_more_events_and_a_rebuild(client, system, tmp_path):
    ids = scenario(client)
    pin = pin_of(system.app)
    assert pin.position == ids["said"]["position"]
    first = _everything(client, system, pin.position, tmp_path / "first")

    post(
        client,
        event(
            type="EventRetracted", occurred="2025-11-25", data={"event_id": ids["joined"]["event_id"], "reason": "misreported"}
        ),
    )
    post(client, event(type="DelegationMemberJoined", occurred="2025-11-21", data={"name": "Kyrylo Budanov"}))
    system.projection.rebuild()
    again = _everything(client, system, pin.position, tmp_path / "again")

    assert again == first
    assert first["http/events.csv"] == first["csv/events.csv"]  # HTTP and files are the same bytes
    assert pin_of(system.app, pin.position) == pin


def _everything(client, system, position: int, folder: Path) -> dict[str, bytes]:
    """Every byte-stable export at a position: CSV files and manifest, JSON Lines, CloudEvents, HTTP."""
    pin = pin_of(system.app, position)
    found: dict[str, bytes] = {}
    for fmt in ("csv", "jsonl", "cloudevents"):
        write_export(system.app, pin, fmt, folder / fmt, Options(source="/tests"))
        found |= {f"{fmt}/{p.name}": p.read_bytes() for p in sorted((folder / fmt).iterdir())}
    for name in TABLES:
        found[f"http/{name}.csv"] = client.get(f"/export/{name}.csv", params={"position": position}).content
    return found


def test_known_at_pins_what_was_recorded_by_then(client, system):
    first = post(client, event())
    post(client, replaced())
    answer = client.get("/export/events.csv", params={"known_at": first["recorded_at"]})
    assert [e["event_id"] for e in parsed(answer.text)] == [first["event_id"]]
    assert answer.headers["parley-pin-known-at"].startswith(first["recorded_at"][:19])
    assert int(answer.headers["parley-pin-position"]) == pin_of(system.app).position  # the last position now
    lines = io.StringIO()
    write_lines(system.app, pin_of(system.app, known_at=system.app.log()[0][1].timestamp), "jsonl", lines)
    assert [json.loads(line)["event_id"] for line in lines.getvalue().splitlines()] == [first["event_id"]]


def test_a_pin_beyond_the_log_or_an_unknown_table_is_refused(client, system):
    post(client, event())
    beyond = system.app.recorder.max_notification_id() + 1
    assert "beyond the log" in assert_problem(client.get("/export/events.csv", params={"position": beyond}), 422)["detail"]
    assert_problem(client.get("/export/everything.csv"), 404)
    with pytest.raises(PinRefused):
        pin_of(system.app, beyond)


def test_an_empty_log_exports_headers_only(client, system):
    assert table_csv(client, "states") == HEADERS["states"] + "\n"
    assert pin_of(system.app).position == 0 and list(rows(TABLES["events"], PinnedLog(system.app, pin_of(system.app)))) == []


def test_exported_cloudevents_pass_the_sdks_strict_parser(client, system):
    ids = scenario(client)
    lines = io.StringIO()
    write_lines(system.app, pin_of(system.app), "cloudevents", lines, Options(source="urn:parley:tests"))
    parsed_events = [JSONFormat().read(None, line) for line in lines.getvalue().splitlines()]
    assert [e.get_id() for e in parsed_events] == [ids[name]["event_id"] for name in ids]
    plan = parsed_events[3]
    assert (plan.get_source(), plan.get_type(), plan.get_subject()) == (
        "urn:parley:tests",
        "org.parley.PlanProposed",
        "plan/us-peace-plan",
    )
    assert plan.get_time() == datetime.fromisoformat(ids["plan"]["recorded_at"])
    assert (plan.get_extension("position"), plan.get_extension("occurredprecision"), plan.get_extension("dateprec")) == (
        ids["plan"]["position"],
        "month",
        4,
    )
    assert plan.get_data()["data"]["point_count"] == DISPUTED
