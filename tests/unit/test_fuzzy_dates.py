import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.errors import InvalidFuzzyDate
from parley.domain.fuzzy_dates import ACCEPTED_FORMS, GRAMMAR, FuzzyDate, end_of, read_by_edtf, read_by_grammar
from tests.examples import examples


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


LAST = (23, 59, 59, 999999)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2025-11-23", utc(2025, 11, 23), utc(2025, 11, 23, *LAST)),
        ("2025-11-23T14:30:00Z", utc(2025, 11, 23, 14, 30), utc(2025, 11, 23, 14, 30)),
        ("2025-11-23T14:30:00+02:00", utc(2025, 11, 23, 12, 30), utc(2025, 11, 23, 12, 30)),
        ("2025-11", utc(2025, 11, 1), utc(2025, 11, 30, *LAST)),
        ("2024-02", utc(2024, 2, 1), utc(2024, 2, 29, *LAST)),
        ("2025", utc(2025, 1, 1), utc(2025, 12, 31, *LAST)),
        ("2025-12-01/2025-12-05", utc(2025, 12, 1), utc(2025, 12, 5, *LAST)),
        ("../2025-11-30", None, utc(2025, 11, 30, *LAST)),
        ("2025-12-01/..", utc(2025, 12, 1), None),
        ("2025-12-03?", utc(2025, 12, 2), utc(2025, 12, 4, *LAST)),
        ("2025-12-03~", utc(2025, 12, 2), utc(2025, 12, 4, *LAST)),
        ("2025-12~", utc(2025, 11, 1), utc(2026, 1, 31, *LAST)),
        ("2025?", utc(2024, 1, 1), utc(2026, 12, 31, *LAST)),
        ("2025-12-01?/2025-12-05~", utc(2025, 11, 30), utc(2025, 12, 6, *LAST)),
        ("../2025-12~", None, utc(2026, 1, 31, *LAST)),
    ],
)
def test_every_accepted_form_has_its_bounds_and_keeps_its_text(text, earliest, latest):
    fuzzy = FuzzyDate.parse(text)
    assert (fuzzy.text, fuzzy.earliest, fuzzy.latest) == (text, earliest, latest)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 2025",
        "2025-02-30",
        "2025-13",
        "2025-21",
        "2025-XX",
        "[2025,2026]",
        "2025-12-03%",
        "../..",
        "/2025",
        "2025-12-05/2025-12-01",
        "12025",
        "0000",
        "9999?",
        "yesterday",
        "2025-11-23T25:00:00Z",
        "2025-11-23T14:30:00Z/..",
        "2025-11-23T14:30:00Z?",
        "2025-11-23/2025-11-24T10:00:00Z",
    ],
)
def test_anything_else_is_refused_with_the_accepted_forms(text):
    with pytest.raises(InvalidFuzzyDate) as refused:
        FuzzyDate.parse(text)
    assert ACCEPTED_FORMS[0] in str(refused.value)


def test_a_bare_query_date_means_the_end_of_that_day():
    assert end_of("2025-11-30") == utc(2025, 11, 30, *LAST)
    assert end_of("2025-11-30T10:00:00+01:00") == utc(2025, 11, 30, 9)
    assert end_of("2025-11-30T10:00:00") == utc(2025, 11, 30, 10)


NEAR_FORMS = (
    r"(\.\.|[0-9]{4}(-(0[0-9]|1[0-3]|2[0-4]|99)(-[0-3][0-9])?)?[?~%]?)(/(\.\.|[0-9]{4}(-[01][0-9](-[0-3][0-9])?)?[?~]?))?"
)


@settings(max_examples=examples(60), deadline=None)
@given(st.from_regex(NEAR_FORMS, fullmatch=True))
def test_the_grammar_reads_what_edtf_reads_with_the_same_bounds(text):
    """Dates in the grammar are read without edtf, and read as edtf reads them; the rest are left to edtf."""
    try:
        by_edtf = read_by_edtf(text)
    except (ValueError, OverflowError):  # refusals are ValueErrors
        by_edtf = None
    try:
        fast = read_by_grammar(text)
    except (ValueError, OverflowError):
        fast = None
    expected = by_edtf if re.fullmatch(GRAMMAR, text) else None
    assert (fast and (fast.earliest, fast.latest)) == (expected and (expected.earliest, expected.latest))


@pytest.mark.parametrize("text", ["0999", "3000-01-01", "2025-02-29", "2025-12-05/2025-12-01", "2025-11-23T14:30:00Z/.."])
def test_a_new_event_gives_its_date_in_the_grammar(text):
    with pytest.raises(InvalidFuzzyDate) as refused:
        FuzzyDate.accepted(text)
    assert ACCEPTED_FORMS[0] in str(refused.value)


def test_a_stored_date_outside_the_grammars_years_is_still_read():
    assert FuzzyDate.parse("0999").earliest == utc(999, 1, 1)
    assert FuzzyDate.accepted("2999-12~").latest == utc(3000, 1, 31, *LAST)
