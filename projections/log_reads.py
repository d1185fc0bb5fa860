"""The log, filtered (GET /events): which rows a page holds, which index finds them, and `LogReads`
that answers from them.

Every page is "the first `limit` events after position `after` that the filter admits", in
position order. How that is found depends on what narrows it:

- ids: the id index, each event found and the page sorted;
- a subject or a type: the `(subject, position)` or `(type, position)` index, in order;
- source names: one `(name_key, position)` range per name, merged (`_citing`);
- only times (`recorded_*`, `occurred_*`): each bound has an index on `(column, position)`,
  which finds the matches but not in position order. So `_timed` first counts, reading at
  most `NARROW` index entries, how many events the narrowest bound admits. Fewer than that,
  and the page is those positions sorted. More, and matches are common: the page is read in
  position order, first within `WALK` rows of `after`, else from the first position the
  narrowest bound admits (a read of that bound's index alone, without the rows).

So no page walks the log's rows to find where its matches start. What remains proportional to
the store is the `min` over a wide bound's index entries (recorded time correlates with
position, so a wide recorded bound is found by the walk), and, for a wide valid-time bound,
the walk between matches when they are common overall but rare after `after`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parley.domain.outlets import name_keys
from parley.projections.reading import Reads, on_the_live_generation
from parley.projections.rows import EVENT_COLUMNS, event_as_read, event_json, with_digest
from parley.projections.sql import Cursor, from_us, to_us
from parley.projections.subject_states import Names

NARROW = 2_000  # a time bound admitting fewer events than this is read from its index and sorted
WALK = 2_000  # rows read in position order for a common match before looking for where matches start


@dataclass(frozen=True)
class LogFilter:
    """Which events of the log to list; each part given narrows it, and an empty one lists all.

    `occurred_after` keeps events whose earliest instant is after it, `occurred_before` those
    whose latest instant is on or before it: an open end is neither. `sources` keeps the events
    citing one of them (read through the `event_sources` index), `published_by` those a source
    had published by then (SPEC §9). `occurred_from`/`occurred_to` is a window of valid time: it
    keeps the events that may have happened in it (latest instant after `occurred_from`, earliest
    on or before `occurred_to`; an open end always reaches), what a timeline of it shows."""

    subjects: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    recorded_after: datetime | None = None
    recorded_before: datetime | None = None
    occurred_after: datetime | None = None
    occurred_before: datetime | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    sources: tuple[str, ...] = ()
    published_by: datetime | None = None

    def sql(self) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        # A subject is the narrowest filter: with one, the type is a condition on its index's rows
        # (`type || ''` is read by neither planner as the type index).
        typed = "type || ''" if self.subjects else "type"
        for column, values in (
            ("subject", self.subjects),
            ("event_id", self.event_ids),
            ("kind", self.kinds),
            (typed, self.types),
        ):
            if values:
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        for column, operator, moment in (
            ("recorded_at", ">", self.recorded_after),
            ("recorded_at", "<=", self.recorded_before),
            ("earliest", ">", self.occurred_after),
            ("latest", "<=", self.occurred_before),
            ("published", "<=", self.published_by),
        ):
            if moment is not None:
                # `+column`: a condition, never an index to read by. A page reads by the subject,
                # type or source index it also has, or by the time index `_timed` chooses; left
                # to themselves the planners took a time index over the subject's, walking it all.
                where.append(f"+{column} {operator} ?")
                params.append(to_us(moment))
        for column, operator, moment in (("latest", ">", self.occurred_from), ("earliest", "<=", self.occurred_to)):
            if moment is not None:  # an open end (null) reaches any window
                where.append(f"({column} IS NULL OR +{column} {operator} ?)")
                params.append(to_us(moment))
        return "".join(f" AND {condition}" for condition in where), params

    def time_ranges(self) -> list[tuple[str, list[Any]]]:
        """Each time bound as a range of its own index: `(condition, params)`."""
        ranges = []
        if self.recorded_after is not None or self.recorded_before is not None:
            parts = [("recorded_at > ?", self.recorded_after), ("recorded_at <= ?", self.recorded_before)]
            given = [(condition, to_us(moment)) for condition, moment in parts if moment is not None]
            ranges.append((" AND ".join(c for c, _ in given), [p for _, p in given]))
        after, before = to_us(self.occurred_after), to_us(self.occurred_before)
        if after is not None and before is not None:
            # A window: an event in it starts and ends inside it (earliest <= latest), so either
            # index alone reads just the window, where each bound alone would read half the log.
            ranges += [("earliest > ? AND earliest <= ?", [after, before]), ("latest > ? AND latest <= ?", [after, before])]
        elif after is not None:
            ranges.append(("earliest > ?", [after]))
        elif before is not None:
            ranges.append(("latest <= ?", [before]))
        # A window of valid time: the events reaching into it from either side, each end with its
        # own index (an open end is null, read as its own range of the index).
        if self.occurred_from is not None:
            ranges.append(("(latest > ? OR latest IS NULL)", [to_us(self.occurred_from)]))
        if self.occurred_to is not None:
            ranges.append(("(earliest <= ? OR earliest IS NULL)", [to_us(self.occurred_to)]))
        return ranges


def log_page(cursor: Cursor, names: Names, after: int, limit: int, only: LogFilter) -> list[Any]:
    """The rows of one page of the log from one generation's tables, read by the index that narrows it most."""
    where, params = only.sql()
    if only.sources:
        return _citing(cursor, names, name_keys(only.sources), after, limit, where, params)
    select = f"SELECT {EVENT_COLUMNS}, {with_digest(names.events)} FROM {names.events}"
    ranges = only.time_ranges()
    if only.event_ids:
        # Events by id (a comparison's causes): the id index finds each, then the page is sorted.
        return cursor.execute(
            f"{select} WHERE position IN (SELECT position FROM {names.events} WHERE event_id IN"
            f" ({', '.join('?' * len(only.event_ids))})) AND position > ?{where} ORDER BY position LIMIT ?",
            (*only.event_ids, after, *params, limit),
        ).fetchall()
    if ranges and not only.subjects and not only.types:
        return _timed(cursor, select, names.events, ranges, after, limit, where, params)
    if len(only.subjects) > 1:
        # Several subjects (a page's rows): each one's own range of the subject index, then sorted;
        # read in position order instead, the planners walked the log for the few that match.
        return cursor.execute(
            f"{select} WHERE position IN (SELECT position FROM {names.events} WHERE position > ?{where})"
            " ORDER BY position LIMIT ?",
            (after, *params, limit),
        ).fetchall()
    return cursor.execute(f"{select} WHERE position > ?{where} ORDER BY position LIMIT ?", (after, *params, limit)).fetchall()


