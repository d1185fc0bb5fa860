"""Dates in news prose, read relative to the report's publication date (SPEC §13), as fuzzy dates.

"on December 1" → `2025-12-01`; "before December 4–5" → `../2025-12-05`; "on Tuesday" → the
Tuesday of the report's week on the side its tense says; "next week" → that week's Monday to
Sunday; "earlier this month" → from the 1st to the publication date. The year of a date given
without one is the one that puts it nearest the publication date on the side of the tense.
`dateparser` reads the month and day (every English spelling: "Dec. 4", "4 December",
"December 4th") and the weekdays; the grammar around them (ranges, before, after, parts of a
month) is ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

Tense = Literal["past", "future", "present"]

# Counts written as words, in the drafter's readings of durations ("within five days", "two weeks").
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
}

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
DASH = r"\s*(?:-|–|—|to|and)\s*"
YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
PART = r"(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|end|beginning)[\s-]*"

PATTERNS: list[tuple[str, str]] = [
    # December 4-5 / 4-5 December / December 4 and 5
    ("day_range", rf"\b(?P<month>{MONTHS})\s+(?P<d1>{DAY}){DASH}(?P<d2>{DAY})\b{YEAR}"),
    ("day_range", rf"\b(?P<d1>{DAY}){DASH}(?P<d2>{DAY})\s+(?P<month>{MONTHS}){YEAR}"),
    # December 1 / 1 December / December 1, 2025
    ("day", rf"\b(?P<month>{MONTHS})\s+(?P<d1>{DAY})\b{YEAR}"),
    ("day", rf"\b(?P<d1>{DAY})\s+(?P<month>{MONTHS}){YEAR}"),
    # early December / the end of November / mid-December
    ("part_month", rf"\b{PART}(?P<month>{MONTHS}){YEAR}"),
    ("relative", r"\b(?:earlier|later)\s+this\s+(?P<unit>week|month|year)\b"),
    ("relative", r"\b(?P<which>last|next|this|past|coming)\s+(?P<unit>week|month|year|weekend)\b"),
    ("relative", r"\b(?P<unit>yesterday|today|tomorrow|tonight)\b"),
    ("relative", r"\b(?:at|over)\s+the\s+(?P<unit>weekend)\b"),
    (
        "within",
        r"\bwithin\s+(?:about\s+|the\s+next\s+)?(?P<count>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten)"
        r"\s+(?P<unit>day|week|month)s?\b",
    ),
    ("weekday", rf"\b(?:(?P<which>last|next|this|on|coming)\s+)?(?P<weekday>{WEEKDAYS})\b"),
    ("month", rf"\b(?:in|since|until|by|during)\s+(?P<month>{MONTHS}){YEAR}\b"),
    ("year", r"\b(?:in|since|until|by|during)\s+(?P<year>(?:19|20)\d\d)\b"),
]
COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in PATTERNS]
BEFORE = re.compile(r"\b(?:before|by|until|no later than|ahead of|prior to)\s+(?:the\s+)?(?:end\s+of\s+)?$", re.IGNORECASE)
AFTER = re.compile(r"\b(?:after|since|from|starting|beginning)\s+(?:on\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    text: str  # as the report gives it
    start: int  # within the sentence
    end: int
    fuzzy: str  # SPEC §1's fuzzy date
    reading: str  # what was read, in words, for a proposal's `why`


def dates_in(sentence: str, published: date, tense: Tense) -> list[DateMention]:
    """The dates a sentence gives, in order, none overlapping another."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for name, pattern in COMPILED:
        for match in pattern.finditer(sentence):
            if any(match.start() < stop and start < match.end() for start, stop in taken):
                continue
            if name == "weekday" and match.group("which") is None and _not_a_date_weekday(sentence, match):
                continue
            if _quoted(sentence, match.start()):
                continue  # "today" in a quote is the speaker's day, not one the report dates
            fuzzy = _read(name, match, published, _tense_at(sentence, match.start(), tense))
            if fuzzy is None:
                continue
            start = match.start()
            before = sentence[:start]
            if (bound := BEFORE.search(before)) is not None:
                fuzzy, start = f"../{_last(fuzzy)}", bound.start()
            elif (bound := AFTER.search(before)) is not None and name != "month":
                fuzzy, start = f"{_first(fuzzy)}/..", bound.start()
            taken.append((match.start(), match.end()))
            said = sentence[start : match.end()].strip().rstrip(".")
            found.append(DateMention(said, start, match.end(), fuzzy, f"'{said}' → {fuzzy}"))
    return sorted(found, key=lambda mention: mention.start)


PAST_VERB = re.compile(
    r"\b(?:began|begun|opened|started|met|held|signed|was|were|had|took|ended|arrived|visited|said|"
    r"agreed|announced|told|spoke|flew|left|came|went|(?!(?:expect|schedul|plann|slat)ed\b)\w{3,}ed)\b",
    re.IGNORECASE,
)
FUTURE_WORD = re.compile(
    r"\b(?:will|would|shall|(?:is|are|was|were) to|expected|due|set|scheduled|planned|next|plans?|going)\b", re.IGNORECASE
)


def _tense_at(sentence: str, at: int, tense: Tense) -> Tense:
    """The tense of the clause a date is in: "the talks, which began on Saturday, will now turn to …"
    dates Saturday in the past though the sentence speaks of what comes."""
    clause = re.split(r"[,;]|\b(?:which|who|that|and|but|after|before|while)\b", sentence[:at])[-1]
    # A participle after "be" is a passive's, not a past tense: "will be held in August" is to come.
    past = [m.end() for m in PAST_VERB.finditer(clause) if not re.search(r"\b(?:be|been|being)\s+$", clause[: m.start()])]
    future = [m.end() for m in FUTURE_WORD.finditer(clause)]
    if past and (not future or past[-1] > future[-1]):
        return "past"
    if future:
        return "future"
    return tense


