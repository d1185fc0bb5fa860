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

from parley.domain.errors import RuleBroken
from parley.domain.facts import STATEMENT, Fact, active_facts, in_valid_time_order, known_facts
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
    `published_by` leaves them) sets nothing either, as the state at a date skips it.
    """
    active = active_facts(known_facts(facts, known_at))
    ordered = in_valid_time_order(f for f in active if f.type != STATEMENT and f.occurred.latest is not None)
    spans: list[FieldSpan] = []
    held: dict[str, tuple[str, Any, datetime, Fact | None]] = {}  # field -> (its JSON, value, since, cause)
    state = None
    for latest, same_instant in groupby(ordered, key=lambda f: f.occurred.latest):
        causes: dict[str, Fact] = {}
        for fact in same_instant:
            try:
                new = evolve(kind, state, fact)
            except RuleBroken:
                continue
            old = state or {}
            causes.update((name, fact) for name, value in new.items() if name not in old or old[name] != value)
            state = new
        if state is None:
            continue
        for name, value in state.items():
            if name in NOT_FIELDS:
                continue
            written = json.dumps(value, sort_keys=True)
            before = held.get(name)
            if before is not None and before[0] == written:
                continue
            if before is not None:
                spans.append(FieldSpan(name, before[1], before[2], latest, before[3]))
            held[name] = (written, value, latest, causes.get(name))
    spans += [FieldSpan(name, value, since, None, cause) for name, (_, value, since, cause) in held.items()]
    return sorted(spans, key=lambda s: (s.field, s.valid_from))


def has_dispute(value: Any) -> bool:
    if isinstance(value, dict):
        return "disputed" in value or any(has_dispute(v) for v in value.values())
    if isinstance(value, list):
        return any(has_dispute(v) for v in value)
    return False
