"""`parley replay`: the log, event by event, with what each event changed (SPEC §7).

It streams: events are read a page at a time, and only the subjects in recent use are kept
(their facts, and a running fold that makes an event recorded in valid-time order cost one
step). Valid-time order needs the whole log sorted first; that sort goes through a temporary
SQLite file, not memory.
"""

from __future__ import annotations

import sqlite3
import tempfile
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from parley.domain.facts import STATEMENT, Fact
from parley.domain.register import PEOPLE, Kept, names_in
from parley.domain.replay import Order, Step, SubjectReplay
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from parley.projections.sql import NEVER, to_us
from parley.service.application import Parley
from parley.service.register_now import entry_of
from parley.service.topics import with_old_spellings

PAGE = 1000
KEPT_SUBJECTS = 10_000  # running folds: a state each
KEPT_FACTS = 20_000  # about 20 MB of facts, kept for the subjects in most recent use
Progress = Callable[[int, int], None]  # (events read, the position reached)


@dataclass(frozen=True)
class Pins:
    """Which events to replay, and the moment the record is read at (None: everything)."""

    known_at: datetime | None = None
    until: int | None = None
    subject: SubjectId | None = None
    kind: str | None = None
    order: Order = "recorded"

    def topics(self, app: Parley) -> tuple[str, ...]:
        """A kind's topics; with none named, every kind's the store may hold, declared or not."""
        kind = self.subject.kind if self.subject else self.kind
        if not kind:
            return app.stored_topics
        cls = app.catalog.subject_class(kind)
        return with_old_spellings(get_topic(cls.event_class(t)) for t in cls.data_models)

    def counts(self, notification: Notification) -> bool:
        return self.subject is None or notification.originator_id == self.subject.stream_id

    def knows(self, fact: Fact) -> bool:
        return self.known_at is None or fact.recorded_at <= self.known_at


@dataclass(frozen=True)
class Replayed:
    position: int
    step: Step
    people: dict[str, Any] = field(default_factory=dict)  # SPEC §11: who the states' names are, as then known

    def line(self) -> dict[str, Any]:
        """The JSON line: the event as it was when recorded (SPEC §3), then what it changed, and
        the people its states name as the register stood at its position."""
        return {
            **as_read(self.position, self.step.fact),
            "as_of": _iso(self.step.as_of),
            "state_before": _without_statements(self.step.before),
            "state_after": _without_statements(self.step.after),
            "changes": self.step.changes(),
            PEOPLE: self.people,
        }


def as_read(position: int, fact: Fact) -> dict[str, Any]:
    """SPEC §3's shape of an event as of its own position: not retracted yet."""
    return {
        "event_id": fact.event_id,
        "position": position,
        "subject": fact.subject,
        "version": fact.version,
        "type": fact.type,
        "occurred": fact.occurred.text,
        "occurred_earliest": _iso(fact.occurred.earliest),
        "occurred_latest": _iso(fact.occurred.latest),
        "recorded_at": _iso(fact.recorded_at),
        "recorded_by": fact.recorded_by,
        "sources": fact.sources,
        "data": fact.data,
        "note": fact.note,
        "retracted_by": None,
        "retracted_at": None,
        **({"imported_recorded_at": _iso(fact.imported_recorded_at)} if fact.imported_recorded_at else {}),
        "digest": fact.digest,
    }


def replay(app: Parley, pins: Pins, progress: Progress | None = None) -> Iterator[Replayed]:
    subjects = _Subjects(app, pins)
    people = _People(app, pins)
    if pins.order == "recorded":
        for position, fact in _in_recorded_order(app, pins, progress):
            yield people.named(position, subjects.step(fact))
    else:
        with tempfile.TemporaryDirectory(prefix="parley-replay-") as folder:
            for position, fact in _in_valid_order(app, pins, Path(folder) / "order.db", progress):
                yield people.named(position, subjects.step(fact))


class _People:
    """Who is who as each replayed event was recorded (SPEC §11): the register made of the register
    kinds' events up to its position (and known at `--known-at`), kept up to date as positions
    grow; a replay in valid-time order, whose positions go back, makes it again when they do."""

    def __init__(self, app: Parley, pins: Pins):
        self.catalog = app.catalog
        kinds = sorted(app.catalog.register_kinds)
        topics = with_old_spellings(
            get_topic(event_type)
            for kind in kinds
            for name, event_type in app.catalog.subject_class(kind).event_types.items()
            if name != STATEMENT
        )
        self.read: list[tuple[int, Fact]] = []
        after = 0
        while kinds:
            page = app.recorder.select_notifications(
                start=after, limit=PAGE, stop=pins.until, topics=topics, inclusive_of_start=False
            )
            self.read += [(n.id, fact) for n in page if pins.knows(fact := app.fact_of(n))]
            if len(page) < PAGE:
                break
            after = page[-1].id
        self.positions = [position for position, _ in self.read]
        self._start()

    def _start(self) -> None:
        self.kept, self.done = Kept(), 0
        self.facts: dict[Any, Any] = {}

    def named(self, position: int, step: Step) -> Replayed:
        if not self.read:
            return Replayed(position, step)
        count = bisect_right(self.positions, position)
        if count < self.done:
            self._start()
        changed = set()
        for _, fact in self.read[self.done : count]:
            self.facts.setdefault(fact.subject, []).append(fact)
            changed.add(fact.subject)
        for subject in changed:
            self.kept.replace(subject, entry_of(self.facts[subject]))
        self.done = max(self.done, count)
        paths = self.catalog.person_paths(SubjectId.parse(step.fact.subject).kind)
        names = [
            *names_in(step.before, paths),
            *names_in(step.after, paths),
            *(said["speaker"] for said in [*step.withdrawn, *step.said]),
        ]
        return Replayed(position, step, self.kept.people_in(names))


