"""When a proposed event happened: the sentence's date nearest its cue, a span for talks told as
lasting ("after ten days of talks"), else on or before the publication date (SPEC §13)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from parley.domain.fuzzy_dates import FuzzyDate
from parley.service.drafting.dates import NUMBERS, DateMention
from parley.service.drafting.reading import Reading


def occurred_at(reading: Reading, at: int, used: DateMention | None, published: date, *, planned: bool, why: list[str]) -> str:
    """When it happened: the sentence's date nearest the cue that is not the planned date; else
    on or before the publication date."""
    candidates = [d for d in reading.dates if d is not used and d.start < reading.next_cue(at)]
    if planned or reading.tense == "future" and used is not None:
        candidates = [d for d in candidates if d.end <= at]
    if candidates and not (planned and reading.tense == "future"):
        mention = min(candidates, key=lambda d: abs(d.start - at))
        if not is_after(mention.fuzzy, published):
            if used is None:
                why.append(mention.reading)
            return mention.fuzzy
    return f"../{published.isoformat()}"


LASTING = re.compile(
    r"\b(\d{1,2}|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)"
    r"[\s-]+(day|week)s?\b",
    re.IGNORECASE,
)


def lasting(text: str, match: re.Match[str], occurred: str, published: date, why: list[str]) -> str:
    """An event told as lasting ("after ten days of talks", "nearly a week of negotiations") ends on the
    day the sentence gives (or the publication) and began that many days before."""
    told = list(LASTING.finditer(text[max(0, match.start() - 25) : match.end()]))
    lasting = told[-1] if told else None  # the span nearest the talks: "by 30 days after two days of talks" is two
    if lasting is None or "/" in occurred.strip("."):
        return occurred
    count = int(lasting.group(1)) if lasting.group(1).isdigit() else NUMBERS[lasting.group(1).lower()]
    days = count * (7 if lasting.group(2).lower() == "week" else 1)
    try:
        end = date.fromisoformat(occurred.removeprefix("../")) if occurred.removeprefix("../") else published
    except ValueError:
        return occurred
    start = end - timedelta(days=days - 1)
    if start == end:
        return occurred
    why.append(f"'{lasting.group()}' → {start.isoformat()}/{end.isoformat()}")
    return f"{start.isoformat()}/{end.isoformat()}"


BEGAN = re.compile(
    r"\b(?:opened|began|begun|started|resumed|got underway|been meeting|been negotiating|been talking)\b", re.IGNORECASE
)


def begun(match: re.Match[str], occurred: str, published: date, why: list[str]) -> str:
    """Talks told by the day they began ("talks that opened on May 2", "have been meeting since May 6")
    went on from that day to the report's, as far as it tells."""
    if BEGAN.search(match.group()) is None:
        return occurred
    first = occurred.split("/")[0]
    try:
        day = date.fromisoformat(first)
    except ValueError:
        return occurred
    if occurred not in (first, f"{first}/..") or day >= published:
        return occurred
    why.append(f"began {first}, told on {published.isoformat()}")
    return f"{first}/{published.isoformat()}"


def is_after(fuzzy: str, published: date) -> bool:
    try:
        earliest = FuzzyDate.parse(fuzzy).earliest
    except Exception:  # noqa: BLE001 - an unreadable date is not a future one
        return False
    return earliest is not None and earliest.date() > published


def overlap(a: str, b: str) -> bool:
    try:
        x, y = FuzzyDate.parse(a), FuzzyDate.parse(b)
    except Exception:  # noqa: BLE001
        return False
    return (x.earliest is None or y.latest is None or x.earliest <= y.latest) and (
        y.earliest is None or x.latest is None or y.earliest <= x.latest
    )
