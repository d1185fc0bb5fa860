"""What changed between two valid dates: field-level before and after, with the causes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parley.domain.catalog import subject_class
from parley.domain.facts import Fact
from parley.domain.items import ItemList, item_changes
from parley.domain.outlets import according_to, name_keys
from parley.domain.timeline import evolve, fold


@dataclass
class Changes:
    """A subject's changed fields, and the paths of disputed values resolved to the sources
    asked for, in the state before or after."""

    fields: list[dict[str, Any]]
    resolved: list[str]


def changes_between(
    kind: str,
    facts: Iterable[Fact],
    start: datetime,
    end: datetime,
    known_at: datetime | None,
    *,
    sources: Iterable[str] = (),
    published_by: datetime | None = None,
) -> Changes:
    """Each field whose value at `end` differs from its value at `start`, oldest cause first.

    A field's `caused_by` lists the event ids, in fold order, that changed it in the window.
    With `sources`, before and after are compared as those sources give them: a field they
    resolve to the same value at both ends did not change by their account. A field that was
    unknown and is still unknown or empty (a subject created in the window with no head, no
    members yet) did not change in any way a reader would call a change.
    """
    facts = list(facts)
    lists = subject_class(kind).item_lists
    before = fold(kind, facts, start, known_at, published_by=published_by)
    after = fold(kind, facts, end, known_at, published_by=published_by)
    window = after.applied[len(before.applied) :]
    causes: dict[str, list[str]] = {}
    steps: list[tuple[str, str]] = []  # (path within an item list, event id), in fold order
    state = before.state
    for fact in window:
        new = evolve(kind, state, fact)
        for name in _changed_fields(state, new):
            causes.setdefault(name, []).append(fact.event_id)
            if name in lists:
                steps += [
                    (change["field"], fact.event_id)
                    for change in item_changes(name, (state or {}).get(name), new[name], lists[name].key)
                ]
        state = new
    keys = name_keys(sources)
    old, old_resolved = according_to(before.state or {}, keys)
    new_state, new_resolved = according_to(after.state or {}, keys)
    fields = []
    for name, ids in causes.items():
        was, now = old.get(name), new_state.get(name)
        if was == now or _from_nothing_to_nothing(was, now) or _empty_count(name, was, now, lists):
            continue
        if name in lists:  # item by item, field by field (SPEC §12: points.<key>.text)
            fields += [
                {**change, "caused_by": _causes_of(change["field"], steps)}
                for change in item_changes(name, was, now, lists[name].key)
            ]
        else:
            fields.append({"field": name, "before": was, "after": now, "caused_by": ids})
    return Changes(fields, sorted(set(old_resolved) | set(new_resolved)))


def _causes_of(path: str, steps: list[tuple[str, str]]) -> list[str]:
    """The events that changed the item path, or the whole item, or a field within it."""
    found = [event_id for step, event_id in steps if step == path or step.startswith(f"{path}.") or path.startswith(f"{step}.")]
    return list(dict.fromkeys(found))


def _from_nothing_to_nothing(before: Any, after: Any) -> bool:
    return before is None and after in (None, "", [], {})


def _empty_count(name: str, before: Any, after: Any, lists: dict[str, ItemList]) -> bool:
    """The count of an item list that went from unknown to none, as its list went from nothing to nothing."""
    return before is None and after == 0 and any(spec.count == name for spec in lists.values())


def _changed_fields(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    old = old or {}
    return [name for name in new if old.get(name) != new[name]]
