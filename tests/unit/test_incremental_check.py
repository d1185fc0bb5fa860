"""Checking a new event against the checked timeline refuses exactly what folding the whole one refuses.

A subject remembers the state its rules saw after its last check, so an event recorded in
valid-time order (or any statement) is checked alone; these compare that with the whole
fold on random backdated, fuzzy and retracted sequences.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain import checking
from parley.domain.delegation import Delegation
from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from tests.examples import examples

PEOPLE = ("Andriy Yermak", "Rustem Umerov", "Kyrylo Budanov")
DATES = (
    "2025-11-05",
    "2025-11-12",
    "2025-11-12T10:00:00Z",
    "2025-11-20?",
    "2025-11",
    "../2025-11-15",
    "2025-11-18/..",
    "2025-11-01/2025-11-09",
    "2025-11-25~",
    "2025-11-28",
)


@st.composite
def steps(draw):
    kind = draw(st.sampled_from(["formed", "head", "join", "leave", "say", "say", "say", "retract"]))
    occurred = draw(st.sampled_from(DATES))
    if kind == "formed":
        return "DelegationFormed", occurred, {"party": "Ukraine", "head": draw(st.sampled_from(PEOPLE)), "members": []}
    if kind == "head":
        return "DelegationHeadReplaced", occurred, {"new_head": draw(st.sampled_from(PEOPLE))}
    if kind in ("join", "leave"):
        name = draw(st.sampled_from(PEOPLE))
        return ("DelegationMemberJoined" if kind == "join" else "DelegationMemberLeft"), occurred, {"name": name}
    if kind == "retract":
        return "EventRetracted", occurred, {"event_id": draw(st.integers(0, 20)), "reason": "misreported"}
    return "StatementRecorded", occurred, {"speaker": draw(st.sampled_from(PEOPLE)), "quote": "productive"}


def attempt(subject: Subject | None, type_name: str, occurred: str, data: dict, event_id: str, *, whole: bool):
    """(the subject after, the outcome): the rule refused, or None when recorded."""
    content = {
        "event_id": event_id,
        "occurred": FuzzyDate.parse(occurred),
        "data": data,
        "sources": [{"name": "Forbes"}],
        "note": None,
        "recorded_by": "tests",
    }
    try:
        if subject is None:
            return Delegation.open(SubjectId.parse("delegation/ukraine"), type_name, **content), None
        if whole:
            subject.checked = None  # forget the checked timeline: fold it all
        subject.record(type_name, **content)
        return subject, None
    except RuleBroken as broken:
        return subject, (broken.rule, broken.message)


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(DATES), st.lists(steps(), min_size=1, max_size=25))
def test_checking_against_the_checked_timeline_refuses_what_the_whole_fold_refuses(formed_on, sequence):
    sequence = [("DelegationFormed", formed_on, {"party": "Ukraine", "head": PEOPLE[0], "members": []}), *sequence]
    ids = [str(uuid.UUID(int=i + 1)) for i in range(len(sequence))]
    incremental = whole = None
    for index, (type_name, occurred, data) in enumerate(sequence):
        if type_name == "EventRetracted":
            data = {**data, "event_id": ids[data["event_id"] % len(ids)]}
        incremental, fast = attempt(incremental, type_name, occurred, data, ids[index], whole=False)
        whole, slow = attempt(whole, type_name, occurred, data, ids[index], whole=True)
        assert fast == slow, (index, type_name, occurred)
    if incremental is not None:
        assert [f.event_id for f in incremental.facts] == [f.event_id for f in whole.facts]


def every_fact_in_order(kind, facts, candidate):
    """The check as first written: fold every active fact, statements too, in valid-time order."""
    if candidate.type == "EventRetracted":
        checking.check_retraction(facts, candidate)
    state = first = last = None
    for fact in checking.in_valid_time_order(checking.active_facts(facts)):
        try:
            state = checking.ruled(kind, state, fact)
        except RuleBroken as broken:
            raise checking.placed(broken, candidate, fact) from None
        last = fact.valid_time_key()
        first = first or last
    return checking.Checked(state, first, last)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(steps(), min_size=1, max_size=25))
def test_the_whole_check_sorting_statements_apart_refuses_what_folding_them_in_refuses(sequence):
    ids = [str(uuid.UUID(int=i + 1)) for i in range(len(sequence))]
    facts: list = []
    for index, (type_name, occurred, data) in enumerate(sequence):
        if type_name == "EventRetracted":
            data = {**data, "event_id": ids[data["event_id"] % len(ids)]}
        candidate = Fact(
            event_id=ids[index],
            subject="delegation/ukraine",
            version=index + 1,
            type=type_name,
            occurred=FuzzyDate.parse(occurred),
            data=data,
            sources=[],
            note=None,
            recorded_at=datetime.max,
            recorded_by="tests",
        )
        outcomes = []
        for check in (checking.check_timeline, every_fact_in_order):
            try:
                outcomes.append(check(Delegation, [*facts, candidate], candidate))
            except RuleBroken as broken:
                outcomes.append((broken.rule, broken.message))
        assert outcomes[0] == outcomes[1], (index, type_name, occurred)
        if not isinstance(outcomes[0], tuple):
            facts.append(candidate)
