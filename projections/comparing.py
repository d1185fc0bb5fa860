"""Two drafts of a subject's item list compared from the views (domain/compare.py): the states at
both cuts read as a state at a date is, the facts between them read from the subject's events. As
known at an earlier time, the subject's facts are folded by the reference fold instead."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from parley.domain.compare import Cut, compare, compared, items_of, revision_cut, revisions_of
from parley.domain.facts import FAR_FUTURE, RETRACTION, STATEMENT, Fact, State
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.timeline import evolve
from parley.projections import items
from parley.projections.rows import EVENT_COLUMNS, event_json, fact_of, with_digest
from parley.projections.sql import Cursor, to_us

ONE_US = timedelta(microseconds=1)
ACTIVE_BETWEEN = (f"SELECT {EVENT_COLUMNS}, {with_digest('{events}')} FROM {{events}} WHERE subject = ? AND type NOT IN"
                  f" ('{RETRACTION}', '{STATEMENT}') AND retracted_by IS NULL AND latest >= ? AND latest <= ?"
                  " ORDER BY latest, version")


@dataclass(frozen=True)
class Asked:
    """One end of a comparison as asked: a date, or a revision number."""

    moment: datetime | None = None
    revision: int | None = None


@dataclass(frozen=True)
class Comparison:
    cuts: tuple[Cut, Cut]
    found: dict[str, list]
    events: dict[str, str]  # each causing event as JSON text, by id


def comparison(queries: Any, subject: str, field: str, start: Asked, end: Asked, known_at: datetime | None,
               now: datetime) -> Comparison | None:
    """None when the subject has no events known then. Raises NoSuchRevision for a revision not reached."""
    kind = subject.split("/", 1)[0]
    cls = queries.catalog.subject_class(kind)
    with queries._reading() as (cursor, sql):
        if known_at is not None:
            rows = [r for r in cursor.execute(f"{sql.select_events} WHERE subject = ? ORDER BY version",
                                              (subject,)).fetchall() if r["recorded_at"] <= to_us(known_at)]
            if not rows:
                return None
            facts = [fact_of(r) for r in rows]
            revisions = revisions_of(kind, facts, known_at) if _by_revision(start, end) else []
            cuts = (_cut(start, revisions, now), _cut(end, revisions, now))
            found = compare(kind, field, facts, known_at, *cuts)
            return Comparison(cuts, found, _events(found, rows, known_at))
        if cursor.scalar(sql.version, (subject,)) is None:
            return None
        revisions = []
        if _by_revision(start, end):
            revisions = [fact_of(r) for r in cursor.execute(
                f"{sql.select_events} WHERE subject = ? AND type = ? AND retracted_by IS NULL AND latest IS NOT NULL"
                " ORDER BY latest, version", (subject, cls.revised_by)).fetchall()]
        cuts = (_cut(start, revisions, now), _cut(end, revisions, now))
        before, after = (_state_at(cursor, sql, subject, cut) for cut in cuts)
        low, high = cuts[0], cuts[1]
        rows = cursor.execute(sql.names.sql(ACTIVE_BETWEEN), (subject, to_us(low.moment), to_us(high.moment))).fetchall()
    window = [_light(r) for r in rows if _holds(high, r) and not _holds(low, r)]
    spec = cls.item_lists[field]
    found = compared(spec, items_of(before, field), items_of(after, field), window)
    return Comparison(cuts, found, _events(found, rows, None))


def _by_revision(*ends: Asked) -> bool:
    return any(end.revision is not None for end in ends)


def _cut(asked: Asked, revisions: Sequence[Any], now: datetime) -> Cut:
    if asked.revision is not None:
        return revision_cut(revisions, asked.revision, now)
    return Cut(asked.moment or now)


def _state_at(cursor: Cursor, sql: Any, subject: str, cut: Cut) -> State | None:
    """The state at a cut, as known now: the stored state (and items) at its moment, or just before
    it and then the facts of that instant recorded before the cut's own."""
    moment = cut.moment if cut.version is None else cut.moment - ONE_US
    at = to_us(moment)
    row = cursor.execute(sql.state_at, (subject, at)).fetchone()
    state = None
    kind = subject.split("/", 1)[0]
    if row is not None and row["valid_to"] > at:
        state = json.loads(row["state"])
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


def _light(row: Any) -> Fact:
    """What a comparison reads of a fact between the drafts: its id, type and data. Its times and
    sources are left unread (a window may hold thousands of facts)."""
    return Fact(event_id=row["event_id"], subject=row["subject"], version=row["version"], type=row["type"],
                occurred=FuzzyDate(row["occurred"], None, None), data=json.loads(row["data"]), sources=[], note=None,
                recorded_at=FAR_FUTURE, recorded_by=row["recorded_by"])


def _events(found: dict[str, list], rows: Sequence[Any], known_at: datetime | None) -> dict[str, str]:
    """The causing events as read (SPEC §3's shape, as JSON text written from their rows), once each, by id."""
    wanted = {event_id for entries in found.values() for entry in entries for event_id in entry["caused_by"]}
    known = to_us(known_at) if known_at is not None else None
    return {r["event_id"]: event_json(r, known is None or (r["retracted_at"] is not None and r["retracted_at"] <= known))
            for r in rows if r["event_id"] in wanted}
