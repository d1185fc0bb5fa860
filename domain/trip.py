"""Trips: someone travelling to talks, planned for a fuzzy date."""

from __future__ import annotations

from typing import Any

from parley.domain.facts import Fact, State
from parley.domain.schedule import reschedule_moves, PlannedFor, RescheduledData, cancelled, rescheduled, still_scheduled
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import Name, Strict, Text, disputable


class TripScheduledData(Strict):
    traveller: disputable(Name)  # type: ignore[valid-type]
    destination: disputable(Name)  # type: ignore[valid-type]
    purpose: disputable(Text) | None = None  # type: ignore[valid-type]
    planned_for: disputable(PlannedFor)  # type: ignore[valid-type]


class TripCompletedData(Strict):
    pass


class TripCancelledData(Strict):
    """Version 2 adds `postponed`: the source reports the trip put off to a later date rather
    than called off (false when it does not say so)."""

    reason: Text | None = None
    postponed: disputable(bool) = False  # type: ignore[valid-type]


def scheduled(state: State, fact: Fact) -> State:
    data = fact.data
    return {
        **state,
        "traveller": data["traveller"],
        "destination": data["destination"],
        "purpose": data.get("purpose"),
        "planned_for": data["planned_for"],
        "status": "scheduled",
    }


def completed(state: State, fact: Fact) -> State:
    still_scheduled(state, fact, "completed")
    return {**state, "status": "completed"}


class Trip(Subject):
    kind = "trip"
    state_fields = ("traveller", "destination", "purpose", "planned_for", "status")

    class TripScheduled(SubjectCreated):
        class_version = 1
        data_model = TripScheduledData
        evolved = staticmethod(scheduled)

    class TripRescheduled(FactRecorded):
        class_version = 1
        data_model = RescheduledData
        evolved = staticmethod(rescheduled)
        checks = (reschedule_moves,)

    class TripCompleted(FactRecorded):
        class_version = 1
        data_model = TripCompletedData
        evolved = staticmethod(completed)

    class TripCancelled(FactRecorded):
        class_version = 2
        data_model = TripCancelledData
        evolved = staticmethod(cancelled)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 had no `postponed`: its sources did not report the trip as put off."""
            state["data"] = {**state["data"], "postponed": False}

    concluded_by = ("TripCompleted", "TripCancelled")
