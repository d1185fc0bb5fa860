"""SPEC §10 end to end: `parley serve` with the ceasefire module in `PARLEY_KINDS_EXTRA` takes,
checks, folds and shows ceasefires through every endpoint, the export, replay and the page, with
no other change. The events posted are the ones `/catalog` shows as examples."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import FAST_FEED, Service
from tests.e2e.pages import expect, opened, state_card
from tests.e2e.sse import open_feed
from tests.processes import parley, serving

EXTRA = {"PARLEY_KINDS_EXTRA": "parley.scripts.kinds.ceasefire"}
SUBJECT = "ceasefire/gaza-2025"


@pytest.fixture(scope="module")
def ceasefire_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str]]:
    database = f"sqlite:///{tmp_path_factory.mktemp('ceasefire') / 'parley.db'}"
    token = parley("token", "create", f"e2e-{uuid.uuid4().hex[:8]}", database_url=database).stdout.strip()
    with serving(database, env={**FAST_FEED, **EXTRA}) as servers:
        yield Service(servers, token), database


def examples(client: httpx.Client) -> dict[str, dict[str, Any]]:
    kinds = {kind["kind"]: kind for kind in client.get("/catalog").json()["kinds"]}
    assert "ceasefire" in kinds, list(kinds)
    return {event["type"]: event["example"] for event in kinds["ceasefire"]["events"]}


def test_a_ceasefire_is_recorded_read_exported_replayed_and_shown(ceasefire_service, browser) -> None:
    service, database = ceasefire_service
    with service.writer() as client:
        example = examples(client)
        with open_feed(service.url, {"kind": "ceasefire"}) as feed:
            declared = client.post("/events", json=example["CeasefireDeclared"])
            assert declared.status_code == 201, declared.text
            assert feed.events(1)[0]["event_id"] == declared.json()["event_id"]  # the live feed, by kind
        batch = client.post("/events/batch", json={"events": [example["CeasefireViolated"], example["CeasefireExtended"]]})
        assert batch.status_code == 201, batch.text
        early = client.post("/events", json={**example["CeasefireViolated"], "occurred": "2025-10-09"})
        assert early.status_code == 409 and early.json()["rule"] == "violation-before-start", early.text

        state = client.get(f"/subjects/{SUBJECT}").json()["state"]
        assert (state["kind"], state["parties"], state["ends"]) == ("ceasefire", ["Israel", "Hamas"], "2025-12-31")
        assert client.get(f"/subjects/{SUBJECT}", params={"as_of": "2025-10-15"}).json()["state"]["ends"] is None
        history = [e["type"] for e in client.get(f"/subjects/{SUBJECT}/history").json()["events"]]
        assert history == ["CeasefireDeclared", "CeasefireViolated", "CeasefireExtended"]
        assert [s["subject"] for s in client.get("/state", params={"kind": "ceasefire"}).json()["subjects"]] == [SUBJECT]
        changes = client.get("/changes", params={"from": "2025-10-15", "to": "2025-11-15", "kind": "ceasefire"}).json()
        assert {c["field"] for c in changes["subjects"][0]["changes"]} == {"ends", "violations"}
        log = client.get("/events", params={"kind": "ceasefire", "type": "CeasefireViolated"}).json()["events"]
        assert [e["subject"] for e in log] == [SUBJECT]
        assert client.get(f"/events/{log[0]['event_id']}").json()["type"] == "CeasefireViolated"
        document = client.get("/openapi.json").json()
        assert "CeasefireState" in document["components"]["schemas"]
        states = list(csv.DictReader(io.StringIO(client.get("/export/states.csv").text)))
        assert {row["field"] for row in states if row["subject"] == SUBJECT} >= {"parties", "ends", "violations"}

    exported = [
        json.loads(line)
        for line in parley("export", "--format", "jsonl", database_url=database, env_extra=EXTRA).stdout.splitlines()
    ]
    assert [e["type"] for e in exported] == history
    replayed = [
        json.loads(line)
        for line in parley("replay", "--kind", "ceasefire", "--json", database_url=database, env_extra=EXTRA).stdout.splitlines()
    ]
    assert [line["state_after"]["status"] for line in replayed] == ["declared"] * 3
    assert [c["field"] for c in replayed[1]["changes"]] == ["violations"]

    with opened(browser, service.url, "extra-kind") as page:  # the page lists and shows the ceasefire
        card = state_card(page, SUBJECT)
        expect(card).to_be_visible()
        expect(card).to_contain_text("Hamas")
        expect(page.locator("body")).to_contain_text("ceasefires")  # among the kinds to filter by, in its words
