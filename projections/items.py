"""Lists of keyed items (a plan's points, domain/items.py) as a view of their own: one row per item
and valid-time interval in `{items}`, beside the subject's states, which are stored without them.

A subject's states change at every instant one of its facts applies; an item's row changes only when
that item does. Stored in every state, a plan of n points changed m times would store n × m items;
here it stores about n + m. A state read at a date takes its items from the rows holding then, as
it takes its statements from the events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from parley.domain.catalog import UndeclaredKind, subject_class
from parley.domain.items import ItemList
from parley.projections.rows import compact_json
from parley.projections.sql import NEVER, Cursor

ItemKey = tuple[str, str]  # the field and the item's key
Alive = dict[ItemKey, tuple[int, int, Any]]  # valid_from, valid_to and the item, of each row holding

TABLE = (
    "CREATE TABLE IF NOT EXISTS {items} (subject TEXT NOT NULL, field TEXT NOT NULL, item_key TEXT NOT NULL,"
    " valid_from BIGINT NOT NULL, valid_to BIGINT NOT NULL, item TEXT NOT NULL,"
    " PRIMARY KEY (subject, field, item_key, valid_from))"
)
INDEX = "CREATE INDEX IF NOT EXISTS {items}_holding ON {items} (subject, valid_to, valid_from)"
INSERT = "INSERT INTO {items} (subject, field, item_key, valid_from, valid_to, item) VALUES (?, ?, ?, ?, ?, ?)"
HOLDING = "SELECT field, item_key, valid_from, valid_to, item FROM {items} WHERE subject = ? AND valid_to >= ? AND valid_from < ?"
AT = "SELECT field, item FROM {items} WHERE subject = ? AND valid_to > ? AND valid_from <= ?"


def item_lists(kind: str) -> Mapping[str, ItemList]:
    try:
        return subject_class(kind).item_lists
    except UndeclaredKind:
        return {}


def stripped(state: Any, lists: Mapping[str, ItemList]) -> Any:
    """A state as `{states}` stores it: without its item lists."""
    if not lists or state is None:
        return state
    return {name: value for name, value in state.items() if name not in lists}


def with_items(state: dict[str, Any], rows: Iterable[tuple[str, Any]], lists: Mapping[str, ItemList]) -> dict[str, Any]:
    """A stored state with the items `rows` (field, item) give it, each list in its kind's order."""
    found: dict[str, list[Any]] = {name: [] for name in lists}
    for name, item in rows:
        if name in found:
            found[name].append(item)
    return {**state, **{name: lists[name].ordered(items) for name, items in found.items()}}


def at(cursor: Cursor, sql: str, subject: str, moment: int) -> list[tuple[str, Any]]:
    """(field, item) of each row holding at `moment`; `sql` is `AT` on a generation's table."""
    return [(r["field"], orjson.loads(r["item"])) for r in cursor.execute(sql, (subject, moment, moment)).fetchall()]


def holding_before(cursor: Cursor, sql: str, subject: str, point: int) -> Alive:
    """The rows holding just before `point`; `sql` is `HOLDING` on a generation's table."""
    return {
        (r["field"], r["item_key"]): (r["valid_from"], r["valid_to"], json.loads(r["item"]))
        for r in cursor.execute(sql, (subject, point, point)).fetchall()
    }


def item_rows(
    subject: str, alive: Alive, intervals: Sequence[tuple[int, Any]], lists: Mapping[str, ItemList]
) -> tuple[list[tuple[int, str, str, int]], list[tuple[Any, ...]]]:
    """What the states `intervals` (each from its start, in order) make of the item rows, given the
    rows `alive` just before the first: the new ends of those rows ((valid_to, field, key, valid_from),
    changed ones only), and the rows to insert."""
    holding = {key: (row[0], row[2]) for key, row in alive.items()}
    ends: dict[tuple[str, str, int], int] = {}
    inserted: dict[tuple[str, str, int], Any] = {}
    for start, state in intervals:
        now = {(name, item[spec.key]): item for name, spec in lists.items() for item in (state or {}).get(name) or ()}
        for key in [key for key in holding if key not in now]:
            ends[(*key, holding.pop(key)[0])] = start
        for key, item in now.items():
            was = holding.get(key)
            if was is not None and was[1] == item:
                continue
            if was is not None:
                ends[(*key, was[0])] = start
            holding[key] = (start, item)
            inserted[(*key, start)] = item
    changed = [
        (ends.get((*key, row[0]), NEVER), *key, row[0]) for key, row in alive.items() if ends.get((*key, row[0]), NEVER) != row[1]
    ]
    rows = [
        (subject, name, key, start, ends.get((name, key, start), NEVER), compact_json(item))
        for (name, key, start), item in inserted.items()
    ]
    return changed, rows
