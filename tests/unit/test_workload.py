"""The benchmark's workload is derived from the kinds' declarations: every declared kind is generated,
and every generated event passes its kind's data model and rules in the order generated."""

from __future__ import annotations

from itertools import islice
from typing import Any

import pytest

from parley.domain.catalog import BUILT_IN, load
from parley.domain.facts import FAR_FUTURE
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.register import Register
from parley.domain.subjects import SubjectId
from parley.domain.timeline import fold
from parley.scripts.bench.workload import KINDS, SubjectStory, stories

EXTRA = load(("parley.scripts.kinds.ceasefire", "tests.truce_kind"))


def recorded(story: SubjectStory, catalog=BUILT_IN) -> list[str]:
    """The story's events recorded on their subjects, as the service would: each checked and folded,
    the rules that compare people given the register the story's records make."""
    cls = catalog.subject_class(story.kind)
    subjects: dict[str, Any] = {}
    types = []
    for body in story:
        event_class = cls.event_class(body["type"])
        event_class.data_model.model_validate(body["data"])
        content = {
            "event_id": body["event_id"],
            "occurred": FuzzyDate.parse(body["occurred"]),
            "data": body["data"],
            "sources": body["sources"],
            "recorded_by": "bench",
        }
        register = Register.of(
            {
                name: entry
                for name, s in subjects.items()
                if cls.register_entry is not None and (entry := _entry(cls, s.facts)) is not None
            }
        )
        if body["subject"] not in subjects:
            subjects[body["subject"]] = cls.open(SubjectId.parse(body["subject"]), body["type"], register=register, **content)
        else:
            subjects[body["subject"]].record(body["type"], register=register, **content)
        types.append(body["type"])
    return types


def _entry(cls, facts):
    state = fold(cls, facts, FAR_FUTURE, None).state
    return state and cls.register_entry(state)


def test_every_declared_kind_is_generated_with_its_own_changes() -> None:
    assert KINDS == BUILT_IN.kinds
    made = {kind: set() for kind in KINDS}
    for story in islice(stories("t", 3), 120):
        made[story.kind] |= set(recorded(story))
    for kind in KINDS:
        own = set(BUILT_IN.subject_class(kind).data_models) - {"StatementRecorded", "EventRetracted"}
        assert own <= made[kind], (kind, own - made[kind])


@pytest.mark.parametrize("kind", ["ceasefire", "truce"])
def test_a_kind_declared_with_no_sample_is_generated_from_its_creation_example(kind: str) -> None:
    cls = EXTRA.subject_class(kind)
    types = recorded(SubjectStory(kind, "generated", 40, 5, EXTRA), EXTRA)
    assert types[0] == cls.creation.__name__ and set(types[1:]) <= {"StatementRecorded", "EventRetracted"}