def _timed(
    cursor: Cursor,
    select: str,
    events: str,
    ranges: list[tuple[str, list[Any]]],
    after: int,
    limit: int,
    where: str,
    params: list[Any],
) -> list[Any]:
    counted = [(_count_up_to(cursor, events, condition, bound, NARROW), condition, bound) for condition, bound in ranges]
    count, condition, bound = min(counted, key=lambda c: c[0])
    if count < NARROW:
        return cursor.execute(
            f"{select} WHERE position IN (SELECT position FROM {events} WHERE {condition} AND position > ?)"
            f"{where} ORDER BY position LIMIT ?",
            (*bound, after, *params, limit),
        ).fetchall()
    # Common matches: most pages are found within a short walk in position order.
    rows = cursor.execute(
        f"SELECT * FROM ({select} WHERE position > ? ORDER BY position LIMIT {WALK}) AS walked"
        f" WHERE position > ?{where} ORDER BY position LIMIT ?",
        (after, after, *params, limit),
    ).fetchall()
    if len(rows) == limit:
        return rows
    # Otherwise the walk starts at the first match, found in the narrowest bound's own index
    # (`position + 0` keeps SQLite from walking the position index instead).
    first = cursor.scalar(
        f"SELECT min(position + 0) AS first FROM {events} WHERE {condition} AND position + 0 > ?", (*bound, after)
    )
    if first is None:
        return []
    return cursor.execute(f"{select} WHERE position >= ?{where} ORDER BY position LIMIT ?", (first, *params, limit)).fetchall()


def _count_up_to(cursor: Cursor, events: str, condition: str, bound: list[Any], cap: int) -> int:
    """How many events `condition` admits, reading at most `cap` entries of its index."""
    return int(
        cursor.scalar(f"SELECT count(*) AS n FROM (SELECT 1 FROM {events} WHERE {condition} LIMIT {cap}) AS admitted", bound)
    )


