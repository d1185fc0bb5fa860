"""What meetings and trips share: planned for a fuzzy date, then done or cancelled."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact, State
from parley.domain.samples import Drawn, Sample
from parley.domain.shown import DisputableName, Shown
from parley.domain.values import Disputable, FuzzyText, Name, Strict

PlannedFor = FuzzyText


class Participant(Strict):
    name: Name
    delegation: Disputable[Name] | None = None


class StateParticipant(Shown):
    name: Name
    delegation: DisputableName | None = Field(description="the participant's delegation, as `kind/slug` or a name")


class RescheduledData(Strict):
    planned_for: Disputable[PlannedFor]


def still_scheduled(state: State, fact: Fact, done: str) -> None:
    """A cancelled or concluded meeting or trip has no further status changes."""
    if state["status"] == "cancelled":
        raise RuleBroken("cancelled-is-final", f"{fact.subject} was cancelled; it cannot be {done}")
    if state["status"] != "scheduled":
        raise RuleBroken("concluded-is-final", f"{fact.subject} is already {state['status']}")


def rescheduled(state: State, fact: Fact) -> State:
    still_scheduled(state, fact, "rescheduled")
    return {**state, "planned_for": fact.data["planned_for"]}


def reschedule_moves(state: State | None, fact: Fact) -> None:
    if state is not None and state["planned_for"] == fact.data["planned_for"]:
        raise RuleBroken("reschedule-moves", f"{fact.subject} is already planned for {state['planned_for']}")


def cancelled(state: State, fact: Fact) -> State:
    still_scheduled(state, fact, "cancelled again")
    return {**state, "status": "cancelled"}


class ScheduledSample(Sample):
    """A meeting or trip planned for a day, rescheduled, then concluded (mostly) or cancelled;
    its kind declares `concluded_by` as (done, cancelled) and a `…Rescheduled` type."""

    planned = ""  # a reschedule to the same date is refused

    def scheduled(self, planned: str) -> dict[str, Any]:
        raise NotImplementedError

    def created(self, day: int) -> Drawn:
        self.planned = self.pool.day_text(day + self.rng.randint(5, 30))
        return self.kind.creation.__name__, self.scheduled(self.planned)

    def changed(self, day: int, last: bool) -> Drawn:
        rng = self.rng
        done, called_off = self.kind.concluded_by
        if last or rng.random() < 0.05:
            self.concluded = True
            return (done if rng.random() < 0.8 else called_off), {}
        planned = self.planned
        while planned == self.planned:
            planned = self.pool.day_text(day + rng.randint(3, 20))
        self.planned = planned
        return next(t for t in self.kind.event_types if t.endswith("Rescheduled")), {"planned_for": planned}
