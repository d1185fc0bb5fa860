"""Plans: proposals under negotiation, revised point by point."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from parley.domain.common import COMMON_DATA
from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact
from parley.domain.subject import FactRecorded, State, Subject, SubjectCreated
from parley.domain.values import MAX_ITEMS, Name, Named, Strict, Text, disputable

PointCount = Annotated[int, Field(ge=0, le=100_000), Named("Count")]
Topics = Annotated[list[Name], Field(max_length=MAX_ITEMS)]
Status = Literal["proposed", "under_negotiation", "agreed", "rejected", "withdrawn"]


class PlanProposedData(Strict):
    title: disputable(Name)  # type: ignore[valid-type]
    proposed_by: disputable(Name)  # type: ignore[valid-type]
    point_count: disputable(PointCount) | None = None  # type: ignore[valid-type]
    topics: Topics
    published: disputable(bool) = False  # type: ignore[valid-type]


class PlanRevisedData(Strict):
    point_count: disputable(PointCount) | None = None  # type: ignore[valid-type]
    summary: disputable(Text) | None = None  # type: ignore[valid-type]
    topics_added: Topics | None = None
    topics_removed: Topics | None = None
    published: disputable(bool) | None = None  # type: ignore[valid-type]


class PlanStatusChangedData(Strict):
    """The status drives what may follow, so it is never disputed."""

    status: Status
    reason: Text | None = None


def proposed(state: State, fact: Fact) -> State:
    return {
        **state,
        "title": fact.data["title"],
        "proposed_by": fact.data["proposed_by"],
        "point_count": fact.data.get("point_count"),
        "topics": list(dict.fromkeys(fact.data["topics"])),
        "published": fact.data.get("published", False),
        "status": "proposed",
        "revision": 0,
    }


def revised(state: State, fact: Fact) -> State:
    data = fact.data
    missing = [t for t in data.get("topics_removed") or () if t not in state["topics"]]
    if missing:
        raise RuleBroken("topic-in-plan", f"{', '.join(missing)} is not a topic of {fact.subject}")
    removed = set(data.get("topics_removed") or ())
    topics = [t for t in state["topics"] if t not in removed]
    topics += [t for t in dict.fromkeys(data.get("topics_added") or ()) if t not in topics]
    changed = {k: data[k] for k in ("point_count", "summary", "published") if k in data}
    return {**state, **changed, "topics": topics, "revision": state["revision"] + 1}


def status_changed(state: State, fact: Fact) -> State:
    return {**state, "status": fact.data["status"]}


class Plan(Subject):
    kind = "plan"

    class PlanProposed(SubjectCreated):
        class_version = 1

    class PlanRevised(FactRecorded):
        class_version = 1

    class PlanStatusChanged(FactRecorded):
        class_version = 1

    creation = PlanProposed
    data_models = {
        "PlanProposed": PlanProposedData,
        "PlanRevised": PlanRevisedData,
        "PlanStatusChanged": PlanStatusChangedData,
        **COMMON_DATA,
    }
    evolvers = {"PlanProposed": proposed, "PlanRevised": revised, "PlanStatusChanged": status_changed}
