"""Limits, each with a default and a setting: body size (413), names, texts and lists (422
naming the field and the setting), events per batch; and unknown fields, refused for every
event type, never dropped. A refusal stores nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.api.examples import openapi_examples
from parley.api.main import create_app
from parley.domain.catalog import ALL_TYPES
from parley.domain.values import MAX_ITEMS, MAX_NAME
from parley.scripts.cli import cli
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.integration.helpers import assert_problem, event, stored_rows

SMALL = {"max_name_chars": 13, "max_text_chars": 30, "max_list_items": 2, "max_batch_events": 3, "max_body_bytes": 4096}


@pytest.fixture
def limited(database_url: str) -> Iterator[tuple[TestClient, object]]:
    system = build(Settings(database_url=database_url, **SMALL))
    token = system.tokens.create("tester")
    try:
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            yield client, system
    finally:
        system.close()


def refused_at(response, *paths: str) -> dict:
    problem = assert_problem(response, 422)
    assert {e["path"] for e in problem["errors"]} == set(paths), problem["errors"]
    return problem


@pytest.mark.parametrize(
    ("body", "path", "setting"),
    [
        (event(data={"party": "x" * 14, "members": []}), "body.DelegationFormed.data.party", "max_name_chars"),
        (
            event(data={"party": "Ukraine", "members": [{"name": "x" * 14}]}),
            "body.DelegationFormed.data.members.0.name",
            "max_name_chars",
        ),
        (event(note="x" * 31), "body.DelegationFormed.note", "max_text_chars"),
        (event(sources=[{"name": "Axios", "quote": "x" * 31}]), "body.DelegationFormed.sources.0.quote", "max_text_chars"),
        (
            event(data={"party": "Ukraine", "members": [{"name": n} for n in "abc"]}),
            "body.DelegationFormed.data.members",
            "max_list_items",
        ),
        (event(sources=[{"name": n} for n in "abc"]), "body.DelegationFormed.sources", "max_list_items"),
        (
            event(
                sources=[{"name": "A"}],
                data={"party": {"disputed": [{"value": n, "sources": ["A"]} for n in "abc"]}, "members": []},
            ),
            "body.DelegationFormed.data.party.disputed",
            "max_list_items",
        ),
        (
            event(
                sources=[{"name": "A"}, {"name": "B"}],
                data={
                    "party": {"disputed": [{"value": "x" * 14, "sources": ["A"]}, {"value": "y", "sources": ["B"]}]},
                    "members": [],
                },
            ),
            "body.DelegationFormed.data.party.disputed.0.value",
            "max_name_chars",
        ),
    ],
)
def test_a_value_over_its_configured_limit_is_422_naming_the_field_and_setting(limited, body, path, setting) -> None:
    client, system = limited
    problem = refused_at(client.post("/events", json=body), path)
    assert setting in problem["errors"][0]["message"]
    assert stored_rows(system) == 0


def test_values_at_their_limits_are_accepted(limited) -> None:
    client, _ = limited
    body = event(
        note="x" * 30,
        sources=[{"name": "x" * 13}, {"name": "Axios"}],
        data={"party": "x" * 13, "members": [{"name": "a"}, {"name": "b"}]},
    )
    assert client.post("/events", json=body).status_code == 201


def test_a_batch_is_checked_event_by_event_and_over_its_event_limit(limited) -> None:
    client, system = limited
    long_party = event(subject="delegation/moldova", data={"party": "x" * 14, "members": []})
    refused_at(client.post("/events/batch", json={"events": [event(), long_party]}), "body.events.1.DelegationFormed.data.party")
    four = [event(subject=f"delegation/d-{n}") for n in range(4)]
    problem = refused_at(client.post("/events/batch", json={"events": four}), "body.events")
    assert "max_batch_events" in problem["errors"][0]["message"]
    refused_at(client.post("/events/batch", json={"events": []}), "body.events")
    refused_at(client.post("/events/batch", json={"events": {"type": "DelegationFormed"}}), "body.events")
    assert stored_rows(system) == 0


def test_an_import_line_over_a_limit_is_refused_by_its_number_with_the_lines_before_it_stored(database_url, tmp_path) -> None:
    """`parley import` records through the same write path as the API, so the same limits hold."""
    lines = [
        event(subject="delegation/moldova"),
        event(data={"party": "x" * 14, "members": []}),
        event(subject="delegation/georgia"),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", str(path), "--database", database_url], env={"PARLEY_MAX_NAME_CHARS": "13"})
    assert done.exit_code == 2, done.output
    told = " ".join(done.stderr.split())
    assert "line 2 refused: field `data.party`: at most 13 characters (setting max_name_chars)" in told, told
    system = build(Settings(database_url=database_url))
    try:
        assert [event.subject for _, event in system.app.log()] == ["delegation/moldova"]
    finally:
        system.close()


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_byte_limit_is_413_whether_or_not_its_length_is_declared(limited, chunked) -> None:
    client, system = limited
    body = b'{"events": [' + b",".join([b'{"type": "StatementRecorded"}'] * 200) + b"]}"

    def chunks() -> Iterator[bytes]:
        yield from (body[i : i + 1000] for i in range(0, len(body), 1000))

    response = client.post("/events/batch", content=chunks() if chunked else body, headers={"content-type": "application/json"})
    assert_problem(response, 413)
    assert stored_rows(system) == 0


def test_by_default_the_schema_ceilings_hold(client, system) -> None:
    refused_at(
        client.post("/events", json=event(data={"party": "x" * (MAX_NAME + 1), "members": []})),
        "body.DelegationFormed.data.party",
    )
    members = [{"name": f"m{n}"} for n in range(MAX_ITEMS + 1)]
    refused_at(
        client.post("/events", json=event(data={"party": "Ukraine", "members": members})), "body.DelegationFormed.data.members"
    )
    assert stored_rows(system) == 0


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_an_unknown_field_in_the_data_of_any_event_type_is_422(client, system, type_name) -> None:
    example = copy.deepcopy(openapi_examples()[type_name]["value"])
    with_extra = {**example, "data": {**example["data"], "unexpected": "kept nowhere"}}
    refused_at(client.post("/events", json=with_extra), f"body.{type_name}.data.unexpected")
    assert stored_rows(system) == 0
    # Without the extra field the same event passes validation (it may still break a rule).
    assert client.post("/events", json=example).status_code in (201, 409)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({**event(), "unexpected": 1}, "body.DelegationFormed.unexpected"),
        (event(sources=[{"name": "Axios", "unexpected": 1}]), "body.DelegationFormed.sources.0.unexpected"),
        (
            event(data={"party": "Ukraine", "members": [{"name": "A", "unexpected": 1}]}),
            "body.DelegationFormed.data.members.0.unexpected",
        ),
    ],
)
def test_unknown_fields_anywhere_in_an_event_are_422(client, system, body, path) -> None:
    refused_at(client.post("/events", json=body), path)
    refused_at(client.post("/events/batch", json={"events": [body]}), path.replace("body.", "body.events.0.", 1))
    assert stored_rows(system) == 0
