"""The subject-states projection: every event, and each subject's state as valid-time intervals.

Tables of one generation (see generations.py), in the event store's database, written with
the generation's tracking record:
- `subject_events`: one row per subject event, with its bounds as integer microseconds and
  whether (and when) it was retracted;
- `subject_versions`: each subject's current version;
- `subject_states`: per subject, the state over `[valid_from, valid_to)` as currently known,
  in the manner of SQL:2011 application-time tables. A new event changes the state from
  its latest instant on, so only intervals from there are refolded.

Statements are not folded into the stored states: every statement would otherwise copy all
earlier ones into a new interval, so a subject with hundreds of statements would store
their square. The state at a date takes its statements from `subject_events` instead (in
fold order: certain by then, not retracted), and a statement never refolds anything.

Two ways in: `apply_batch` here (live: events in log order, each subject refolded from where
its new events apply) and a rebuild's bulk fold in bulk_fold.py (`insert_rows` for every
event, then `INDEXES`, then states folded from scratch a run of whole subjects at a time).
tests/integration/test_projection_properties.py holds both to the domain's reference fold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import Any

from parley.domain.catalog import BUILT_IN
from parley.domain.facts import RETRACTION, STATEMENT, Fact
from parley.domain.subjects import SubjectId
from parley.domain.timeline import evolve
from parley.projections import items
from parley.projections.generations import suffix
from parley.projections.rows import EVENT_COLUMNS, EventRows, compact_json, event_rows, fact_of
from parley.projections.sql import NEVER, Cursor, to_us

NAME = "subject_states"
# 2: statements kept out of `subject_states`; 3: the log's indexes; 4: each event's publication
# moment, and the names it cites indexed in `event_sources`; 5: the log's time filters indexed.
# 6: the recorded time a restamped import did not keep (`imported_recorded_at`, SPEC §14).
# 7: item lists (a plan's points) kept out of `subject_states`, one row per item and interval in
# `subject_items` (items.py). Views of another layout are refolded.
LAYOUT = 7

# One generation's tables, then its indexes; `{events}`, `{versions}` and `{states}` are that
# generation's table names. A rebuild creates the tables, loads every event, then the indexes.
TABLES = (
    "CREATE TABLE IF NOT EXISTS {events} ("
    " position BIGINT PRIMARY KEY, event_id TEXT NOT NULL, subject TEXT NOT NULL,"
    " kind TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,"
    " occurred TEXT NOT NULL, earliest BIGINT, latest BIGINT, recorded_at BIGINT NOT NULL,"
    " recorded_by TEXT NOT NULL, sources TEXT NOT NULL, data TEXT NOT NULL, note TEXT,"
    " published BIGINT, retracted_by TEXT, retracted_at BIGINT, imported_recorded_at BIGINT)",
    # Which events cite a source name (`source=` on the log): by name, in log order.
    "CREATE TABLE IF NOT EXISTS {cites} (name_key TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (name_key, position))",
    "CREATE TABLE IF NOT EXISTS {versions} (subject TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {states} ("
    " subject TEXT NOT NULL, kind TEXT NOT NULL, valid_from BIGINT NOT NULL,"
    " valid_to BIGINT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (subject, valid_from))",
    items.TABLE,
)
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS {events}_by_id ON {events} (event_id)",
    # Also the log filtered by valid time (`occurred_before`, `occurred_after`) and by recorded
    # time: each range read with its positions, without the rows (see log_reads.py).
    "CREATE INDEX IF NOT EXISTS {events}_by_latest ON {events} (latest, position)",
    "CREATE INDEX IF NOT EXISTS {events}_by_earliest ON {events} (earliest, position)",
    "CREATE INDEX IF NOT EXISTS {events}_by_recorded ON {events} (recorded_at, position)",
    # A subject's events in fold order: refolding from a point, statements and pending at a date.
    "CREATE INDEX IF NOT EXISTS {events}_in_fold_order ON {events} (subject, latest, version)",
    # The log filtered by subject or type (GET /events) pages in position order from these.
    "CREATE INDEX IF NOT EXISTS {events}_of_subject ON {events} (subject, position)",
    "CREATE INDEX IF NOT EXISTS {events}_of_type ON {events} (type, position)",
    items.INDEX,
)
DROP = (
    "DROP TABLE IF EXISTS {items}",
    "DROP TABLE IF EXISTS {cites}",
    "DROP TABLE IF EXISTS {states}",
    "DROP TABLE IF EXISTS {versions}",
    "DROP TABLE IF EXISTS {events}",
)

ACTIVE_FROM = (
    f"SELECT {EVENT_COLUMNS} FROM {{events}} WHERE subject = ? AND type NOT IN ('{RETRACTION}', '{STATEMENT}')"
    " AND retracted_by IS NULL AND latest >= ? ORDER BY latest, version"
)
INSERT_EVENTS = f"INSERT INTO {{events}} ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 18)})"
INSERT_CITES = "INSERT INTO {cites} (name_key, position) VALUES (?, ?)"
INSERT_STATES = "INSERT INTO {states} (subject, kind, valid_from, valid_to, state) VALUES (?, ?, ?, ?, ?)"
RETRACT = "UPDATE {events} SET retracted_by = ?, retracted_at = ? WHERE event_id = ?"


@dataclass(frozen=True)
class Names:
    """One generation's table names; `sql` fills them into a statement."""

    events: str
    versions: str
    states: str
    cites: str
    items: str

    def sql(self, template: str) -> str:
        return _filled(template, self)


