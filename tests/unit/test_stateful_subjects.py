"""Random use of each aggregate, valid and invalid events mixed, never breaks a rule of SPEC §2.

Hypothesis drives one state machine per kind. Names, dates and topics come from small
pools, so heads repeat, members leave twice, events are backdated before the creation and
retractions hit retractions. After every step the timeline is checked against the rules by
an oracle written here, apart from the domain; a refused event must leave the aggregate as
it was, and an accepted one must add exactly one event.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from pydantic import ValidationError

from parley.domain.catalog import data_model, subject_class
from parley.domain.errors import RuleBroken, UnknownEventType
from parley.domain.facts import RETRACTION, STATEMENT, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from tests.examples import examples

NAMES = ("Andriy Yermak", "Rustem Umerov", "Kyrylo Budanov")
DATES = (
    "2025-11-20",
    "2025-11-21",
    "2025-11-22",
    "2025-11",
    "../2025-11-21",
    "2025-11-21/2025-11-23",
    "2025-11-22/..",
    "2025-11-21?",
    "2025-11-19~",
)
TOPICS = ("territory", "security", "sanctions")

names = st.sampled_from(NAMES)
disputed = st.lists(names, min_size=2, max_size=2, unique=True).map(
    lambda pair: {"disputed": [{"value": n, "sources": ["Axios"]} for n in pair]}
)
maybe_disputed = st.one_of(names, disputed)
topics = st.lists(st.sampled_from(TOPICS), max_size=3)
planned = st.sampled_from(("2025-12-01", "2025-12", "2025-12-01/2025-12-03"))
statement = st.tuples(st.just(STATEMENT), st.fixed_dictionaries({"speaker": names, "quote": st.just("…")}))
# A type of another kind: refused by the aggregate, which must then be unchanged.
foreign = st.sampled_from(("TripCompleted", "PlanRevised")).map(lambda t: (t, {}))

EVENTS = {
    "delegation": st.one_of(
        st.tuples(
            st.just("DelegationFormed"),
            st.fixed_dictionaries(
                {"party": st.just("Ukraine"), "members": st.lists(names.map(lambda n: {"name": n}), max_size=2)},
                optional={"head": maybe_disputed},
            ),
        ),
        st.tuples(st.just("DelegationHeadReplaced"), st.fixed_dictionaries({"new_head": maybe_disputed})),
        st.tuples(st.just("DelegationMemberJoined"), st.fixed_dictionaries({"name": names})),
        st.tuples(st.just("DelegationMemberLeft"), st.fixed_dictionaries({"name": names})),
    ),
    "plan": st.one_of(
        st.tuples(
            st.just("PlanProposed"),
            st.fixed_dictionaries({"title": st.just("US plan"), "proposed_by": st.just("United States"), "topics": topics}),
        ),
        st.tuples(
            st.just("PlanRevised"),
            st.fixed_dictionaries(
                {}, optional={"topics_added": topics, "topics_removed": topics, "point_count": st.integers(0, 30)}
            ),
        ),
        st.tuples(
            st.just("PlanStatusChanged"),
            st.fixed_dictionaries(
                {"status": st.sampled_from(("proposed", "under_negotiation", "agreed", "rejected", "withdrawn"))}
            ),
        ),
    ),
    "meeting": st.one_of(
        st.tuples(
            st.just("MeetingScheduled"),
            st.fixed_dictionaries({"location": st.just("Geneva"), "planned_for": planned, "participants": st.just([])}),
        ),
        st.tuples(st.just("MeetingRescheduled"), st.fixed_dictionaries({"planned_for": planned})),
        st.tuples(st.just("MeetingHeld"), st.just({})),
        st.tuples(st.just("MeetingCancelled"), st.just({})),
    ),
    "trip": st.one_of(
        st.tuples(
            st.just("TripScheduled"),
            st.fixed_dictionaries({"traveller": names, "destination": st.just("Moscow"), "planned_for": planned}),
        ),
        st.tuples(st.just("TripRescheduled"), st.fixed_dictionaries({"planned_for": planned})),
        st.tuples(st.just("TripCompleted"), st.just({})),
        st.tuples(st.just("TripCancelled"), st.just({})),
    ),
}


# --- The oracle: SPEC §2's rules, folded over a timeline independently of the domain. ---


def delegation(state: dict, fact: Fact) -> dict:
    data = fact.data
    if fact.type == "DelegationFormed":
        members = [m["name"] for m in data["members"]]
        assert len(set(members)) == len(members), "a member listed twice"
        return {"head": data.get("head"), "members": set(members)}
    if fact.type == "DelegationHeadReplaced":
        assert data["new_head"] != state["head"], "a head replaced by the same person"
        return {**state, "head": data["new_head"]}
    if fact.type == "DelegationMemberJoined":
        assert data["name"] not in state["members"], "a member joined twice"
        return {**state, "members": state["members"] | {data["name"]}}
    assert data["name"] in state["members"], "a member left a delegation they were not in"
    return {**state, "members": state["members"] - {data["name"]}}


def plan(state: dict, fact: Fact) -> dict:
    if fact.type == "PlanProposed":
        return {"topics": set(fact.data["topics"])}
    if fact.type == "PlanRevised":
        removed = set(fact.data.get("topics_removed", ()))
        assert removed <= state["topics"], "a topic removed that the plan did not have"
        return {"topics": (state["topics"] - removed) | set(fact.data.get("topics_added", ()))}
    return state


def scheduled(created: str) -> Callable[[dict, Fact], dict]:
    def step(state: dict, fact: Fact) -> dict:
        if fact.type == created:
            return {"status": "scheduled"}
        assert state["status"] == "scheduled", f"{fact.type} after the {state['status']} status"
        ending = {"Held": "concluded", "Completed": "concluded", "Cancelled": "cancelled"}
        return {"status": next((s for suffix, s in ending.items() if fact.type.endswith(suffix)), "scheduled")}

    return step


ORACLES = {"delegation": delegation, "plan": plan, "meeting": scheduled("MeetingScheduled"), "trip": scheduled("TripScheduled")}


def assert_rules_hold(kind: str, facts: list[Fact]) -> None:
    creation = subject_class(kind).creation.__name__
    retracted = [f.data["event_id"] for f in facts if f.type == RETRACTION]
    assert len(retracted) == len(set(retracted)), "an event retracted twice"
    by_id = {f.event_id: f for f in facts}
    for fact in facts:
        if fact.type == RETRACTION:
            target = by_id.get(fact.data["event_id"])
            assert target is not None and target.version < fact.version, "retracted an unknown event"
            assert target.type != RETRACTION, "a retraction retracted"
    active = sorted((f for f in facts if f.type != RETRACTION and f.event_id not in retracted), key=Fact.valid_time_key)
    state: dict | None = None
    for fact in active:
        if state is None:
            assert fact.type == creation, f"{fact.type} before the subject was created"
            state = ORACLES[kind]({}, fact)
        else:
            assert fact.type != creation, "a subject created twice"
            state = state if fact.type == STATEMENT else ORACLES[kind](state, fact)


class SubjectMachine(RuleBasedStateMachine):
    kind = "delegation"

    def __init__(self) -> None:
        super().__init__()
        self.sid = SubjectId.parse(f"{self.kind}/fuzzed")
        self.subject: Subject | None = None

    @rule(data=st.data())
    def record_an_event(self, data: st.DataObject) -> None:
        type_name, payload = data.draw(st.one_of(EVENTS[self.kind], statement, foreign, self._retraction()))
        if type_name != "EventRetracted" and self.kind_accepts(type_name):
            try:
                payload = data_model(self.kind, type_name).model_validate(payload).model_dump(mode="json", exclude_none=True)
            except ValidationError:
                return  # refused at the door (a list naming one name twice, SPEC §14), before any rule
        content = {
            "event_id": str(uuid.uuid4()),
            "occurred": FuzzyDate.parse(data.draw(st.sampled_from(DATES))),
            "data": payload,
            "sources": [{"name": "Axios"}],
            "note": None,
            "recorded_by": "hypothesis",
        }
        before = snapshot(self.subject)
        try:
            if self.subject is None:
                self.subject = subject_class(self.kind).open(self.sid, type_name, **content)
            else:
                self.subject.record(type_name, **content)
        except (RuleBroken, UnknownEventType):
            assert snapshot(self.subject) == before, "a refused event changed the aggregate"
            return
        assert self.subject.version == before[0] + 1
        assert self.subject.facts[-1].event_id == content["event_id"]

    def _retraction(self) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
        known = [f.event_id for f in self.subject.facts] if self.subject else []
        target = st.sampled_from(known) if known else st.just(str(uuid.uuid4()))
        return st.tuples(
            st.just("EventRetracted"),
            st.fixed_dictionaries({"event_id": st.one_of(target, st.uuids().map(str)), "reason": st.just("misreported")}),
        )

    def kind_accepts(self, type_name: str) -> bool:
        return type_name in subject_class(self.kind).data_models

    @invariant()
    def the_timeline_keeps_the_rules(self) -> None:
        # Checked after every step, so every timeline the subject ever had (each `known_at`)
        # was checked when it was the newest: a stream only grows.
        assert_rules_hold(self.kind, self.subject.facts if self.subject else [])


def snapshot(subject: Subject | None) -> tuple[int, tuple[Fact, ...], int]:
    if subject is None:
        return (0, (), 0)
    return (subject.version, tuple(subject.facts), len(subject.pending_events))


RUNS = settings(max_examples=examples(30), stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def machine(kind: str) -> type:
    return RUNS(type(f"{kind.title()}Machine", (SubjectMachine,), {"kind": kind})).TestCase


TestDelegation = machine("delegation")
TestPlan = machine("plan")
TestMeeting = machine("meeting")
TestTrip = machine("trip")
