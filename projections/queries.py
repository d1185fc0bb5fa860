"""Answers from the subject-states projection (SPEC §3-4), from the generation readers use.

With `known_at` = now, a state at any date is one indexed lookup in `subject_states` and
the statements made by then from `subject_events`. A past `known_at` folds the subject's
own events with the domain's reference fold.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from functools import lru_cache, wraps
from typing import Any, TypeVar

from eventsourcing.persistence import PersistenceError

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.changes import changes_between
from parley.domain.expectations import planned_bounds
from parley.domain.facts import FAR_FUTURE, RETRACTION, STATEMENT
from parley.domain.outlets import cites, is_published_by, name_keys
from parley.domain.register import Register, mentions_in
from parley.domain.roles import roles_in
from parley.domain.timeline import View, fold, in_valid_time_order, statement, viewed
from parley.projections import items
from parley.projections.generations import Generations
from parley.projections.log_reads import LogFilter, log_page, unpublished_retractions
from parley.projections.rows import EVENT_COLUMNS, event_as_read, event_json, fact_of, iso, with_digest
from parley.projections.sql import Cursor, Database, from_us, table_gone, to_us
from parley.projections.subject_states import Names, SubjectStates

T = TypeVar("T")
# The subjects of those kinds whose events name people under those matching keys (search_reads.py).
Naming = Callable[[frozenset[str], Sequence[str]], set[str]]

CHUNK = 500  # ids asked for in one `IN (…)`: under SQLite's limit of bound parameters
SELECT_EVENTS = f"SELECT {EVENT_COLUMNS}, {with_digest('{events}')} FROM {{events}}"
# The interval holding `as_of` is the last one starting by then (intervals are contiguous).
STATE_AT = (
    "SELECT s.state, s.valid_to, v.version FROM {states} s JOIN {versions} v ON v.subject = s.subject"
    " WHERE s.subject = ? AND s.valid_from <= ? ORDER BY s.valid_from DESC LIMIT 1"
)
# Stored states hold no statements (see subject_states.py); these are the ones the fold applies.
STATEMENTS = (
    f"SELECT data, occurred FROM {{events}} WHERE subject = ? AND type = '{STATEMENT}'"
    " AND retracted_by IS NULL AND latest <= ? ORDER BY latest, version"
)
PENDING = (
    f"{SELECT_EVENTS} WHERE subject = ? AND type <> '{RETRACTION}' AND retracted_by IS NULL"
    " AND (earliest IS NULL OR earliest <= ?) AND (latest IS NULL OR latest > ?)"
)
CHANGED_SUBJECTS = (
    "SELECT DISTINCT subject FROM {events} WHERE latest > ? AND latest <= ? AND recorded_at <= ? AND subject > ?"
)
SUBJECT_PAGE = "SELECT subject FROM {versions} WHERE subject > ?"
VERSION = "SELECT version FROM {versions} WHERE subject = ?"
READ_AGAIN = 3


@dataclass(frozen=True)
class Statements:
    """The statements above, on one generation's tables."""

    select_events: str
    state_at: str
    statements: str
    pending: str
    changed_subjects: str
    subject_page: str
    version: str
    items_at: str
    names: Names


@lru_cache(maxsize=8)
def statements_of(generation: int) -> Statements:
    names = SubjectStates.names(generation)
    return Statements(*(names.sql(template) for template in (  # type: ignore[arg-type, call-arg]  # eight texts, then names
        SELECT_EVENTS, STATE_AT, STATEMENTS, PENDING, CHANGED_SUBJECTS, SUBJECT_PAGE, VERSION, items.AT)), names)


def on_the_live_generation(read: Callable[..., T]) -> Callable[..., T]:
    """Reads the pointer row first, and reads again if a rebuild dropped that generation meanwhile.

    The pointer is one indexed row, read in the same transaction as the answer, so every
    process follows a switch made by any other at its next read. The drop waits for readers
    already on the old tables (PostgreSQL) or leaves their snapshot alone (SQLite); only a
    reader between its pointer read and its first use of the old tables can find them gone.
    """
    @wraps(read)
    def reading(self: SubjectQueries, *args: Any, **kwargs: Any) -> T:
        for attempt in range(READ_AGAIN):
            try:
                return read(self, *args, **kwargs)
            except PersistenceError as error:
                if attempt == READ_AGAIN - 1 or not table_gone(error):
                    raise
        raise AssertionError("unreachable")
    return reading


