"""Parley's application: the store it opens (the log, the event-id index, the tokens, the
subjects to decide on) and reading the log.

Writing is the write path's (service/writes.py), made from these parts at the composition root
(service/bootstrap.py) and reached by the names every caller knows (`record`, `record_batch`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoder
from eventsourcing.utils import get_topic

from parley.domain.catalog import BUILT_IN, Catalog
from parley.projections.sql import Database
from parley.projections.stored_facts import fact_of, remembered_topics
from parley.service.commands import Receipt, Submission
from parley.service.drafts import DraftStore
from parley.service.event_ids import EventIdIndex
from parley.service.loading import Subjects
from parley.service.tokens import TokenStore
from parley.service.topics import with_old_spellings
from parley.service.transcoder import KeepingMapper, StoredJSON
from parley.service.writes import Writes


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
        self.database = Database(self.factory.datastore)  # type: ignore[attr-defined]  # SQLite's and PostgreSQL's factories have one
        # The log is read by every kind's topics a service of this store ever declared, so an
        # event of a kind declared no longer is still read (projections/stored_facts.py).
        self.stored_topics = remembered_topics(self.database, self.fact_topics)
        self.subjects = Subjects(self.repository, self.events, CACHED_SUBJECTS)
        self.event_ids = EventIdIndex(self.database)
        self.tokens = TokenStore(self.database)
        self.writes: Writes | None = None  # the write path, made at the composition root (bootstrap.py)
        self.drafts = DraftStore(self.database)

    def observe(self, stored: Callable[[Sequence[Any]], None], committed: Callable[[int, float], None]) -> None:
        """Tell `stored` of the events each write stores, and `committed` of each group of single
        writes: its size and how long its transaction took (the metrics, api/metrics.py)."""
        self.writing.store.stored = stored
        self.writing.group.observe = committed

    def construct_mapper(self) -> Mapper:
        """Stored events keep the dict they were encoded from, for the chain (transcoder.py)."""
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=KeepingMapper)

    def construct_transcoder(self) -> Transcoder:
        """Events are written by orjson, byte for byte as JSONTranscoder writes them (transcoder.py)."""
        transcoder = self.factory.transcoder()
        if type(transcoder) is JSONTranscoder:
            transcoder = StoredJSON()
        if isinstance(transcoder, JSONTranscoder):
            self.register_transcodings(transcoder)
        return transcoder

    @property
    def writing(self) -> Writes:
        if self.writes is None:
            raise RuntimeError("this application was made without its write path: build it with service/bootstrap.py")
        return self.writes

    # The write use cases (service/writes.py), by the names every caller knows.

    def record(self, submission: Submission, actor: str) -> Receipt:
        """One event; concurrent calls share a transaction, each answered on its own."""
        return self.writing.record(submission, actor)

    async def record_async(
        self, submission: Submission, token: str, sender: Callable[[str | None], None] | None = None
    ) -> Receipt:
        """`record` from the event loop, sent with a write token: TokenRefused if it is not live."""
        return await self.writing.record_async(submission, token, sender)

    def record_batch(self, submissions: Sequence[Submission], actor: str) -> list[Receipt]:
        """All stored in one transaction, or none (service/writes.py)."""
        return self.writing.record_batch(submissions, actor)

    def close(self) -> None:
        if self.writes is not None:
            self.writes.close()  # what is queued is committed and answered first
        super().close()

    def log(self, after: int = 0, limit: int = 1000) -> list[Any]:  # type: ignore[override]  # Application.log is deprecated
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
            rows = cursor.execute(
                "SELECT position, digest FROM event_chain WHERE position >= ? AND position <= ?", (first, last)
            ).fetchall()
        return {r["position"]: bytes(r["digest"]).hex() for r in rows}
