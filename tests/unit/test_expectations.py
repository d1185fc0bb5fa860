"""Overdue (SPEC §9): a meeting or trip still scheduled after every date it was planned for."""

from parley.domain.fuzzy_dates import end_of
from parley.domain.timeline import fold
from tests.unit.builders import meeting, open_subject, record, trip


def overdue_on(subject, day: str):
    return fold(subject.kind, subject.facts, end_of(day), None).shown["overdue"]


def test_a_trip_is_overdue_once_the_whole_day_it_was_planned_for_has_passed():
    planned = trip()  # planned for 2025-12-01
    assert [overdue_on(planned, day) for day in ("2025-11-30", "2025-12-01", "2025-12-02")] == [False, False, True]


def test_a_held_or_cancelled_meeting_is_not_overdue():
    held, cancelled = meeting(), meeting()  # planned for 2025-11-30
    record(held, "MeetingHeld", "2025-11-30", {})
    record(cancelled, "MeetingCancelled", "2025-11-29", {})
    assert overdue_on(held, "2025-12-05") is False and overdue_on(cancelled, "2025-12-05") is False


def test_a_completion_that_may_have_happened_by_then_keeps_it_from_being_overdue():
    planned = trip()
    record(planned, "TripCompleted", "2025-12-01/2025-12-10", {})
    assert overdue_on(planned, "2025-12-05") is False
    assert fold("trip", planned.facts, end_of("2025-12-05"), None).state["status"] == "scheduled"


def test_a_disputed_date_is_overdue_only_when_every_alternative_has_passed():
    planned = open_subject(
        "meeting/witkoff-putin",
        "MeetingScheduled",
        "2025-11-30",
        {
            "location": "Moscow",
            "participants": [],
            "planned_for": {
                "disputed": [{"value": "2025-12-02", "sources": ["TASS"]}, {"value": "2025-12-05", "sources": ["Axios"]}]
            },
        },
        sources=[{"name": "TASS"}, {"name": "Axios"}],
    )
    assert overdue_on(planned, "2025-12-04") is False
    assert overdue_on(planned, "2025-12-06") is True
    according_to_tass = fold("meeting", planned.facts, end_of("2025-12-04"), None, sources=["TASS"])
    assert according_to_tass.shown["planned_for"] == "2025-12-02" and according_to_tass.overdue is True


def test_an_open_ended_plan_is_never_overdue_and_other_kinds_have_no_overdue():
    planned = open_subject(
        "trip/later",
        "TripScheduled",
        "2025-11-30",
        {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-01/.."},
    )
    assert overdue_on(planned, "2030-01-01") is False
    plan = open_subject("plan/p", "PlanProposed", "2025-11-20", {"title": "P", "proposed_by": "US", "topics": []})
    assert "overdue" not in fold("plan", plan.facts, end_of("2030-01-01"), None).shown
