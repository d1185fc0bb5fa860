"""SPEC §11 and §17: the `people` and `offices` tables (format version 5), read with pandas and
frictionless as an analyst would, answering as the API answers for the same pin."""

from __future__ import annotations

import json

import pandas as pd
from frictionless import Package

from parley.service.exports.pin import pin_of
from parley.service.exports.writer import Options, write_export
from tests.integration import test_analyst_tables
from tests.integration.test_analyst_tables import frame, on_day

example = test_analyst_tables.example  # the fixture, shared

LEFT = {
    "type": "OfficeLeft",
    "subject": "person/marco-rubio",
    "occurred": "2025-12-02",
    "sources": [{"name": "Reuters"}],
    "data": {"office": "Secretary of State", "reason": "A test of leaving"},
}


def test_people_and_offices_tables_say_who_is_who_and_who_held_what_as_the_api(example, system, tmp_path):
    assert example.post("/events", json=LEFT).status_code == 201
    pin = pin_of(system.app)
    write_export(system.app, pin, "datapackage", tmp_path, Options(license="CC-BY-4.0"))
    package = Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    described = {r["name"]: r for r in json.loads((tmp_path / "datapackage.json").read_text())["resources"]}
    assert described["offices"]["schema"]["foreignKeys"] == [
        {"fields": "person", "reference": {"resource": "people", "fields": "person"}}
    ]

    people = frame(example, "people", position=pin.position)
    yermak = people[people.person == "person/andriy-yermak"].iloc[0]
    state = example.get("/subjects/person/andriy-yermak").json()["state"]
    assert yermak["name"] == state["name"] and json.loads(yermak["aliases"]) == state["aliases"]
    assert "Андрій Єрмак" in json.loads(yermak["aliases"]) and pd.isna(yermak["merged_into"])
    assert sorted(people.person) == sorted(
        s["subject"] for s in example.get("/state", params={"kind": "person", "limit": 1000}).json()["subjects"]
    )

    offices = frame(example, "offices", position=pin.position)
    rubio = offices[offices.person == "person/marco-rubio"]
    assert rubio[["office", "organisation", "since"]].values.tolist() == [
        ["Secretary of State", "United States", "../2025-11-23"]
    ]
    assert rubio.iloc[0]["valid_to_date"] == "2025-12-01"  # left on 2 December: held through the 1st
    taken = example.get("/events", params={"subject": "person/marco-rubio", "type": "OfficeTaken"}).json()["events"]
    assert rubio.iloc[0]["caused_by"] == taken[0]["event_id"]
    for day in ("2025-11-25", "2025-12-01", "2025-12-03"):
        held = on_day(offices.rename(columns={"person": "subject"}), day)
        api = example.get("/subjects/person", params={"as_of": day}).json()["holders"]
        assert sorted(held.subject) == sorted(h["subject"] for h in api), day
        # The holders of one office, found through the search index: under any spelling (a Cyrillic Е).
        one = example.get("/subjects/person", params={"as_of": day, "office": "SЕCRETARY of  State"}).json()["holders"]
        assert [h["subject"] for h in one] == sorted(held[held.office == "Secretary of State"].subject), day
    assert example.get("/export/people.csv", params={"format_version": "4"}).status_code == 404
