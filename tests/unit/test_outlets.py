"""The record according to some sources, and as published by a date (SPEC §9)."""

from datetime import UTC, datetime

from parley.domain.fuzzy_dates import end_of
from parley.domain.outlets import according_to, name_keys, published_at
from parley.domain.timeline import fold
from tests.unit.builders import open_subject, record

COUNT = {
    "disputed": [{"value": 19, "sources": ["Axios"]}, {"value": 22, "sources": ["WSJ", "FT"]}, {"value": 20, "sources": ["FT"]}]
}
RECORDED = datetime(2025, 12, 1, tzinfo=UTC)


def test_a_disputed_value_resolves_to_the_alternatives_its_sources_back():
    state = {
        "point_count": COUNT,
        "members": [
            {"name": "A", "role": {"disputed": [{"value": "x", "sources": ["axios"]}, {"value": "y", "sources": ["WSJ"]}]}}
        ],
    }
    resolved, paths = according_to(state, name_keys([" AXIOS "]))
    assert resolved == {"point_count": 19, "members": [{"name": "A", "role": "x"}]}
    assert paths == ["point_count", "members.0.role"]
    assert according_to(state, name_keys(["FT"]))[0]["point_count"] == {"disputed": COUNT["disputed"][1:]}
    assert according_to(state, name_keys(["Reuters"])) == (state, [])


def test_an_event_is_published_by_the_latest_instant_of_its_earliest_published_date():
    sources = [{"name": "Forbes", "published": "2025-11-30"}, {"name": "Axios", "published": "2025-11"}, {"name": "WSJ"}]
    assert published_at(sources, RECORDED) == end_of("2025-11-30")
    assert published_at([{"name": "WSJ"}], RECORDED) == RECORDED
    assert published_at([{"name": "TASS", "published": "2025-11-29/.."}], RECORDED) is None


def test_published_by_counts_only_what_was_published_and_a_creation_published_later_leaves_nothing():
    proposed = open_subject(
        "plan/p",
        "PlanProposed",
        "2025-11-20",
        {"title": "P", "proposed_by": "US", "topics": []},
        sources=[{"name": "Forbes", "published": "2025-11-30"}],
    )
    record(proposed, "PlanRevised", "2025-11-23", {"point_count": 19}, sources=[{"name": "Axios", "published": "2025-11-24"}])
    day = end_of("2025-11-28")
    assert fold("plan", proposed.facts, day, None, published_by=end_of("2025-11-29")).state is None
    assert fold("plan", proposed.facts, day, None, published_by=end_of("2025-11-30")).state["point_count"] == 19


def test_a_retraction_withdraws_only_once_it_was_published():
    revised = open_subject(
        "plan/p",
        "PlanProposed",
        "2025-11-20",
        {"title": "P", "proposed_by": "US", "point_count": 28, "topics": []},
        sources=[{"name": "Forbes", "published": "2025-11-20"}],
    )
    revision = record(
        revised, "PlanRevised", "2025-11-23", {"point_count": 19}, sources=[{"name": "Axios", "published": "2025-11-23"}]
    )
    record(
        revised,
        "EventRetracted",
        "2025-11-25",
        {"event_id": revision, "reason": "wrong"},
        sources=[{"name": "Axios", "published": "2025-11-26"}],
    )
    day = end_of("2025-11-30")
    assert fold("plan", revised.facts, day, None, published_by=end_of("2025-11-25")).state["point_count"] == 19
    assert fold("plan", revised.facts, day, None, published_by=end_of("2025-11-26")).state["point_count"] == 28


def test_a_creation_pending_at_as_of_means_the_subject_may_exist():
    formed = open_subject(
        "delegation/united-states", "DelegationFormed", "../2025-11-23", {"party": "United States", "members": []}
    )
    view = fold("delegation", formed.facts, end_of("2025-11-22"), None)
    assert view.state is None and view.may_exist
    assert not fold("delegation", formed.facts, end_of("2025-11-22"), None, published_by=end_of("2025-01-01")).may_exist
