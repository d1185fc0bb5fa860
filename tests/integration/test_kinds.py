"""SPEC §10: kinds declared once, everything else derived; kinds added by `PARLEY_KINDS_EXTRA`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from typer.testing import CliRunner

from parley.api.main import create_app
from parley.domain.catalog import BUILT_IN, load
from parley.scripts.cli import cli
from parley.service.bootstrap import System, build
from parley.service.requests import event_in
from parley.service.settings import Settings

CEASEFIRE = "parley.scripts.kinds.ceasefire"
TRUCE = "tests.truce_kind"


def declared(client: TestClient) -> dict[str, dict[str, Any]]:
    return {kind["kind"]: kind for kind in client.get("/catalog").json()["kinds"]}


def test_the_catalog_lists_each_kind_with_its_words_event_types_and_schemas(client: TestClient) -> None:
    kinds = declared(client)
    assert tuple(kinds) == BUILT_IN.kinds
    adapter = TypeAdapter(event_in(BUILT_IN))
    for name, kind in kinds.items():
        cls = BUILT_IN.subject_class(name)
        assert (kind["label"], kind["plural"], kind["description"]) == (cls.label, cls.plural, cls.description)
        assert re.fullmatch(r"#[0-9a-f]{6}", kind["colour"])
        assert kind["creates"] == [cls.creation.__name__]
        assert [event["type"] for event in kind["events"]] == [t for t in BUILT_IN.types if t in cls.event_types]
        assert kind["state_schema"]["properties"]["kind"]["const"] == name
        assert kind["expectations"] == (name in BUILT_IN.with_expectations)
        for event in kind["events"]:
            assert event["label"] and event["sentence"], event["type"]
            example = event["example"]
            assert example["type"] == event["type"] and example["subject"].startswith(f"{name}/")
            jsonschema.validate(example["data"], event["data_schema"])
            adapter.validate_python(example)  # what the catalog shows, the service accepts


def test_a_kind_not_declared_is_refused_on_write_and_not_found_on_read(client: TestClient) -> None:
    example = load((CEASEFIRE,)).subject_class("ceasefire").creation.example
    refused = client.post("/events", json={"type": "CeasefireDeclared", **example})
    assert refused.status_code == 422, refused.text
    missing = client.get("/subjects/ceasefire/gaza-2025")
    assert missing.status_code == 404
    assert "not declared" in missing.json()["detail"]
    assert client.get("/state", params={"kind": "ceasefire"}).status_code == 422
    assert client.get("/events", params={"kind": "ceasefire"}).status_code == 422


@pytest.fixture
def extra_client(database_url: str) -> Iterator[tuple[TestClient, System]]:
    settings = Settings(database_url=database_url, kinds_extra=f"{CEASEFIRE}, {TRUCE}")
    system = build(settings)
    try:
        token = system.tokens.create("tester")
        with TestClient(create_app(settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            yield client, system
    finally:
        system.close()


def ceasefire(type_name: str, **changes: Any) -> dict[str, Any]:
    cls = load((CEASEFIRE,)).subject_class("ceasefire")
    return {"type": type_name, **cls.event_types[type_name].example, **changes}


def test_an_extra_kind_is_recorded_checked_folded_and_shown(extra_client) -> None:
    client, system = extra_client
    assert list(declared(client))[-2:] == ["ceasefire", "truce"]
    for type_name in ("CeasefireDeclared", "CeasefireViolated", "CeasefireExtended"):
        posted = client.post("/events", json=ceasefire(type_name))
        assert posted.status_code == 201, posted.text
    early = client.post("/events", json=ceasefire("CeasefireViolated", occurred="2025-10-09"))
    assert early.status_code == 409 and early.json()["rule"] == "violation-before-start", early.text

    state = client.get("/subjects/ceasefire/gaza-2025").json()["state"]
    assert state["kind"] == "ceasefire" and state["parties"] == ["Israel", "Hamas"]
    assert state["ends"] == "2025-12-31" and state["status"] == "declared"
    assert [v["by"] for v in state["violations"]] == ["Hamas"]
    assert client.get("/subjects/ceasefire/gaza-2025", params={"as_of": "2025-10-15"}).json()["state"]["ends"] is None
    history = client.get("/subjects/ceasefire/gaza-2025/history").json()["events"]
    assert [e["type"] for e in history] == ["CeasefireDeclared", "CeasefireViolated", "CeasefireExtended"]
    listed = client.get("/state", params={"kind": "ceasefire"}).json()["subjects"]
    assert [s["subject"] for s in listed] == ["ceasefire/gaza-2025"]
    changes = client.get("/changes", params={"from": "2025-10-15", "to": "2025-11-15", "kind": "ceasefire"}).json()
    assert {c["field"] for c in changes["subjects"][0]["changes"]} == {"ends", "violations"}
    log = client.get("/events", params={"kind": "ceasefire", "type": "CeasefireViolated"}).json()["events"]
    assert [e["subject"] for e in log] == ["ceasefire/gaza-2025"]

    for table in ("events", "sources", "states"):  # exports cover an extra kind with no change elsewhere
        exported = client.get(f"/export/{table}.csv")
        assert exported.status_code == 200 and (
            "ceasefire/gaza-2025" in exported.text or history[0]["event_id"] in exported.text
        ), table
    states = client.get("/export/states.csv").text
    assert "ceasefire/gaza-2025,ceasefire,violations," in states

    truce = client.post(
        "/events",
        json={
            "type": "TruceAgreed",
            "subject": "truce/easter",
            "occurred": "2025-04-19",
            "sources": [{"name": "AP"}],
            "data": {"between": "Russia and Ukraine"},
        },
    )
    assert truce.status_code == 201, truce.text
    assert client.get("/subjects/truce/easter").json()["state"] == {
        "kind": "truce",
        "between": "Russia and Ukraine",
        "status": "holding",
        "statements": [],
    }
    held = client.get("/subjects/truce/easter/held")  # a route the kind declares as its own
    assert held.status_code == 200 and held.json() == {"subject": "truce/easter", "holding": True}, held.text
    assert client.get("/subjects/truce/no-such/held").status_code == 404
    cues = {e["type"]: e["cues"] for e in declared(client)["truce"]["events"]}
    assert cues["TruceBroken"] == ["broke the truce", "truce collapsed"] and cues["TruceAgreed"] == []


def test_the_openapi_document_tells_an_extra_kinds_state_apart_by_kind(extra_client) -> None:
    client, _ = extra_client
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    state = schemas["SubjectState"]["properties"]["state"]
    typed = next(option for option in state["anyOf"] if "oneOf" in option)
    assert typed["discriminator"]["mapping"]["ceasefire"] == "#/components/schemas/CeasefireState"
    assert "CeasefireDeclaredEvent" in schemas and "TruceAgreedEvent" in schemas
    assert "/subjects/truce/{slug}/held" in document["paths"]
    kinds = next(p for p in document["paths"]["/state"]["get"]["parameters"] if p["name"] == "kind")
    assert "ceasefire" in kinds["schema"]["anyOf"][0]["pattern"]


def test_a_users_projection_is_given_an_extra_kinds_events(extra_client, database_url, tmp_path) -> None:
    client, system = extra_client
    assert client.post("/events", json=ceasefire("CeasefireDeclared")).status_code == 201
    script = tmp_path / "types.py"
    script.write_text(
        'NAME = "types"\nTABLES = ["CREATE TABLE IF NOT EXISTS types (position BIGINT PRIMARY KEY, type TEXT)"]\n'
        "def on_event(event, view):\n"
        '    view.execute("INSERT INTO types VALUES (?, ?)", (event["position"], event["type"]))\n'
    )
    run = CliRunner().invoke(cli, ["project", str(script), "--database", database_url], env={"PARLEY_KINDS_EXTRA": CEASEFIRE})
    assert run.exit_code == 0, run.output
    with system.projection.database.transaction(commit=False) as cursor:
        assert [r["type"] for r in cursor.execute("SELECT type FROM types").fetchall()] == ["CeasefireDeclared"]


@pytest.mark.parametrize("form", ["parquet", "datapackage", "cloudevents"])  # csv: the extra kind test above
def test_every_export_format_covers_an_extra_kind(extra_client, database_url, tmp_path, form) -> None:
    client, _ = extra_client
    assert client.post("/events", json=ceasefire("CeasefireDeclared")).status_code == 201
    out = tmp_path / "out"
    run = CliRunner().invoke(
        cli,
        ["export", "--database", database_url, "--format", form, *(["--out", str(out)] if form != "cloudevents" else [])],
        env={"PARLEY_KINDS_EXTRA": CEASEFIRE},
    )
    assert run.exit_code == 0, run.output
    if form == "cloudevents":
        assert "ceasefire/gaza-2025" in run.stdout
        return
    manifest = json.loads((out / "manifest.json").read_text())
    rows = {Path(entry["path"]).stem: entry["rows"] for entry in manifest["files"] if "rows" in entry}
    assert rows["events"] == 1 and rows["states"] >= 4, rows  # the ceasefire's event, and its fields over time
