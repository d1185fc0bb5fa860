"""A store written by version 2 (claims as events, topics under the bare module names, rows
positioned 1, 3, 5 …) reads, rebuilds, exports and takes new events as it did, and none of
its stored rows changes. The store is tests/fixtures/store-v2.sqlite (see make_store_v2.py);
its answers as version 2 gave them are store-v2.answers.json, its export store-v2.jsonl.

Later versions may add to an answer (a field, a key), never change what version 2 said:
the recorded answers are compared as a subset of today's. One shape changed on purpose (issue
14): `/changes` names each causing event once, under `events`, and leaves out fields that went
from null to null or empty; the recorded answer is put in that shape before it is compared.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.scripts.transfer import export
from parley.service.bootstrap import System, build
from parley.service.settings import Settings
from tests.faults.load import answers
from tests.faults.old_stores import old_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def in_todays_shape(answers: dict[str, Any]) -> dict[str, Any]:
    """Version 2's /changes as today's: causes by id and listed once, no change from nothing to nothing."""
    changes = answers["changes"]
    events = {
        event["event_id"]: event
        for subject in changes["subjects"]
        for change in subject["changes"]
        for event in change["caused_by"]
    }
    subjects = [
        {
            **subject,
            "changes": [
                {**change, "caused_by": [event["event_id"] for event in change["caused_by"]]}
                for change in subject["changes"]
                if not (change["before"] is None and change["after"] in (None, "", [], {}))
            ],
        }
        for subject in changes["subjects"]
    ]
    return {**answers, "changes": {**changes, "subjects": subjects, "events": events}}


RECORDED = in_todays_shape(json.loads((FIXTURES / "store-v2.answers.json").read_text()))


def stored_rows(path: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT rowid, * FROM stored_events ORDER BY rowid").fetchall()


@pytest.fixture
def v2_copy(tmp_path: Path) -> str:
    shutil.copy(FIXTURES / "store-v2.sqlite", tmp_path / "v2.sqlite")
    return str(tmp_path / "v2.sqlite")


@pytest.fixture
def v2_store(v2_copy: str, database_url: str) -> Iterator[System]:
    """The version 2 store on this test's backend (on PostgreSQL, its rows copied as stored)."""
    system = build(Settings(database_url=old_store(v2_copy, database_url)))
    system.projection.catch_up()
    try:
        yield system
    finally:
        system.close()


def contains(recorded: Any, now: Any, path: str = "") -> None:
    """Every value version 2 answered is answered the same today."""
    if isinstance(recorded, dict):
        assert isinstance(now, dict), path
        for key, value in recorded.items():
            assert key in now, f"{path}.{key} is gone"
            contains(value, now[key], f"{path}.{key}")
    elif isinstance(recorded, list):
        assert isinstance(now, list) and len(now) == len(recorded), path
        for index, (a, b) in enumerate(zip(recorded, now)):
            contains(a, b, f"{path}[{index}]")
    else:
        assert recorded == now, f"{path}: {recorded!r} then, {now!r} now"


def answers_of(system: System) -> dict[str, Any]:
    with TestClient(create_app(system.settings, system)) as client:
        return answers(client)


def without_positions(answer: Any) -> Any:
    if isinstance(answer, dict):
        return {k: without_positions(v) for k, v in answer.items() if k != "position"}
    if isinstance(answer, list):
        return [without_positions(item) for item in answer]
    return answer


def test_a_version_2_store_answers_as_it_did_and_after_a_rebuild(v2_store: System, database_url: str) -> None:
    # PostgreSQL numbers the copied rows afresh, so positions are compared on SQLite only.
    expected = RECORDED if database_url.startswith("sqlite") else without_positions(RECORDED)
    contains(expected, answers_of(v2_store))
    v2_store.projection.rebuild()
    contains(expected, answers_of(v2_store))