def _citing(
    cursor: Cursor,
    names: Names,
    keys: frozenset[str],
    after: int,
    limit: int,
    where: str,
    params: list[Any],
) -> list[Any]:
    """The first `limit` events after `after` citing one of `keys` (and meeting `where`).

    One indexed range per name, each in log order and cut at `limit`, merged: the first
    `limit` of the merge are among them, so a page costs the same whatever the log holds.
    """
    columns = ", ".join(f"e.{column.strip()}" for column in EVENT_COLUMNS.split(","))
    found: dict[int, Any] = {}
    for key in sorted(keys):
        found.update(
            (r["position"], r)
            for r in cursor.execute(
                f"SELECT {columns}, {with_digest('e')} FROM {names.cites} c JOIN {names.events} e ON e.position = c.position"
                f" WHERE c.name_key = ? AND c.position > ?{where} ORDER BY c.position LIMIT ?",
                (key, after, *params, limit),
            ).fetchall()
        )
    return [found[position] for position in sorted(found)[:limit]]


def unpublished_retractions(cursor: Cursor, names: Names, rows: list[Any], published_by: datetime | None) -> set[str]:
    """The retractions of `rows` that no source had published by `published_by`: they withdraw nothing yet."""
    retractions = sorted({r["retracted_by"] for r in rows if r["retracted_by"]})
    if published_by is None or not retractions:
        return set()
    found = cursor.execute(
        f"SELECT event_id, published FROM {names.events} WHERE event_id IN ({', '.join('?' * len(retractions))})", retractions
    ).fetchall()
    return {r["event_id"] for r in found if r["published"] is None or r["published"] > to_us(published_by)}


class LogReads(Reads):
    """The log as the views hold it: pages of it (GET /events), single events, and where it ends."""

    @on_the_live_generation
    def events(self, after: int, limit: int, only: LogFilter | None = None) -> list[dict[str, Any]]:
        """The log after a position, in recorded order; `only` keeps the events it admits."""
        rows, unpublished = self._log(after, limit, only)
        events = [event_as_read(r) for r in rows]
        for event in events:
            if event["retracted_by"] in unpublished:
                event["retracted_by"] = event["retracted_at"] = None
        return events

    @on_the_live_generation
    def events_json(self, after: int, limit: int, only: LogFilter | None = None) -> tuple[list[str], int | None]:
        """`events` as JSON texts, and the last one's position: what `GET /events` sends."""
        rows, unpublished = self._log(after, limit, only)
        return [event_json(r, r["retracted_by"] not in unpublished) for r in rows], (rows[-1]["position"] if rows else None)

    def _log(self, after: int, limit: int, only: LogFilter | None) -> tuple[list[Any], set[str]]:
        only = only or LogFilter()
        with self._reading() as (cursor, sql):
            rows = log_page(cursor, sql.names, after, limit, only)
            return rows, unpublished_retractions(cursor, sql.names, rows, only.published_by)

    @on_the_live_generation
    def last_valid_instant(self, now: datetime) -> datetime | None:
        """The latest finite instant of any event's valid time up to `now`: where the record's
        activity ends, for the page to open on (two index lookups, however large the store)."""
        with self._reading() as (cursor, sql):
            table = sql.names.events
            ends = [
                cursor.scalar(f"SELECT MAX({end}) FROM {table} WHERE {end} <= ?", (to_us(now),)) for end in ("latest", "earliest")
            ]
        found = [end for end in ends if end is not None]
        return from_us(max(found)) if found else None

    @on_the_live_generation
    def last_recorded(self) -> datetime | None:
        """The latest recorded time of any event the views hold (one index lookup)."""
        with self._reading() as (cursor, sql):
            return from_us(cursor.scalar(f"SELECT MAX(recorded_at) FROM {sql.names.events}"))

    @on_the_live_generation
    def event(self, event_id: str) -> dict[str, Any] | None:
        with self._reading() as (cursor, sql):
            row = cursor.execute(f"{sql.select_events} WHERE event_id = ?", (event_id,)).fetchone()
        return None if row is None else event_as_read(row)