class SubjectQueries:
    def __init__(self, database: Database, catalog: Catalog = BUILT_IN):
        self.database = database
        self.catalog = catalog
        self.generations = Generations(SubjectStates.name, database.postgres)
        # Registers already read, by (generation's table, the log's last position, known_at): a
        # register depends on nothing else, so a read of an unchanged log reads it once.
        self._registers: OrderedDict[tuple[str, int | None, datetime | None], Register] = OrderedDict()
        self._registers_lock = threading.Lock()  # reads run on many threads
        # Roles already read, by (generation's table, the log's last position, as_of, known_at, people).
        self._roles: OrderedDict[tuple[Any, ...], dict[str, list[dict[str, str]]]] = OrderedDict()
        # The entries of the register as known now, by generation's table: (the log's last position, entries).
        self._now: dict[str, tuple[int | None, dict[str, Any]]] = {}

    @contextmanager
    def _reading(self) -> Iterator[tuple[Cursor, Statements]]:
        with self.database.transaction(commit=False) as cursor:
            yield cursor, statements_of(self.generations.current(cursor))

    @on_the_live_generation
    def state(
        self, subject: str, as_of: datetime, known_at: datetime | None, *,
        sources: Sequence[str] = (), published_by: datetime | None = None,
    ) -> dict[str, Any] | None:
        """None when the subject certainly did not exist at that point; a `state` of None when
        its creation is pending then.

        `published_by` counts only some of the subject's events, so it folds them, as a past
        `known_at` does; `sources` only resolves the state found, so it is read as stored.
        """
        kind = subject.split("/", 1)[0]
        with self._reading() as (cursor, sql):
            if known_at is not None or published_by is not None:
                return _folded(subject, _rows_of(cursor, sql, subject), as_of, known_at, sources, published_by)
            at = to_us(as_of)
            row = cursor.execute(sql.state_at, (subject, at)).fetchone()
            pending = _valid_time_sorted(cursor.execute(sql.pending, (subject, at, at)).fetchall())
            if row is None or row["valid_to"] <= at:
                state, version = None, cursor.scalar(sql.version, (subject,)) or 0
            else:
                state, version = json.loads(row["state"]), row["version"]
                state["statements"] = [
                    statement(json.loads(r["data"]), r["occurred"])
                    for r in cursor.execute(sql.statements, (subject, at)).fetchall()
                ]
                lists = items.item_lists(kind)
                if lists:
                    state = items.with_items(state, items.at(cursor, sql.items_at, subject, at), lists)
        return _answer(subject, viewed(kind, state, version, [fact_of(r) for r in pending], as_of, sources), pending)

    @on_the_live_generation
    def register(self, known_at: datetime | None) -> Register:
        """Who is who as known at `known_at` (SPEC §11): every register kind's subject folded over
        all of valid time (a spelling is a fact of a name, not of a date) from what was recorded by
        then. Read from the log, so a register change never alters a folded state."""
        kinds = self.catalog.register_kinds
        if not kinds:
            return Register()
        # Found by their creations, through the index on type: a seek that finds nothing where
        # nobody is registered, whatever the size of the log.
        creations = [self.catalog.subject_class(kind).creation.__name__ for kind in kinds]
        with self._reading() as (cursor, sql):
            events = sql.names.events
            last = cursor.scalar(f"SELECT max(position) FROM {events}")
            key = (events, last, known_at)
            with self._registers_lock:
                if (cached := self._registers.get(key)) is not None:
                    self._registers.move_to_end(key)
                    return cached
                base = self._now.get(events) if known_at is None else None
            if base is not None and last is not None and base[0] is not None and base[0] <= last:
                # As known now, only the people with an event since the last register read change.
                since, entries = base[0], dict(base[1])
                types = sorted({t for kind in kinds for t in self.catalog.subject_class(kind).event_types} - {STATEMENT})
                people = [r["subject"] for r in cursor.execute(
                    f"SELECT DISTINCT subject FROM {events} WHERE position > ? AND type IN ({', '.join('?' * len(types))})",
                    (since, *types)).fetchall() if r["subject"].split("/", 1)[0] in kinds]
            else:
                entries = {}
                people = [r["subject"] for r in cursor.execute(
                    f"SELECT DISTINCT subject FROM {events} WHERE type IN ({', '.join('?' * len(creations))})",
                    creations).fetchall()]
            rows = cursor.execute(  # statements change no one's spellings
                f"{sql.select_events} WHERE subject IN ({', '.join('?' * len(people))}) AND type <> '{STATEMENT}'"
                " ORDER BY subject, version", people).fetchall() if people else []
        by_subject: dict[str, list[Any]] = {}
        for row in rows:
            by_subject.setdefault(row["subject"], []).append(fact_of(row))
        for subject in people:
            entries.pop(subject, None)
        for subject, facts in by_subject.items():
            cls = self.catalog.subject_class(subject.split("/", 1)[0])
            state = fold(cls, facts, FAR_FUTURE, known_at).state
            if state is not None and cls.register_entry is not None:
                entries[subject] = cls.register_entry(state)
        register = Register.of(entries)
        with self._registers_lock:
            if known_at is None:
                self._now[events] = (last, entries)
            self._registers[key] = register
            while len(self._registers) > 16:
                self._registers.popitem(last=False)
        return register

    @on_the_live_generation
    def mentions(self, person: str, as_of: datetime, known_at: datetime | None,
                 register: Register, naming: Callable[[frozenset[str]], list[str]]) -> list[dict[str, Any]]:
        """The events of every subject that name a person (or a record merged into it) under any of
        its spellings in `register` (as known at `known_at`), certain by `as_of`, in valid-time
        order, each with the fields that name it. `naming` gives the ids of those events from the
        search projection's index of names (search_reads.py), so the log is not scanned."""
        keys = register.names_of(person)
        if not keys:
            return []
        paths = {name: event.person_fields for cls in self.catalog.classes
                 for name, event in cls.event_types.items() if event.person_fields}
        ids = naming(keys)
        rows: list[Any] = []
        with self._reading() as (cursor, sql):
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                rows += cursor.execute(f"{sql.select_events} WHERE event_id IN ({', '.join('?' * len(chunk))})",
                                       chunk).fetchall()
        found = []
        for row in _valid_time_sorted(sorted(rows, key=lambda r: r["position"])):
            named = mentions_in(json.loads(row["data"]), paths.get(row["type"], ()), keys)
            if named:
                found.append({**event_as_read(row, known_at), "mentions": named})
        return found

    @on_the_live_generation
    def roles(self, people: Sequence[str], as_of: datetime, known_at: datetime | None,
              register: Register, naming: Naming | None = None) -> dict[str, list[dict[str, str]]]:
        """SPEC §11's `roles` of each of those records (each the end of its merges): the places the subjects whose events
        name them give them at `as_of`, as known at `known_at`, matched through `register`. Only the
        subjects an event names them in (certain by `as_of`) are folded: a place comes from one.
        `naming` finds those subjects by the matching keys of the names (an index); without it, the
        events of the types that name people are read."""
        found: dict[str, list[dict[str, str]]] = {person: [] for person in people}
        owner = {key: person for person in found for key in register.names_of(person)}
        placing = {cls.kind: cls for cls in self.catalog.classes if cls.role_fields}
        paths = {name: event.person_fields for cls in placing.values()
                 for name, event in cls.event_types.items() if event.person_fields and name != STATEMENT}
        if not owner or not paths:
            return found
        keys = frozenset(owner)
        with self._reading() as (cursor, sql):
            # Roles depend on nothing but the log, the times and the people asked for (the register
            # is the log's as known then): a page asked again at an unchanged log reads them once.
            last = cursor.scalar(f"SELECT max(position) FROM {sql.names.events}")
            key = (sql.names.events, last, as_of, known_at, tuple(found))
            with self._registers_lock:
                if (cached := self._roles.get(key)) is not None:
                    self._roles.move_to_end(key)
                    return {person: list(roles) for person, roles in cached.items()}
            if naming is not None:
                subjects = sorted(naming(keys, sorted(placing)))
            else:
                marks = ", ".join("?" * len(paths))
                rows = cursor.execute(
                    f"SELECT subject, type, data FROM {sql.names.events} WHERE type IN ({marks}) AND recorded_at <= ?"
                    " AND latest <= ?", (*paths, to_us(known_at) or 2**62, to_us(as_of))).fetchall()
                subjects = sorted({row["subject"] for row in rows if row["subject"].split("/", 1)[0] in placing
                                   and mentions_in(json.loads(row["data"]), paths[row["type"]], keys)})
            facts = {subject: [fact_of(r) for r in _rows_of(cursor, sql, subject)] for subject in subjects}

        def person_of(name: str) -> str | None:
            matched = register.match(name)
            return matched if isinstance(matched, str) and matched in found else None

        for subject, of_subject in facts.items():
            for person, roles in roles_in(placing[subject.split("/", 1)[0]], of_subject, as_of, known_at,
                                          person_of).items():
                found[person] += roles
        with self._registers_lock:
            self._roles[key] = {person: list(roles) for person, roles in found.items()}
            while len(self._roles) > 64:
                self._roles.popitem(last=False)
        return found

    @on_the_live_generation
    def nearest_subjects(self, subject: str, count: int = 3) -> list[str] | None:
        """None when `subject` has events; otherwise the existing subjects nearest its spelling
        (SPEC §17's `did_you_mean`), nearest first, perhaps none."""
        with self._reading() as (cursor, sql):
            if cursor.scalar(sql.version, (subject,)) is not None:
                return None
            names = [r["subject"] for r in cursor.execute(f"{sql.subject_page} ORDER BY subject", ("",)).fetchall()]
        return nearest(subject, names, count)

    @on_the_live_generation
    def states(
        self, as_of: datetime, known_at: datetime | None, kind: str | None, after: str, limit: int, *,
        sources: Sequence[str] = (), published_by: datetime | None = None, kinds: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every subject's state at `as_of` (of `kind`, or of `kinds`: default every declared kind;
        only `subjects` when given), a page at a time, in subject order.

        A page is read with one query set for all its subjects, whatever its size: as known now,
        from the stored states; at a past `known_at` or with a `published_by`, from the events
        of all its subjects, each subject's folded as `state` folds them."""
        with self._reading() as (cursor, sql):
            names = _subject_page(cursor, sql, [kind] if kind else (kinds or self.catalog.kinds), after, limit,
                                  subjects)
            if known_at is None and published_by is None:
                items = _states_at(cursor, sql, names, as_of, sources)
            else:
                rows = _rows_of_each(cursor, sql, names)
                items = [_folded(name, rows.get(name, []), as_of, known_at, sources, published_by) for name in names]
        page = [item for item in items if item is not None]
        return page, (names[-1] if len(names) == limit else None)

    def expectations(
        self, as_of: datetime, known_at: datetime | None, kind: str | None, after: str, limit: int, *,
        sources: Sequence[str] = (), published_by: datetime | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every subject of a kind with expectations still scheduled at `as_of`: when it is planned for,
        and whether it is overdue."""
        kinds = self.catalog.with_expectations
        if not kinds:
            return [], None
        items, cursor = self.states(as_of, known_at, kind, after, limit, sources=sources, published_by=published_by,
                                    kinds=kinds)
        return [_expectation(item) for item in items if (item["state"] or {}).get("status") == "scheduled"], cursor

    @on_the_live_generation
    def history(
        self, subject: str, known_at: datetime | None, *,
        sources: Sequence[str] = (), published_by: datetime | None = None,
    ) -> list[dict[str, Any]] | None:
        """The subject's events in valid-time order; None when none is known at all. With
        `sources`, only those citing one of them; with `published_by`, only those published by then."""
        with self._reading() as (cursor, sql):
            rows = _rows_of(cursor, sql, subject)
        read = _reader(rows, known_at, published_by)
        if known_at is not None:
            rows = [r for r in rows if r["recorded_at"] <= to_us(known_at)]
        if not rows:
            return None
        if published_by is not None:
            rows = [r for r in rows if is_published_by(fact_of(r), published_by)]
        if sources:
            keys = name_keys(sources)
            rows = [r for r in rows if cites(json.loads(r["sources"]), keys)]
        return [read(r) for r in _valid_time_sorted(rows)]

    @on_the_live_generation
    def changes(
        self, start: datetime, end: datetime, known_at: datetime | None, kind: str | None,
        after: str, limit: int, *, sources: Sequence[str] = (), published_by: datetime | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str | None]:
        """A page of subjects' field changes, each naming its causes by event id, and the
        causing events as read, each once, by id."""
        causes: dict[str, dict[str, Any]] = {}
        with self._reading() as (cursor, sql):
            query, params = sql.changed_subjects, [to_us(start), to_us(end), to_us(known_at) or 2**62, after]
            kinds = [kind] if kind else list(self.catalog.kinds)  # a kind declared no longer has no changes
            query += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
            names = [r["subject"] for r in cursor.execute(f"{query} ORDER BY subject LIMIT ?", (*params, limit)).fetchall()]
            result = []
            for name in names:
                rows = _rows_of(cursor, sql, name)
                by_id = {r["event_id"]: r for r in rows}
                read = _reader(rows, known_at, published_by)
                changed = changes_between(name.split("/", 1)[0], [fact_of(r) for r in rows], start, end, known_at,
                                          sources=sources, published_by=published_by)
                for change in changed.fields:
                    for event_id in change["caused_by"]:
                        if event_id not in causes:
                            causes[event_id] = read(by_id[event_id])
                if changed.fields:
                    result.append({"subject": name, "changes": changed.fields, "resolved": changed.resolved})
        return result, causes, (names[-1] if len(names) == limit else None)

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
            ends = [cursor.scalar(f"SELECT MAX({end}) FROM {table} WHERE {end} <= ?", (to_us(now),))
                    for end in ("latest", "earliest")]
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


def nearest(subject: str, names: Sequence[str], count: int = 3, cutoff: float = 0.6) -> list[str]:
    """The names whose slug is spelled most like `subject`'s (difflib's similarity ratio, none below
    `cutoff`), nearest first, those of the same kind first among equals: a right slug under a wrong
    kind is found too, and the shared kind does not make every slug look near."""
    kind, _, slug = subject.partition("/")
    scored = []
    for name in names:
        their_kind, _, their_slug = name.partition("/")
        score = SequenceMatcher(None, slug, their_slug).ratio()
        if score >= cutoff:
            scored.append((-score, their_kind != kind, name))
    return [name for *_, name in sorted(scored)[:count]]


def _rows_of(cursor: Cursor, sql: Statements, subject: str) -> list[Any]:
    return cursor.execute(f"{sql.select_events} WHERE subject = ? ORDER BY version", (subject,)).fetchall()


def _rows_of_each(cursor: Cursor, sql: Statements, subjects: Sequence[str]) -> dict[str, list[Any]]:
    """`_rows_of` for each of `subjects`, in one query."""
    found: dict[str, list[Any]] = {}
    if subjects:
        for row in cursor.execute(f"{sql.select_events} WHERE subject IN ({', '.join('?' * len(subjects))})"
                                  " ORDER BY subject, version", tuple(subjects)).fetchall():
            found.setdefault(row["subject"], []).append(row)
    return found


def _folded(subject: str, rows: list[Any], as_of: datetime, known_at: datetime | None, sources: Sequence[str],
            published_by: datetime | None) -> dict[str, Any] | None:
    """The subject's answer folded from its stored events, as known at `known_at`."""
    view = fold(subject.split("/", 1)[0], [fact_of(r) for r in rows], as_of, known_at, sources=sources,
                published_by=published_by)
    return _answer(subject, view, rows, known_at)


