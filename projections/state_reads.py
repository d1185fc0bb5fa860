"""States, expectations, histories and changes from the subject-states projection (SPEC §3-4),
from the generation readers use.

With `known_at` = now, a state at any date is one indexed lookup in `subject_states` and
the statements made by then from `subject_events`. A past `known_at` folds the subject's
own events with the domain's reference fold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from parley.domain.changes import changes_between
from parley.domain.expectations import planned_bounds
from parley.domain.facts import RETRACTION, STATEMENT
from parley.domain.outlets import cites, is_published_by, name_keys
from parley.domain.subjects import SubjectId
from parley.domain.timeline import View, fold, statement, viewed
from parley.projections import items
from parley.projections.reading import Reads, Statements, on_the_live_generation, rows_of, valid_time_sorted
from parley.projections.rows import event_as_read, fact_of, iso
from parley.projections.sql import Cursor, to_us


class StateReads(Reads):
    @on_the_live_generation
    def state(
        self,
        subject: SubjectId,
        as_of: datetime,
        known_at: datetime | None,
        *,
        sources: Sequence[str] = (),
        published_by: datetime | None = None,
    ) -> dict[str, Any] | None:
        """None when the subject certainly did not exist at that point; a `state` of None when
        its creation is pending then.

        `published_by` counts only some of the subject's events, so it folds them, as a past
        `known_at` does; `sources` only resolves the state found, so it is read as stored.
        """
        kind, name = subject.kind, str(subject)
        with self._reading() as (cursor, sql):
            if known_at is not None or published_by is not None:
                return _folded(subject, rows_of(cursor, sql, name), as_of, known_at, sources, published_by)
            at = to_us(as_of)
            row = cursor.execute(sql.state_at, (name, at)).fetchone()
            pending = valid_time_sorted(cursor.execute(sql.pending, (name, at, at)).fetchall())
            if row is None or row["valid_to"] <= at:
                state, version = None, cursor.scalar(sql.version, (name,)) or 0
            else:
                state, version = json.loads(row["state"]), row["version"]
                state["statements"] = [
                    statement(json.loads(r["data"]), r["occurred"]) for r in cursor.execute(sql.statements, (name, at)).fetchall()
                ]
                lists = items.item_lists(kind)
                if lists:
                    state = items.with_items(state, items.at(cursor, sql.items_at, name, at), lists)
        return _answer(subject, viewed(kind, state, version, [fact_of(r) for r in pending], as_of, sources), pending)

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
        self,
        as_of: datetime,
        known_at: datetime | None,
        kind: str | None,
        after: str,
        limit: int,
        *,
        sources: Sequence[str] = (),
        published_by: datetime | None = None,
        kinds: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        statements: bool = True,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every subject's state at `as_of` (of `kind`, or of `kinds`: default every declared kind;
        only `subjects` when given), a page at a time, in subject order. `statements=False` leaves
        the statements out of states read as known now (what is expected needs none of them).

        A page is read with one query set for all its subjects, whatever its size: as known now,
        from the stored states; at a past `known_at` or with a `published_by`, from the events
        of all its subjects, each subject's folded as `state` folds them."""
        with self._reading() as (cursor, sql):
            names = _subject_page(cursor, sql, [kind] if kind else (kinds or self.catalog.kinds), after, limit, subjects)
            if known_at is None and published_by is None:
                items = _states_at(cursor, sql, names, as_of, sources, statements)
            else:
                rows = _rows_of_each(cursor, sql, [str(name) for name in names])
                items = [_folded(name, rows.get(str(name), []), as_of, known_at, sources, published_by) for name in names]
        page = [item for item in items if item is not None]
        return page, (str(names[-1]) if len(names) == limit else None)

    def expectations(
        self,
        as_of: datetime,
        known_at: datetime | None,
        kind: str | None,
        after: str,
        limit: int,
        *,
        sources: Sequence[str] = (),
        published_by: datetime | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every subject of a kind with expectations still scheduled at `as_of`: when it is planned for,
        and whether it is overdue."""
        kinds = self.catalog.with_expectations
        if not kinds:
            return [], None
        items, cursor = self.states(
            as_of, known_at, kind, after, limit, sources=sources, published_by=published_by, kinds=kinds, statements=False
        )
        return [_expectation(item) for item in items if (item["state"] or {}).get("status") == "scheduled"], cursor

    @on_the_live_generation
    def history(
        self,
        subject: SubjectId,
        known_at: datetime | None,
        *,
        sources: Sequence[str] = (),
        published_by: datetime | None = None,
    ) -> list[dict[str, Any]] | None:
        """The subject's events in valid-time order; None when none is known at all. With
        `sources`, only those citing one of them; with `published_by`, only those published by then."""
        with self._reading() as (cursor, sql):
            rows = rows_of(cursor, sql, str(subject))
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
        return [read(r) for r in valid_time_sorted(rows)]

    @on_the_live_generation
    def changes(
        self,
        start: datetime,
        end: datetime,
        known_at: datetime | None,
        kind: str | None,
        after: str,
        limit: int,
        *,
        sources: Sequence[str] = (),
        published_by: datetime | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str | None]:
        """A page of subjects' field changes, each naming its causes by event id, and the
        causing events as read, each once, by id."""
        causes: dict[str, dict[str, Any]] = {}
        with self._reading() as (cursor, sql):
            query, params = sql.changed_subjects, [to_us(start), to_us(end), to_us(known_at) or 2**62, after]
            kinds = [kind] if kind else list(self.catalog.kinds)  # a kind declared no longer has no changes
            query += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
            names = [
                SubjectId.parse(r["subject"])
                for r in cursor.execute(f"{query} ORDER BY subject LIMIT ?", (*params, limit)).fetchall()
            ]
            result = []
            for name in names:
                rows = rows_of(cursor, sql, str(name))
                by_id = {r["event_id"]: r for r in rows}
                read = _reader(rows, known_at, published_by)
                changed = changes_between(
                    name.kind, [fact_of(r) for r in rows], start, end, known_at, sources=sources, published_by=published_by
                )
                for change in changed.fields:
                    for event_id in change["caused_by"]:
                        if event_id not in causes:
                            causes[event_id] = read(by_id[event_id])
                if changed.fields:
                    result.append({"subject": str(name), "changes": changed.fields, "resolved": changed.resolved})
        return result, causes, (str(names[-1]) if len(names) == limit else None)


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


def _rows_of_each(cursor: Cursor, sql: Statements, subjects: Sequence[str]) -> dict[str, list[Any]]:
    """`_rows_of` for each of `subjects`, in one query."""
    found: dict[str, list[Any]] = {}
    if subjects:
        for row in cursor.execute(
            f"{sql.select_events} WHERE subject IN ({', '.join('?' * len(subjects))}) ORDER BY subject, version", tuple(subjects)
        ).fetchall():
            found.setdefault(row["subject"], []).append(row)
    return found


def _folded(
    subject: SubjectId,
    rows: list[Any],
    as_of: datetime,
    known_at: datetime | None,
    sources: Sequence[str],
    published_by: datetime | None,
) -> dict[str, Any] | None:
    """The subject's answer folded from its stored events, as known at `known_at`."""
    view = fold(subject.kind, [fact_of(r) for r in rows], as_of, known_at, sources=sources, published_by=published_by)
    return _answer(subject, view, rows, known_at)


def _subject_page(
    cursor: Cursor, sql: Statements, kinds: Sequence[str], after: str, limit: int, subjects: Sequence[str] | None = None
) -> list[SubjectId]:
    query, params = sql.subject_page, [after]
    query += f" AND kind IN ({', '.join('?' * len(kinds))})"
    params.extend(kinds)
    if subjects is not None:
        query += f" AND subject IN ({', '.join('?' * len(subjects))})" if subjects else " AND 1 = 0"
        params.extend(subjects)
    rows = cursor.execute(f"{query} ORDER BY subject LIMIT ?", (*params, limit)).fetchall()
    return [SubjectId.parse(r["subject"]) for r in rows]


def _states_at(
    cursor: Cursor, sql: Statements, page: Sequence[SubjectId], as_of: datetime, sources: Sequence[str], statements: bool = True
) -> list[dict[str, Any] | None]:
    """Each subject's answer at `as_of` as known now, as `StateReads.state` reads one: the
    interval holding `as_of`, the statements and the pending events, each one query for them all."""
    if not page:
        return []
    subjects = [str(subject) for subject in page]
    at, marks, names = to_us(as_of), ", ".join("?" * len(subjects)), sql.names
    intervals = {
        r["subject"]: r
        for r in cursor.execute(
            f"SELECT s.subject, s.state, s.valid_to, v.version FROM {names.states} s"
            f" JOIN {names.versions} v ON v.subject = s.subject WHERE s.subject IN ({marks}) AND s.valid_from ="
            f" (SELECT max(i.valid_from) FROM {names.states} i WHERE i.subject = s.subject AND i.valid_from <= ?)",
            (*subjects, at),
        ).fetchall()
    }
    versions = {
        r["subject"]: r["version"]
        for r in cursor.execute(f"SELECT subject, version FROM {names.versions} WHERE subject IN ({marks})", subjects).fetchall()
    }
    said: dict[str, list[Any]] = {}
    if statements:
        for r in cursor.execute(
            # `type || ''`: read by the subjects' index; by the type's, SQLite read every statement.
            f"SELECT subject, data, occurred FROM {names.events} WHERE subject IN ({marks}) AND type || '' = '{STATEMENT}'"
            " AND retracted_by IS NULL AND latest <= ? ORDER BY subject, latest, version",
            (*subjects, at),
        ).fetchall():
            said.setdefault(r["subject"], []).append(r)
    pending: dict[str, list[Any]] = {}
    for r in cursor.execute(
        f"{sql.select_events} WHERE subject IN ({marks}) AND type <> '{RETRACTION}' AND retracted_by IS NULL"
        " AND (earliest IS NULL OR earliest <= ?) AND (latest IS NULL OR latest > ?)",
        (*subjects, at, at),
    ).fetchall():
        pending.setdefault(r["subject"], []).append(r)
    listed: dict[str, list[tuple[str, Any]]] = {}
    with_lists = [str(subject) for subject in page if items.item_lists(subject.kind)]
    if with_lists:
        for r in cursor.execute(
            f"SELECT subject, field, item FROM {names.items} WHERE subject IN ({', '.join('?' * len(with_lists))})"
            " AND valid_to > ? AND valid_from <= ?",
            (*with_lists, at, at),
        ).fetchall():
            listed.setdefault(r["subject"], []).append((r["field"], json.loads(r["item"])))
    answers = []
    for subject, name in zip(page, subjects, strict=True):
        row, waiting = intervals.get(name), valid_time_sorted(pending.get(name, []))
        if row is None or row["valid_to"] <= at:
            state, version = None, versions.get(name) or 0
        else:
            state, version = json.loads(row["state"]), row["version"]
            state["statements"] = [statement(json.loads(r["data"]), r["occurred"]) for r in said.get(name, [])]
        kind = subject.kind
        if state is not None and (lists := items.item_lists(kind)):
            state = items.with_items(state, listed.get(name, []), lists)
        answers.append(_answer(subject, viewed(kind, state, version, [fact_of(r) for r in waiting], as_of, sources), waiting))
    return answers


def _answer(subject: SubjectId, view: View, rows: list[Any], known_at: datetime | None = None) -> dict[str, Any] | None:
    """A subject's answer, or None when it certainly did not exist; `rows` hold its pending events."""
    if not view.may_exist:
        return None
    by_id = {r["event_id"]: r for r in rows}
    return {
        "subject": str(subject),
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
    unpublished = (
        set()
        if published_by is None
        else {r["event_id"] for r in rows if r["type"] == RETRACTION and not is_published_by(fact_of(r), published_by)}
    )

    def read(row: Any) -> dict[str, Any]:
        event = event_as_read(row, known_at)
        if event["retracted_by"] in unpublished:
            event["retracted_by"] = event["retracted_at"] = None
        return event

    return read
