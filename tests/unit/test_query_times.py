"""Query times are parsed by pydantic; SPEC §4's rules (a date is the end of that day, a time
without an offset is UTC) and the documented pattern are ours. The parse agrees with the
domain's `end_of` on every text the pattern allows, and refuses what pydantic alone would take."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from parley.api.query_times import QueryDay, QueryTime
from parley.domain.fuzzy_dates import DAY, MOMENT, end_of

MOMENTS, DAYS = TypeAdapter(QueryTime), TypeAdapter(QueryDay)


@given(st.from_regex(MOMENT, fullmatch=True))
def test_every_time_the_pattern_allows_means_what_end_of_says(text: str) -> None:
    parsed = MOMENTS.validate_python(text)
    assert parsed == end_of(text) and parsed.tzinfo == UTC


@given(st.from_regex(DAY, fullmatch=True))
def test_a_day_means_the_end_of_it(text: str) -> None:
    assert DAYS.validate_python(text) == end_of(text)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("2025-11-30", datetime(2025, 11, 30, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2025-11-30T00:00:00Z", datetime(2025, 11, 30, tzinfo=UTC)),  # pydantic would read a day
        ("2025-11-30T00:00", datetime(2025, 11, 30, tzinfo=UTC)),
        ("2025-11-30T10:00:00", datetime(2025, 11, 30, 10, tzinfo=UTC)),  # naive: UTC
        ("2025-11-30T10:00:00+01:00", datetime(2025, 11, 30, 9, tzinfo=UTC)),
    ],
)
def test_a_date_is_its_end_a_midnight_is_an_instant_and_a_naive_time_is_utc(text: str, meant: datetime) -> None:
    assert MOMENTS.validate_python(text) == meant


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "1700000000",  # Unix timestamps
        "2025-11-30 10:00",
        "2025-11-30t10:00z",  # another separator, lower case
        "2025-11-30T10:00:00+0100",
        "9999-12-31",
        "0999-12-31",  # an offset without its colon, years out of range
        "2025-02-29",
        "2025-11-30T24:00",
        "x" * 41,
    ],
)
def test_what_pydantic_alone_would_take_or_the_pattern_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        MOMENTS.validate_python(text)
    assert [error["type"] for error in refused.value.errors()] in (["datetime"], ["string_too_long"])


def test_an_offset_whose_plus_arrived_as_a_space_says_to_send_percent_2b() -> None:
    with pytest.raises(ValidationError, match="%2B"):
        MOMENTS.validate_python("2025-12-01T10:00:00 01:00")


@pytest.mark.parametrize("text", ["2025-11-30T10:00:00Z", "1700000000", "2025-11-31", "20251130"])
def test_a_day_is_only_a_day(text: str) -> None:
    with pytest.raises(ValidationError):
        DAYS.validate_python(text)
