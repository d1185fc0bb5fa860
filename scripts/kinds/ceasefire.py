"""Ceasefires: declared between parties from a date, violated, extended, ended.

The worked example of a kind declared outside Parley's own modules (docs/kinds.md): serve
Parley with `PARLEY_KINDS_EXTRA=parley.scripts.kinds.ceasefire` and ceasefires are accepted,
folded, shown, exported and replayed like the built-in kinds, with no other change.

A declaration has four parts: the data each event type takes (pydantic models), how each event
changes the state (functions of the state and the fact), the rules a new event is checked
against, and the kind itself — a subclass of `Subject` naming its words, its state model and
its event types as nested classes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact, State
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.shown import DisputableDate, DisputableName, KindState, Shown
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import MAX_ITEMS, Disputable, FuzzyText, Name, Strict, Text, distinct_names, is_disputed

# 1. The data each event type takes. `disputable(...)` lets sources disagree on a value.


class CeasefireDeclaredData(Strict):
    parties: Annotated[list[Name], Field(min_length=1, max_length=MAX_ITEMS), AfterValidator(distinct_names)]
    starts: Disputable[FuzzyText]
    ends: Disputable[FuzzyText] | None = None
    scope: Text | None = None


class CeasefireViolatedData(Strict):
    by: Disputable[Name]
    reported_by: Name | None = None
    description: Text


class CeasefireExtendedData(Strict):
    ends: Disputable[FuzzyText]


class CeasefireEndedData(Strict):
    reason: Text | None = None


# 2. The state, as the service shows it: every field present, null while unknown.


class Violation(Shown):
    by: DisputableName | None
    reported_by: Name | None
    description: Text
    occurred: str = Field(description="when it happened, as a fuzzy date")


class CeasefireState(KindState):
    parties: list[Name]
    starts: DisputableDate | None
    ends: DisputableDate | None = Field(description="when it is due to end; null while open-ended")
    scope: Text | None
    status: Literal["declared", "ended"] | None
    violations: list[Violation] = Field(description="each violation reported, in valid-time order")


# 3. How each event changes the state, and the rule of its own.


def declared(state: State, fact: Fact) -> State:
    data = fact.data
    return {
        **state,
        "parties": data["parties"],
        "starts": data["starts"],
        "ends": data.get("ends"),
        "scope": data.get("scope"),
        "status": "declared",
        "violations": [],
    }


def violated(state: State, fact: Fact) -> State:
    violation = {
        "by": fact.data["by"],
        "reported_by": fact.data.get("reported_by"),
        "description": fact.data["description"],
        "occurred": fact.occurred.text,
    }
    return {**state, "violations": [*state["violations"], violation]}


def extended(state: State, fact: Fact) -> State:
    return {**state, "ends": fact.data["ends"]}


def ended(state: State, fact: Fact) -> State:
    return {**state, "status": "ended"}


def violated_after_it_starts(state: State | None, fact: Fact) -> None:
    """No violation may be reported before the ceasefire starts: a violation that certainly
    happened before the earliest start any source gives is refused (409, `violation-before-start`)."""
    if state is None:
        return  # creation-first refuses it
    starts = state["starts"]
    texts = [alternative["value"] for alternative in starts["disputed"]] if is_disputed(starts) else [starts]
    earliest = [FuzzyDate.parse(text).earliest for text in texts]
    start = None if None in earliest else min(earliest)  # type: ignore[type-var]  # None is tested for first
    latest = fact.occurred.latest
    if start is not None and latest is not None and latest < start:
        raise RuleBroken(
            "violation-before-start",
            f"{fact.subject} starts {starts if not is_disputed(starts) else ' or '.join(texts)}; "
            f"a violation on {fact.occurred.text} happened before it",
        )


# 4. The kind: its name, its words, its state, and its event types.


class Ceasefire(Subject):
    kind = "ceasefire"
    label = "Ceasefire"
    plural = "ceasefires"
    colour = "#b91c1c"
    description = "A truce between parties: declared from a date, perhaps violated, extended or ended."
    state_model = CeasefireState
    summary_fields = ("parties", "starts", "ends", "status")
    title = "Ceasefire between {parties}"
    # What is particular to it: phrases of a report that suggest each of its facts (SPEC §13's drafting).
    drafting_cues = {
        "CeasefireDeclared": ("agreed a ceasefire", "ceasefire took effect", "truce came into force"),
        "CeasefireViolated": ("violated the ceasefire", "broke the truce", "in breach of the ceasefire"),
        "CeasefireExtended": ("extended the ceasefire", "truce was extended"),
        "CeasefireEnded": ("ceasefire collapsed", "ended the truce", "resumed hostilities"),
    }

    class CeasefireDeclared(SubjectCreated):
        class_version = 1
        data_model = CeasefireDeclaredData
        evolved = staticmethod(declared)
        label = "Declared"
        sentence = "Declared from {starts}[ until {ends}]"
        example = {
            "subject": "ceasefire/gaza-2025",
            "occurred": "2025-10-09",
            "sources": [{"name": "Reuters", "published": "2025-10-09"}],
            "data": {"parties": ["Israel", "Hamas"], "starts": "2025-10-10", "scope": "Gaza Strip"},
        }

    class CeasefireViolated(FactRecorded):
        class_version = 1
        data_model = CeasefireViolatedData
        evolved = staticmethod(violated)
        checks = (violated_after_it_starts,)
        label = "Violated"
        sentence = "Violated by {by}"
        example = {
            "subject": "ceasefire/gaza-2025",
            "occurred": "2025-10-19",
            "sources": [{"name": "AP"}],
            "data": {"by": "Hamas", "reported_by": "Israel Defense Forces", "description": "Shots fired at troops in Rafah"},
        }

    class CeasefireExtended(FactRecorded):
        class_version = 1
        data_model = CeasefireExtendedData
        evolved = staticmethod(extended)
        label = "Extended"
        sentence = "Extended until {ends}"
        example = {
            "subject": "ceasefire/gaza-2025",
            "occurred": "2025-11-01",
            "sources": [{"name": "Reuters"}],
            "data": {"ends": "2025-12-31"},
        }

    class CeasefireEnded(FactRecorded):
        class_version = 1
        data_model = CeasefireEndedData
        evolved = staticmethod(ended)
        label = "Ended"
        sentence = "Ended"
        example = {
            "subject": "ceasefire/gaza-2025",
            "occurred": "2025-12-01",
            "sources": [{"name": "AP"}],
            "data": {"reason": "Hostilities resumed"},
        }
