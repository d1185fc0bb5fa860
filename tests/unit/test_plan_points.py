"""SPEC §12: a plan's points, event by event, on the aggregate with no storage. Each rule refuses
with its name and leaves the plan as it was."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from parley.domain.catalog import data_model
from parley.domain.errors import RuleBroken
from parley.domain.timeline import fold
from tests.unit.builders import plan, record

END = datetime(2026, 1, 1, tzinfo=UTC)


@contextmanager
def refused(aggregate, rule: str):
    version, facts = aggregate.version, list(aggregate.facts)
    with pytest.raises(RuleBroken) as broken:
        yield
    assert broken.value.rule == rule, broken.value.message
    assert aggregate.version == version and aggregate.facts == facts


def points(aggregate, as_of: datetime = END) -> list[dict]:
    return fold("plan", aggregate.facts, as_of, None).state["points"]


def with_points(*keys: str):
    drafted = plan()
    for number, key in enumerate(keys, start=1):
        record(drafted, "PlanPointAdded", "2025-11-21", {"key": key, "number": number, "text": f"Point on {key}"})
    return drafted


def test_points_fold_in_number_order_with_their_revision_and_a_count_beside_the_reported_one():
    drafted = with_points("territory", "elections")
    record(drafted, "PlanRevised", "2025-11-23", {"summary": "After Geneva"})
    record(drafted, "PlanPointAdded", "2025-11-24", {"key": "amnesty"})
    record(
        drafted,
        "PlanPointChanged",
        "2025-11-24",
        {"key": "elections", "number": {"disputed": [{"value": 9, "sources": ["Axios"]}, {"value": 1, "sources": ["WSJ"]}]}},
        sources=[{"name": "Axios"}, {"name": "WSJ"}],
    )
    record(drafted, "PlanPointPositionTaken", "2025-11-25", {"key": "territory", "party": "Ukraine", "position": "opposes"})
    record(drafted, "PlanPointPositionTaken", "2025-11-26", {"key": "territory", "party": "UKRAINE", "position": "reserves"})
    record(drafted, "PlanPointStatusChanged", "2025-11-26", {"key": "territory", "status": "agreed", "implementation": 1})
    state = fold("plan", drafted.facts, END, None).state
    # A disputed number sorts by its smallest alternative (1 before 1? by key), points with none last.
    assert [p["key"] for p in state["points"]] == ["elections", "territory", "amnesty"]
    territory = state["points"][1]
    assert territory["positions"] == {"Ukraine": "reserves"} and territory["status"] == "agreed"
    assert territory["implementation"] == 1 and territory["revision"] == 1
    assert state["points_recorded"] == 3 and state["point_count"] == 28 and state["revision"] == 1
    # Before the revision, the points added then are stamped 0.
    assert {p["revision"] for p in points(drafted, datetime(2025, 11, 22, tzinfo=UTC))} == {0}


def test_a_point_event_is_stamped_with_the_revision_current_at_its_place_not_when_recorded():
    drafted = with_points("territory")
    record(drafted, "PlanPointChanged", "2025-11-25", {"key": "territory", "text": "Reworded"})
    assert points(drafted)[0]["revision"] == 0
    record(drafted, "PlanRevised", "2025-11-24", {"summary": "Backdated revision"})  # before the change
    assert points(drafted)[0]["revision"] == 1
    record(drafted, "PlanRevised", "2025-11-27", {"summary": "Later"})
    assert points(drafted)[0]["revision"] == 1  # no point event since


def test_points_merge_into_one_of_them_or_a_new_key():
    drafted = with_points("territory", "exchanges", "elections")
    record(
        drafted,
        "PlanPointsMerged",
        "2025-11-22",
        {"keys": ["territory", "exchanges"], "into": "territory", "text": "Territory and exchanges"},
    )
    assert [(p["key"], p["text"]) for p in points(drafted)] == [
        ("territory", "Territory and exchanges"),
        ("elections", "Point on elections"),
    ]
    record(drafted, "PlanPointsMerged", "2025-11-23", {"keys": ["territory", "elections"], "into": "settlement"})
    assert [(p["key"], p["number"], p["text"]) for p in points(drafted)] == [("settlement", None, None)]


def test_a_point_is_added_once_while_it_is_in_the_plan_and_may_come_back_after_removal():
    drafted = with_points("territory")
    with refused(drafted, "point-added-once"):
        record(drafted, "PlanPointAdded", "2025-11-22", {"key": "territory"})
    record(drafted, "PlanPointRemoved", "2025-11-23", {"key": "territory"})
    record(drafted, "PlanPointAdded", "2025-11-24", {"key": "territory", "text": "Back"})
    assert [p["text"] for p in points(drafted)] == ["Back"]


@pytest.mark.parametrize(
    "type_name, data",
    [
        ("PlanPointChanged", {"key": "amnesty", "text": "x"}),
        ("PlanPointRemoved", {"key": "amnesty"}),
        ("PlanPointsMerged", {"keys": ["territory", "amnesty"], "into": "territory"}),
        ("PlanPointPositionTaken", {"key": "amnesty", "party": "Russia", "position": "supports"}),
        ("PlanPointStatusChanged", {"key": "amnesty", "status": "agreed"}),
    ],
)
def test_a_point_not_in_the_plan_is_not_changed_removed_merged_positioned_or_given_a_status(type_name, data):
    drafted = with_points("territory", "elections")
    with refused(drafted, "point-in-plan"):
        record(drafted, type_name, "2025-11-22", data)


def test_a_removed_point_is_no_longer_in_the_plan_and_a_backdated_event_is_checked_at_its_place():
    drafted = with_points("territory")
    record(drafted, "PlanPointRemoved", "2025-11-23", {"key": "territory"})
    with refused(drafted, "point-in-plan"):
        record(drafted, "PlanPointChanged", "2025-11-24", {"key": "territory", "text": "x"})
    # Before the removal the point was there; before its adding, it was not.
    record(drafted, "PlanPointChanged", "2025-11-22", {"key": "territory", "text": "x"})
    with refused(drafted, "point-in-plan"):
        record(drafted, "PlanPointChanged", "2025-11-20", {"key": "territory", "text": "y"})
    # A point added later would make the removal impossible if it were backdated before the removal... it is not
    # there twice: adding it again before the removal is refused.
    with refused(drafted, "point-added-once"):
        record(drafted, "PlanPointAdded", "2025-11-22", {"key": "territory"})


def test_a_merge_goes_into_one_of_its_points_or_a_new_key():
    drafted = with_points("territory", "exchanges", "elections")
    with refused(drafted, "merge-into"):
        record(drafted, "PlanPointsMerged", "2025-11-22", {"keys": ["territory", "exchanges"], "into": "elections"})


def test_a_change_or_a_status_that_changes_nothing_is_refused():
    drafted = with_points("territory")
    with refused(drafted, "point-changes"):
        record(drafted, "PlanPointChanged", "2025-11-22", {"key": "territory", "number": 1, "text": "POINT on territory"})
    with refused(drafted, "point-status-changes"):
        record(drafted, "PlanPointStatusChanged", "2025-11-22", {"key": "territory", "status": "proposed"})
    record(drafted, "PlanPointStatusChanged", "2025-11-22", {"key": "territory", "status": "implemented", "implementation": 1})
    record(drafted, "PlanPointStatusChanged", "2025-11-23", {"key": "territory", "status": "implemented", "implementation": 2})


def test_point_events_need_a_plan_first():
    from tests.unit.builders import open_subject

    with pytest.raises(RuleBroken) as broken:
        open_subject("plan/other", "PlanPointAdded", "2025-11-20", {"key": "territory"})
    assert broken.value.rule == "creation-first"


@pytest.mark.parametrize(
    "type_name, data, why",
    [
        ("PlanPointAdded", {"key": "Not A Slug"}, "not_a_key"),
        ("PlanPointChanged", {"key": "territory"}, "change_names_nothing"),
        ("PlanPointsMerged", {"keys": ["territory"], "into": "territory"}, "too_short"),
        ("PlanPointsMerged", {"keys": ["territory", "territory"], "into": "x"}, "list_repeats_key"),
        ("PlanPointPositionTaken", {"key": "territory", "party": "Ukraine", "position": "likes"}, "literal_error"),
        ("PlanPointStatusChanged", {"key": "territory", "status": "agreed", "implementation": 4}, "less_than_equal"),
        (
            "PlanPointStatusChanged",
            {
                "key": "territory",
                "status": {"disputed": [{"value": "agreed", "sources": ["A"]}, {"value": "agreed", "sources": ["B"]}]},
            },
            "dispute_repeats_value",
        ),
    ],
)
def test_point_data_is_checked_by_its_model(type_name, data, why):
    with pytest.raises(ValidationError) as invalid:
        data_model("plan", type_name).model_validate(data)
    assert why in str(invalid.value.errors()), invalid.value.errors()


def test_every_scalar_field_of_a_point_event_may_be_disputed():
    two = {"disputed": [{"value": 1, "sources": ["A"]}, {"value": 2, "sources": ["B"]}]}
    texts = {"disputed": [{"value": "a", "sources": ["A"]}, {"value": "b", "sources": ["B"]}]}
    data_model("plan", "PlanPointAdded").model_validate({"key": "k", "number": two, "text": texts, "topic": texts})
    data_model("plan", "PlanPointChanged").model_validate({"key": "k", "number": two})
    data_model("plan", "PlanPointRemoved").model_validate({"key": "k", "reason": texts})
    data_model("plan", "PlanPointsMerged").model_validate({"keys": ["a", "b"], "into": "a", "text": texts})
    data_model("plan", "PlanPointPositionTaken").model_validate(
        {
            "key": "k",
            "party": "P",
            "quote": texts,
            "position": {"disputed": [{"value": "supports", "sources": ["A"]}, {"value": "opposes", "sources": ["B"]}]},
        }
    )
    data_model("plan", "PlanPointStatusChanged").model_validate(
        {
            "key": "k",
            "implementation": two,
            "status": {"disputed": [{"value": "agreed", "sources": ["A"]}, {"value": "rejected", "sources": ["B"]}]},
        }
    )


def test_the_benchmarks_generated_plan_passes_every_rule_in_order():
    import random

    from parley.domain.catalog import subject_class
    from parley.domain.subjects import SubjectId
    from parley.scripts.bench.workload import POOL
    from tests.unit.builders import content

    cls = subject_class("plan")
    story = cls.sample(cls, "generated", random.Random(3), POOL).items_story(20, 300)
    drafted = cls.open(SubjectId.parse("plan/generated"), story[0][0], **content("2024-12-31", story[0][1]))
    for index, (type_name, data) in enumerate(story[1:]):
        drafted.record(type_name, **content(f"2025-01-01T{index // 60:02d}:{index % 60:02d}:00Z", data))
    assert sum(t.startswith("PlanPoint") for t, _ in story) == 300 and drafted.version == len(story)
