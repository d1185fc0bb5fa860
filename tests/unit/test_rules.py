"""Every rule of SPEC §2, on the aggregates, with no storage."""

from contextlib import contextmanager

import pytest

from parley.domain.errors import RuleBroken, UnknownEventType
from tests.unit.builders import meeting, open_subject, plan, record, trip, ukraine


@contextmanager
def refused(rule: str):
    with pytest.raises(RuleBroken) as broken:
        yield
    assert broken.value.rule == rule, broken.value.message


def test_the_first_event_must_create_the_subject():
    with refused("creation-first"):
        open_subject("delegation/ukraine", "DelegationHeadReplaced", "2025-11-20", {"new_head": "X"})


def test_a_subject_is_created_once():
    delegation = ukraine()
    with refused("created-once"):
        record(delegation, "DelegationFormed", "2025-11-21", {"party": "Ukraine", "members": []})
    assert delegation.version == 1


def test_a_head_cannot_be_replaced_by_the_same_person():
    delegation = ukraine()
    with refused("head-differs"):
        record(delegation, "DelegationHeadReplaced", "2025-11-25", {"new_head": "Andriy Yermak"})


def test_a_member_cannot_leave_a_delegation_they_are_not_in():
    delegation = ukraine()
    with refused("member-must-belong"):
        record(delegation, "DelegationMemberLeft", "2025-11-25", {"name": "Rustem Umerov"})


def test_a_member_cannot_join_twice():
    delegation = ukraine()
    with refused("member-once"):
        record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "Andriy Yermak"})


@pytest.mark.parametrize(
    ("build", "cancel", "complete"), [(trip, "TripCancelled", "TripCompleted"), (meeting, "MeetingCancelled", "MeetingHeld")]
)
def test_a_cancelled_trip_or_meeting_cannot_be_completed_or_held(build, cancel, complete):
    subject = build()
    record(subject, cancel, "2025-11-30", {})
    with refused("cancelled-is-final"):
        record(subject, complete, "2025-12-02", {})
    assert subject.version == 2


def test_a_held_meeting_cannot_be_cancelled():
    subject = meeting()
    record(subject, "MeetingHeld", "2025-11-30", {})
    with refused("concluded-is-final"):
        record(subject, "MeetingCancelled", "2025-12-01", {})


def test_an_event_cannot_be_retracted_twice():
    delegation = ukraine()
    joined = record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "Rustem Umerov"})
    record(delegation, "EventRetracted", "2025-11-26", {"event_id": joined, "reason": "wrong"})
    with refused("retract-once"):
        record(delegation, "EventRetracted", "2025-11-27", {"event_id": joined, "reason": "again"})


def test_a_retraction_cannot_be_retracted():
    delegation = ukraine()
    joined = record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "Rustem Umerov"})
    retraction = record(delegation, "EventRetracted", "2025-11-26", {"event_id": joined, "reason": "wrong"})
    with refused("retraction-final"):
        record(delegation, "EventRetracted", "2025-11-27", {"event_id": retraction, "reason": "undo"})


def test_only_an_event_of_the_same_subject_can_be_retracted():
    with refused("retract-known-event"):
        record(ukraine(), "EventRetracted", "2025-11-26", {"event_id": "00000000-0000-0000-0000-000000000000", "reason": "?"})


def test_a_backdated_event_before_the_subject_was_formed_is_refused():
    delegation = ukraine()
    with refused("creation-first"):
        record(delegation, "DelegationHeadReplaced", "2025-11-01", {"new_head": "Rustem Umerov"})
    assert delegation.version == 1


def test_a_backdated_event_that_breaks_a_later_one_is_refused():
    delegation = ukraine()
    record(delegation, "DelegationMemberLeft", "2025-11-28", {"name": "Andriy Yermak"})
    # Leaving on the 25th makes the recorded departure on the 28th impossible.
    with refused("member-must-belong"):
        record(delegation, "DelegationMemberLeft", "2025-11-25", {"name": "Andriy Yermak"})


def test_a_retraction_that_would_leave_an_impossible_timeline_is_refused():
    delegation = ukraine()
    joined = record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "Rustem Umerov"})
    record(delegation, "DelegationMemberLeft", "2025-11-28", {"name": "Rustem Umerov"})
    with refused("member-must-belong"):
        record(delegation, "EventRetracted", "2025-11-29", {"event_id": joined, "reason": "wrong"})


def test_a_backdated_event_that_fits_its_place_is_accepted():
    delegation = ukraine()
    record(delegation, "DelegationHeadReplaced", "2025-11-28", {"new_head": "Rustem Umerov"})
    record(delegation, "DelegationMemberJoined", "2025-11-22", {"name": "Rustem Umerov"})
    assert delegation.version == 3


def test_a_subject_can_be_created_again_after_its_creation_was_retracted():
    delegation = ukraine()
    formed = delegation.facts[0].event_id
    record(delegation, "EventRetracted", "2025-11-21", {"event_id": formed, "reason": "wrong party"})
    record(delegation, "DelegationFormed", "2025-11-20", {"party": "Ukraine", "members": []})
    assert delegation.version == 3


def test_a_topic_must_be_in_the_plan_to_be_removed():
    with refused("topic-in-plan"):
        record(plan(), "PlanRevised", "2025-11-23", {"topics_removed": ["elections"]})


def test_a_kind_accepts_only_its_own_event_types():
    with pytest.raises(UnknownEventType):
        record(ukraine(), "TripCompleted", "2025-11-23", {})
