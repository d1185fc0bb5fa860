"""The subject-states projection: every event, and each subject's state as valid-time intervals.

Tables (all in the event store's database, written with the tracking record):
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
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from parley.domain.facts import RETRACTION, STATEMENT, Fact
from parley.domain.timeline import evolve
from parley.projections.rows import EVENT_COLUMNS, event_row, fact_of
from parley.projections.sql import NEVER, Cursor, to_us

NAME = "subject_states"
LAYOUT = 2  # 2: statements kept out of `subject_states`; views of another layout are refolded

TABLES = (
    "CREATE TABLE IF NOT EXISTS subject_events ("
    " position BIGINT PRIMARY KEY, event_id TEXT NOT NULL, subject TEXT NOT NULL,"
    " kind TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,"
    " occurred TEXT NOT NULL, earliest BIGINT, latest BIGINT, recorded_at BIGINT NOT NULL,"
    " recorded_by TEXT NOT NULL, sources TEXT NOT NULL, data TEXT NOT NULL, note TEXT,"
    " retracted_by TEXT, retracted_at BIGINT)",
    "CREATE UNIQUE INDEX IF NOT EXISTS subject_events_by_id ON subject_events (event_id)",
    "CREATE INDEX IF NOT EXISTS subject_events_by_latest ON subject_events (latest)",
    # A subject's events in fold order: refolding from a point, statements and pending at a date.
    "CREATE INDEX IF NOT EXISTS subject_events_in_fold_order ON subject_events (subject, latest, version)",
    "CREATE TABLE IF NOT EXISTS subject_versions ("
    " subject TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS subject_states ("
    " subject TEXT NOT NULL, kind TEXT NOT NULL, valid_from BIGINT NOT NULL,"
    " valid_to BIGINT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (subject, valid_from))",
)
DROP = ("DROP TABLE IF EXISTS subject_states", "DROP TABLE IF EXISTS subject_versions",
        "DROP TABLE IF EXISTS subject_events")

ACTIVE_FROM = (
    f"SELECT {EVENT_COLUMNS} FROM subject_events WHERE subject = ? AND type NOT IN ('{RETRACTION}', '{STATEMENT}')"
    " AND retracted_by IS NULL AND latest >= ? ORDER BY latest, version"
)


def apply_batch(cursor: Cursor, events: Sequence[tuple[int, Fact]]) -> None:
    """Fold a batch of (position, fact) into the tables; the caller commits with tracking."""
    cursor.executemany(
        f"INSERT INTO subject_events ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 16)})",
        [(*event_row(position, fact), None, None) for position, fact in events],
    )
    changed_from: dict[str, int] = {}
    new_facts: dict[str, list[Fact] | None] = {}  # None: a retraction, so read them all back
    for _, fact in events:
        if fact.type == STATEMENT:
            continue
        point = _retract(cursor, fact) if fact.type == RETRACTION else to_us(fact.occurred.latest)
        if fact.type == RETRACTION:
            new_facts[fact.subject] = None
        elif new_facts.get(fact.subject, []) is not None:
            new_facts.setdefault(fact.subject, []).append(fact)
        if point is not None:
            changed_from[fact.subject] = min(point, changed_from.get(fact.subject, point))
    cursor.executemany(
        "INSERT INTO subject_versions (subject, kind, version) VALUES (?, ?, ?)"
        " ON CONFLICT (subject) DO UPDATE SET version = excluded.version",
        [(f.subject, f.subject.split("/", 1)[0], f.version) for _, f in _last_per_subject(events)],
    )
    for subject, point in changed_from.items():
        _refold_from(cursor, subject, point, new_facts.get(subject))


def _retract(cursor: Cursor, retraction: Fact) -> int | None:
    """Mark the withdrawn event; the state changes from where that event had applied.

    A withdrawn statement changes no stored state: it just stops being read.
    """
    target = retraction.data["event_id"]
    cursor.execute(
        "UPDATE subject_events SET retracted_by = ?, retracted_at = ? WHERE event_id = ?",
        (retraction.event_id, to_us(retraction.recorded_at), target),
    )
    row = cursor.execute("SELECT type, latest FROM subject_events WHERE event_id = ?", (target,)).fetchone()
    return None if row is None or row["type"] == STATEMENT else row["latest"]


def _refold_from(cursor: Cursor, subject: str, point: int, new: list[Fact] | None) -> None:
    """Replace the subject's states from `point` on by folding its active facts from there.

    When every stored state starts before `point` and no retraction is involved, the facts
    from `point` on are exactly the batch's `new` ones (in the log's order, which is version
    order), so they are folded as given instead of read back: the usual case, since most
    events are recorded in valid-time order, and most of a rebuild's work otherwise.
    """
    kind = subject.split("/", 1)[0]
    last = cursor.execute(
        "SELECT valid_from, state FROM subject_states WHERE subject = ? ORDER BY valid_from DESC LIMIT 1", (subject,),
    ).fetchone()
    if new is not None and (last is None or last["valid_from"] < point):
        base, facts, stale = last, sorted((f for f in new if f.occurred.latest is not None), key=_fold_order), False
    else:
        base = cursor.execute(
            "SELECT valid_from, state FROM subject_states WHERE subject = ? AND valid_from < ?"
            " ORDER BY valid_from DESC LIMIT 1",
            (subject, point),
        ).fetchone()
        facts, stale = [fact_of(row) for row in cursor.execute(ACTIVE_FROM, (subject, point)).fetchall()], True
    state = json.loads(base["state"]) if base else None
    intervals: list[tuple[int, Any]] = []
    for latest, same_instant in groupby(facts, key=lambda f: to_us(f.occurred.latest)):
        for fact in same_instant:
            state = evolve(kind, state, fact)
        intervals.append((latest, state))
    if stale:
        cursor.execute("DELETE FROM subject_states WHERE subject = ? AND valid_from >= ?", (subject, point))
    if base:
        first = intervals[0][0] if intervals else NEVER
        cursor.execute(
            "UPDATE subject_states SET valid_to = ? WHERE subject = ? AND valid_from = ?",
            (first, subject, base["valid_from"]),
        )
    ends = [start for start, _ in intervals[1:]] + [NEVER]
    cursor.executemany(
        "INSERT INTO subject_states (subject, kind, valid_from, valid_to, state) VALUES (?, ?, ?, ?, ?)",
        [
            (subject, kind, start, end, json.dumps(state, separators=(",", ":")))
            for (start, state), end in zip(intervals, ends)
        ],
    )


def _fold_order(fact: Fact) -> tuple[int, int]:
    return to_us(fact.occurred.latest), fact.version


def _last_per_subject(events: Sequence[tuple[int, Fact]]) -> list[tuple[int, Fact]]:
    last: dict[str, tuple[int, Fact]] = {}
    for item in events:
        last[item[1].subject] = item
    return list(last.values())
