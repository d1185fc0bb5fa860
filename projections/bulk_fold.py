"""The rebuild's bulk fold: states folded from scratch, a run of whole subjects at a time.

A rebuild (rebuild.py) loads every event into a new generation's bare tables, builds its
indexes, then reads the stored rows back by subject (`subject_rows`), folds them outside any
transaction (`folded`) and writes each run in a short one (`fold_subjects`). The live path,
one batch of the log at a time, is subject_states.py; tests/integration/
test_projection_properties.py holds both to the domain's reference fold.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from parley.domain.facts import RETRACTION, STATEMENT
from parley.domain.subjects import SubjectId
from parley.projections import items
from parley.projections.rows import EVENT_COLUMNS, fact_of
from parley.projections.sql import Cursor, to_us
from parley.projections.subject_states import INSERT_STATES, RETRACT, Names, states_from_scratch


@dataclass(frozen=True)
class Folded:
    """States, versions and retraction marks for the subjects `first`..`last`, ready to write."""

    first: str
    last: str
    retractions: list[tuple[str, int | None, str]]
    states: list[tuple[Any, ...]]
    items: list[tuple[Any, ...]]


def subject_rows(cursor: Cursor, names: Names, after: str, limit: int) -> list[Any]:
    """Stored rows that fold into states (no statements), by subject then version, from `after` on.

    At most `limit` rows, cut at a whole subject — unless one subject alone has more.
    """
    sql = names.sql(
        f"SELECT {EVENT_COLUMNS} FROM {{events}} WHERE subject > ? AND type <> '{STATEMENT}' ORDER BY subject, version LIMIT ?"
    )
    rows = cursor.execute(sql, (after, limit + 1)).fetchall()
    if len(rows) <= limit:
        return rows
    last = rows[-1]["subject"]
    whole = [row for row in rows if row["subject"] != last]
    if whole:
        return whole
    return cursor.execute(sql.replace("subject > ?", "subject = ?").replace(" LIMIT ?", ""), (last,)).fetchall()


def folded(rows: Sequence[Any], folds: Collection[str]) -> Folded:
    """What the subjects of `rows` (from `subject_rows`) fold into from scratch, worked out
    before the transaction that writes it, so that holds the write lock only to write; only the
    kinds `folds` get states (the others' retractions are marked all the same)."""
    retractions: list[tuple[str, int | None, str]] = []
    states: list[tuple[Any, ...]] = []
    item_rows: list[tuple[Any, ...]] = []
    for subject, of_subject in groupby(rows, key=lambda row: row["subject"]):
        facts = [fact_of(row) for row in of_subject]
        withdrawing = [f for f in facts if f.type == RETRACTION]
        retractions += [(r.event_id, to_us(r.recorded_at), r.data["event_id"]) for r in withdrawing]
        withdrawn = {r.data["event_id"] for r in withdrawing}
        active = [f for f in facts if f.type != RETRACTION and f.event_id not in withdrawn]
        if SubjectId.parse(subject).kind in folds:
            subject_states, subject_items = states_from_scratch(subject, active)
            states += subject_states
            item_rows += subject_items
    return Folded(rows[0]["subject"], rows[-1]["subject"], retractions, states, item_rows)


def fold_subjects(cursor: Cursor, names: Names, folded: Folded) -> int:
    """Write the states, versions and retraction marks of the subjects `folded` covers; returns
    how many events those subjects have (their versions count them)."""
    # Read from the covering index `{events}_in_fold_order` alone (the kind, which is not in it,
    # is the subject's prefix): reading every row's kind from the table cost 3 % of a rebuild.
    versions = cursor.execute(
        names.sql("SELECT subject, MAX(version) AS version FROM {events} WHERE subject >= ? AND subject <= ? GROUP BY subject"),
        (folded.first, folded.last),
    ).fetchall()
    cursor.executemany(
        names.sql("INSERT INTO {versions} (subject, kind, version) VALUES (?, ?, ?)"),
        [(row["subject"], SubjectId.parse(row["subject"]).kind, row["version"]) for row in versions],
    )
    cursor.executemany(names.sql(RETRACT), folded.retractions)
    cursor.executemany(names.sql(INSERT_STATES), folded.states)
    cursor.executemany(names.sql(items.INSERT), folded.items)
    return sum(row["version"] for row in versions)