@lru_cache(maxsize=64)
def _filled(template: str, names: Names) -> str:
    return template.format(
        events=names.events, versions=names.versions, states=names.states, cites=names.cites, items=names.items
    )


class SubjectStates:
    """`folds`: the kinds whose states are folded, those the service declares. Events of any other
    kind (one declared no longer, SPEC §10) are kept in the log's tables and skipped by the fold."""

    name = NAME
    layout = LAYOUT
    folds_in_bulk = True  # a rebuild loads every event, then folds states a run of subjects at a time

    def __init__(self, folds: Iterable[str] = BUILT_IN.kinds):
        self.folds = frozenset(folds)

    @staticmethod
    @lru_cache(maxsize=8)
    def names(generation: int) -> Names:
        end = suffix(generation)
        return Names(
            f"subject_events{end}", f"subject_versions{end}", f"subject_states{end}", f"event_sources{end}", f"subject_items{end}"
        )

    def tables(self, generation: int) -> list[str]:
        return [self.names(generation).sql(statement) for statement in TABLES]

    def indexes(self, generation: int) -> list[str]:
        return [self.names(generation).sql(statement) for statement in INDEXES]

    def analyze(self, cursor: Cursor, generation: int) -> None:
        """Gather the planner's statistics on one generation's tables (PostgreSQL)."""
        names = self.names(generation)
        for table in (names.events, names.cites, names.versions, names.states, names.items):
            cursor.execute(f"ANALYZE {table}")

    def drop(self, cursor: Cursor, generation: int) -> None:
        for statement in DROP:
            cursor.execute(self.names(generation).sql(statement))

    def apply_batch(self, cursor: Cursor, generation: int, events: Sequence[tuple[int, Fact]]) -> None:
        """Fold a batch of (position, fact) into the tables; the caller commits with tracking."""
        names = self.names(generation)
        self.insert_rows(cursor, generation, event_rows(events))
        changed_from: dict[str, int] = {}
        new_facts: dict[str, list[Fact] | None] = {}  # None: a retraction, so read them all back
        for _, fact in events:
            if fact.type == STATEMENT:
                continue
            point = _retract(cursor, names, fact) if fact.type == RETRACTION else to_us(fact.occurred.latest)
            if fact.type == RETRACTION:
                new_facts[fact.subject] = None
            elif (held := new_facts.setdefault(fact.subject, [])) is not None:
                held.append(fact)
            if point is not None:
                changed_from[fact.subject] = min(point, changed_from.get(fact.subject, point))
        _set_versions(cursor, names, [(f.subject, f.version) for _, f in _last_per_subject(events)])
        for subject, point in changed_from.items():
            if SubjectId.parse(subject).kind in self.folds:  # a retraction is marked whatever its kind
                _refold_from(cursor, names, subject, point, new_facts.get(subject))

    def forget(self, cursor: Cursor, generation: int, subjects: Sequence[str]) -> None:
        """Remove every row of `subjects` from one generation's tables, to apply their events again
        (a redaction, SPEC §15: the views then hold only what the rewritten events hold)."""
        names = self.names(generation)
        for subject in subjects:
            cursor.execute(
                names.sql("DELETE FROM {cites} WHERE position IN (SELECT position FROM {events} WHERE subject = ?)"), (subject,)
            )
            for table in (names.events, names.states, names.versions, names.items):
                cursor.execute(f"DELETE FROM {table} WHERE subject = ?", (subject,))

    def fold_unfolded(self, cursor: Cursor, generation: int) -> int:
        """Fold the subjects of kinds declared again that the views hold events but no states of
        (their events were applied while the kind was not declared); returns how many.

        Built-in kinds are always declared, so only extra kinds are looked for: usually none."""
        extra = sorted(self.folds - set(BUILT_IN.kinds))
        if not extra:
            return 0
        names = self.names(generation)
        unfolded = [
            row["subject"]
            for row in cursor.execute(
                names.sql(
                    f"SELECT subject FROM {{versions}} v WHERE kind IN ({', '.join('?' * len(extra))})"
                    " AND NOT EXISTS (SELECT 1 FROM {states} s WHERE s.subject = v.subject)"
                ),
                extra,
            ).fetchall()
        ]
        for subject in unfolded:
            _refold_from(cursor, names, subject, -NEVER, None)
        return len(unfolded)

    @staticmethod
    def encode(events: Sequence[tuple[int, Fact]]) -> EventRows:
        """A rebuild's batch as `insert_rows` takes it, worked out before its transaction."""
        return event_rows(events)

    def insert_rows(self, cursor: Cursor, generation: int, rows: EventRows) -> None:
        """Store events as encoded by `event_rows` (rows.py): the live path's, and a rebuild's load."""
        names = self.names(generation)
        cursor.executemany(names.sql(INSERT_EVENTS), rows.events)
        cursor.executemany(names.sql(INSERT_CITES), rows.cites)


