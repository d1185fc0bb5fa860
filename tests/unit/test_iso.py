"""Stored instants are written as the API writes every instant: `datetime.isoformat` in UTC, `Z`."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from parley.projections.rows import iso
from parley.projections.sql import from_us, to_us

MOMENTS = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999), timezones=st.just(UTC))


@given(MOMENTS)
def test_stored_microseconds_read_as_the_instant_they_store(moment: datetime) -> None:
    expected = moment.isoformat().replace("+00:00", "Z")
    assert iso(to_us(moment)) == expected
    assert iso(moment) == expected
    assert from_us(to_us(moment)) == moment


def test_whole_seconds_have_no_fraction_and_the_epoch_reads_as_itself() -> None:
    assert iso(0) == "1970-01-01T00:00:00Z"
    assert iso(-1) == "1969-12-31T23:59:59.999999Z"
    assert iso(1_500_000) == "1970-01-01T00:00:01.500000Z"
    assert iso(None) is None