def _subject_page(cursor: Cursor, sql: Statements, kinds: Sequence[str], after: str, limit: int,
                  subjects: Sequence[str] | None = None) -> list[str]:
    query, params = sql.subject_page, [after]
    query += f" AND kind IN ({', '.join('?' * len(kinds))})"
    params.extend(kinds)
    if subjects is not None:
        query += f" AND subject IN ({', '.join('?' * len(subjects))})" if subjects else " AND 1 = 0"
        params.extend(subjects)
    rows = cursor.execute(f"{query} ORDER BY subject LIMIT ?", (*params, limit)).fetchall()
    return [r["subject"] for r in rows]


def _states_at(cursor: Cursor, sql: Statements, subjects: Sequence[str], as_of: datetime,
               sources: Sequence[str]) -> list[dict[str, Any] | None]:
    """Each subject's answer at `as_of` as known now, as `SubjectQueries.state` reads one: the
    interval holding `as_of`, the statements and the pending events, each one query for them all."""
    if not subjects:
        return []
    at, marks, names = to_us(as_of), ", ".join("?" * len(subjects)), sql.names
    intervals = {r["subject"]: r for r in cursor.execute(
        f"SELECT s.subject, s.state, s.valid_to, v.version FROM {names.states} s"
        f" JOIN {names.versions} v ON v.subject = s.subject WHERE s.subject IN ({marks}) AND s.valid_from ="
        f" (SELECT max(i.valid_from) FROM {names.states} i WHERE i.subject = s.subject AND i.valid_from <= ?)",
        (*subjects, at)).fetchall()}
    versions = {r["subject"]: r["version"] for r in cursor.execute(
        f"SELECT subject, version FROM {names.versions} WHERE subject IN ({marks})", subjects).fetchall()}
    said: dict[str, list[Any]] = {}
    for r in cursor.execute(
            # `type || ''`: read by the subjects' index; by the type's, SQLite read every statement.
            f"SELECT subject, data, occurred FROM {names.events} WHERE subject IN ({marks}) AND type || '' = '{STATEMENT}'"
            " AND retracted_by IS NULL AND latest <= ? ORDER BY subject, latest, version", (*subjects, at)).fetchall():
        said.setdefault(r["subject"], []).append(r)
    pending: dict[str, list[Any]] = {}
    for r in cursor.execute(
            f"{sql.select_events} WHERE subject IN ({marks}) AND type <> '{RETRACTION}' AND retracted_by IS NULL"
            " AND (earliest IS NULL OR earliest <= ?) AND (latest IS NULL OR latest > ?)", (*subjects, at, at)).fetchall():
        pending.setdefault(r["subject"], []).append(r)
    listed: dict[str, list[tuple[str, Any]]] = {}
    with_lists = [subject for subject in subjects if items.item_lists(subject.split("/", 1)[0])]
    if with_lists:
        for r in cursor.execute(
                f"SELECT subject, field, item FROM {names.items} WHERE subject IN ({', '.join('?' * len(with_lists))})"
                " AND valid_to > ? AND valid_from <= ?", (*with_lists, at, at)).fetchall():
            listed.setdefault(r["subject"], []).append((r["field"], json.loads(r["item"])))
    answers = []
    for subject in subjects:
        row, waiting = intervals.get(subject), _valid_time_sorted(pending.get(subject, []))
        if row is None or row["valid_to"] <= at:
            state, version = None, versions.get(subject) or 0
        else:
            state, version = json.loads(row["state"]), row["version"]
            state["statements"] = [statement(json.loads(r["data"]), r["occurred"]) for r in said.get(subject, [])]
        kind = subject.split("/", 1)[0]
        if state is not None and (lists := items.item_lists(kind)):
            state = items.with_items(state, listed.get(subject, []), lists)
        answers.append(_answer(subject, viewed(kind, state, version, [fact_of(r) for r in waiting], as_of, sources),
                               waiting))
    return answers