def _retract(cursor: Cursor, names: Names, retraction: Fact) -> int | None:
    """Mark the withdrawn event; the state changes from where that event had applied.

    A withdrawn statement changes no stored state: it just stops being read.
    """
    target = retraction.data["event_id"]
    cursor.execute(names.sql(RETRACT), (retraction.event_id, to_us(retraction.recorded_at), target))
    row = cursor.execute(names.sql("SELECT type, latest FROM {events} WHERE event_id = ?"), (target,)).fetchone()
    return None if row is None or row["type"] == STATEMENT else row["latest"]


def _set_versions(cursor: Cursor, names: Names, versions: list[tuple[str, int]]) -> None:
    cursor.executemany(
        names.sql(
            "INSERT INTO {versions} (subject, kind, version) VALUES (?, ?, ?)"
            " ON CONFLICT (subject) DO UPDATE SET version = excluded.version"
        ),
        [(subject, SubjectId.parse(subject).kind, version) for subject, version in versions],
    )


def _refold_from(cursor: Cursor, names: Names, subject: str, point: int, new: list[Fact] | None) -> None:
    """Replace the subject's states (and item rows) from `point` on by folding its active facts from there.

    When every stored state starts before `point` and no retraction is involved, the facts
    from `point` on are exactly the batch's `new` ones (in the log's order, which is version
    order), so they are folded as given instead of read back: the usual case, since most
    events are recorded in valid-time order.
    """
    last = cursor.execute(
        names.sql("SELECT valid_from, state FROM {states} WHERE subject = ? ORDER BY valid_from DESC LIMIT 1"),
        (subject,),
    ).fetchone()
    appending = new is not None and (last is None or last["valid_from"] < point)
    if appending:
        base, facts = last, _in_fold_order(new or ())
    else:
        base = cursor.execute(
            names.sql(
                "SELECT valid_from, state FROM {states} WHERE subject = ? AND valid_from < ? ORDER BY valid_from DESC LIMIT 1"
            ),
            (subject, point),
        ).fetchone()
        facts = [fact_of(row) for row in cursor.execute(names.sql(ACTIVE_FROM), (subject, point)).fetchall()]
        cursor.execute(names.sql("DELETE FROM {states} WHERE subject = ? AND valid_from >= ?"), (subject, point))
    lists = items.item_lists(SubjectId.parse(subject).kind)
    state = json.loads(base["state"]) if base else None
    alive: items.Alive = {}
    if lists:
        alive = items.holding_before(cursor, names.sql(items.HOLDING), subject, point) if base else {}
        if state is not None:
            state = items.with_items(state, [(key[0], row[2]) for key, row in alive.items()], lists)
        if not appending:
            cursor.execute(names.sql("DELETE FROM {items} WHERE subject = ? AND valid_from >= ?"), (subject, point))
    intervals = _intervals(subject, state, facts)
    if base:
        cursor.execute(
            names.sql("UPDATE {states} SET valid_to = ? WHERE subject = ? AND valid_from = ?"),
            (intervals[0][0] if intervals else NEVER, subject, base["valid_from"]),
        )
    _insert_states(cursor, names, subject, intervals)
    if lists:
        ends, rows = items.item_rows(subject, alive, intervals, lists)
        cursor.executemany(
            names.sql("UPDATE {items} SET valid_to = ? WHERE subject = ? AND field = ? AND item_key = ? AND valid_from = ?"),
            [(end, subject, *key) for end, *key in ends],
        )
        cursor.executemany(names.sql(items.INSERT), rows)


