"""Two drafts of a subject's item list compared from the views (domain/compare.py): the states at
both cuts read as a state at a date is, the facts between them read from the subject's events. As
known at an earlier time, the subject's facts are folded by the reference fold instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import orjson

from parley.domain.compare import Cut, compare, compared, items_of, revision_cut, revisions_of
from parley.domain.facts import RETRACTION, STATEMENT, State
from parley.domain.subjects import SubjectId
from parley.domain.timeline import evolve
from parley.projections import items
from parley.projections.rows import EVENT_COLUMNS, fact_of
from parley.projections.sql import Cursor, to_us
from parley.projections.state_reads import StateReads

ONE_US = timedelta(microseconds=1)
ACTIVE = (
    f"FROM {{events}} WHERE subject = ? AND type NOT IN ('{RETRACTION}', '{STATEMENT}') AND retracted_by IS NULL"
    " AND latest >= ? AND latest <= ? ORDER BY latest, version"
)
ACTIVE_BETWEEN = f"SELECT {EVENT_COLUMNS} {ACTIVE}"
# What a comparison reads of the facts between its drafts (`_light`): their times and sources are left unread.
LIGHT_BETWEEN = f"SELECT event_id, version, type, latest, data {ACTIVE}"


@dataclass(frozen=True)
class Asked:
    """One end of a comparison as asked: a date, or a revision number."""

    moment: datetime | None = None
    revision: int | None = None


@dataclass(frozen=True)
class Comparison:
    cuts: tuple[Cut, Cut]
    found: dict[str, list]

    @property
    def causes(self) -> int:
        """How many events caused what the comparison found (each counted once; `GET /events?id=` reads them)."""
        return len({event_id for entries in self.found.values() for entry in entries for event_id in entry["caused_by"]})


def comparison(
    reads: StateReads, asked: SubjectId, field: str, start: Asked, end: Asked, known_at: datetime | None, now: datetime
) -> Comparison | None:
    """None when the subject has no events known then. Raises NoSuchRevision for a revision not reached."""
    kind, subject = asked.kind, str(asked)
    cls = reads.catalog.subject_class(kind)
    with reads._reading() as (cursor, sql):
        if known_at is not None:
            rows = [
                r
                for r in cursor.execute(f"{sql.select_events} WHERE subject = ? ORDER BY version", (subject,)).fetchall()
                if r["recorded_at"] <= to_us(known_at)
            ]
            if not rows:
                return None
            facts = [fact_of(r) for r in rows]
            revisions = revisions_of(kind, facts, known_at) if _by_revision(start, end) else []
            cuts = (_cut(start, revisions, now), _cut(end, revisions, now))
            return Comparison(cuts, compare(kind, field, facts, known_at, *cuts))
        if cursor.scalar(sql.version, (subject,)) is None:
            return None
        revisions = []
        if _by_revision(start, end):
            revisions = [
                fact_of(r)
                for r in cursor.execute(
                    f"{sql.select_events} WHERE subject = ? AND type = ? AND retracted_by IS NULL AND latest IS NOT NULL"
                    " ORDER BY latest, version",
                    (subject, cls.revised_by),
                ).fetchall()
            ]
        cuts = (_cut(start, revisions, now), _cut(end, revisions, now))
        before, after = (_state_at(cursor, sql, subject, kind, cut) for cut in cuts)
        low, high = cuts[0], cuts[1]
        rows = cursor.execute(sql.names.sql(LIGHT_BETWEEN), (subject, to_us(low.moment), to_us(high.moment))).fetchall()
    # Rows strictly inside the two instants are in the window; those at either instant as the cut says.
    inside = range(to_us(low.moment) + 1, to_us(high.moment))
    window = [_light(r) for r in rows if r["latest"] in inside or (_holds(high, r) and not _holds(low, r))]
    spec = cls.item_lists[field]
    return Comparison(cuts, compared(spec, items_of(before, field), items_of(after, field), window))


def _by_revision(*ends: Asked) -> bool:
    return any(end.revision is not None for end in ends)


def _cut(asked: Asked, revisions: Sequence[Any], now: datetime) -> Cut:
    if asked.revision is not None:
        return revision_cut(revisions, asked.revision, now)
    return Cut(asked.moment or now)


def _state_at(cursor: Cursor, sql: Any, subject: str, kind: str, cut: Cut) -> State | None:
    """The state at a cut, as known now: the stored state (and items) at its moment, or just before
    it and then the facts of that instant recorded before the cut's own."""
    moment = cut.moment if cut.version is None else cut.moment - ONE_US
    at = to_us(moment)
    row = cursor.execute(sql.state_at, (subject, at)).fetchone()
    state = None
    if row is not None and row["valid_to"] > at:
        state = orjson.loads(row["state"])
        if lists := items.item_lists(kind):
            state = items.with_items(state, items.at(cursor, sql.items_at, subject, at), lists)
    if cut.version is not None:
        same = cursor.execute(sql.names.sql(ACTIVE_BETWEEN), (subject, to_us(cut.moment), to_us(cut.moment))).fetchall()
        for fact in map(fact_of, same):
            if cut.holds(fact):
                state = evolve(kind, state, fact)
    return state


def _holds(cut: Cut, row: Any) -> bool:
    """`Cut.holds` on a stored row, without making its fact."""
    latest, moment = row["latest"], to_us(cut.moment)
    if latest is None:
        return False
    if cut.version is None:
        return latest <= moment
    return latest < moment or (latest == moment and row["version"] < cut.version)


class Touch(NamedTuple):
    """What a comparison reads of a fact between the drafts (domain.items.Touching): its id, type
    and data. Its times and sources are left unread (a window may hold thousands of facts)."""

    event_id: str
    type: str
    data: dict[str, Any]


def _light(row: Any) -> Touch:
    return Touch(row["event_id"], row["type"], orjson.loads(row["data"]))
