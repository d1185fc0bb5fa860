"""Answers from the subject-states projection (SPEC §3-4).

With `known_at` = now, a state at any date is one indexed lookup in `subject_states` and
the statements made by then from `subject_events`. A past `known_at` folds the subject's
own events with the domain's reference fold.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from parley.domain.changes import changes_between
from parley.domain.facts import RETRACTION, STATEMENT
from parley.domain.timeline import fold, in_valid_time_order, statement
from parley.projections.rows import EVENT_COLUMNS, event_as_read, fact_of
from parley.projections.sql import Database, to_us

SELECT_EVENTS = f"SELECT {EVENT_COLUMNS} FROM subject_events"
# The interval holding `as_of` is the last one starting by then (intervals are contiguous).
STATE_AT = (
    "SELECT s.state, s.valid_to, v.version FROM subject_states s JOIN subject_versions v ON v.subject = s.subject"
    " WHERE s.subject = ? AND s.valid_from <= ? ORDER BY s.valid_from DESC LIMIT 1"
)
# Stored states hold no statements (see subject_states.py); these are the ones the fold applies.
STATEMENTS = (
    f"SELECT data, occurred FROM subject_events WHERE subject = ? AND type = '{STATEMENT}'"
    " AND retracted_by IS NULL AND latest <= ? ORDER BY latest, version"
)
PENDING = (
    f"{SELECT_EVENTS} WHERE subject = ? AND type <> '{RETRACTION}' AND retracted_by IS NULL"
    " AND (earliest IS NULL OR earliest <= ?) AND (latest IS NULL OR latest > ?)"
)


class SubjectQueries:
    def __init__(self, database: Database):
        self.database = database

    def state(self, subject: str, as_of: datetime, known_at: datetime | None) -> dict[str, Any] | None:
        """None when the subject did not exist at that point."""
        with self.database.transaction(commit=False) as cursor:
            if known_at is not None:
                return self._folded(cursor, subject, as_of, known_at)
            at = to_us(as_of)
            row = cursor.execute(STATE_AT, (subject, at)).fetchone()
            if row is None or row["valid_to"] <= at:
                return None
            state = json.loads(row["state"])
            state["statements"] = [
                statement(json.loads(r["data"]), r["occurred"]) for r in cursor.execute(STATEMENTS, (subject, at)).fetchall()
            ]
            pending = cursor.execute(PENDING, (subject, at, at)).fetchall()
            return {
                "subject": subject,
                "version": row["version"],
                "state": state,
                "pending": [event_as_read(r) for r in _valid_time_sorted(pending)],
            }

    def _folded(self, cursor: Any, subject: str, as_of: datetime, known_at: datetime) -> dict[str, Any] | None:
        rows = self._rows_of(cursor, subject)
        view = fold(subject.split("/", 1)[0], [fact_of(r) for r in rows], as_of, known_at)
        if view.state is None:
            return None
        by_id = {r["event_id"]: r for r in rows}
        return {
            "subject": subject,
            "version": view.version,
            "state": view.state,
            "pending": [event_as_read(by_id[f.event_id], known_at) for f in view.pending],
        }

    def states(
        self, as_of: datetime, known_at: datetime | None, kind: str | None, after: str, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every subject's state at `as_of`, a page at a time, in subject order."""
        with self.database.transaction(commit=False) as cursor:
            names = self._subject_page(cursor, kind, after, limit)
        items = [self.state(name, as_of, known_at) for name in names]
        page = [item for item in items if item is not None]
        return page, (names[-1] if len(names) == limit else None)

    def history(self, subject: str, known_at: datetime | None) -> list[dict[str, Any]] | None:
        with self.database.transaction(commit=False) as cursor:
            rows = self._rows_of(cursor, subject)
        if known_at is not None:
            rows = [r for r in rows if r["recorded_at"] <= to_us(known_at)]
        if not rows:
            return None
        return [event_as_read(r, known_at) for r in _valid_time_sorted(rows)]

    def changes(
        self, start: datetime, end: datetime, known_at: datetime | None, kind: str | None,
        after: str, limit: int,
    ) -> tuple[list[dict[str, Any]], str | None]:
        with self.database.transaction(commit=False) as cursor:
            sql = (
                "SELECT DISTINCT subject FROM subject_events WHERE latest > ? AND latest <= ?"
                " AND recorded_at <= ? AND subject > ?"
            )
            params: list[Any] = [to_us(start), to_us(end), to_us(known_at) or 2**62, after]
            if kind:
                sql += " AND kind = ?"
                params.append(kind)
            names = [r["subject"] for r in cursor.execute(f"{sql} ORDER BY subject LIMIT ?", (*params, limit)).fetchall()]
            result = []
            for name in names:
                rows = self._rows_of(cursor, name)
                by_id = {r["event_id"]: r for r in rows}
                fields = changes_between(name.split("/", 1)[0], [fact_of(r) for r in rows], start, end, known_at)
                for change in fields:
                    change["caused_by"] = [event_as_read(by_id[i], known_at) for i in change["caused_by"]]
                if fields:
                    result.append({"subject": name, "changes": fields})
        return result, (names[-1] if len(names) == limit else None)

    def events(self, after: int, limit: int) -> list[dict[str, Any]]:
        with self.database.transaction(commit=False) as cursor:
            rows = cursor.execute(f"{SELECT_EVENTS} WHERE position > ? ORDER BY position LIMIT ?", (after, limit)).fetchall()
        return [event_as_read(r) for r in rows]

    def event(self, event_id: str) -> dict[str, Any] | None:
        with self.database.transaction(commit=False) as cursor:
            row = cursor.execute(f"{SELECT_EVENTS} WHERE event_id = ?", (event_id,)).fetchone()
        return None if row is None else event_as_read(row)

    def _rows_of(self, cursor: Any, subject: str) -> list[Any]:
        return cursor.execute(f"{SELECT_EVENTS} WHERE subject = ? ORDER BY version", (subject,)).fetchall()

    def _subject_page(self, cursor: Any, kind: str | None, after: str, limit: int) -> list[str]:
        sql, params = "SELECT subject FROM subject_versions WHERE subject > ?", [after]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        rows = cursor.execute(f"{sql} ORDER BY subject LIMIT ?", (*params, limit)).fetchall()
        return [r["subject"] for r in rows]


def _valid_time_sorted(rows: list[Any]) -> list[Any]:
    order = {f.event_id: i for i, f in enumerate(in_valid_time_order(fact_of(r) for r in rows))}
    return sorted(rows, key=lambda r: order[r["event_id"]])
