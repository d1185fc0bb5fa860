"""Two readings of the record beyond valid and system time (SPEC §9).

According to an outlet: an event *cites* a name when one of its sources has that name, and a
state read according to some sources shows each disputed value as those sources gave it.
As published by a date: an event counts once one of its sources had certainly published it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from parley.domain.facts import Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.names import name_key
from parley.domain.values import is_disputed


def name_keys(names: Iterable[str]) -> frozenset[str]:
    """The names asked for, as names are compared (SPEC §6)."""
    return frozenset(name_key(name) for name in names)


def cites(sources: Sequence[dict[str, Any]], keys: frozenset[str]) -> bool:
    """Whether one of an event's sources has one of the names (given as `name_keys`)."""
    return any(name_key(source["name"]) in keys for source in sources)


def published_at(sources: Sequence[dict[str, Any]], recorded_at: datetime) -> datetime | None:
    """When an event was certainly public: the latest instant of its earliest `published` date.

    Published dates are ordered as facts fold, by their latest instants, so this is the first
    moment by which some source had certainly published the event. An event none of whose
    sources gives a date counts from its recorded time; one whose dates all have an open end
    was never certainly published (None).
    """
    dated = [source["published"] for source in sources if source.get("published")]
    if not dated:
        return recorded_at
    latest = [FuzzyDate.parse(text).latest for text in dated]
    return min((moment for moment in latest if moment is not None), default=None)


def is_published_by(fact: Fact, moment: datetime) -> bool:
    published = published_at(fact.sources, fact.recorded_at)
    return published is not None and published <= moment


def according_to(value: Any, keys: frozenset[str], path: str = "") -> tuple[Any, list[str]]:
    """`value` with every disputed value in it resolved to the alternatives citing `keys`.

    An alternative the sources back alone becomes a plain value; several stay disputed
    among themselves; none, or all of them, leave the value as it was. Returns the value and
    the dotted paths (`point_count`, `members.0.role`) of the values that changed.
    """
    if not keys:
        return value, []
    if is_disputed(value):
        backed = [alt for alt in value["disputed"] if any(name_key(s) in keys for s in alt["sources"])]
        if not backed or len(backed) == len(value["disputed"]):
            return value, []
        return (backed[0]["value"] if len(backed) == 1 else {"disputed": backed}), [path]
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return value, []
    resolved: list[str] = []
    changed: dict[Any, Any] = {}
    for key, item in items:
        new, paths = according_to(item, keys, f"{path}.{key}" if path else str(key))
        if paths:
            changed[key] = new
            resolved.extend(paths)
    if not changed:
        return value, []
    if isinstance(value, dict):
        return {**value, **changed}, resolved
    return [changed.get(index, item) for index, item in enumerate(value)], resolved
