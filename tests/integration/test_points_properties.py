"""SPEC §12: random sequences of a plan's point events — backdated, fuzzy-dated, disputed, retracted,
many refused by the rules — answer the same from the views (live, and after a rebuild's bulk fold)
as from the domain's reference fold, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.compare import NoSuchRevision
from parley.domain.subjects import SubjectId
from parley.projections.comparing import Asked, comparison
from tests.examples import examples
from tests.integration.test_projection_properties import (
    UNTIMED,
    answer,
    fresh_system,
    fuzzy_dates,
    maybe_disputed,
    moments,
    record_all,
    reference,
    reported_by,
)

PLAN = "plan/us-peace-plan"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
FAR = datetime(2999, 1, 1, tzinfo=UTC)  # known at the end of time: folded, not read from the views
KEYS = ("territory", "guarantees", "elections", "exchanges")
PARTIES = ("Ukraine", "Russia", "UKRAINE")


def point_event(draw, earlier: list[str]):
    kind = draw(
        st.sampled_from(
            [
                "proposed",
                "revised",
                "revised",
                "add",
                "add",
                "add",
                "change",
                "change",
                "remove",
                "merge",
                "position",
                "position",
                "status",
                "retract",
            ]
        )
    )
    key = draw(st.sampled_from(KEYS))
    if kind == "proposed":
        return "PlanProposed", {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": []}
    if kind == "revised":
        return "PlanRevised", {"summary": draw(st.sampled_from(["Geneva", "Florida", "Moscow"]))}
    if kind == "add":
        return "PlanPointAdded", {
            "key": key,
            "number": draw(maybe_disputed(st.integers(1, 5))),
            "text": draw(st.sampled_from(["as drafted", "reworded"])),
        }
    if kind == "change":
        return "PlanPointChanged", {"key": key, "number": draw(maybe_disputed(st.integers(1, 5)))}
    if kind == "remove":
        return "PlanPointRemoved", {"key": key}
    if kind == "merge":
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=3, unique=True))
        return "PlanPointsMerged", {"keys": keys, "into": draw(st.sampled_from([*keys, "settlement"]))}
    if kind == "position":
        return "PlanPointPositionTaken", {
            "key": key,
            "party": draw(st.sampled_from(PARTIES)),
            "position": draw(maybe_disputed(st.sampled_from(["supports", "opposes"]))),
        }
    if kind == "status":
        return "PlanPointStatusChanged", {
            "key": key,
            "status": draw(st.sampled_from(["agreed", "rejected"])),
            "implementation": draw(st.integers(0, 3)),
        }
    if earlier:
        return "EventRetracted", {"event_id": draw(st.sampled_from(earlier)), "reason": "misreported"}
    return "StatementRecorded", {"speaker": "Marco Rubio", "quote": "productive"}


# Few dates, so that facts often share an instant with a revision (which cuts between them by
# recorded order), and some of every form.
dates = st.one_of(
    st.sampled_from(["2025-11-02", "2025-11-03", "2025-11-03", "2025-11-04", "2025-11-03T12:00:00Z"]), fuzzy_dates()
)


@st.composite
def point_histories(draw):
    """The plan proposed first (mostly), then random point events, some catching the views up after."""
    steps = [
        (
            PLAN,
            "PlanProposed",
            "2025-11-01",
            {"title": "US plan", "proposed_by": "United States", "topics": []},
            draw(reported_by()),
            False,
        )
    ]
    for index in range(1, draw(st.integers(4, 24))):
        earlier = [f"00000000-0000-4000-8000-{i:012d}" for i in range(index)]
        type_name, data = point_event(draw, earlier)
        steps.append((PLAN, type_name, draw(dates), data, draw(reported_by()), draw(st.booleans())))
    return steps


def answers(system, as_ofs, known_ats):
    return [answer(system, PLAN, as_of, known_at) for as_of, known_at in itertools.product(as_ofs, known_ats)]


def compared(system, start: Asked, end: Asked, known_at):
    try:
        found = comparison(system.state_reads, SubjectId.parse(PLAN), "points", start, end, known_at, NOW)
    except NoSuchRevision:
        return "no such revision"
    return found and (found.cuts, found.found, found.causes)


def the_points(found: dict) -> tuple[list, list]:
    """The drafts a comparison compared: the items before and after."""
    before = [e.get("before") or e.get("item") for kind in ("removed", "merged", "changed", "unchanged") for e in found[kind]]
    after = [e.get("after") or e.get("item") for kind in ("added", "changed", "unchanged") for e in found[kind]]
    return sorted(before, key=lambda p: p["key"]), sorted(after, key=lambda p: p["key"])


def compares_as_the_reference(system, as_ofs, revisions) -> None:
    """Compare from the views answers as the reference fold's comparison, and its drafts are the
    reference fold's states at those dates."""
    ends = [Asked(moment=m) for m in as_ofs] + [Asked(revision=r) for r in revisions]
    for start, end in itertools.product(ends, ends):
        from_views = compared(system, start, end, None)
        assert from_views == compared(system, start, end, FAR), (start, end)
        if start.moment and end.moment and from_views:
            states = [(reference(system, PLAN, m, None) or (0, None))[1] for m in (start.moment, end.moment)]
            expected = [sorted((s or {}).get("points") or [], key=lambda p: p["key"]) for s in states]
            assert list(the_points(from_views[1])) == expected, (start, end)


def holds_to_the_reference(system, steps, as_ofs, picks) -> None:
    try:
        recorded = record_all(system, steps)
        known_ats = [None] + [recorded[p % len(recorded)] for p in picks if recorded]
        for as_of, known_at in itertools.product(as_ofs, known_ats):
            assert answer(system, PLAN, as_of, known_at) == reference(system, PLAN, as_of, known_at), (as_of, known_at)
        compares_as_the_reference(system, as_ofs[:3], [0, 1, 2])
        live = answers(system, as_ofs, [None])
        system.projection.rebuild()
        assert answers(system, as_ofs, [None]) == live
    finally:
        system.close()


asked = {
    "steps": point_histories(),
    "as_ofs": st.lists(moments, min_size=3, max_size=5),
    "picks": st.lists(st.integers(0, 30), max_size=2),
}


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
