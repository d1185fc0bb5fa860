"""The reference fold: valid time, system time, pending, retractions, disputes."""

from datetime import UTC, datetime, timedelta

from parley.domain.fuzzy_dates import end_of
from parley.domain.timeline import fold
from tests.unit.builders import record, ukraine


def head_on(delegation, day: str, known_at=None):
    view = fold("delegation", delegation.facts, end_of(day), known_at)
    return view.state["head"], [f.type for f in view.pending]


def test_an_event_applies_once_it_certainly_happened_and_is_pending_before():
    delegation = ukraine()
    record(delegation, "DelegationHeadReplaced", "../2025-11-30", {"new_head": "Rustem Umerov"})
    assert head_on(delegation, "2025-11-25") == ("Andriy Yermak", ["DelegationHeadReplaced"])
    assert head_on(delegation, "2025-11-30") == ("Rustem Umerov", [])


def test_a_range_is_pending_only_from_its_earliest_instant():
    delegation = ukraine()
    record(delegation, "DelegationHeadReplaced", "2025-11-26/2025-11-28", {"new_head": "Rustem Umerov"})
    assert head_on(delegation, "2025-11-25") == ("Andriy Yermak", [])
    assert head_on(delegation, "2025-11-26") == ("Andriy Yermak", ["DelegationHeadReplaced"])
    assert head_on(delegation, "2025-11-28") == ("Rustem Umerov", [])


def test_an_open_ended_event_stays_pending():
    delegation = ukraine()
    record(delegation, "DelegationHeadReplaced", "2025-11-26/..", {"new_head": "Rustem Umerov"})
    assert head_on(delegation, "2030-01-01") == ("Andriy Yermak", ["DelegationHeadReplaced"])


def test_the_subject_does_not_exist_before_it_certainly_was_created():
    assert fold("delegation", ukraine().facts, end_of("2025-11-19"), None).state is None


def test_events_fold_in_valid_time_order_whatever_order_they_were_recorded():
    delegation = ukraine()
    record(delegation, "DelegationHeadReplaced", "2025-11-28", {"new_head": "Rustem Umerov"})
    record(delegation, "DelegationHeadReplaced", "2025-11-25", {"new_head": "Kyrylo Budanov"})
    state = fold("delegation", delegation.facts, end_of("2025-11-30"), None).state
    assert state["head"] == "Rustem Umerov"
    assert state["former_heads"] == ["Andriy Yermak", "Kyrylo Budanov"]


def test_known_at_shows_only_what_was_recorded_by_then():
    delegation = ukraine()
    before = datetime.now(UTC)
    record(delegation, "DelegationHeadReplaced", "2025-11-28", {"new_head": "Rustem Umerov"})
    assert head_on(delegation, "2025-11-30", known_at=before) == ("Andriy Yermak", [])
    assert head_on(delegation, "2025-11-30") == ("Rustem Umerov", [])


def test_a_retraction_withdraws_from_its_own_recorded_time_on():
    delegation = ukraine()
    replaced = record(delegation, "DelegationHeadReplaced", "2025-11-28", {"new_head": "Rustem Umerov"})
    before_retraction = datetime.now(UTC)
    record(delegation, "EventRetracted", "2025-12-01", {"event_id": replaced, "reason": "misreported"})
    assert head_on(delegation, "2025-11-30", known_at=before_retraction)[0] == "Rustem Umerov"
    assert head_on(delegation, "2025-11-30")[0] == "Andriy Yermak"


def test_a_disputed_value_shows_every_alternative_until_settled():
    delegation = ukraine()
    disputed = {"disputed": [{"value": "Rustem Umerov", "sources": ["Axios"]}, {"value": "Kyrylo Budanov", "sources": ["WSJ"]}]}
    record(delegation, "DelegationHeadReplaced", "2025-11-25", {"new_head": disputed})
    record(delegation, "DelegationHeadReplaced", "2025-11-28", {"new_head": "Rustem Umerov"})
    assert head_on(delegation, "2025-11-26")[0] == disputed
    assert head_on(delegation, "2025-11-28")[0] == "Rustem Umerov"


def test_the_version_counts_what_was_known():
    delegation = ukraine()
    record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": "Rustem Umerov"})
    view = fold("delegation", delegation.facts, end_of("2025-11-20"), None)
    assert view.version == 2
    long_ago = datetime.now(UTC) - timedelta(days=1)
    assert fold("delegation", delegation.facts, end_of("2025-11-20"), long_ago).version == 0