def last_position(app: Parley, pins: Pins) -> int:
    last = app.recorder.max_notification_id() or 0
    return min(last, pins.until) if pins.until is not None else last


def _facts(app: Parley, pins: Pins, progress: Progress | None) -> Iterator[tuple[Notification, Fact]]:
    """The replayed events in recorded order, each with its digest from the chain (SPEC §15)."""
    after, topics = 0, pins.topics(app)
    while True:
        page = app.recorder.select_notifications(
            start=after, limit=PAGE, stop=pins.until, topics=topics, inclusive_of_start=False
        )
        if not page:
            return
        digests = app.digests(page[0].id, page[-1].id)
        for notification in page:
            if pins.counts(notification):
                fact = replace(app.fact_of(notification), digest=digests.get(notification.id))
                if pins.knows(fact):
                    yield notification, fact
        after = page[-1].id
        if progress:
            progress(len(page), after)


def _in_recorded_order(app: Parley, pins: Pins, progress: Progress | None) -> Iterator[tuple[int, Fact]]:
    for notification, fact in _facts(app, pins, progress):
        yield notification.id, fact


def _in_valid_order(app: Parley, pins: Pins, path: Path, progress: Progress | None) -> Iterator[tuple[int, Fact]]:
    """Every replayed event sorted by its latest instant (open ends last), ties by position."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE events (latest INTEGER NOT NULL, position INTEGER NOT NULL, originator_id TEXT,"
            " originator_version INTEGER, topic TEXT, state BLOB, digest TEXT, PRIMARY KEY (latest, position))"
        )
        for notification, fact in _facts(app, pins, progress):
            db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    to_us(fact.occurred.latest) or NEVER,
                    notification.id,
                    str(notification.originator_id),
                    notification.originator_version,
                    notification.topic,
                    notification.state,
                    fact.digest,
                ),
            )
        for row in db.execute(
            "SELECT position, originator_id, originator_version, topic, state, digest FROM events ORDER BY latest, position"
        ):
            stored = Notification(id=row[0], originator_id=row[1], originator_version=row[2], topic=row[3], state=row[4])
            yield row[0], replace(app.fact_of(stored), digest=row[5])


class _Subjects:
    """The running folds of the subjects in recent use, and the facts of fewer of them: a fold
    needs a subject's facts only for an event it cannot take in one step."""

    def __init__(self, app: Parley, pins: Pins):
        self.app = app
        self.pins = pins
        self.replays: OrderedDict[str, SubjectReplay] = OrderedDict()
        self.facts: OrderedDict[str, list[Fact]] = OrderedDict()
        self.facts_kept = 0

    def step(self, fact: Fact) -> Step:
        kind = SubjectId.parse(fact.subject).kind
        if not self.app.catalog.declares(kind):
            return Step(fact, fact.occurred.latest, None, None)  # read as stored; no fold (SPEC §10)
        replay = _used(self.replays, fact.subject)
        if replay is None:
            # A subject met at its first event has nothing to refold; one met later does.
            fresh = self.pins.order == "recorded" and fact.version == 1
            replay = self.replays[fact.subject] = SubjectReplay(kind, self.pins.order, not fresh)
            if len(self.replays) > KEPT_SUBJECTS:
                self.replays.popitem(last=False)
        step = replay.step(fact, lambda: self._facts_to(fact))
        if self.pins.order == "recorded":
            self._add(fact)
        while self.facts_kept > KEPT_FACTS and len(self.facts) > 1:
            self.facts_kept -= len(self.facts.popitem(last=False)[1])
        return step

    def _facts_to(self, fact: Fact) -> list[Fact]:
        """The subject's known facts, at least up to this one's version."""
        kept = _used(self.facts, fact.subject)
        if kept is None or not kept or kept[-1].version < fact.version:
            if kept is not None:
                self.facts_kept -= len(kept)
            kept = self.facts[fact.subject] = self._load(fact.subject, fact.version if self.pins.order == "recorded" else None)
            self.facts_kept += len(kept)
        return kept

    def _add(self, fact: Fact) -> None:
        """In recorded order, kept facts follow the log, so they need no reloading."""
        kept = self.facts.get(fact.subject)
        if kept is not None and (not kept or kept[-1].version < fact.version):
            kept.append(fact)
            self.facts_kept += 1

    def _load(self, subject: str, version: int | None) -> list[Fact]:
        try:
            stream: Subject = self.app.repository.get(SubjectId.parse(subject).stream_id, version=version)
        except AggregateNotFoundError:
            return []
        return [f for f in stream.facts if self.pins.knows(f)]


def _used(kept: OrderedDict[str, Any], subject: str) -> Any:
    found = kept.get(subject)
    if found is not None:
        kept.move_to_end(subject)
    return found


def _without_statements(state: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if state is None else {name: value for name, value in state.items() if name != "statements"}


def _iso(moment: datetime | None) -> str | None:
    """As the API writes instants (projections/rows.py): UTC, `Z`, microseconds when not zero."""
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