def test_a_version_2_store_exports_what_version_2_exported(v2_store: System) -> None:
    out = io.StringIO()
    export(v2_store.app, out)
    assert out.getvalue() == (FIXTURES / "store-v2.jsonl").read_text()


def test_a_version_2_store_takes_new_events_and_keeps_its_rows(v2_copy: str) -> None:
    before = stored_rows(v2_copy)
    system = build(Settings(database_url=f"sqlite:///{v2_copy}"))
    try:
        token = system.tokens.create("later")
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            retry = json.loads((FIXTURES / "store-v2.jsonl").read_text().splitlines()[0])
            retry = {k: v for k, v in retry.items() if k not in ("recorded_at", "recorded_by")}
            again = client.post("/events", json=retry)
            assert again.status_code == 200, again.text
            new = client.post(
                "/events",
                json={
                    "type": "StatementRecorded",
                    "subject": "delegation/ukraine",
                    "occurred": "2025-12-01",
                    "sources": [{"name": "Reuters"}],
                    "data": {"speaker": "Rustem Umerov", "quote": "Later."},
                },
            )
            assert new.status_code == 201, new.text
            state = client.get("/subjects/delegation/ukraine").json()["state"]
            assert state["statements"][-1]["quote"] == "Later."
    finally:
        system.close()
    assert stored_rows(v2_copy)[: len(before)] == before


LOOSE = [
    json.loads(line)
    for line in (FIXTURES / "store-v2.jsonl").read_text().splitlines()
    if '"delegation/fixture-loose"' in line or '"plan/fixture-plan"' in line
]


def test_events_that_later_rules_refuse_block_no_later_write_and_retry_as_they_were(v2_store: System) -> None:
    """Members "A" and "a ", a head "replaced" by itself, an empty revision and a status set
    twice were stored by version 2: they fold as before, a later write to those subjects is
    accepted, and a byte-for-byte retry of the request that stored one is still a 200."""
    token = v2_store.tokens.create("later")
    source = [{"name": "Fixture desk"}]
    with TestClient(create_app(v2_store.settings, v2_store)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        for old in LOOSE:
            retry = {k: v for k, v in old.items() if k not in ("recorded_at", "recorded_by", "note")}
            if old["type"] in ("PlanProposed",):
                continue  # its dispute between equal values is refused as input now (422), though stored
            again = client.post("/events", json=retry)
            assert again.status_code == 200, (old["type"], again.text)
        for subject, type_name, data in [
            ("delegation/fixture-loose", "DelegationMemberJoined", {"name": "B"}),
            ("delegation/fixture-loose", "DelegationMemberLeft", {"name": "A"}),
            ("delegation/fixture-loose", "DelegationHeadReplaced", {"new_head": "Someone Else"}),
            ("plan/fixture-plan", "PlanRevised", {"summary": "A later revision"}),
            ("plan/fixture-plan", "PlanStatusChanged", {"status": "agreed"}),
        ]:
            posted = client.post(
                "/events", json={"type": type_name, "subject": subject, "occurred": "2025-12-05", "sources": source, "data": data}
            )
            assert posted.status_code == 201, (type_name, posted.text)
        refused = client.post(
            "/events",
            json={
                "type": "DelegationMemberJoined",
                "subject": "delegation/fixture-loose",
                "occurred": "2025-12-06",
                "sources": source,
                "data": {"name": "A "},
            },
        )
        assert refused.status_code == 409 and refused.json()["rule"] == "member-once", refused.text
        delegation = client.get("/subjects/delegation/fixture-loose").json()["state"]
        assert [m["name"] for m in delegation["members"]] == ["a ", "B"]
        assert delegation["former_heads"] == ["Dafallah al-Haj", "dafallah al-haj "]
        plan = client.get("/subjects/plan/fixture-plan").json()["state"]
        assert (plan["revision"], plan["status"], plan["summary"]) == (2, "agreed", "A later revision")
    written = answers_of(v2_store)
    v2_store.projection.rebuild()
    assert answers_of(v2_store) == written
