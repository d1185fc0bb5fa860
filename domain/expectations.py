"""Expectations: meetings and trips planned for a date, and when one is overdue (SPEC §9).

Overdue depends on the date asked, so it is worked out when a state is read, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from parley.domain.catalog import Kind, subject_class
from parley.domain.facts import State
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.values import is_disputed


def is_expectation(kind: Kind) -> bool:
    """Kinds whose subjects are planned for a date and then concluded: meetings and trips."""
    return bool(subject_class(kind).concluded_by)


def planned_bounds(planned_for: Any) -> tuple[datetime | None, datetime | None]:
    """The earliest and latest instants `planned_for` allows; for a disputed date, those of
    all its alternatives together (None for an open end anywhere)."""
    texts = [alt["value"] for alt in planned_for["disputed"]] if is_disputed(planned_for) else [planned_for]
    dates = [FuzzyDate.parse(text) for text in texts]
    earliest = [d.earliest for d in dates]
    latest = [d.latest for d in dates]
    return (
        None if None in earliest else min(earliest),  # type: ignore[type-var]  # None is tested for first
        None if None in latest else max(latest),  # type: ignore[type-var]  # None is tested for first
    )


def is_overdue(kind: Kind, state: State | None, pending_types: Iterable[str], as_of: datetime) -> bool:
    """Still scheduled at `as_of`, planned for before it (every alternative, when disputed; an
    open end never), and no conclusion applied or pending by then."""
    if state is None or state.get("status") != "scheduled":
        return False
    latest = planned_bounds(state["planned_for"])[1]
    if latest is None or latest >= as_of:
        return False
    return not set(pending_types) & set(subject_class(kind).concluded_by)
