"""Generated negotiation records that look like real use, for filling stores and posting.

Many subjects of every kind, most with a handful of events and a few with hundreds; fuzzy
dates of every form the API accepts; statements backdated between facts recorded earlier;
some statements retracted. Every subject's events are valid in the order they are yielded
(each passes the rules when recorded), and the same seed gives the same events.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.samples import Pool

EPOCH = date(2024, 1, 1)
BENCH_NAMESPACE = uuid.UUID("9f1c2a54-6f0e-4d3b-8a7e-2b5d1c0e9a17")
PEOPLE = [
    f"{first} {last}"
    for first in ("Anna", "Boris", "Chen", "Dara", "Emil", "Farah", "Gita", "Hugo", "Ines", "Jonas", "Kira", "Leo")
    for last in ("Adler", "Bauer", "Costa", "Dumas", "Ek", "Ferro", "Gold", "Haas")
]
OUTLETS = ("Reuters", "Axios", "WSJ", "Forbes", "AP", "Kyiv Independent", "TASS", "Politico", "BBC")
PLACES = ("Geneva", "Florida", "Istanbul", "Riyadh", "Abu Dhabi", "Moscow", "Kyiv", "Vienna")
TOPICS = ("territory", "security guarantees", "sanctions", "elections", "prisoners", "energy", "reconstruction")
KINDS = BUILT_IN.kinds  # every kind the catalog declares; each subject's events come from its declaration


def event_id(slug: str, index: int) -> str:
    return str(uuid.uuid5(BENCH_NAMESPACE, f"{slug}#{index}"))


def day_text(day: int) -> str:
    return (EPOCH + timedelta(days=day)).isoformat()


def fact_date(rng: random.Random, day: int) -> str:
    """A valid time whose latest instant is within a day of `day` (facts keep their order)."""
    text = day_text(day)
    return rng.choice(
        (text, text, f"{text}T{rng.randrange(24):02d}:30:00Z", f"{day_text(day - 3)}/{text}", f"../{text}", f"{text}?")
    )


def loose_date(rng: random.Random, day: int) -> str:
    """A statement's valid time: any form, including months, approximations and open ends."""
    text = day_text(day)
    return rng.choice((text, text, text, text[:7], f"{text[:7]}~", f"{text}/..", f"{text}~", f"{day_text(day - 5)}/{text}"))


POOL = Pool(tuple(PEOPLE), PLACES, TOPICS, day_text)


def subject_size(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.70:
        return rng.randint(1, 8)
    if roll < 0.95:
        return rng.randint(10, 60)
    return rng.randint(100, 600)


class SubjectStory:
    """One subject's events, in an order the rules accept: its kind's declared sample (domain/samples.py)
    creates and changes it, and statements and retractions, which every kind takes, come between."""

    def __init__(self, kind: str, slug: str, size: int, seed: int, catalog: Catalog = BUILT_IN):
        self.subject = f"{kind}/{slug}"
        self.kind, self.slug, self.size = kind, slug, size
        self.rng = random.Random(seed)
        self.day = self.rng.randrange(10, 600)
        self.first_day = self.day + 2
        self.index = 0
        self.statements: list[tuple[str, str]] = []  # id and occurred, of each statement not retracted
        cls = catalog.subject_class(kind)
        self.sample = cls.sample(cls, slug, self.rng, POOL)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        while self.index < self.size:
            event = self.next_event()
            # What the sample's change needs of another subject first (a merge's record), then it.
            for slug, type_name, data in self.sample.before:
                subject = f"{self.kind}/{slug}"
                yield {
                    "event_id": event_id(subject, 0),
                    "type": type_name,
                    "subject": subject,
                    "occurred": event["occurred"],
                    "data": data,
                    "sources": self.sources(),
                }
            self.sample.before = []
            yield event

    def next_event(self) -> dict[str, Any]:
        rng = self.rng
        drawn = None
        if self.index == 0:
            drawn = self.sample.created(self.day)
            occurred = fact_date(rng, self.day)
        elif rng.random() < 0.25 and not self.sample.concluded:
            self.day += rng.randint(2, 6)
            drawn = self.sample.changed(self.day, self.index >= self.size - 2)
            occurred = fact_date(rng, self.day)
        if drawn is not None:
            type_name, data = drawn
        elif self.statements and rng.random() < 0.04:
            type_name = "EventRetracted"
            retracted, said = self.statements.pop(rng.randrange(len(self.statements)))
            data = {"event_id": retracted, "reason": "The outlet corrected its report"}
            # after the creation, as a statement is, and not before the statement could have been made
            # (SPEC §14), which a loose date may put after today
            earliest = FuzzyDate.parse(said).earliest
            occurred = max(day_text(max(self.day, self.first_day)), earliest.date().isoformat() if earliest else "")
        else:
            type_name = "StatementRecorded"
            data = {"speaker": rng.choice(PEOPLE), "quote": f"We discussed {rng.choice(TOPICS)} in depth ({self.index})."}
            if rng.random() < 0.3:
                data["role"] = rng.choice(("envoy", "minister", "spokesperson"))
            backdated = rng.randint(self.first_day, max(self.first_day, self.day))  # between earlier facts
            occurred = loose_date(rng, backdated if rng.random() < 0.4 else self.day + 1)
        body = {
            "event_id": event_id(self.subject, self.index),
            "type": type_name,
            "subject": self.subject,
            "occurred": occurred,
            "data": data,
            # a disputed value's alternatives cite sources of the same event (SPEC §6)
            "sources": [{"name": "Axios"}, {"name": "WSJ"}] if _disputed(data) else self.sources(),
        }
        if rng.random() < 0.1:
            body["note"] = "Two outlets differ on the date."
        if type_name == "StatementRecorded":
            self.statements.append((str(body["event_id"]), occurred))
        self.index += 1
        return body

    def sources(self) -> list[dict[str, Any]]:
        source: dict[str, Any] = {"name": self.rng.choice(OUTLETS)}
        if self.rng.random() < 0.5:
            source["url"] = f"https://news.example/{self.slug}/{self.index}"
            source["published"] = day_text(self.day + 1)
        return [source]


def _disputed(data: dict[str, Any]) -> bool:
    return any(isinstance(value, dict) and "disputed" in value for value in data.values())


def stories(prefix: str, seed: int) -> Iterator[SubjectStory]:
    """An endless series of subjects with sizes drawn from the mix above."""
    rng = random.Random(seed)
    number = 0
    while True:
        kind = rng.choice(KINDS)
        yield SubjectStory(kind, f"{prefix}-{number}", subject_size(rng), rng.randrange(2**32))
        number += 1


def interleaved(source: Iterator[SubjectStory], total: int, active: int = 500, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`total` events from many subjects at once, as a log records them: interleaved, not one by one."""
    rng = random.Random(seed)
    running: list[Iterator[dict[str, Any]]] = []
    produced = 0
    while produced < total:
        while len(running) < active:
            running.append(iter(next(source)))
        slot = rng.randrange(len(running))
        body = next(running[slot], None)
        if body is None:
            running[slot] = running[-1]
            running.pop()
            continue
        produced += 1
        yield body


def probe_stories() -> list[SubjectStory]:
    """The subjects whose state at a date is measured: the same in every store, 1k events in all."""
    sizes = [3, 5, 8, 12, 20, 30, 45, 60, 80, 100, 120, 150, 180, 187]
    return [SubjectStory(KINDS[i % len(KINDS)], f"probe-{i}", size, 1000 + i) for i, size in enumerate(sizes)]