def _answer(subject: str, view: View, rows: list[Any], known_at: datetime | None = None) -> dict[str, Any] | None:
    """A subject's answer, or None when it certainly did not exist; `rows` hold its pending events."""
    if not view.may_exist:
        return None
    by_id = {r["event_id"]: r for r in rows}
    return {
        "subject": subject,
        "version": view.version,
        "state": view.shown,
        "pending": [event_as_read(by_id[f.event_id], known_at) for f in view.pending],
        "resolved": view.resolved,
    }


def _expectation(answer: dict[str, Any]) -> dict[str, Any]:
    planned_for = answer["state"]["planned_for"]
    earliest, latest = planned_bounds(planned_for)
    return {
        "subject": answer["subject"],
        "planned_for": planned_for,
        "planned_for_earliest": iso(earliest),
        "planned_for_latest": iso(latest),
        "overdue": answer["state"]["overdue"],
    }


def _reader(rows: list[Any], known_at: datetime | None, published_by: datetime | None) -> Callable[[Any], dict[str, Any]]:
    """How a subject's events read: a retraction not yet published by `published_by` withdraws nothing."""
    unpublished = set() if published_by is None else {
        r["event_id"] for r in rows if r["type"] == RETRACTION and not is_published_by(fact_of(r), published_by)
    }

    def read(row: Any) -> dict[str, Any]:
        event = event_as_read(row, known_at)
        if event["retracted_by"] in unpublished:
            event["retracted_by"] = event["retracted_at"] = None
        return event

    return read


def _valid_time_sorted(rows: list[Any]) -> list[Any]:
    order = {f.event_id: i for i, f in enumerate(in_valid_time_order(fact_of(r) for r in rows))}
    return sorted(rows, key=lambda r: order[r["event_id"]])
