"""SPEC §10: a store written with a kind that is later not declared still starts; that kind's
subjects answer 404, its events are read as stored by /events, exports and replay, skipped by
folds, and nothing of them is lost: declared again, the kind is whole."""

from __future__ import annotations

import csv
import io
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import eventsourcing.utils
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.domain.catalog import load
from parley.domain.subject import DEFINED
from parley.scripts.replay import Pins, replay
from parley.service.bootstrap import System, build
from parley.service.settings import Settings

# A kind declared in a module of its own, as docs/kinds.md shows; the test removes the module later.
MODULE = """
from parley.domain.facts import Fact, State
from parley.domain.shown import DisputableName, KindState
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import Name, Strict, disputable


class LullAgreedData(Strict):
    between: disputable(Name)


class LullEndedData(Strict):
    by: Name


class LullState(KindState):
    between: DisputableName | None
    ended_by: Name | None


class Lull(Subject):
    kind = "KIND"
    label = "Lull"
    plural = "lulls"
    colour = "#475569"
    description = "A pause nobody announced."
    state_model = LullState

    class LullAgreed(SubjectCreated):
        class_version = 1
        data_model = LullAgreedData
        evolved = staticmethod(lambda state, fact: {**state, "between": fact.data["between"], "ended_by": None})

    class LullEnded(FactRecorded):
        class_version = 1
        data_model = LullEndedData
        evolved = staticmethod(lambda state, fact: {**state, "ended_by": fact.data["by"]})
"""


@contextmanager
def served(database_url: str, extra: str = "") -> Iterator[tuple[TestClient, System]]:
    settings = Settings(database_url=database_url, kinds_extra=extra)
    system = build(settings)
    try:
        token = system.tokens.create(f"tester-{uuid.uuid4().hex[:6]}")
        with TestClient(create_app(settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            yield client, system
    finally:
        system.close()


def forget(module: str, kind: str, folder: Path) -> None:
    """As if the module were uninstalled: this process can no longer find its classes."""
    sys.path.remove(str(folder))
    sys.modules.pop(module, None)
    DEFINED.pop(kind, None)
    load.cache_clear()
    for topic in [t for t in eventsourcing.utils._topic_cache if t.startswith(module)]:
        del eventsourcing.utils._topic_cache[topic]


def lull(kind: str, type_name: str, occurred: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": type_name,
        "subject": f"{kind}/quiet-week",
        "occurred": occurred,
        "sources": [{"name": "Reuters"}],
        "data": data,
    }


def csv_rows(client: TestClient, table: str) -> list[dict[str, str]]:
    answer = client.get(f"/export/{table}.csv")
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_a_kind_declared_no_longer_is_read_as_stored_skipped_by_folds_and_whole_when_declared_again(
    database_url: str, tmp_path: Path
) -> None:
    kind = "lull" + uuid.uuid4().hex[:8]
    module = f"parley_test_{kind}"
    (tmp_path / f"{module}.py").write_text(MODULE.replace("KIND", kind))
    sys.path.insert(0, str(tmp_path))
    try:
        with served(database_url, module) as (client, system):
            for body in (
                lull(kind, "LullAgreed", "2025-06-01", {"between": "North and South"}),
                lull(kind, "LullEnded", "2025-06-09", {"by": "North"}),
                lull(kind, "StatementRecorded", "2025-06-02", {"speaker": "A. Envoy", "quote": "calm"}),
            ):
                assert client.post("/events", json=body).status_code == 201
            assert (
                client.post(
                    "/events",
                    json={
                        **lull(
                            "delegation",
                            "DelegationFormed",
                            "2025-06-01",
                            {"party": "Ukraine", "head": "Rustem Umerov", "members": []},
                        ),
                        "subject": "delegation/ukraine",
                    },
                ).status_code
                == 201
            )
            before = client.get("/events").json()["events"]
            states = csv_rows(client, "states")
            assert {row["subject"] for row in states} == {f"{kind}/quiet-week", "delegation/ukraine"}
    finally:
        forget(module, kind, tmp_path)

    with served(database_url) as (client, system):  # the module is gone: the service still starts
        system.projection.catch_up()
        assert client.get("/events").json()["events"] == before, "read as stored, nothing lost"
        missing = client.get(f"/subjects/{kind}/quiet-week")
        assert missing.status_code == 404 and "not declared" in missing.json()["detail"]
        assert [s["subject"] for s in client.get("/state").json()["subjects"]] == ["delegation/ukraine"]
        changes = client.get("/changes", params={"from": "2025-05-01", "to": "2025-07-01"}).json()["subjects"]
        assert [c["subject"] for c in changes] == ["delegation/ukraine"]

        events = csv_rows(client, "events")
        assert [(row["subject"], row["type"]) for row in events] == [(e["subject"], e["type"]) for e in before]
        assert [row["quote"] for row in csv_rows(client, "statements")] == ["calm"]
        assert {row["subject"] for row in csv_rows(client, "states")} == {"delegation/ukraine"}

        lines = [item.line() for item in replay(system.app, Pins())]
        assert [(line["type"], line["data"]) for line in lines] == [(e["type"], e["data"]) for e in before]
        assert [line["state_after"] for line in lines[:3]] == [None, None, None]  # not folded

        system.projection.rebuild()  # a rebuild without the kind keeps its events too
        assert client.get("/events").json()["events"] == before

    sys.path.insert(0, str(tmp_path))
    try:
        with served(database_url, module) as (client, _):  # declared again: its states are folded back
            state = client.get(f"/subjects/{kind}/quiet-week").json()["state"]
            assert (state["between"], state["ended_by"]) == ("North and South", "North")
            assert [s["quote"] for s in state["statements"]] == ["calm"]
    finally:
        forget(module, kind, tmp_path)
