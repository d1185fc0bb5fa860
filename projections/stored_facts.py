"""Stored subject events as facts, whether or not their kind is declared here (SPEC §10).

A store may hold events of a kind this service no longer declares: a module left out of
`PARLEY_KINDS_EXTRA`, or one that is not even installed any more. Those events are still the
record's: the log view, exports and replay read them as stored, and folds skip them. Two things
make that possible without knowing the kind:

- every event type a service has ever declared is remembered in the store (`declared_topics`),
  so the log is read by the topics of every kind it may hold, not only the kinds declared now;
- an event whose class cannot be found (its module is gone) is read from its stored JSON as it
  is, its type the last part of its topic, rather than refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Mapper
from eventsourcing.utils import TopicError

from parley.domain.facts import Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.projections.sql import Database

TABLE = "CREATE TABLE IF NOT EXISTS declared_topics (topic TEXT PRIMARY KEY)"
REMEMBER = "INSERT INTO declared_topics (topic) VALUES (?) ON CONFLICT (topic) DO NOTHING"


def remembered_topics(database: Database, declared: Iterable[str]) -> tuple[str, ...]:
    """The topics declared now, remembered, then every topic any service of this store declared."""
    declared = tuple(declared)
    with database.transaction(commit=True) as cursor:
        cursor.execute(TABLE)
        known = {row["topic"] for row in cursor.execute("SELECT topic FROM declared_topics").fetchall()}
        cursor.executemany(REMEMBER, [(topic,) for topic in declared if topic not in known])
    return (*declared, *sorted(known - set(declared)))


def fact_of(mapper: Mapper[Any], stored: Any) -> Fact:
    """The stored event as a fact: decoded and upcast by its class, or, when its class is gone,
    read as stored."""
    try:
        return mapper.to_domain_event(stored).as_fact()  # type: ignore[attr-defined]  # a FactRecorded
    except TopicError:
        return _as_stored(mapper, stored)


def _as_stored(mapper: Mapper[Any], stored: Any) -> Fact:
    state = stored.state
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    content = mapper.transcoder.decode(state)
    return Fact(
        event_id=content["event_id"],
        subject=content["subject"],
        version=stored.originator_version,
        type=stored.topic.rpartition(":")[2].rpartition(".")[2],
        occurred=FuzzyDate.parse(content["occurred"]),
        data=content["data"],
        sources=content["sources"],
        note=content.get("note"),
        recorded_at=content["timestamp"],
        recorded_by=content["recorded_by"],
        imported_recorded_at=(imported := content.get("imported_recorded_at")) and datetime.fromisoformat(imported),
    )
