"""Trips: someone travelling to talks, planned for a fuzzy date."""

from __future__ import annotations

from typing import Any, Literal

from parley.domain.facts import Fact, State
from parley.domain.schedule import (
    PlannedFor,
    RescheduledData,
    ScheduledSample,
    cancelled,
    reschedule_moves,
    rescheduled,
    still_scheduled,
)
from parley.domain.shown import DisputableDate, DisputableName, DisputableText, KindState
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import Disputable, Name, Strict, Text


class TripScheduledData(Strict):
    traveller: Disputable[Name]
    destination: Disputable[Name]
    purpose: Disputable[Text] | None = None
    planned_for: Disputable[PlannedFor]


class TripCompletedData(Strict):
    pass


class TripCancelledData(Strict):
    """Version 2 adds `postponed`: the source reports the trip put off to a later date rather
    than called off (false when it does not say so)."""

    reason: Text | None = None
    postponed: Disputable[bool] = False


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


class TripState(KindState):
    traveller: DisputableName | None
    destination: DisputableName | None
    purpose: DisputableText | None
    planned_for: DisputableDate | None
    status: Literal["scheduled", "completed", "cancelled"] | None


class TripSample(ScheduledSample):
    def scheduled(self, planned: str) -> dict[str, Any]:
        return {
            "traveller": self.rng.choice(self.pool.people),
            "destination": self.rng.choice(self.pool.places),
            "planned_for": planned,
        }


class Trip(Subject):
    kind = "trip"
    label = "Trip"
    plural = "trips"
    colour = "#7e22ce"
    description = "Someone travelling to talks, planned for a fuzzy date."
    state_model = TripState
    summary_fields = ("traveller", "destination", "planned_for", "status")
    title = "{traveller} to {destination}"
    person_fields = ("traveller",)
    role_fields = {"traveller": "traveller"}
    sample = TripSample
    drafting_nouns = ("trip", "visit", "journey", "tour")
    drafting_subject = "{traveller}-{destination}"
    drafting_cues = {
        "TripScheduled": (
            "will|would|to|shall|may|might|could|expected|plans|planning|due|set ~ travel|visit|fly|head|arrive "
            "=> destination=@place; planned_for=@date",
            "expected|due in => destination=@place; planned_for=@date",
        ),
        "TripCompleted": (
            "arrived|landed ~ in => destination=@place",
            "visited|travelled|traveled|flew ~ to => destination=@place",
            "visited => destination=@place",
            "left|departed ~ for => destination=@place",  # "left Washington for Doha"
        ),
        "TripCancelled": ("cancelled|canceled|scrapped|called|postponed ~ trip|visit|journey",),
    }

    class TripScheduled(SubjectCreated):
        class_version = 1
        data_model = TripScheduledData
        person_fields = ("traveller",)
        evolved = staticmethod(scheduled)
        label = "Scheduled"
        sentence = "{traveller} to {destination}, planned {planned_for}"
        example = {
            "subject": "trip/witkoff-moscow",
            "occurred": "2025-11-30",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {
                "traveller": "Steve Witkoff",
                "destination": "Moscow",
                "purpose": "Talks with Vladimir Putin",
                "planned_for": "2025-12-01",
            },
        }

    class TripRescheduled(FactRecorded):
        class_version = 1
        data_model = RescheduledData
        evolved = staticmethod(rescheduled)
        checks = (reschedule_moves,)
        label = "Rescheduled"
        sentence = "Rescheduled, now planned {planned_for}"
        example = {
            "subject": "trip/witkoff-moscow",
            "occurred": "2025-12-01",
            "sources": [{"name": "Axios"}],
            "data": {"planned_for": "2025-12-02?"},
        }

    class TripCompleted(FactRecorded):
        class_version = 1
        data_model = TripCompletedData
        evolved = staticmethod(completed)
        label = "Completed"
        sentence = "Completed"
        example = {
            "subject": "trip/witkoff-moscow",
            "occurred": "2025-12-02/2025-12-03",
            "sources": [{"name": "Kremlin spokesman Dmitry Peskov"}],
            "data": {},
        }

    class TripCancelled(FactRecorded):
        class_version = 2
        data_model = TripCancelledData
        evolved = staticmethod(cancelled)
        label = "Cancelled"
        sentence = "Cancelled"
        example = {
            "subject": "trip/witkoff-moscow",
            "occurred": "2025-12-01",
            "sources": [{"name": "Axios"}],
            "data": {"reason": "Talks postponed"},
        }

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 had no `postponed`: its sources did not report the trip as put off."""
            state["data"] = {**state["data"], "postponed": False}

    concluded_by = ("TripCompleted", "TripCancelled")
