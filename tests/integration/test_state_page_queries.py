"""`/state` reads a page of subjects in a number of queries that does not grow with the page,
as known now and as known at a past time alike (issue #26)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parley.domain.subjects import SubjectId
from parley.scripts.bench.state_queries import counted, lines
from parley.scripts.transfer import import_lines
from parley.service.bootstrap import System


@pytest.fixture
def stored(system: System) -> System:
    import_lines(system.app, lines(40), "tests")
    system.projection.catch_up()  # no server here: the test applies the log itself
    return system


@pytest.mark.parametrize("known", ["now", "past"])
def test_a_page_of_states_costs_the_same_queries_for_five_subjects_as_for_forty(stored: System, known: str):
    as_of = datetime(2025, 12, 31, tzinfo=UTC)
    known_at = None if known == "now" else datetime.now(UTC)
    small = counted(lambda: stored.state_reads.states(as_of, known_at, "delegation", "", 5))
    large = counted(lambda: stored.state_reads.states(as_of, known_at, "delegation", "", 40))
    assert len(large.answer[0]) == 40 and len(small.answer[0]) == 5
    assert large.queries == small.queries <= 8, (small.queries, large.queries)


def test_the_page_as_known_at_a_past_time_answers_as_each_subject_alone(stored: System):
    as_of, known_at = datetime(2025, 11, 25, tzinfo=UTC), datetime.now(UTC)
    page, _ = stored.state_reads.states(as_of, known_at, "delegation", "", 40)
    assert page == [stored.state_reads.state(SubjectId.parse(item["subject"]), as_of, known_at) for item in page]
