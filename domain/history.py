"""A subject's fields over valid time: the reference fold, kept field by field.

Each field's value holds from the latest instant of the fact that set it until the next
fact that changed it; statements are not a field here (each is its own record), and what
depends on the date asked (`overdue`) is no field either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from parley.domain.catalog import subject_class
from parley.domain.errors import RuleBroken
from parley.domain.facts import STATEMENT, Fact, State, active_facts, in_valid_time_order, known_facts
from parley.domain.timeline import evolve

NOT_FIELDS = frozenset({"statements", "overdue"})


@dataclass(frozen=True)
class FieldSpan:
    """`field` held `value` over [valid_from, valid_to); valid_to None: it still holds."""

    field: str
    value: Any
    valid_from: datetime
    valid_to: datetime | None
    cause: Fact | None = None  # the event that set the value (the last, of several at one instant)

    @property
    def disputed(self) -> bool:
        return has_dispute(self.value)


def field_history(kind: str, facts: Iterable[Fact], known_at: datetime | None = None) -> list[FieldSpan]:
    """Every field's values over valid time, by field and then time, as known at `known_at`.

    Facts fold as the state at any date folds them (SPEC §4): active ones only, in order of
    their latest instant; one with an open latest end never certainly happened and sets nothing,
    and one that cannot happen where it falls among the facts given (some left out, as
    `published_by` leaves them) sets nothing either, as the state at a date skips it. A list of
    keyed items (a plan's points) is no field here: `item_history` keeps it item by item.
    """
    return histories(kind, facts, known_at)[0]


def item_history(kind: str, facts: Iterable[Fact], known_at: datetime | None = None) -> list[ItemSpan]:
    """Each item of the kind's item lists over valid time, by field, key and then time."""
    return histories(kind, facts, known_at)[1]


def histories(kind: str, facts: Iterable[Fact], known_at: datetime | None = None) -> tuple[list[FieldSpan], list[ItemSpan]]:
    """`field_history` and `item_history` from one fold."""
    lists = subject_class(kind).item_lists
    active = active_facts(known_facts(facts, known_at))
    ordered = in_valid_time_order(f for f in active if f.type != STATEMENT and f.occurred.latest is not None)
    spans: list[FieldSpan] = []
    items: list[ItemSpan] = []
    held: dict[str, tuple[str, Any, datetime, Fact | None]] = {}  # field -> (its JSON, value, since, cause)
    holding: dict[tuple[str, str], tuple[Any, datetime, Fact | None]] = {}  # (field, key) -> (item, since, cause)
    state: State | None = None
    for latest, same_instant in groupby(ordered, key=lambda f: f.occurred.latest):
        causes: dict[str, Fact] = {}
        touched: dict[str, Fact] = {}
        for fact in same_instant:
            try:
                new = evolve(kind, state, fact)
            except RuleBroken:
                continue
            old = state or {}
            causes.update((name, fact) for name, value in new.items() if name not in old or old[name] != value)
            touched.update((key, fact) for spec in lists.values() for key in spec.touched(fact))
            state = new
        if state is None:
            continue
        for name, value in state.items():
            if name in NOT_FIELDS or name in lists:
                continue
            written = json.dumps(value, sort_keys=True)
            before = held.get(name)
            if before is not None and before[0] == written:
                continue
            if before is not None:
                spans.append(FieldSpan(name, before[1], before[2], latest, before[3]))
            held[name] = (written, value, latest, causes.get(name))
        now = {(name, item[spec.key]): item for name, spec in lists.items() for item in state.get(name) or ()}
        for key in [key for key in holding if key not in now]:
            item, since, cause = holding.pop(key)
            items.append(ItemSpan(*key, item, since, latest, cause))
        for key, item in now.items():
            was = holding.get(key)
            if was is not None and was[0] == item:
                continue
            if was is not None:
                items.append(ItemSpan(*key, was[0], was[1], latest, was[2]))
            holding[key] = (item, latest, touched.get(key[1]))
    spans += [FieldSpan(name, value, since, None, cause) for name, (_, value, since, cause) in held.items()]
    items += [ItemSpan(*key, item, since, None, cause) for key, (item, since, cause) in holding.items()]
    return (sorted(spans, key=lambda s: (s.field, s.valid_from)), sorted(items, key=lambda s: (s.field, s.key, s.valid_from)))


@dataclass(frozen=True)
class ItemSpan:
    """An item of a list (`field`, a plan's points) was `item` over [valid_from, valid_to)."""

    field: str
    key: str
    item: Any
    valid_from: datetime
    valid_to: datetime | None
    cause: Fact | None = None  # the last event of that instant that touched it


def has_dispute(value: Any) -> bool:
    if isinstance(value, dict):
        return "disputed" in value or any(has_dispute(v) for v in value.values())
    if isinstance(value, list):
        return any(has_dispute(v) for v in value)
    return False