def _quoted(sentence: str, at: int) -> bool:
    before = sentence[:at]
    return (before.count('"') % 2 == 1) or before.count("“") > before.count("”")


def _not_a_date_weekday(sentence: str, match: re.Match[str]) -> bool:
    return False


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    from dateparser.date import DateDataParser  # on the first draft: 0.1 s of every server's start else

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})


@lru_cache(maxsize=4096)
def _month_day(month: str, day: int) -> tuple[int, int] | None:
    """The month and day dateparser reads in "December 1" (a leap year, so 29 February reads)."""
    parsed = _parser().get_date_data(f"{month.rstrip('.')} {day} 2024").date_obj
    return None if parsed is None else (parsed.month, parsed.day)


def _month(month: str) -> int | None:
    found = _month_day(month, 1)
    return None if found is None else found[0]


def _year_for(month: int, day: int, published: date, tense: Tense) -> date | None:
    """The date of that month and day nearest the publication on the side the tense says."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if tense == "past":
        before = [c for c in candidates if c <= published]
        if before:
            return max(before)
    if tense == "future":
        after = [c for c in candidates if c >= published]
        if after:
            return min(after)
    return min(candidates, key=lambda c: abs((c - published).days))


def _read(name: str, match: re.Match[str], published: date, tense: Tense) -> str | None:
    groups = match.groupdict()
    if name in ("day", "day_range"):
        month = _month(groups["month"])
        day = int(re.match(r"\d+", groups["d1"]).group())  # type: ignore[union-attr]  # DAY begins with digits
        if month is None or not 1 <= day <= 31:
            return None
        start = _dated(groups.get("year"), month, day, published, tense)
        if start is None:
            return None
        if name == "day":
            return start.isoformat()
        last = int(re.match(r"\d+", groups["d2"]).group())  # type: ignore[union-attr]  # DAY begins with digits
        try:
            end = date(start.year, month, last)
        except ValueError:
            return None
        return f"{start.isoformat()}/{end.isoformat()}" if end > start else start.isoformat()
    if name in ("part_month", "month"):
        month = _month(groups["month"])
        if month is None:
            return None
        first_day = _dated(groups.get("year"), month, 1, published, tense)
        if first_day is None:
            return None
        last_day = _month_end(first_day)
        if name == "month":
            return f"{first_day.year:04d}-{first_day.month:02d}"
        part = " ".join(groups["part"].lower().split())
        if part == "early" or "beginning" in part or "start" in part:
            return f"{first_day.isoformat()}/{first_day.replace(day=10).isoformat()}"
        if part == "mid":
            return f"{first_day.replace(day=11).isoformat()}/{first_day.replace(day=20).isoformat()}"
        return f"{first_day.replace(day=21).isoformat()}/{last_day.isoformat()}"
    if name == "year":
        return groups["year"]
    if name == "relative":
        return _relative(match.group(0).lower(), groups, published)
    if name == "within":  # "within five days": from the publication to that many days after it
        count = int(groups["count"]) if groups["count"].isdigit() else NUMBERS[groups["count"].lower()]
        days = count * {"day": 1, "week": 7, "month": 30}[groups["unit"].lower()]
        return f"{published.isoformat()}/{(published + timedelta(days=days)).isoformat()}"
    if name == "weekday":
        return _weekday(groups["weekday"].lower(), (groups.get("which") or "").lower(), published, tense)
    return None


def _dated(year: str | None, month: int, day: int, published: date, tense: Tense) -> date | None:
    if year:
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    return _year_for(month, day, published, tense)


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _relative(text: str, groups: dict[str, str | None], published: date) -> str | None:
    unit, which = (groups.get("unit") or "").lower(), (groups.get("which") or "").lower()
    monday = published - timedelta(days=published.weekday())
    if unit == "yesterday":
        return (published - timedelta(days=1)).isoformat()
    if unit in ("today", "tonight"):
        return published.isoformat()
    if unit == "tomorrow":
        return (published + timedelta(days=1)).isoformat()
    if text.startswith("earlier"):
        start = {"week": monday, "month": published.replace(day=1), "year": published.replace(month=1, day=1)}[unit or ""]
        return f"{start.isoformat()}/{published.isoformat()}"
    if text.startswith("later"):
        end = {
            "week": monday + timedelta(days=6),
            "month": _month_end(published.replace(day=1)),
            "year": published.replace(month=12, day=31),
        }[unit or ""]
        return f"{published.isoformat()}/{end.isoformat()}"
    shift = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0, "": 0}[which]
    if unit == "week":
        start = monday + timedelta(weeks=shift)
        return f"{start.isoformat()}/{(start + timedelta(days=6)).isoformat()}"
    if unit == "weekend":
        saturday = monday + timedelta(days=5, weeks=shift)
        return f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}"
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 + shift
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if unit == "year":
        return f"{published.year + shift:04d}"
    return None


DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(name: str, which: str, published: date, tense: Tense) -> str:
    """A weekday named in a report is the one of the report's days on the side of its tense."""
    target = DAYS.index(name)
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if which == "last":
        return (published - timedelta(days=back or 7)).isoformat()
    if which in ("next", "coming"):
        return (published + timedelta(days=ahead or 7)).isoformat()
    if tense == "future":
        return (published + timedelta(days=ahead)).isoformat()
    return (published - timedelta(days=back)).isoformat()


def _first(fuzzy: str) -> str:
    return fuzzy.split("/")[0] if not fuzzy.startswith("..") else fuzzy


def _last(fuzzy: str) -> str:
    return fuzzy.split("/")[-1] if "/" in fuzzy else fuzzy
