"""A store written before `TripCancelled` had a version 2 reads, rebuilds and exports in the
version 2 form: its upcaster adds `postponed: false` to every version 1 cancellation.

The store is tests/fixtures/store-v1.sqlite, written by version 1. On PostgreSQL the same
stored events, byte for byte, are copied into an empty database first (old_stores.py).
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
from parley.domain.errors import RuleBroken
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId
from parley.scripts.transfer import export, import_lines
from parley.service.bootstrap import System, build
from parley.service.commands import Submission
from parley.service.settings import Settings
from tests.faults.load import answers
from tests.faults.old_stores import old_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
V1_EXPORT = FIXTURES / "store-v1.jsonl"
CANCELLED = "TripCancelled"


def opened(url: str) -> System:
    return build(Settings(database_url=url))


@pytest.fixture
def v1_copy(tmp_path: Path) -> str:
    """The fixture store, copied: the checked-in file is never opened."""
    shutil.copy(FIXTURES / "store-v1.sqlite", tmp_path / "v1.sqlite")
    return f"sqlite:///{tmp_path / 'v1.sqlite'}"


@pytest.fixture
def v1_store(v1_copy: str, database_url: str) -> Iterator[System]:
    """The version 1 store on this test's backend."""
    system = opened(old_store(v1_copy, database_url))
    system.projection.catch_up()
    try:
        yield system
    finally:
        system.close()


@pytest.fixture
def as_version_2_writes_it(tmp_path: Path) -> Iterator[System]:
    """The same events, imported from version 1's export by this version: the expected form."""
    system = opened(f"sqlite:///{tmp_path / 'v2.db'}")
    try:
        import_lines(system.app, V1_EXPORT.read_text().splitlines(), "tests")
        yield system
    finally:
        system.close()


def answers_of(system: System) -> dict[str, Any]:
    with TestClient(create_app(system.settings, system)) as client:
        return _without_positions(answers(client))


def exported_lines(system: System) -> list[dict[str, Any]]:
    out = io.StringIO()
    export(system.app, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_fixture_holds_version_1_cancellations(v1_copy: str) -> None:
    with sqlite3.connect(v1_copy.removeprefix("sqlite:///")) as db:
        states = [
            json.loads(row[0]) for row in db.execute("SELECT state FROM stored_events WHERE topic LIKE ?", (f"%.{CANCELLED}",))
        ]
    assert len(states) == 2
    assert all("postponed" not in s["data"] and "class_version" not in s for s in states)


def test_a_version_1_subject_loads_with_its_events_upcast_and_keeps_its_rules(v1_store: System) -> None:
    sid = SubjectId.parse("trip/kushner-kyiv")
    cancelled = next(f for f in v1_store.app.repository.get(sid.stream_id).facts if f.type == CANCELLED)
    assert cancelled.data == {"reason": "Talks postponed", "postponed": False}

    def submission(type_name: str, data: dict[str, Any]) -> Submission:
        return Submission(
            subject=sid, type=type_name, occurred=FuzzyDate.parse("2025-12-05"), sources=[{"name": "Reuters"}], data=data
        )

    with pytest.raises(RuleBroken) as broken:
        v1_store.app.record(submission("TripCompleted", {}), "tests")
    assert broken.value.rule == "cancelled-is-final"
    said = v1_store.app.record(submission("StatementRecorded", {"speaker": "Jared Kushner", "quote": "Later."}), "tests")
    assert said.version == 4


def test_a_version_1_store_answers_and_rebuilds_as_if_this_version_had_written_it(
    v1_store: System, as_version_2_writes_it: System
) -> None:
    expected = answers_of(as_version_2_writes_it)
    cancellations = [e for e in expected["log"] if e["type"] == CANCELLED]
    assert [e["data"].get("postponed") for e in cancellations] == [False, False]
    assert answers_of(v1_store) == expected
    v1_store.projection.rebuild()
    assert answers_of(v1_store) == expected


def test_a_version_1_store_exports_the_upcast_form(v1_store: System) -> None:
    exported = exported_lines(v1_store)
    written = [json.loads(line) for line in V1_EXPORT.read_text().splitlines()]
    upcast = [{**line, "data": {**line["data"], "postponed": False}} if line["type"] == CANCELLED else line for line in written]
    assert exported == upcast


def test_re_importing_the_upcast_export_into_the_same_store_records_nothing(v1_store) -> None:
    lines = [json.dumps(line) for line in exported_lines(v1_store)]
    assert import_lines(v1_store.app, lines, "tests") == (0, len(lines))


def _without_positions(answer: Any) -> Any:
    """An answer without what each store has of its own: positions, and the chain's digests (salted
    per event when chained, SPEC §15, so two stores of the same events link them differently)."""
    if isinstance(answer, dict):
        return {k: _without_positions(v) for k, v in answer.items() if k not in ("position", "digest")}
    if isinstance(answer, list):
        return [_without_positions(item) for item in answer]
    return answer