def _intervals(subject: str, state: Any, facts: Iterable[Fact]) -> list[tuple[int, Any]]:
    """The states from each instant at which `facts` (in fold order) change `state`."""
    kind = SubjectId.parse(subject).kind
    intervals: list[tuple[int, Any]] = []
    for latest, same_instant in groupby(facts, key=lambda f: to_us(f.occurred.latest)):  # type: ignore[arg-type, return-value]  # folded facts have a latest end
        for fact in same_instant:
            state = evolve(kind, state, fact)
        intervals.append((latest, state))
    return intervals


def states_from_scratch(subject: str, active: Iterable[Fact]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The state rows and item rows of a subject folded from nothing over its active facts, in any
    order (the rebuild's bulk fold, bulk_fold.py)."""
    intervals = _intervals(subject, None, _in_fold_order(active))
    lists = items.item_lists(SubjectId.parse(subject).kind)
    return _state_rows(subject, intervals), (items.item_rows(subject, {}, intervals, lists)[1] if lists else [])


def _insert_states(cursor: Cursor, names: Names, subject: str, intervals: list[tuple[int, Any]]) -> None:
    cursor.executemany(names.sql(INSERT_STATES), _state_rows(subject, intervals))


def _state_rows(subject: str, intervals: list[tuple[int, Any]]) -> list[tuple[Any, ...]]:
    """Each interval runs to the next one's start; the last is open. Item lists are stored apart."""
    kind = SubjectId.parse(subject).kind
    lists = items.item_lists(kind)
    ends = [start for start, _ in intervals[1:]] + [NEVER]
    return [
        (subject, kind, start, end, compact_json(items.stripped(state, lists))) for (start, state), end in zip(intervals, ends)
    ]


def _in_fold_order(facts: Iterable[Fact]) -> list[Fact]:
    """Facts with a latest instant, by it and then by version; an open-ended fact never applies."""
    return sorted((f for f in facts if f.occurred.latest is not None), key=lambda f: (to_us(f.occurred.latest), f.version))


def _last_per_subject(events: Sequence[tuple[int, Fact]]) -> list[tuple[int, Fact]]:
    last: dict[str, tuple[int, Fact]] = {}
    for item in events:
        last[item[1].subject] = item
    return list(last.values())
