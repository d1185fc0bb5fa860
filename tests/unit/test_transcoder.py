"""Events are stored by orjson (service/transcoder.py) byte for byte as eventsourcing's
JSONTranscoder stores them: every stored event of the fixture stores, every event type of the
bundled scenario as recorded today, and the strings and numbers where the two could differ."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from pydantic import TypeAdapter

from parley.api.examples import EXTRA, scenario
from parley.domain.catalog import ALL_TYPES
from parley.service.bootstrap import build
from parley.service.commands import BatchItemRefused
from parley.service.requests import EVENT_MODELS, EventIn
from parley.service.settings import Settings
from parley.service.transcoder import StoredJSON

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    Application.register_transcodings(None, transcoder)  # type: ignore[arg-type]
    return transcoder


OLD, NEW = registered(JSONTranscoder()), registered(StoredJSON())


def stored_states(path: Path) -> list[bytes]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT state FROM stored_events ORDER BY rowid")]


@pytest.mark.parametrize("store", ["store-v1.sqlite", "store-v2.sqlite"])
def test_every_stored_event_of_a_fixture_store_encodes_as_it_is_stored(store: str) -> None:
    states = stored_states(FIXTURES / store)
    assert len(states) > 50
    for state in states:
        decoded = OLD.decode(state)
        assert NEW.encode(decoded) == OLD.encode(decoded) == state


def test_every_event_type_is_stored_as_jsontranscoder_stores_it(tmp_path: Path) -> None:
    system = build(Settings(database_url=f"sqlite:///{tmp_path}/p.db"))
    try:
        assert type(system.app.mapper.transcoder) is StoredJSON
        adapter = TypeAdapter(EventIn)
        events = [*scenario(), *EXTRA]
        for event in events:  # one at a time: the extra examples need not follow the scenario
            try:
                system.app.record_batch([adapter.validate_python(event).submission()], "tester")
            except BatchItemRefused:
                pass
        system.app.record_batch(later_types(adapter, events, system.app.record_batch), "tester")
        stored = list(system.app.recorder.select_notifications(start=1, limit=10_000))
    finally:
        system.close()
    assert set(ALL_TYPES) <= {n.topic.rsplit(".", 1)[-1] for n in stored}
    for notification in stored:
        decoded = OLD.decode(notification.state)
        assert OLD.encode(decoded) == notification.state


def later_types(adapter: TypeAdapter, events: list[dict[str, Any]], record: Any) -> list[Any]:
    """A trip cancelled, and a statement retracted, on a subject of their own; points merged, on a
    plan of their own that has two; a person merged (into a record registered for it: a merge is
    into a registered person), on records of their own."""

    def on_trip(type_name: str, **changes: Any) -> dict[str, Any]:
        example = next(e for e in events if e["type"] == type_name)
        return {**{k: v for k, v in example.items() if k != "event_id"}, "subject": "trip/own", **changes}

    (statement,) = record(
        [
            adapter.validate_python(on_trip("TripScheduled", occurred="2025-11-20")).submission(),
            adapter.validate_python(on_trip("StatementRecorded", occurred="2025-11-21")).submission(),
        ],
        "tester",
    )[1:]
    retraction = on_trip("EventRetracted", occurred="2025-11-23", data={"event_id": statement.event_id, "reason": "corrected"})

    def on_plan(type_name: str, **changes: Any) -> dict[str, Any]:
        example = next(e for e in events if e["type"] == type_name)
        return {**{k: v for k, v in example.items() if k != "event_id"}, "subject": "plan/own", **changes}

    plan = [
        on_plan("PlanProposed", occurred="2025-11-20"),
        on_plan("PlanPointAdded", occurred="2025-11-21", data={"key": "territory"}),
        on_plan("PlanPointAdded", occurred="2025-11-21", data={"key": "territorial-exchanges"}),
        on_plan("PlanPointsMerged", occurred="2025-11-22"),
    ]
    registered = next(e for e in events if e["type"] == "PersonRegistered")
    into = {**registered, "subject": "person/own-2", "data": {"name": "Own Two", "aliases": []}}
    merged = {**next(e for e in events if e["type"] == "PersonMerged"), "subject": "person/own", "data": {"into": "person/own-2"}}
    people = [into, {**into, "subject": "person/own", "data": {"name": "Own One", "aliases": []}}, merged]
    return [
        adapter.validate_python({k: v for k, v in e.items() if k != "event_id"}).submission()
        for e in (on_trip("TripCancelled", occurred="2025-11-22"), retraction, *plan, *people)
    ]


TEXTS = [
    "".join(chr(c) for c in range(0, 0x80)),
    'é\u0301 \u00a0\u2028\u2029\ufeff \U0001f600 \\ " / \x7f',
    "".join(chr(c) for c in range(0x80, 0x800)),
]


@pytest.mark.parametrize("text", TEXTS)
def test_texts_and_keys_encode_alike(text: str) -> None:
    state = {
        "timestamp": datetime(2025, 11, 30, 12, tzinfo=UTC),
        "note": text,
        "data": {text: [text, 1, True, None]},
        "sources": [{"name": text}],
        "version": 2**63 - 1,
        "least": -(2**63),
    }
    assert NEW.encode(state) == OLD.encode(state)


def test_what_orjson_cannot_encode_is_encoded_or_refused_as_before() -> None:
    assert NEW.encode({"n": 2**64, "m": -(2**63) - 1}) == OLD.encode({"n": 2**64, "m": -(2**63) - 1})
    assert NEW.encode({"d": {1: "a", None: "b"}}) == OLD.encode({"d": {1: "a", None: "b"}})
    with pytest.raises(UnicodeEncodeError):
        NEW.encode({"note": "\ud800"})


def test_no_request_schema_takes_a_number() -> None:
    """orjson writes floats its own way (1e-7, not 1e-07): no event may hold one. (A field may be
    *named* number, as a plan's point's is: it is the JSON type that is looked for.)"""
    schemas = json.dumps([model.model_json_schema() for model in EVENT_MODELS.values()])
    assert '"type": "number"' not in schemas and "'number'" not in schemas
    assert '"type": "integer"' in schemas  # the form looked for is the form written
