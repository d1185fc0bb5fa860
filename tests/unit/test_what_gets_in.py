"""SPEC §6 as rules of the domain: names normalised and compared loosely, JSON types taken as
sent, disputes that dispute, no empty changes, and refusals that name what they collide with.
Rules added here refuse the event being recorded, never the stored ones that break them."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from parley.domain.catalog import data_model
from parley.domain.errors import RuleBroken
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.timeline import fold
from parley.domain.values import Source, cites_every_source, is_from_the_future, uncited_sources
from tests.unit.builders import meeting, open_subject, plan, record, trip, ukraine


@contextmanager
def refused(rule: str):
    with pytest.raises(RuleBroken) as broken:
        yield broken
    assert broken.value.rule == rule, broken.value.message


def validated(kind: str, type_name: str, data: dict) -> dict:
    return data_model(kind, type_name).model_validate(data).model_dump(mode="json", exclude_none=True)


def refusal(kind: str, type_name: str, data: dict) -> tuple[tuple, str]:
    with pytest.raises(ValidationError) as error:
        data_model(kind, type_name).model_validate(data)
    first = error.value.errors()[0]
    return first["loc"], first["type"]


# 1. Names are normalised in the value types, and rules compare them loosely.


def test_names_and_texts_are_stored_normalised() -> None:
    data = validated(
        "delegation",
        "DelegationFormed",
        {
            "party": " Ukraine\u00a0 ",
            "head": "Zelensk\u0079\u0301  Volodymyr",
            "members": [{"name": "\u2003Rustem\u00a0 Umerov"}],
        },
    )
    assert data == {"party": "Ukraine", "head": "Zelensk\u00fd Volodymyr", "members": [{"name": "Rustem Umerov"}]}
    assert (
        validated("delegation", "StatementRecorded", {"speaker": "A", "quote": " Line one.\n\nLine two. "})["quote"]
        == "Line one. Line two."
    )


@pytest.mark.parametrize(
    ("kind", "type_name", "data", "field"),
    [
        ("delegation", "DelegationFormed", {"party": "   ", "members": []}, "party"),
        ("delegation", "DelegationFormed", {"party": "Ukraine", "head": " ", "members": []}, "head"),
        ("delegation", "DelegationMemberJoined", {"name": "\u2003"}, "name"),
    ],
)
def test_a_name_of_nothing_but_white_space_is_refused(kind, type_name, data, field) -> None:
    location, kind_of_error = refusal(kind, type_name, data)
    assert location[0] == field and kind_of_error == "string_blank"


def test_a_name_over_its_length_is_refused_as_sent_before_it_is_normalised() -> None:
    location, kind_of_error = refusal("delegation", "DelegationMemberJoined", {"name": "A" + " " * 200})
    assert location == ("name",) and kind_of_error == "string_too_long"


def test_a_head_replaced_by_the_same_name_spelled_otherwise_is_refused() -> None:
    delegation = open_subject(
        "delegation/sudan",
        "DelegationFormed",
        "2025-11-20",
        {"party": "Sudan", "head": "Dafallah al-Haj", "members": [{"name": "A"}]},
    )
    with refused("head-differs"):
        record(delegation, "DelegationHeadReplaced", "2025-11-25", {"new_head": "dafallah al-haj"})
    with refused("member-once"):
        record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "a"})
    assert delegation.version == 1


def test_a_delegation_cannot_be_formed_listing_one_member_twice_in_two_spellings() -> None:
    with refused("member-once"):
        open_subject(
            "delegation/sudan",
            "DelegationFormed",
            "2025-11-20",
            {"party": "Sudan", "members": [{"name": "Rustem Umerov"}, {"name": "RUSTEM UMEROV"}]},
        )


def test_a_member_leaves_by_any_spelling_of_their_name() -> None:
    delegation = ukraine()
    record(delegation, "DelegationMemberLeft", "2025-11-25", {"name": "andriy yermak"})
    assert fold("delegation", delegation.facts, datetime(2025, 12, 1, tzinfo=UTC), None).state["members"] == []


def test_a_topic_is_removed_by_any_spelling_of_its_name() -> None:
    subject = plan()
    record(subject, "PlanRevised", "2025-11-25", {"topics_removed": ["Territory"]})
    assert fold("plan", subject.facts, datetime(2025, 12, 1, tzinfo=UTC), None).state["topics"] == []


# 2. JSON types are taken as sent.


@pytest.mark.parametrize(
    ("kind", "type_name", "data", "field", "expected"),
    [
        ("plan", "PlanRevised", {"point_count": True}, "point_count", "int_type"),
        ("plan", "PlanRevised", {"point_count": "12"}, "point_count", "int_type"),
        ("plan", "PlanRevised", {"published": "yes"}, "published", "bool_type"),
        ("plan", "PlanRevised", {"published": 1}, "published", "bool_type"),
        ("plan", "PlanRevised", {"summary": 12}, "summary", "string_type"),
        ("trip", "TripScheduled", {"traveller": "A", "destination": "B", "planned_for": 2025}, "planned_for", "string_type"),
    ],
)
def test_json_types_are_taken_as_sent(kind, type_name, data, field, expected) -> None:
    location, kind_of_error = refusal(kind, type_name, data)
    assert location[0] == field and kind_of_error == expected


# 3. A dispute disputes.


def test_a_dispute_between_equal_values_is_refused() -> None:
    alternatives = [{"value": "Dafallah al-Haj", "sources": ["Axios"]}, {"value": "dafallah  al-haj", "sources": ["WSJ"]}]
    location, kind_of_error = refusal("delegation", "DelegationHeadReplaced", {"new_head": {"disputed": alternatives}})
    assert location[0] == "new_head" and kind_of_error == "dispute_repeats_value"
    assert (
        refusal(
            "plan",
            "PlanRevised",
            {"point_count": {"disputed": [{"value": 19, "sources": ["A"]}, {"value": 19, "sources": ["B"]}]}},
        )[1]
        == "dispute_repeats_value"
    )


def test_a_dispute_needs_a_source_for_each_alternative() -> None:
    location, kind_of_error = refusal(
        "plan", "PlanRevised", {"point_count": {"disputed": [{"value": 19, "sources": []}, {"value": 22, "sources": ["B"]}]}}
    )
    assert location[0] == "point_count" and kind_of_error == "too_short"


def test_a_disputed_value_names_only_sources_of_its_event() -> None:
    data = {"point_count": {"disputed": [{"value": 19, "sources": ["axios"]}, {"value": 22, "sources": ["WSJ"]}]}}
    assert uncited_sources(data, [{"name": "Axios"}, {"name": "WSJ"}]) == []
    assert uncited_sources(data, [{"name": "Axios"}]) == [("data.point_count.disputed.1.sources.0", "WSJ")]


def test_the_validated_data_cites_its_sources_as_the_dumped_data_does() -> None:
    """The write path checks the validated model (`cites_every_source`), not its dump."""
    data = {"point_count": {"disputed": [{"value": 19, "sources": ["axios"]}, {"value": 22, "sources": ["WSJ"]}]}}
    model = data_model("plan", "PlanRevised").model_validate(data)
    axios, wsj = Source(name="Axios"), Source(name="WSJ")
    assert cites_every_source(model, [axios, wsj]) and not cites_every_source(model, [axios])
    assert cites_every_source(data_model("plan", "PlanRevised").model_validate({"point_count": 19}), [axios])


# 4. No event from the future.


def test_an_event_that_begins_after_it_is_recorded_is_from_the_future() -> None:
    recorded = datetime(2025, 12, 1, 12, tzinfo=UTC)
    assert is_from_the_future(FuzzyDate.parse("2030"), recorded)
    assert is_from_the_future(FuzzyDate.parse("2025-12-02"), recorded)
    assert not is_from_the_future(FuzzyDate.parse("2025-12"), recorded)  # may have happened already
    assert not is_from_the_future(FuzzyDate.parse("../2030-01-01"), recorded)


# 5. No empty changes.


def test_a_revision_that_changes_nothing_is_refused() -> None:
    subject = plan()
    for nothing in ({}, {"point_count": 28}, {"topics_added": ["territory"]}):
        with refused("revision-changes"):
            record(subject, "PlanRevised", "2025-11-25", nothing)
    record(subject, "PlanRevised", "2025-11-25", {"summary": "Now with a summary"})
    assert subject.version == 2


def test_a_status_set_to_the_status_it_has_is_refused() -> None:
    subject = plan()
    record(subject, "PlanStatusChanged", "2025-11-25", {"status": "rejected"})
    with refused("status-differs"):
        record(subject, "PlanStatusChanged", "2025-11-26", {"status": "rejected"})
    with refused("status-differs"):
        record(subject, "PlanStatusChanged", "2025-11-21", {"status": "proposed"})


@pytest.mark.parametrize(
    ("build", "type_name", "planned_for"),
    [(trip, "TripRescheduled", "2025-12-01"), (meeting, "MeetingRescheduled", "2025-11-30")],
)
def test_a_reschedule_to_the_same_date_is_refused(build, type_name, planned_for) -> None:
    subject = build()
    with refused("reschedule-moves"):
        record(subject, type_name, "2025-11-30", {"planned_for": planned_for})


# 8. A refusal names what it collides with.


def test_a_backdated_event_names_the_later_event_it_would_make_impossible() -> None:
    subject = meeting()
    cancelled = record(subject, "MeetingCancelled", "2025-11-29", {})
    with refused("concluded-is-final") as broken:
        record(subject, "MeetingHeld", "2025-11-27", {})
    assert broken.value.collides_with == {"event_id": cancelled, "type": "MeetingCancelled", "occurred": "2025-11-29"}
    assert "later MeetingCancelled" in broken.value.message and cancelled in broken.value.message


def test_a_refused_retraction_names_the_event_to_retract_first() -> None:
    delegation = ukraine()
    joined = record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "Rustem Umerov"})
    left = record(delegation, "DelegationMemberLeft", "2025-11-27", {"name": "Rustem Umerov"})
    with refused("member-must-belong") as broken:
        record(delegation, "EventRetracted", "2025-11-28", {"event_id": joined, "reason": "wrong"})
    assert broken.value.collides_with["event_id"] == left
    assert f"retract {left} first" in broken.value.message


def test_a_backdated_event_that_makes_a_later_change_empty_is_refused() -> None:
    subject = plan()
    agreed = record(subject, "PlanStatusChanged", "2025-11-28", {"status": "agreed"})
    with refused("status-differs") as broken:
        record(subject, "PlanStatusChanged", "2025-11-25", {"status": "agreed"})
    assert broken.value.collides_with["event_id"] == agreed


# Rules added here refuse the event being recorded, never stored events that break them.


def stored(subject, type_name: str, occurred: str, data: dict) -> str:
    """Record a fact as an older Parley would have, without today's checks."""
    event_type = type(subject).event_class(type_name)
    checks, event_type.checks = event_type.checks, ()
    try:
        return record(subject, type_name, occurred, data)
    finally:
        event_type.checks = checks


