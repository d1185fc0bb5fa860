"""Parley's application service: record sourced events, read the log, keep views current.

Each use case is a method here; how a write is decided (deciding.py), made idempotent
(idempotency.py, event_ids.py) and grouped with concurrent single writes into one transaction
(group_commit.py, group_writes.py) lives in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoder
from eventsourcing.utils import get_topic

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.errors import DomainError
from parley.domain.subject import FactRecorded
from parley.projections.sql import Database
from parley.service.commands import BatchItemRefused, Receipt, ServiceError, Submission
from parley.service.deciding import Decision
from parley.service.event_ids import EventIdIndex
from parley.service.group_commit import GroupCommit
from parley.service.group_writes import Work, record_group
from parley.service.idempotency import Refused
from parley.service.loading import Subjects
from parley.projections.stored_facts import fact_of, remembered_topics
from parley.service.tokens import TokenStore
from parley.service.transcoder import StoredJSON
from parley.service.topics import with_old_spellings

def fact_topics(catalog: Catalog) -> tuple[str, ...]:
    """The topics of every event type the catalog declares, as written now and as written before."""
    return with_old_spellings(get_topic(event_type) for cls in catalog.classes for event_type in cls.event_types.values())


FACT_TOPICS = fact_topics(BUILT_IN)
CACHED_SUBJECTS = 4096  # enough for the subjects in active use; each holds its facts


class Parley(Application):
    """The write side. Its event-id index and token store live in the store's own database,
    so they are made here from the datastore the application opens; the views and their
    queries read the log and are the composition root's (service/bootstrap.py), not its."""

    name = "parley"

    def __init__(self, *args: Any, catalog: Catalog = BUILT_IN, **kwargs: Any):
        self.catalog = catalog
        self.fact_topics = fact_topics(catalog)
        super().__init__(*args, **kwargs)
        self.database = Database(self.factory.datastore)
        # The log is read by every kind's topics a service of this store ever declared, so an
        # event of a kind declared no longer is still read (projections/stored_facts.py).
        self.stored_topics = remembered_topics(self.database, self.fact_topics)
        self.subjects = Subjects(self.repository, self.events, CACHED_SUBJECTS)
        self.event_ids = EventIdIndex(self.database)
        self.tokens = TokenStore(self.database)
        self._group: GroupCommit[Work] = GroupCommit(partial(record_group, self))
        self._stored: Callable[[Sequence[Any]], None] | None = None

    def observe(self, stored: Callable[[Sequence[Any]], None], committed: Callable[[int, float], None]) -> None:
        """Tell `stored` of the events each write stores, and `committed` of each group of single
        writes: its size and how long its transaction took (the metrics, api/metrics.py)."""
        self._stored = stored
        self._group.observe = committed

    def construct_transcoder(self) -> Transcoder:
        """Events are written by orjson, byte for byte as JSONTranscoder writes them (transcoder.py)."""
        transcoder = self.factory.transcoder()
        if type(transcoder) is JSONTranscoder:
            transcoder = StoredJSON()
        if isinstance(transcoder, JSONTranscoder):
            self.register_transcodings(transcoder)
        return transcoder

    def record(self, submission: Submission, actor: str) -> Receipt:
        """One event; concurrent calls share a transaction, each answered on its own."""
        return self._group.submit((submission, actor, None))

    async def record_async(self, submission: Submission, token: str,
                           sender: Callable[[str | None], None] | None = None) -> Receipt:
        """`record` from the event loop, sent with a write token: TokenRefused if it is not live.
        `sender` is told the token's name (None when it is not live), whatever the outcome."""
        seen = None if sender is None else (lambda work: sender(work[1]))
        return await self._group.submit_async((submission, None, token), seen)

    def close(self) -> None:
        self._group.close()  # what is queued is committed and answered first
        super().close()

    def record_batch(self, submissions: Sequence[Submission], actor: str) -> list[Receipt]:
        """All stored in one transaction, or none. Decided first on cached subjects; when the
        store refuses that (another writer was first), decided again under the store's write
        lock, on subjects read inside it, which no writer can then overtake (one_writer.py)."""
        try:
            return self._record_once(submissions, actor, optimistic=True)
        except (Refused, IntegrityError):
            pass
        try:
            with self.recorder.one_writer():
                return self._record_once(submissions, actor, optimistic=False)
        except BatchItemRefused:
            raise
        except BaseException:
            self.subjects.cache.clear()  # saves of a transaction that did not commit
            raise

    def _record_once(self, submissions: Sequence[Submission], actor: str, *, optimistic: bool) -> list[Receipt]:
        decision = Decision(self, optimistic=optimistic)
        decided: list[Receipt | str] = []
        for index, submission in enumerate(submissions):
            try:
                decided.append(decision.decide(submission, actor))
            except (DomainError, ServiceError) as refusal:
                raise BatchItemRefused(index, refusal) from None
        stored = self.store(decision)
        return [stored[item] if isinstance(item, str) else item for item in decided]

    def store(self, decision: Decision) -> dict[str, Receipt]:
        """Store a decision's events and their ids in one transaction; the receipts by event id."""
        # The event store directly: `save` would first ask of every event whether it is an
        # aggregate (a slow Protocol check), and Parley uses none of its snapshot or notify hooks.
        recordings = self.events.put(decision.events, event_ids=decision.event_ids) if decision.events else []
        if self._stored is not None and decision.events:
            self._stored(decision.events)
        for subject in decision.subjects.values():
            if subject is not None:
                self.subjects.saved(subject)
        return {
            r.domain_event.event_id: Receipt(
                event_id=r.domain_event.event_id,
                subject=r.domain_event.subject,
                version=r.domain_event.originator_version,
                position=r.notification.id,
                recorded_at=r.domain_event.timestamp,
            )
            for r in recordings
            if isinstance(r.domain_event, FactRecorded)
        }

    def log(self, after: int = 0, limit: int = 1000) -> list[Any]:
        """The raw log of subject events after a position, decoded, in recorded order."""
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, topics=self.fact_topics, inclusive_of_start=False
        )
        return [(n.id, self.mapper.to_domain_event(n)) for n in notifications]

    def facts(self, after: int = 0, limit: int = 1000) -> list[tuple[int, Any]]:
        """The log after a position as (position, fact), kinds declared no longer included."""
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, topics=self.stored_topics, inclusive_of_start=False
        )
        return [(n.id, self.fact_of(n)) for n in notifications]

    def fact_of(self, stored: Any) -> Any:
        """A stored subject event as a fact, its kind declared here or not."""
        return fact_of(self.mapper, stored)

    def digests(self, first: int, last: int) -> dict[int, str]:
        """The chain's digests (hex, SPEC §15) of the facts at positions `first` to `last`, read
        in one query: for readers of the log a page at a time (replay, `parley project`)."""
        with self.database.transaction(commit=False) as cursor:
            rows = cursor.execute("SELECT position, digest FROM event_chain WHERE position >= ? AND position <= ?",
                                  (first, last)).fetchall()
        return {r["position"]: bytes(r["digest"]).hex() for r in rows}
