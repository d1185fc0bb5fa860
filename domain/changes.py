"""What changed between two valid dates: field-level before and after, with the causes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from parley.domain.facts import Fact
from parley.domain.timeline import evolve, fold


def changes_between(
    kind: str, facts: Iterable[Fact], start: datetime, end: datetime, known_at: datetime | None
) -> list[dict[str, Any]]:
    """Each field whose value at `end` differs from its value at `start`, oldest cause first.

    A field's `caused_by` lists the event ids, in fold order, that changed it in the window.
    """
    facts = list(facts)
    before = fold(kind, facts, start, known_at)
    after = fold(kind, facts, end, known_at)
    window = after.applied[len(before.applied):]
    causes: dict[str, list[str]] = {}
    state = before.state
    for fact in window:
        new = evolve(kind, state, fact)
        for name in _changed_fields(state, new):
            causes.setdefault(name, []).append(fact.event_id)
        state = new
    old = before.state or {}
    return [
        {"field": name, "before": old.get(name), "after": (after.state or {}).get(name), "caused_by": ids}
        for name, ids in causes.items()
        if old.get(name) != (after.state or {}).get(name)
    ]


def _changed_fields(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    old = old or {}
    return [name for name in new if old.get(name) != new[name]]
