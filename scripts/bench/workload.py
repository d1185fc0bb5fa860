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

EPOCH = date(2024, 1, 1)
BENCH_NAMESPACE = uuid.UUID("9f1c2a54-6f0e-4d3b-8a7e-2b5d1c0e9a17")
PEOPLE = [f"{first} {last}" for first in ("Anna", "Boris", "Chen", "Dara", "Emil", "Farah", "Gita", "Hugo",
                                          "Ines", "Jonas", "Kira", "Leo")
          for last in ("Adler", "Bauer", "Costa", "Dumas", "Ek", "Ferro", "Gold", "Haas")]
OUTLETS = ("Reuters", "Axios", "WSJ", "Forbes", "AP", "Kyiv Independent", "TASS", "Politico", "BBC")
PLACES = ("Geneva", "Florida", "Istanbul", "Riyadh", "Abu Dhabi", "Moscow", "Kyiv", "Vienna")
TOPICS = ("territory", "security guarantees", "sanctions", "elections", "prisoners", "energy", "reconstruction")
KINDS = ("delegation", "plan", "meeting", "trip")


def event_id(slug: str, index: int) -> str:
    return str(uuid.uuid5(BENCH_NAMESPACE, f"{slug}#{index}"))


def day_text(day: int) -> str:
    return (EPOCH + timedelta(days=day)).isoformat()


def fact_date(rng: random.Random, day: int) -> str:
    """A valid time whose latest instant is within a day of `day` (facts keep their order)."""
    text = day_text(day)
    return rng.choice((text, text, f"{text}T{rng.randrange(24):02d}:30:00Z", f"{day_text(day - 3)}/{text}",
                       f"../{text}", f"{text}?"))


def loose_date(rng: random.Random, day: int) -> str:
    """A statement's valid time: any form, including months, approximations and open ends."""
    text = day_text(day)
    return rng.choice((text, text, text, text[:7], f"{text[:7]}~", f"{text}/..", f"{text}~", f"{day_text(day - 5)}/{text}"))


