"""SPEC §12: random sequences of a plan's point events — backdated, fuzzy-dated, disputed, retracted,
many refused by the rules — answer the same from the views (live, and after a rebuild's bulk fold)
as from the domain's reference fold, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.examples import examples
from tests.integration.test_projection_properties import (UNTIMED, answer, fresh_system, fuzzy_dates, maybe_disputed,
                                                          moments, record_all, reference, reported_by)

PLAN = "plan/us-peace-plan"
KEYS = ("territory", "guarantees", "elections", "exchanges")
PARTIES = ("Ukraine", "Russia", "UKRAINE")


def point_event(draw, earlier: list[str]):
    kind = draw(st.sampled_from(["proposed", "revised", "add", "add", "add", "change", "change", "remove", "merge",
                                 "position", "position", "status", "retract"]))
    key = draw(st.sampled_from(KEYS))
    if kind == "proposed":
        return "PlanProposed", {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": []}
    if kind == "revised":
        return "PlanRevised", {"summary": draw(st.sampled_from(["Geneva", "Florida", "Moscow"]))}
    if kind == "add":
        return "PlanPointAdded", {"key": key, "number": draw(maybe_disputed(st.integers(1, 5))),
                                  "text": draw(st.sampled_from(["as drafted", "reworded"]))}
    if kind == "change":
        return "PlanPointChanged", {"key": key, "number": draw(maybe_disputed(st.integers(1, 5)))}
    if kind == "remove":
        return "PlanPointRemoved", {"key": key}
    if kind == "merge":
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=3, unique=True))
        return "PlanPointsMerged", {"keys": keys, "into": draw(st.sampled_from([*keys, "settlement"]))}
    if kind == "position":
        return "PlanPointPositionTaken", {"key": key, "party": draw(st.sampled_from(PARTIES)),
                                          "position": draw(maybe_disputed(st.sampled_from(["supports", "opposes"])))}
    if kind == "status":
        return "PlanPointStatusChanged", {"key": key, "status": draw(st.sampled_from(["agreed", "rejected"])),
                                          "implementation": draw(st.integers(0, 3))}
    if earlier:
        return "EventRetracted", {"event_id": draw(st.sampled_from(earlier)), "reason": "misreported"}
    return "StatementRecorded", {"speaker": "Marco Rubio", "quote": "productive"}


@st.composite
def point_histories(draw):
    """The plan proposed first (mostly), then random point events, some catching the views up after."""
    steps = [(PLAN, "PlanProposed", "2025-11-01",
              {"title": "US plan", "proposed_by": "United States", "topics": []}, draw(reported_by()), False)]
    for index in range(1, draw(st.integers(4, 24))):
        earlier = [f"00000000-0000-4000-8000-{i:012d}" for i in range(index)]
        type_name, data = point_event(draw, earlier)
        steps.append((PLAN, type_name, draw(fuzzy_dates()), data, draw(reported_by()), draw(st.booleans())))
    return steps


def answers(system, as_ofs, known_ats):
    return [answer(system, PLAN, as_of, known_at) for as_of, known_at in itertools.product(as_ofs, known_ats)]


def holds_to_the_reference(system, steps, as_ofs, picks) -> None:
    try:
        recorded = record_all(system, steps)
        known_ats = [None] + [recorded[p % len(recorded)] for p in picks if recorded]
        for as_of, known_at in itertools.product(as_ofs, known_ats):
            assert answer(system, PLAN, as_of, known_at) == reference(system, PLAN, as_of, known_at), (as_of, known_at)
        live = answers(system, as_ofs, [None])
        system.projection.rebuild()
        assert answers(system, as_ofs, [None]) == live
    finally:
        system.close()


asked = {"steps": point_histories(), "as_ofs": st.lists(moments, min_size=3, max_size=5),
         "picks": st.lists(st.integers(0, 30), max_size=2)}


@settings(max_examples=examples(25), **UNTIMED)
@given(**asked)
def test_points_answer_as_the_reference_fold(tmp_path_factory, steps, as_ofs, picks):
    holds_to_the_reference(fresh_system("sqlite", tmp_path_factory, None), steps, as_ofs, picks)


@pytest.mark.postgres
@settings(max_examples=examples(6), **UNTIMED)
@given(**asked)
def test_points_answer_as_the_reference_fold_on_postgres(request, tmp_path_factory, steps, as_ofs, picks):
    system = fresh_system("postgres", tmp_path_factory, lambda: request.getfixturevalue("postgres_url"))
    holds_to_the_reference(system, steps, as_ofs, picks)
