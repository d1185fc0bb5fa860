"""Redaction with an audit (SPEC §15): the one exception to "never updated or deleted".

`redact` checks the request against the stored event, records who, when, why and which values
as a `ValuesRedacted` event on the `redactions` stream (chained like every other event), then
applies it: the stored event's bytes are rewritten with a marker in place of each value
(domain/redacted.py), each value's salted hash is kept in `redacted_values` so the chain and
every checkpoint still verify (service/redacted_chain.py), and the event-id index's digest is
taken again so a retry with the old content can no longer confirm it. The audit event is
recorded first: a redaction stopped half-way is applied again at the next start (`apply_pending`).

What was copied from the values is then removed (service/redaction_scrub.py): the views,
drafts, and the database's free pages.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import IntegrityError, StoredEvent

from parley.domain.catalog import UndeclaredKind, subject_class
from parley.domain.names import name_key
from parley.domain.redactable import NotRedactable, leaf_paths
from parley.domain.redacted import is_redacted, marker
from parley.domain.subjects import SubjectId
from parley.domain.values import disputes, stored_text
from parley.projections.sql import Cursor
from parley.service import chain, event_ids, redacted_chain
from parley.service.commands import content as event_content
from parley.service.redaction_records import Record, from_chain_line

STREAM = uuid.uuid5(uuid.NAMESPACE_URL, "parley:redactions")
SUBJECT = "redactions"


@dataclass(frozen=True)
class ValuesRedacted(DomainEvent):
    """One redaction: of which event (`data.event_id`), which values (`data.fields`), why
    (`data.reason`), by whom (`recorded_by`) and when (`timestamp`). Shaped as a fact is, so its
    link in the chain has the same header and body."""

    event_id: str
    subject: str
    occurred: str | None
    data: dict[str, Any]
    sources: list[dict[str, Any]]
    note: str | None
    recorded_by: str


class RedactionRefused(Exception):
    """A request that cannot be applied; nothing is stored."""

    def __init__(self, status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []


@dataclass(frozen=True)
class Stored:
    position: int
    subject: str
    type: str
    content: dict[str, Any]


class Redactions:
    def __init__(self, app: Any):
        self.app = app
        self.database = app.database
        self.table = app.recorder.events_table_name
        self.position_column = "notification_id" if self.database.postgres else "rowid"

    def create_table(self) -> None:
        redacted_chain.create_table(self.database)

    # --- deciding -------------------------------------------------------------------------------

    def plan(self, event_id: str, fields: Sequence[str], reason: str) -> tuple[Stored, list[str], list[str], str]:
        """The event, the values to redact now, those already redacted, and the reason as stored."""
        try:
            reason = stored_text(reason) if isinstance(reason, str) else ""
        except ValueError as error:
            raise RedactionRefused(
                422,
                "The reason is not a text",
                f"reason: {error}",
                [{"path": "body.reason", "message": str(error), "type": "text"}],
            ) from None
        if not reason:
            raise RedactionRefused(
                422,
                "A redaction needs a reason",
                "reason: say why the values are removed",
                [{"path": "body.reason", "message": "must hold a character other than white space", "type": "string_blank"}],
            )
        if not fields:
            raise RedactionRefused(
                422,
                "Name the values to redact",
                "fields: name at least one value, such as `sources.0.name`, `data.quote` or `note`",
                [{"path": "body.fields", "message": "at least one path", "type": "too_short"}],
            )
        entry = self.app.event_ids.get(event_id)
        stored = self._stored(entry.position) if entry is not None else None
        if stored is None:
            raise RedactionRefused(404, "No such event", f"no event has the id {event_id}")
        kind = SubjectId.parse(stored.subject).kind
        try:
            event_class = getattr(subject_class(kind), stored.type, None)
        except UndeclaredKind:
            event_class = None
        paths: list[str] = []
        errors = []
        for index, field in enumerate(fields):
            try:
                paths += [p for p in leaf_paths(stored.content, field, event_class) if p not in paths]
            except NotRedactable as refused:
                errors.append({"path": f"body.fields.{index}", "message": f"{field}: {refused.why}", "type": "not_redactable"})
        if errors:
            raise RedactionRefused(422, "A field cannot be redacted", "; ".join(e["message"] for e in errors), errors)
        paths += [p for p in _naming_the_same_sources(stored.content, paths) if p not in paths]
        already = [p for p in paths if is_redacted(redacted_chain.value_at(stored.content, p))]
        return stored, [p for p in paths if p not in already], already, reason

    def record(self, stored: Stored, event_id: str, paths: list[str], reason: str, actor: str) -> ValuesRedacted | None:
        """The audit event, on the `redactions` stream, before any byte is rewritten; None when a
        redaction recorded since the plan (a racing repeat) named every path already. The stream's
        last version is read before what it names, and the event takes the next version: one
        recorded in between makes it fail, and the paths are looked at again."""
        while True:
            last = self.app.recorder.select_events(STREAM, desc=True, limit=1)
            version = last[0].originator_version + 1 if last else 1
            named = {p for r in self.recorded() if r.data["event_id"] == event_id for p in r.data["fields"]}
            paths = [p for p in paths if p not in named]
            if not paths:
                return None
            data = {
                "event_id": event_id,
                "subject": stored.subject,
                "position": stored.position,
                "fields": paths,
                "reason": reason,
            }
            timestamp = ValuesRedacted.create_timestamp()
            event = ValuesRedacted(
                originator_id=STREAM,
                originator_version=version,
                timestamp=timestamp,
                event_id=str(uuid.uuid4()),
                subject=SUBJECT,
                occurred=_day(timestamp),
                data=data,
                sources=[],
                note=None,
                recorded_by=actor,
            )
            try:
                self.app.events.put([event])
            except IntegrityError:
                continue  # another redaction took this version: the next one
            return event

    def recorded(self) -> list[ValuesRedacted]:
        return list(self.app.events.get(STREAM))

    def listed(self, event_id: str | None = None) -> list[Record]:
        """Every redaction as a record (service/redaction_records.py), oldest first; of one event's
        values when `event_id` is given. What its chain link holds: the header as stored."""
        with self.database.transaction(commit=False) as cursor:
            rows = cursor.execute(
                f"SELECT e.{self.position_column} AS position, e.topic, e.originator_version, e.state, c.digest"
                f" FROM {self.table} e LEFT JOIN event_chain c ON c.position = e.{self.position_column}"
                f" WHERE e.originator_id = ? ORDER BY e.{self.position_column}",
                (_uuid(str(STREAM), self.database.postgres),),
            ).fetchall()
        found = []
        for row in rows:
            content = orjson.loads(bytes(row["state"]))
            line = {
                "header": chain.header(content, row["topic"], row["originator_version"], row["position"]),
                "body": {"data": content["data"]},
                "position": row["position"],
                "digest": None if row["digest"] is None else bytes(row["digest"]).hex(),
            }
            record = from_chain_line(line)
            if record is not None and (event_id is None or record.event_id == event_id):
                found.append(record)
        return found

    # --- applying -------------------------------------------------------------------------------

    def apply(self, redaction: ValuesRedacted) -> list[Any]:
        """Rewrite the event's stored bytes without the values, in one transaction; the values
        removed, none when every one was already gone (applied before, or by a concurrent redaction)."""
        position, reason = redaction.data["position"], redaction.data["reason"]
        with self.database.transaction(commit=True) as cursor:
            self._lock(cursor, position)
            stored = self._stored(position, cursor)
            link = cursor.execute("SELECT seed, digest FROM event_chain WHERE position = ?", (position,)).fetchone()
            if stored is None or link is None:
                return []
            hashes = redacted_chain.kept_in(cursor, position).get(position, {})
            content, seed = stored.content, bytes(link["seed"])
            before = redacted_chain.commitment(content, seed, hashes)
            previous = cursor.execute(
                "SELECT digest FROM event_chain WHERE position < ? ORDER BY position DESC LIMIT 1", (position,)
            ).fetchone()
            header = chain.header(content, stored.topic, stored.version, position)
            if chain.link(
                bytes(previous["digest"]) if previous else chain.GENESIS, header, chain.committed_bytes(before)
            ) != bytes(link["digest"]):
                raise RedactionRefused(
                    409,
                    "The event no longer matches its digest",
                    f"the stored event at position {position} does not match its link in the chain "
                    "(`parley verify --store` says where); nothing was redacted",
                )
            new = [p for p in redaction.data["fields"] if p not in hashes]
            removed = [redacted_chain.value_at(content, p) for p in new]
            for path in new:
                redacted_chain.replace_at(content, path, marker(reason))
            if not new:
                return []
            kept = {**hashes, **{p: before[p] for p in new}}
            assert redacted_chain.commitment(content, seed, kept) == before, "a redaction keeps the commitment"
            cursor.executemany(
                "INSERT INTO redacted_values (position, path, hash, redaction_id) VALUES (?, ?, ?, ?)",
                [(position, p, before[p], redaction.event_id) for p in new],
            )
            cursor.execute(
                f"UPDATE {self.table} SET state = ? WHERE {self.position_column} = ?", (orjson.dumps(content), position)
            )
            now = event_content(
                stored.subject, stored.type, content["occurred"], content.get("sources"), content.get("data"), content.get("note")
            )
            cursor.execute("UPDATE event_ids SET digest = ? WHERE position = ?", (event_ids.digest(now), position))
        self.app.subjects.cache.clear()  # this process's copies of the subject held the values
        return removed

    def apply_pending(self) -> list[tuple[ValuesRedacted, list[Any]]]:
        """Apply every recorded redaction not yet applied (a process stopped between recording and
        applying); the ones applied here, with the values they removed."""
        pending = []
        with self.database.transaction(commit=False) as cursor:
            done = {(p, path) for p, paths in redacted_chain.kept_in(cursor).items() for path in paths}
        for redaction in self.recorded():
            if any((redaction.data["position"], path) not in done for path in redaction.data["fields"]):
                removed = self.apply(redaction)
                if removed:
                    pending.append((redaction, removed))
        return pending

    def _lock(self, cursor: Cursor, position: int) -> None:
        if self.database.postgres:  # redactions one at a time, and the row against a concurrent reader's rewrite
            cursor.execute("LOCK TABLE redacted_values IN EXCLUSIVE MODE")
            cursor.execute(f"SELECT 1 FROM {self.table} WHERE {self.position_column} = ? FOR UPDATE", (position,))
        else:  # a write first, so the transaction holds the write lock before it reads
            cursor.execute("DELETE FROM redacted_values WHERE position < 0")

    def _stored(self, position: int, cursor: Cursor | None = None) -> _StoredRow | None:
        if cursor is None:
            with self.database.transaction(commit=False) as reading:
                return self._stored(position, reading)
        row = cursor.execute(
            f"SELECT topic, state, originator_version FROM {self.table} WHERE {self.position_column} = ?", (position,)
        ).fetchone()
        if row is None or not chain.is_fact(row["topic"]) or row["topic"].endswith(ValuesRedacted.__qualname__):
            return None
        content = orjson.loads(bytes(row["state"]))
        return _StoredRow(
            position,
            content.get("subject"),
            row["topic"].rpartition(":")[2].rpartition(".")[2],
            content,
            row["topic"],
            row["originator_version"],
        )

    def subject_events(self, subjects: Sequence[str], up_to: int, cursor: Cursor | None = None) -> list[tuple[int, Any]]:
        """The stored events of `subjects` at positions up to `up_to`, as facts, in log order (read
        on `cursor` when given)."""
        from parley.domain.subjects import SubjectId

        if cursor is None:
            with self.database.transaction(commit=False) as reading:
                return self.subject_events(subjects, up_to, reading)
        streams = [str(SubjectId.parse(s).stream_id) for s in subjects]
        marks = ", ".join("?" * len(streams))
        rows = cursor.execute(
            f"SELECT {self.position_column} AS position, originator_id, originator_version, topic, state FROM {self.table}"
            f" WHERE originator_id IN ({marks}) AND {self.position_column} <= ? ORDER BY {self.position_column}",
            (*(_uuid(s, self.database.postgres) for s in streams), up_to),
        ).fetchall()
        topics = set(self.app.stored_topics)
        return [
            (
                row["position"],
                self.app.fact_of(StoredEvent(row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]))),
            )
            for row in rows
            if row["topic"] in topics
        ]


@dataclass(frozen=True)
class _StoredRow(Stored):
    topic: str = ""
    version: int = 0


def last_position(app: Any) -> int:
    """The position of the last redaction recorded, 0 for none: a release pins at least there, so
    its chain holds the record of every redaction its files show (SPEC §15)."""
    database = app.database
    column = "notification_id" if database.postgres else "rowid"
    with database.transaction(commit=False) as cursor:
        return (
            cursor.scalar(
                f"SELECT MAX({column}) FROM {app.recorder.events_table_name} WHERE originator_id = ?",
                (_uuid(str(STREAM), database.postgres),),
            )
            or 0
        )


def _uuid(stream: str, postgres: bool) -> Any:
    return uuid.UUID(stream) if postgres else stream.replace("-", "")


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _naming_the_same_sources(content: dict[str, Any], paths: list[str]) -> list[str]:
    """A redacted source's name also named by a disputed value's alternatives (`data.x.disputed.0.sources.1`):
    those name it too, so they go with it."""
    names = {
        name_key(v)
        for p in paths
        if p.startswith("sources.") and p.endswith(".name") and type(v := redacted_chain.value_at(content, p)) is str
    }
    if not names:
        return []
    return [
        f"{at}.disputed.{i}.sources.{j}"
        for at, dispute in disputes(content.get("data"), "data")
        for i, alternative in enumerate(dispute["disputed"])
        for j, name in enumerate(alternative["sources"])
        if type(name) is str and name_key(name) in names
    ]


Facts = Callable[[Sequence[str], int], list[tuple[int, Any]]]
