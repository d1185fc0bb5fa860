"""Meetings: rounds of talks, scheduled for a fuzzy date, then held or cancelled."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from parley.domain.facts import Fact, State
from parley.domain.schedule import (
    Participant,
    PlannedFor,
    RescheduledData,
    ScheduledSample,
    StateParticipant,
    cancelled,
    reschedule_moves,
    rescheduled,
    still_scheduled,
)
from parley.domain.shown import DisputableDate, DisputableName, DisputableText, KindState
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import MAX_ITEMS, Disputable, Name, Strict, Text, distinct_by_name

Participants = Annotated[list[Participant], Field(max_length=MAX_ITEMS), AfterValidator(distinct_by_name)]


class MeetingScheduledData(Strict):
    title: Disputable[Name] | None = None
    location: Disputable[Name]
    planned_for: Disputable[PlannedFor]
    participants: Participants


class MeetingHeldData(Strict):
    location: Disputable[Name] | None = None
    participants: Participants | None = None
    outcome: Disputable[Text] | None = None


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
    changed: dict[str, Any] = {k: fact.data[k] for k in ("location", "participants", "outcome") if k in fact.data}
    return {**state, **changed, "status": "held"}


class MeetingState(KindState):
    title: DisputableName | None
    location: DisputableName | None
    planned_for: DisputableDate | None
    participants: list[StateParticipant]
    status: Literal["scheduled", "held", "cancelled"] | None
    outcome: DisputableText | None


class MeetingSample(ScheduledSample):
    def scheduled(self, planned: str) -> dict[str, Any]:
        pool = self.pool
        return {
            "title": f"Round {self.slug}",
            "location": self.rng.choice(pool.places),
            "planned_for": planned,
            "participants": [{"name": p} for p in self.rng.sample(pool.people, 3)],
        }


class Meeting(Subject):
    kind = "meeting"
    label = "Meeting"
    plural = "meetings"
    colour = "#047857"
    description = "A round of talks, scheduled for a fuzzy date, then held or cancelled."
    state_model = MeetingState
    summary_fields = ("title", "location", "planned_for", "status")
    title = "{title}"
    person_fields = ("participants[].name",)
    role_fields = {"participants[].name": "participant"}
    sample = MeetingSample
    drafting_nouns = (
        "meeting",
        "talks",
        "round",
        "summit",
        "negotiations",
        "session",
        "consultations",
        "conference",
        "ceremony",
        "signing",
        "discussions",
        "cycle",
    )
    drafting_subject = "{location}-{planned_for:month}"
    _PLANNED = "=> location=@place; planned_for=@date; participants=@people"
    drafting_cues = {
        "MeetingScheduled": (
            f"will|would|to|shall meet|host|convene|reconvene {_PLANNED}",
            f"talks|meeting|summit|round|negotiations|session ~ scheduled|planned|set|slated for {_PLANNED}",
            f"will|would|to|shall hold|have|host|resume|reopen ~ talks|meeting|summit|round|negotiations {_PLANNED}",
            f"talks|meeting|summit|round|negotiations|session ~ will|would|to|expected|scheduled|due|set|planned "
            f"~ take|held|begin|start|resume|convene|open|follow {_PLANNED}",
            f"will|would|to|shall attend ~ talks|meeting|summit|round|negotiations|ceremony|signing|conference {_PLANNED}",
            f"expected|scheduled|due|set|planned|slated to meet|hold|host {_PLANNED}",
            f"expected|scheduled|due|set|planned|slated to take place {_PLANNED}",
        ),
        "MeetingRescheduled": (
            "postponed|delayed|moved|rescheduled|pushed ~ talks|meeting|summit|round => planned_for=@date",
            "talks|meeting|summit|round ~ postponed|delayed|moved|rescheduled|pushed => planned_for=@date",
            "talks|meeting|summit|round ~~ been|was|were postponed|delayed|rescheduled|moved => planned_for=@date",
        ),
        "MeetingHeld": (
            "met|hosted => location=@place; participants=@people",
            "held|hosted|concluded ~ talks|meeting|negotiations|round|summit|consultations "
            "=> location=@place; participants=@people",
            "talks|meeting|negotiations|round|summit|consultations ~ ended|concluded|wrapped "
            "=> location=@place; participants=@people",
            "took place => location=@place; participants=@people",
            "concluded|ended in => location=@place; participants=@people",
            "was|were held => location=@place; participants=@people",
            "sat|sit down with|together => location=@place; participants=@people",
            "talks|meeting|summit|round|session|negotiations|conference held => location=@place; participants=@people",
            "at the end|close of ~ talks|meeting|summit|round|session in|at => location=@place; participants=@people",
            "at a|the ceremony|summit|meeting|talks in|at => location=@place; participants=@people",
            "at a|the ceremony|summit => location=@place; participants=@people",
            "shook|shaking hands => location=@place; participants=@people",
            "one-on-one|bilateral|face-to-face|working meeting|session|talks|lunch|dinner => location=@place; participants=@people",
            "signing ceremony => location=@place; participants=@people",
            # an agreement signed in a place on a day: the parties met there ("signed a peace accord in Maputo")
            "+signed|initialled|initialed ~ agreement|accord|deal|treaty|declaration|ceasefire|truce|memorandum in|at "
            "=> location=@place; participants=@people",
            "+agreement|accord|deal|treaty|declaration|ceasefire|truce|memorandum ~ was|were|been "
            "signed|initialled|initialed in|at "
            "=> location=@place; participants=@people",
            "met face to face => location=@place; participants=@people",  # a cue's spaces part words: one phrase each
            "chaired|hosted|attended ~ meeting|talks|session|summit|round => location=@place; participants=@people",
            "talks|meeting|session|summit|round ~ lasted => location=@place; participants=@people",
            "hours|days|day|weeks|week|months|rounds|night of ~ talks|negotiations|consultations|meetings "
            "=> location=@place; participants=@people",
            "talks|negotiations|meeting|summit ~ opened|began|started|resumed => location=@place; participants=@people",
            "talks|negotiations|meeting|summit ~ got underway => location=@place; participants=@people",
            # the verb before its noun: "opened a second cycle of peace talks", "began formal talks"
            "opened|began|started|resumed|launched ~ talks|negotiations|round|cycle|consultations|dialogue "
            "=> location=@place; participants=@people",
            "back at|to ~ negotiating table => location=@place; participants=@people",
            "returned|returning to ~ negotiating table => location=@place; participants=@people",
            "talks|meeting|summit|ceremony|session|round ~ hosted|convened|chaired|organised|organized by "
            "=> location=@place; participants=@people",
            "after|following ~ talks|negotiations|meeting|consultations|summit|round in|at => location=@place; "
            "participants=@people",
            "been meeting|negotiating|talking => location=@place; participants=@people",
        ),
        "MeetingCancelled": (
            "cancelled|canceled|scrapped|shelved|abandoned|suspended ~ talks|meeting|summit|round",
            "called off ~ talks|meeting|summit|round",
            "talks|meeting|summit|round ~ cancelled|canceled|scrapped|shelved|abandoned|suspended|called off",
            "put on hold ~ talks|meeting|summit|round",
            "talks|meeting|summit|round ~ put on hold",
            "talks|meeting|summit|round ~ will|would not go ahead",
            "talks|meeting|summit|round ~~ been|was|were shelved|cancelled|canceled|scrapped|abandoned",
            "talks|meeting|summit|round ~~ been|was|were called off",
            "talks|meeting|summit|round ~~ will|would not go ahead",
        ),
    }

    class MeetingScheduled(SubjectCreated):
        class_version = 1
        data_model = MeetingScheduledData
        person_fields = ("participants[].name",)
        evolved = staticmethod(scheduled)
        label = "Scheduled"
        sentence = "Scheduled in {location}, planned {planned_for}"
        example = {
            "subject": "meeting/geneva-round-1",
            "occurred": "../2025-11-22",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {
                "title": "First round on the US peace plan",
                "location": "Geneva",
                "planned_for": "2025-11-23",
                "participants": [
                    {"name": "Marco Rubio", "delegation": "delegation/united-states"},
                    {"name": "Andriy Yermak", "delegation": "delegation/ukraine"},
                ],
            },
        }

    class MeetingRescheduled(FactRecorded):
        class_version = 1
        data_model = RescheduledData
        evolved = staticmethod(rescheduled)
        checks = (reschedule_moves,)
        label = "Rescheduled"
        sentence = "Rescheduled, now planned {planned_for}"
        example = {
            "subject": "meeting/witkoff-putin",
            "occurred": "2025-12-01",
            "sources": [{"name": "TASS"}],
            "data": {"planned_for": "2025-12-02"},
        }

    class MeetingHeld(FactRecorded):
        class_version = 1
        data_model = MeetingHeldData
        person_fields = ("participants[].name",)
        evolved = staticmethod(held)
        label = "Held"
        sentence = "Held[ in {location}]"
        example = {
            "subject": "meeting/geneva-round-1",
            "occurred": "2025-11-23",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"outcome": "The original 28-point plan was revised"},
        }

    class MeetingCancelled(FactRecorded):
        class_version = 1
        data_model = MeetingCancelledData
        evolved = staticmethod(cancelled)
        label = "Cancelled"
        sentence = "Cancelled"
        example = {
            "subject": "meeting/witkoff-putin",
            "occurred": "2025-12-01",
            "sources": [{"name": "TASS"}],
            "data": {"reason": "Postponed without a new date"},
        }

    concluded_by = ("MeetingHeld", "MeetingCancelled")
