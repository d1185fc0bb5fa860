"""The write path (service/writes.py): named parts that never call back into the application,
and a fact recorded built once."""

from __future__ import annotations

import ast
import uuid
from datetime import UTC, datetime
from pathlib import Path

from parley.domain import facts
from parley.domain.catalog import BUILT_IN
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId

SERVICE = Path(__file__).resolve().parents[2] / "service"
PARTS = ("writes.py", "deciding.py", "idempotency.py", "group_writes.py", "saving.py", "limits.py")


def test_no_part_of_the_write_path_reaches_into_the_application() -> None:
    for name in PARTS:
        tree = ast.parse((SERVICE / name).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "parley.service.application" not in imported, name
        parameters = {
            arg.arg
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            for arg in node.args.args + node.args.kwonlyargs
        }
        assert "app" not in parameters, name


def _content(occurred: str, **data: object) -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "occurred": FuzzyDate.parse(occurred),
        "sources": [{"name": "Axios"}],
        "data": data,
        "note": None,
        "recorded_by": "tester",
        "recorded_at": None,
    }


def test_a_recorded_fact_is_built_once_and_stamped_with_its_recorded_time(monkeypatch) -> None:
    sid = SubjectId.parse("delegation/ukraine")
    subject = BUILT_IN.subject_class("delegation").open(
        sid, "DelegationFormed", **_content("2025-11-20", party="Ukraine", members=[])
    )
    built = []
    original = facts.Fact.__init__

    def counted(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(facts.Fact, "__init__", counted)
    subject.record("StatementRecorded", **_content("2025-11-23", speaker="Rustem Umerov", quote="We made progress"))
    assert len(built) == 1
    (event,) = subject.collect_events()[-1:]
    assert subject.facts[-1] is built[0]
    assert subject.facts[-1] == event.as_fact()  # as the stored event reads back
    assert subject.facts[-1].recorded_at == event.timestamp <= datetime.now(UTC)