def test_stored_events_that_break_a_newer_rule_fold_as_before_and_block_no_later_write() -> None:
    delegation = open_subject(
        "delegation/loose",
        "DelegationFormed",
        "2025-11-30",
        {"party": "Loose ", "head": "Dafallah al-Haj", "members": [{"name": "A"}]},
    )
    stored(delegation, "DelegationMemberJoined", "2025-12-02", {"name": "a "})
    stored(delegation, "DelegationHeadReplaced", "2025-12-02", {"new_head": "dafallah al-haj "})
    delegation.checked = None  # as loaded from the store: the next record folds the whole timeline
    record(delegation, "DelegationMemberJoined", "2025-12-01", {"name": "B"})  # backdated, before both
    record(delegation, "DelegationMemberLeft", "2025-12-03", {"name": "A"})
    state = fold("delegation", delegation.facts, datetime(2025, 12, 31, tzinfo=UTC), None).state
    assert state["members"] == [{"name": "B", "role": None}, {"name": "a ", "role": None}]
    assert state["head"] == "dafallah al-haj " and state["former_heads"] == ["Dafallah al-Haj"]
    with refused("member-once"):
        record(delegation, "DelegationMemberJoined", "2025-12-04", {"name": "b"})


def test_a_plan_with_an_empty_revision_and_a_status_set_twice_takes_later_events() -> None:
    subject = plan()
    stored(subject, "PlanRevised", "2025-11-21", {})
    stored(subject, "PlanStatusChanged", "2025-11-22", {"status": "rejected"})
    stored(subject, "PlanStatusChanged", "2025-11-23", {"status": "rejected"})
    subject.checked = None
    record(subject, "PlanRevised", "2025-11-21", {"summary": "Backdated"})
    record(subject, "PlanStatusChanged", "2025-11-24", {"status": "agreed"})
    state = fold("plan", subject.facts, datetime(2025, 12, 31, tzinfo=UTC), None).state
    assert state["revision"] == 2 and state["status"] == "agreed"