def subject_size(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.70:
        return rng.randint(1, 8)
    if roll < 0.95:
        return rng.randint(10, 60)
    return rng.randint(100, 600)


class SubjectStory:
    """One subject's events, in an order the rules accept."""

    def __init__(self, kind: str, slug: str, size: int, seed: int):
        self.subject = f"{kind}/{slug}"
        self.kind, self.slug, self.size = kind, slug, size
        self.rng = random.Random(seed)
        self.day = self.rng.randrange(10, 600)
        self.first_day = self.day + 2
        self.index = 0
        self.statements: list[str] = []
        self.members = [self.rng.choice(PEOPLE)]
        self.head = self.members[0]
        self.topics = list(TOPICS[:3])
        self.concluded = False
        self.status = "proposed"  # a plan's; a change to the same status is refused (SPEC §6)
        self.planned = ""  # a meeting's or trip's planned_for; so is a reschedule to the same date

    def __iter__(self) -> Iterator[dict[str, Any]]:
        while self.index < self.size:
            yield self.next_event()

    def next_event(self) -> dict[str, Any]:
        rng = self.rng
        if self.index == 0:
            type_name, data = self.created()
            occurred = fact_date(rng, self.day)
        elif rng.random() < 0.25 and not self.concluded:
            self.day += rng.randint(2, 6)
            type_name, data = self.changed()
            occurred = fact_date(rng, self.day)
        elif self.statements and rng.random() < 0.04:
            type_name = "EventRetracted"
            data = {"event_id": self.statements.pop(rng.randrange(len(self.statements))), "reason": "The outlet corrected its report"}
            occurred = day_text(self.day)
        else:
            type_name = "StatementRecorded"
            data = {"speaker": rng.choice(PEOPLE), "quote": f"We discussed {rng.choice(TOPICS)} in depth ({self.index})."}
            if rng.random() < 0.3:
                data["role"] = rng.choice(("envoy", "minister", "spokesperson"))
            backdated = rng.randint(self.first_day, max(self.first_day, self.day))  # between earlier facts
            occurred = loose_date(rng, backdated if rng.random() < 0.4 else self.day + 1)
        body = {
            "event_id": event_id(self.subject, self.index), "type": type_name, "subject": self.subject,
            "occurred": occurred, "data": data,
            # a disputed value's alternatives cite sources of the same event (SPEC §6)
            "sources": [{"name": "Axios"}, {"name": "WSJ"}] if isinstance(data.get("point_count"), dict) else self.sources(),
        }
        if rng.random() < 0.1:
            body["note"] = "Two outlets differ on the date."
        if type_name == "StatementRecorded":
            self.statements.append(body["event_id"])
        self.index += 1
        return body

    def sources(self) -> list[dict[str, Any]]:
        source: dict[str, Any] = {"name": self.rng.choice(OUTLETS)}
        if self.rng.random() < 0.5:
            source["url"] = f"https://news.example/{self.slug}/{self.index}"
            source["published"] = day_text(self.day + 1)
        return [source]

    def created(self) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        if self.kind == "delegation":
            self.members += [p for p in rng.sample(PEOPLE, 3) if p not in self.members]
            return "DelegationFormed", {"party": self.slug.title(), "head": self.head,
                                        "members": [{"name": m} for m in self.members]}
        if self.kind == "plan":
            count = rng.randint(12, 30)
            point_count: Any = count if rng.random() < 0.8 else {"disputed": [
                {"value": count, "sources": ["Axios"]}, {"value": count + 3, "sources": ["WSJ"]}]}
            return "PlanProposed", {"title": f"Plan {self.slug}", "proposed_by": rng.choice(PLACES),
                                    "point_count": point_count, "topics": list(self.topics), "published": False}
        planned = self.planned = day_text(self.day + rng.randint(5, 30))
        if self.kind == "meeting":
            return "MeetingScheduled", {"title": f"Round {self.slug}", "location": rng.choice(PLACES), "planned_for": planned,
                                        "participants": [{"name": p} for p in rng.sample(PEOPLE, 3)]}
        return "TripScheduled", {"traveller": rng.choice(PEOPLE), "destination": rng.choice(PLACES), "planned_for": planned}

    def changed(self) -> tuple[str, dict[str, Any]]:
        rng, last = self.rng, self.index >= self.size - 2
        if self.kind == "delegation":
            return self.delegation_changed()
        if self.kind == "plan":
            if rng.random() < 0.2:
                self.status = rng.choice([s for s in ("under_negotiation", "agreed", "rejected") if s != self.status])
                return "PlanStatusChanged", {"status": self.status}
            added = rng.choice(TOPICS)
            data: dict[str, Any] = {"point_count": rng.randint(12, 30), "summary": f"Points merged and reworded ({self.index})."}
            if added not in self.topics:
                self.topics.append(added)
                data["topics_added"] = [added]
            elif len(self.topics) > 2:
                self.topics.remove(added)
                data["topics_removed"] = [added]
            return "PlanRevised", data
        prefix = "Meeting" if self.kind == "meeting" else "Trip"
        if last or rng.random() < 0.05:
            self.concluded = True
            done = "Held" if self.kind == "meeting" else "Completed"
            return prefix + (done if rng.random() < 0.8 else "Cancelled"), {}
        planned = self.planned
        while planned == self.planned:
            planned = day_text(self.day + rng.randint(3, 20))
        self.planned = planned
        return prefix + "Rescheduled", {"planned_for": planned}

    def delegation_changed(self) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            new_head = rng.choice([p for p in self.members if p != self.head] or [p for p in PEOPLE if p != self.head])
            self.head = new_head
            return "DelegationHeadReplaced", {"new_head": new_head, "reason": "Reshuffle"}
        leaving = [m for m in self.members if m != self.head]
        if roll < 0.55 and leaving:
            self.members.remove(name := rng.choice(leaving))
            return "DelegationMemberLeft", {"name": name}
        joining = [p for p in PEOPLE if p not in self.members]
        self.members.append(name := rng.choice(joining))
        return "DelegationMemberJoined", {"name": name, "role": "adviser"}


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
    return [SubjectStory(KINDS[i % 4], f"probe-{i}", size, 1000 + i) for i, size in enumerate(sizes)]
