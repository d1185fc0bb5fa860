"""Who is who as a write is decided (SPEC §11): the register its rules compare people with.

Read from the log itself, not from the views (which may lag behind it): every register kind's
events recorded so far, only those new since the last read, folded over all of valid time as
the read side's register is (projections/register_reads.py). A write's own decision adds the records
it has already changed (an earlier event of the same batch), so a batch that registers a
person and then names them is decided as the store will hold it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from eventsourcing.utils import get_topic

from parley.domain.catalog import Catalog, subject_class
from parley.domain.facts import FAR_FUTURE, STATEMENT, Fact
from parley.domain.register import Entry, Kept, Who
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from parley.domain.timeline import fold
from parley.service.topics import with_old_spellings

PAGE = 1000
STALE_AFTER = 1.0  # seconds: how long an optimistic decision may go without reading another process's people


class RegisterNow:
    def __init__(self, recorder: Any, fact_of: Callable[[Any], Fact], catalog: Catalog, stale_after: float = STALE_AFTER):
        self.recorder, self.fact_of = recorder, fact_of
        self.kinds = frozenset(catalog.register_kinds)
        self.topics = with_old_spellings(  # statements change no one's spellings
            get_topic(event_type)
            for kind in sorted(self.kinds)
            for name, event_type in catalog.subject_class(kind).event_types.items()
            if name != STATEMENT
        )
        self.position = 0
        self.facts: dict[str, list[Fact]] = {}
        self.kept = Kept()
        self._lock = threading.Lock()
        self.stale_after = stale_after
        self.read_at = -math.inf  # when the log was last read (monotonic)
        self.fresh_until = -math.inf  # decisions read the log until then: this process changed a person

    def touch(self) -> None:
        """This process is deciding an event of a register kind: decisions read the log for a while."""
        self.fresh_until = time.monotonic() + self.stale_after

    def as_decided(self, deciding: Mapping[SubjectId, Subject | None], *, fresh: bool = True) -> Who:
        """The register as stored now, with the records `deciding` holds as this write changes them.

        Not `fresh` (an optimistic decision), the log is read again only within `stale_after`
        seconds of this process deciding an event of a register kind (however long its commit
        takes), or when that long has passed since the last read: what this process writes counts
        at once, another process's within that time."""
        now = time.monotonic()
        if fresh or now < self.fresh_until or now - self.read_at > self.stale_after:
            self._read_new()
        own = {str(sid): subject for sid, subject in deciding.items() if sid.kind in self.kinds}
        return self.kept.with_records(
            {subject: None if aggregate is None else entry_of(aggregate.facts) for subject, aggregate in own.items()}
        )

    def _read_new(self) -> None:
        """Bring the register up to the log: the records with an event since the last read, folded again.

        Read outside the lock (a careful writer holds the database's write lock and its connection
        while it decides: a reader queued behind it for a connection must not hold what it waits
        for), applied under it from wherever another reader has brought it."""
        if not self.kinds:
            return
        self.read_at = time.monotonic()
        # Up to the log's last position (events commit in position order: eventsourcing's recorders
        # take a table lock), so the next read starts there, however few people there are.
        last = self.recorder.max_notification_id() or 0
        start = self.position
        if start >= last:
            return
        read: list[Any] = []
        while start < last:
            page = self.recorder.select_notifications(
                start=start, stop=last, limit=PAGE, topics=self.topics, inclusive_of_start=False
            )
            read += page
            start = page[-1].id if len(page) == PAGE else last
        with self._lock:
            changed: set[str] = set()
            for notification in read:
                if notification.id > self.position:
                    fact = self.fact_of(notification)
                    self.facts.setdefault(fact.subject, []).append(fact)
                    changed.add(fact.subject)
            self.position = max(self.position, last)
            for subject in changed:
                self.kept.replace(subject, entry_of(self.facts[subject]))


def entry_of(facts: list[Fact]) -> Entry | None:
    """A record's entry in the register from its facts as known: folded over all of valid time."""
    if not facts:
        return None
    kind = SubjectId.parse(facts[0].subject).kind
    state = fold(kind, facts, FAR_FUTURE, None).state
    cls = subject_class(kind)
    return cls.register_entry(state) if state is not None and cls.register_entry is not None else None
