"""The projection answers exactly as the domain's reference fold, live and after a rebuild.

Random sequences of events — backdated, fuzzy-dated, disputed and retracted, some refused
by the rules, reported by random sources with random publication dates — are recorded one by
one with the projection caught up in between (the live path), then asked at random
(`as_of`, `known_at`, `source`, `published_by`) and compared with `domain.timeline.fold` over
the aggregate's own facts.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.domain.errors import RuleBroken
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.outlets import cites, name_keys, published_at
from parley.domain.subjects import SubjectId
from parley.domain.timeline import fold
from parley.projections.log_reads import LogFilter
from parley.service.bootstrap import build
from parley.service.commands import Submission
from parley.service.settings import Settings
from tests.backends import empty_postgres
from tests.examples import examples

SUBJECTS = ("delegation/ukraine", "plan/us-peace-plan", "meeting/witkoff-putin")
OUTLETS = ("Axios", "WSJ", "Forbes")
PEOPLE = ("Andriy Yermak", "Rustem Umerov", "Kyrylo Budanov")

days = st.integers(min_value=1, max_value=30)


@st.composite
def fuzzy_dates(draw) -> str:
    day, other = draw(days), draw(days)
    low, high = sorted((day, other))
    return draw(
        st.sampled_from(
            [
                f"2025-11-{day:02d}",
                "2025-11",
                f"2025-11-{low:02d}/2025-11-{high:02d}",
                f"../2025-11-{day:02d}",
                f"2025-11-{day:02d}/..",
                f"2025-11-{day:02d}?",
                f"2025-11-{day:02d}T{draw(st.integers(0, 23)):02d}:00:00Z",
            ]
        )
    )


def maybe_disputed(value_strategy):
    """A plain value, or one disputed by Axios and the WSJ (and Forbes backing one side, at times)."""
    plain = value_strategy
    disputed = st.tuples(st.lists(value_strategy, min_size=2, max_size=2, unique=True), st.booleans()).map(
        lambda drawn: {
            "disputed": [
                {"value": v, "sources": [s, "Forbes"] if drawn[1] and s == "WSJ" else [s]}
                for v, s in zip(drawn[0], ("Axios", "WSJ"))
            ]
        }
    )
    return st.one_of(plain, plain, disputed)


@st.composite
def reported_by(draw) -> list[dict]:
    """Sources naming every outlet (disputed values cite them), some with a publication date."""
    published = st.one_of(
        st.none(),
        st.none(),
        days.map(lambda d: f"2025-11-{d:02d}"),
        st.just("2025-11"),
        days.map(lambda d: f"2025-11-{d:02d}/.."),
    )
    sources = []
    for name in OUTLETS:
        date = draw(published)
        sources.append({"name": name} if date is None else {"name": name, "published": date})
    return sources


def delegation_event(draw, earlier: list[str]):
    kind = draw(st.sampled_from(["formed", "head", "head", "join", "leave", "say", "retract"]))
    if kind == "formed":
        return "DelegationFormed", {
            "party": "Ukraine",
            "head": draw(st.sampled_from(PEOPLE)),
            "members": [{"name": draw(st.sampled_from(PEOPLE))}],
        }
    if kind == "head":
        return "DelegationHeadReplaced", {"new_head": draw(maybe_disputed(st.sampled_from(PEOPLE)))}
    if kind in ("join", "leave"):
        name = draw(st.sampled_from(PEOPLE))
        return ("DelegationMemberJoined", {"name": name}) if kind == "join" else ("DelegationMemberLeft", {"name": name})
    return common_event(draw, kind, earlier)


def plan_event(draw, earlier: list[str]):
    kind = draw(st.sampled_from(["proposed", "revised", "revised", "status", "say", "retract"]))
    if kind == "proposed":
        return "PlanProposed", {"title": "US plan", "proposed_by": "United States", "point_count": 28, "topics": ["territory"]}
    if kind == "revised":
        return "PlanRevised", {
            "point_count": draw(maybe_disputed(st.integers(10, 30))),
            "topics_added": draw(st.lists(st.sampled_from(["elections", "guarantees"]), max_size=1)),
        }
    if kind == "status":
        return "PlanStatusChanged", {"status": draw(st.sampled_from(["under_negotiation", "agreed", "rejected"]))}
    return common_event(draw, kind, earlier)


def meeting_event(draw, earlier: list[str]):
    kind = draw(st.sampled_from(["scheduled", "scheduled", "rescheduled", "held", "cancelled", "say", "retract", "retract"]))
    planned_for = maybe_disputed(fuzzy_dates())
    if kind == "scheduled":
        return "MeetingScheduled", {"location": "Moscow", "planned_for": draw(planned_for), "participants": []}
    if kind == "rescheduled":
        return "MeetingRescheduled", {"planned_for": draw(planned_for)}
    if kind == "held":
        return "MeetingHeld", {"outcome": draw(maybe_disputed(st.sampled_from(["productive", "no progress"])))}
    if kind == "cancelled":
        return "MeetingCancelled", {}
    return common_event(draw, kind, earlier)


def common_event(draw, kind: str, earlier: list[str]):
    if kind == "retract" and earlier:
        return "EventRetracted", {"event_id": draw(st.sampled_from(earlier)), "reason": "misreported"}
    return "StatementRecorded", {"speaker": draw(st.sampled_from(PEOPLE)), "quote": "productive"}


@st.composite
def histories(draw):
    """A list of (subject, type, occurred, data, sources, catch up after?) with retractions of earlier ids."""
    steps = []
    makers = {"delegation": delegation_event, "plan": plan_event, "meeting": meeting_event}
    for _ in range(draw(st.integers(3, 18))):
        subject = draw(st.sampled_from(SUBJECTS))
        earlier = [f"00000000-0000-4000-8000-{i:012d}" for i, step in enumerate(steps) if step[0] == subject]
        type_name, data = makers[subject.split("/")[0]](draw, earlier)
        steps.append((subject, type_name, draw(fuzzy_dates()), data, draw(reported_by()), draw(st.booleans())))
    return steps


readings = st.tuples(
    st.lists(st.sampled_from(["Axios", "wsj", " FORBES", "Reuters"]), max_size=2),
    st.one_of(st.none(), days.map(lambda d: datetime(2025, 11, d, 23, 59, 59, 999999, tzinfo=UTC))),
)
moments = st.builds(
    lambda day, hour: datetime(2025, 10, 25, tzinfo=UTC) + timedelta(days=day, hours=hour),
    st.integers(0, 40),
    st.sampled_from([0, 12, 23.9999]),
)


def fresh_system(backend: str, tmp_path_factory, postgres_url_getter):
    if backend == "sqlite":
        return build(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.db'}"))
    url = postgres_url_getter()
    empty_postgres(url)
    return build(Settings(database_url=url))


def record_all(system, steps) -> list[datetime]:
    """Record each step (refusals are part of random use), catching up now and then."""
    recorded_at = []
    for index, (subject, type_name, occurred, data, sources, catch_up) in enumerate(steps):
        submission = Submission(
            subject=SubjectId.parse(subject),
            type=type_name,
            occurred=FuzzyDate.parse(occurred),
            sources=sources,
            data=data,
            event_id=f"00000000-0000-4000-8000-{index:012d}",
        )
        try:
            recorded_at.append(system.app.record(submission, "tests").recorded_at)
        except RuleBroken:
            pass
        if catch_up:
            system.projection.catch_up()
    system.projection.catch_up()
    return recorded_at


def reference(system, subject: str, as_of: datetime, known_at: datetime | None, reading=((), None)):
    sid = SubjectId.parse(subject)
    aggregate = system.app.subjects.load(sid)
    sources, published_by = reading
    view = fold(sid.kind, aggregate.facts if aggregate else [], as_of, known_at, sources=sources, published_by=published_by)
    if not view.may_exist:
        return None
    return view.version, view.shown, [f.event_id for f in view.pending], view.resolved


def answer(system, subject: str, as_of: datetime, known_at: datetime | None, reading=((), None)):
    sources, published_by = reading
    found = system.state_reads.state(SubjectId.parse(subject), as_of, known_at, sources=sources, published_by=published_by)
    if found is None:
        return None
    return found["version"], found["state"], [e["event_id"] for e in found["pending"]], found["resolved"]


def answers_as_the_reference_fold(system, steps, as_ofs, picks, reads) -> None:
    try:
        recorded = record_all(system, steps)
        known_ats = [None] + [recorded[p % len(recorded)] for p in picks if recorded]
        for subject, as_of, known_at, reading in itertools.product(SUBJECTS, as_ofs, known_ats, [((), None), *reads]):
            expected = reference(system, subject, as_of, known_at, reading)
            assert answer(system, subject, as_of, known_at, reading) == expected, (subject, as_of, known_at, reading)
        for reading in reads:
            assert logged(system, reading) == log_reference(system, reading), reading
    finally:
        system.close()


def logged(system, reading) -> list[tuple[str, str | None]]:
    """The log by `source=` and `published_by=`, read through its index and column."""
    sources, published_by = reading
    events = system.log_reads.events(0, 1000, LogFilter(sources=tuple(sources), published_by=published_by))
    return [(e["event_id"], e["retracted_by"]) for e in events]


def log_reference(system, reading) -> list[tuple[str, str | None]]:
    """The same, filtered from the whole log by the domain's own rules."""
    sources, published_by = reading
    everything = system.log_reads.events(0, 1000)
    published = {e["event_id"]: published_at(e["sources"], datetime.fromisoformat(e["recorded_at"])) for e in everything}

    def counts(event_id: str) -> bool:
        return published_by is None or (published[event_id] is not None and published[event_id] <= published_by)

    keys = name_keys(sources)
    return [
        (e["event_id"], e["retracted_by"] if e["retracted_by"] and counts(e["retracted_by"]) else None)
        for e in everything
        if counts(e["event_id"]) and (not keys or cites(e["sources"], keys))
    ]


UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}
asked = {
    "steps": histories(),
    "as_ofs": st.lists(moments, min_size=3, max_size=6),
    "picks": st.lists(st.integers(0, 30), max_size=4),
    "reads": st.lists(readings, min_size=1, max_size=3),
}


@settings(max_examples=examples(40), **UNTIMED)
@given(**asked)
def test_the_projection_answers_as_the_reference_fold(tmp_path_factory, steps, as_ofs, picks, reads):
    answers_as_the_reference_fold(fresh_system("sqlite", tmp_path_factory, None), steps, as_ofs, picks, reads)


@pytest.mark.postgres
@settings(max_examples=examples(6), **UNTIMED)  # each example empties and builds a database (~1 s): few in CI, SQLite's 40 above
@given(**asked)
def test_the_projection_answers_as_the_reference_fold_on_postgres(request, tmp_path_factory, steps, as_ofs, picks, reads):
    system = fresh_system("postgres", tmp_path_factory, lambda: request.getfixturevalue("postgres_url"))
    answers_as_the_reference_fold(system, steps, as_ofs, picks, reads)


def rebuilds_as_live_updating_did(system, steps, as_ofs) -> None:
    try:
        record_all(system, steps)

        def everything():
            states = [answer(system, s, a, None) for s in SUBJECTS for a in as_ofs]
            pages = [system.state_reads.states(a, None, None, "", 100) for a in as_ofs]
            histories_ = [system.state_reads.history(SubjectId.parse(s), None) for s in SUBJECTS]
            return states, pages, histories_, system.log_reads.events(0, 1000)

        live = everything()
        system.projection.rebuild()
        assert everything() == live
    finally:
        system.close()


rebuilt = {"steps": histories(), "as_ofs": st.lists(moments, min_size=3, max_size=6)}


@settings(max_examples=examples(25), **UNTIMED)
@given(**rebuilt)
def test_a_rebuild_gives_exactly_the_answers_live_updating_gave(tmp_path_factory, steps, as_ofs):
    rebuilds_as_live_updating_did(fresh_system("sqlite", tmp_path_factory, None), steps, as_ofs)


@pytest.mark.postgres
@settings(max_examples=examples(6), **UNTIMED)  # as the fold's test on PostgreSQL: each example empties a database
@given(**rebuilt)
def test_a_rebuild_gives_exactly_the_answers_live_updating_gave_on_postgres(request, tmp_path_factory, steps, as_ofs):
    system = fresh_system("postgres", tmp_path_factory, lambda: request.getfixturevalue("postgres_url"))
    rebuilds_as_live_updating_did(system, steps, as_ofs)
