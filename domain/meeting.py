"""Meetings: rounds of talks, scheduled for a fuzzy date, then held or cancelled."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from parley.domain.facts import Fact, State
from parley.domain.schedule import reschedule_moves, Participant, PlannedFor, RescheduledData, cancelled, rescheduled, still_scheduled
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import MAX_ITEMS, Name, Strict, Text, disputable

Participants = Annotated[list[Participant], Field(max_length=MAX_ITEMS)]


class MeetingScheduledData(Strict):
    title: disputable(Name) | None = None  # type: ignore[valid-type]
    location: disputable(Name)  # type: ignore[valid-type]
    planned_for: disputable(PlannedFor)  # type: ignore[valid-type]
    participants: Participants


class MeetingHeldData(Strict):
    location: disputable(Name) | None = None  # type: ignore[valid-type]
    participants: Participants | None = None
    outcome: disputable(Text) | None = None  # type: ignore[valid-type]


class MeetingCancelledData(Strict):
    reason: Text | None = None


def scheduled(state: State, fact: Fact) -> State:
    data = fact.data
    return {
        **state,
        "title": data.get("title"),
        "location": data["location"],
        "planned_for": data["planned_for"],
        "participants": data["participants"],
        "status": "scheduled",
        "outcome": None,
    }


def held(state: State, fact: Fact) -> State:
    still_scheduled(state, fact, "held")
    changed = {k: fact.data[k] for k in ("location", "participants", "outcome") if k in fact.data}
    return {**state, **changed, "status": "held"}


class Meeting(Subject):
    kind = "meeting"
    state_fields = ("title", "location", "planned_for", "participants", "status", "outcome")

    class MeetingScheduled(SubjectCreated):
        class_version = 1
        data_model = MeetingScheduledData
        evolved = staticmethod(scheduled)

    class MeetingRescheduled(FactRecorded):
        class_version = 1
        data_model = RescheduledData
        evolved = staticmethod(rescheduled)
        checks = (reschedule_moves,)

    class MeetingHeld(FactRecorded):
        class_version = 1
        data_model = MeetingHeldData
        evolved = staticmethod(held)

    class MeetingCancelled(FactRecorded):
        class_version = 1
        data_model = MeetingCancelledData
        evolved = staticmethod(cancelled)

    concluded_by = ("MeetingHeld", "MeetingCancelled")
