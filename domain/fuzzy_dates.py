"""Fuzzy dates: valid times that may be exact, a period, a range, open or qualified.

The grammar is the subset of EDTF (ISO 8601-2) listed in SPEC §1. The bounds are computed
here because the spec defines them precisely: a day, month or year runs from its first to its
last instant, and a `?` or `~` widens its date by one unit of that date's precision on each side.

The accepted forms are one grammar, `GRAMMAR`: it reads every date a new event may give, and
the API shows it as the pattern of a fuzzy date. (`edtf`'s pyparsing grammar takes about 10 ms
a date, which made parsing most of the cost of recording an event.) Anything the grammar does
not read goes to `edtf`, which says precisely what is wrong with it, or reads a date stored
before the grammar narrowed the years; tests/unit/test_fuzzy_dates.py checks the two agree.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from parley.domain.errors import InvalidFuzzyDate

if TYPE_CHECKING:
    from edtf.parser.parser_classes import Date

ACCEPTED_FORMS = (
    "2025-11-23 (a day)",
    "2025-11-23T14:30:00Z or 2025-11-23T14:30:00+02:00 (an instant)",
    "2025-11 (some day that month)",
    "2025 (some day that year)",
    "2025-12-01/2025-12-05 (some time in that range)",
    "../2025-11-30 (on or before)",
    "2025-12-01/.. (on or after)",
    "a date or range end with ? (uncertain) or ~ (approximate), e.g. 2025-12-03?",
)

_ONE_MICROSECOND = timedelta(microseconds=1)

# The forms of SPEC §1. Only real calendar days match, and years run 1000-2999: at the
# calendar's own edges a date widened by `?` or an instant moved to UTC leaves the range
# Python can represent, and no negotiation needs them. No pattern can say that a range must
# not end before it starts; the bounds do.
_YEAR = r"[12][0-9]{3}"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = (
    rf"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[12][0-9](?:0[48]|[2468][048]|[13579][26])|(?:12|16|20|24|28)00)-02-29)"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_INSTANT = rf"{_DAY}T{_TIME}{_OFFSET}?"
_DATE = rf"(?:{_DAY}|{_YEAR}-{_MONTH}|{_YEAR})[?~]?"
GRAMMAR = rf"^(?:{_INSTANT}|{_DATE}|{_DATE}/{_DATE}|\.\./{_DATE}|{_DATE}/\.\.)$"
_GRAMMAR = re.compile(GRAMMAR)
# A query's point in time (`as_of`, `known_at`, `from`, `to`): a day or an instant.
MOMENT = rf"^(?:{_DAY}|{_INSTANT})$"
# A query's day (`published_by`).
DAY = rf"^{_DAY}$"


@dataclass(frozen=True)
class FuzzyDate:
    """A valid time as given, with the earliest and latest instants it allows (UTC).

    An open end has no instant (`None`).
    """

    text: str
    earliest: datetime | None = field(compare=False)
    latest: datetime | None = field(compare=False)

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        return _parse(text)

    @classmethod
    def accepted(cls, text: str) -> FuzzyDate:
        """A date as a new event may give it: in `GRAMMAR` (stored dates are read by `parse`)."""
        return _accepted(text)

    @property
    def is_exact(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest

    def __str__(self) -> str:
        return self.text


def refusal(text: str, why: str) -> InvalidFuzzyDate:
    forms = "; ".join(ACCEPTED_FORMS)
    return InvalidFuzzyDate(f"{text!r} is not a fuzzy date ({why}). Accepted forms: {forms}.")


@lru_cache(maxsize=65536)
def _accepted(text: str) -> FuzzyDate:
    # Cached as `_parse` is: every write checks each of its dates against the grammar (a long
    # regular expression), and the same few dates recur. A refusal is raised, never cached.
    parsed = _parse(text)
    if not _GRAMMAR.fullmatch(text):
        raise refusal(text, "not written in one of the accepted forms, or a year outside 1000-2999")
    return parsed


@lru_cache(maxsize=65536)
def _parse(text: str) -> FuzzyDate:
    try:
        return _parse_unchecked(text)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, InvalidFuzzyDate):
            raise
        raise refusal(text, "outside the calendar") from exc


def _parse_unchecked(text: str) -> FuzzyDate:
    if not isinstance(text, str) or not text or text != text.strip():
        raise refusal(str(text), "empty or padded with spaces")
    if "T" in text and "/" not in text:
        return FuzzyDate(text, *([_instant(text)] * 2))
    try:
        fast = read_by_grammar(text)
    except (ValueError, OverflowError):  # an impossible date: edtf's path says why
        fast = None
    return fast or read_by_edtf(text)


def read_by_grammar(text: str) -> FuzzyDate | None:
    """A date (or range of dates) in `GRAMMAR`, without `edtf`; None for anything else."""
    if not _GRAMMAR.fullmatch(text):
        return None
    first, _, second = text.partition("/")
    earliest = _fast_bound(first, lower=True)
    latest = _fast_bound(second or first, lower=False)
    if earliest is not None and latest is not None and earliest > latest:
        return None
    return FuzzyDate(text, earliest, latest)


def _fast_bound(date: str, *, lower: bool) -> datetime | None:
    if date == "..":
        return None
    year, *rest = (int(part) for part in date.rstrip("?~").split("-"))
    month, day = (rest[0] if rest else None), (rest[1] if len(rest) > 1 else None)
    return _bound_of(year, month, day, 1 if date[-1] in "?~" else 0, lower=lower)


def read_by_edtf(text: str) -> FuzzyDate:
    """Any EDTF date, by the `edtf` package: what `read_by_grammar` does not read, and its oracle.
    Imported here, on the first such date: its grammar is built as it is imported, about 0.15 s of CPU
    that every `parley` process paid at start (and most never read a date `GRAMMAR` does not)."""
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException
    from edtf.parser.parser_classes import Interval, Level1Interval

    try:
        parsed = parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError, OverflowError) as exc:
        raise refusal(text, "not valid EDTF") from exc
    if isinstance(parsed, (Interval, Level1Interval)):
        earliest = _bound(text, parsed.lower, lower=True)
        latest = _bound(text, parsed.upper, lower=False)
        if earliest is None and latest is None:
            raise refusal(text, "both ends are open")
        if earliest is not None and latest is not None and earliest > latest:
            raise refusal(text, "the range ends before it starts")
        return FuzzyDate(text, earliest, latest)
    return FuzzyDate(text, _bound(text, parsed, lower=True), _bound(text, parsed, lower=False))


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise refusal(text, "not an ISO 8601 date and time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _bound(text: str, part: object, *, lower: bool) -> datetime | None:
    from edtf.parser.parser_classes import Date, DateAndTime, UncertainOrApproximate, UnspecifiedIntervalSection

    if isinstance(part, UnspecifiedIntervalSection):
        if not part.is_open:
            raise refusal(text, "an unknown range end is written '..'")
        return None
    if isinstance(part, DateAndTime):
        raise refusal(text, "range ends are dates, not instants")
    widen = 0
    if isinstance(part, UncertainOrApproximate):
        if part.ua is not None:
            if str(part.ua) not in ("?", "~"):
                raise refusal(text, "the qualifiers are ? and ~")
            widen = 1
        part = part.date
    if type(part) is not Date:
        raise refusal(text, f"{type(part).__name__} is not supported")
    return _date_bound(text, part, widen, lower=lower)


def _date_bound(text: str, date: Date, widen: int, *, lower: bool) -> datetime:
    raw = (date._year, date._month, date._day)
    if any(value is not None and not value.isdigit() for value in raw):
        raise refusal(text, "unspecified digits are not supported")
    if date.significant_digits or raw[0] is None or len(raw[0]) != 4:
        raise refusal(text, "years have four digits")
    month, day = (int(value) if value else None for value in raw[1:])
    return _bound_of(int(raw[0]), month, day, widen, lower=lower)


def _bound_of(year: int, month: int | None, day: int | None, widen: int, *, lower: bool) -> datetime:
    if not 1 <= year <= 9999 or month is not None and not 1 <= month <= 12:
        raise ValueError("outside the calendar")
    step = -widen if lower else widen
    if day is not None and month is not None:
        start = datetime(year, month, day, tzinfo=UTC) + timedelta(days=step)
        return start if lower else start + timedelta(days=1) - _ONE_MICROSECOND
    if month is not None:
        year, month = divmod(year * 12 + month - 1 + step, 12)
        month += 1
        if lower:
            return datetime(year, month, 1, tzinfo=UTC)
        last = monthrange(year, month)[1]
        return datetime(year, month, last, tzinfo=UTC) + timedelta(days=1) - _ONE_MICROSECOND
    year += step
    if lower:
        return datetime(year, 1, 1, tzinfo=UTC)
    return datetime(year + 1, 1, 1, tzinfo=UTC) - _ONE_MICROSECOND


def end_of(moment_text: str) -> datetime:
    """A query's point in time, written as text: see `instant_of`."""
    text = moment_text.strip()
    try:
        moment = date.fromisoformat(text) if "T" not in text and len(text) == 10 else datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidFuzzyDate(f"{moment_text!r} is not a date (2025-11-30) or date and time (2025-11-30T12:00:00Z)") from exc
    return instant_of(moment)


def instant_of(moment: date) -> datetime:
    """A query's point in time (SPEC §4): a date means the end of that day, a date and time without
    an offset is UTC; always in UTC."""
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return datetime.combine(moment, time.max, UTC)
