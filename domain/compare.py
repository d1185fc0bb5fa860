"""Two drafts compared item by item (SPEC §12: a plan's points between two dates or two revisions).

A draft is the state at a *cut* of the valid-time line: a date (what certainly happened by then), or
a revision — "revision r" is the state just before the fact that makes revision r+1 (the r+1st
fact of the kind's `revised_by` type in fold order), or now when there is none. Facts of the same
instant as that fact and recorded before it belong to revision r, as their stamp says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from parley.domain.catalog import Kind, subject_class
from parley.domain.errors import RuleBroken
from parley.domain.facts import FAR_FUTURE, Fact, State, active_facts, in_valid_time_order, known_facts
from parley.domain.items import Item, ItemList, Touching, by_key, item_field_changes
from parley.domain.timeline import fold


@dataclass(frozen=True)
class Cut:
    """Facts before a cut: certain by `moment` — or, when `version` is given, certain before it,
    or at it and recorded before the fact of that version (a revision's own fact)."""

    moment: datetime
    version: int | None = None

    def holds(self, fact: Fact) -> bool:
        latest = fact.occurred.latest
        if latest is None:
            return False
        if self.version is None:
            return latest <= self.moment
        return latest < self.moment or (latest == self.moment and fact.version < self.version)

    def key(self) -> tuple[datetime, float]:
        return self.moment, float("inf") if self.version is None else self.version


class NoSuchRevision(ValueError):
    """A revision the subject has not reached as known then."""

    def __init__(self, revision: int, message: str):
        super().__init__(message)
        self.revision = revision


def revision_cut(revisions: Sequence[Fact], revision: int, now: datetime) -> Cut:
    """The cut of revision `revision` given the facts that made revisions 1, 2, … in fold order."""
    if revision < 0 or revision > len(revisions):
        raise NoSuchRevision(revision, f"revision {revision} does not exist: the revisions known run from 0 to {len(revisions)}")
    if revision == len(revisions):
        return Cut(now)
    fact = revisions[revision]
    assert fact.occurred.latest is not None  # an open-ended fact never applies, so it makes no revision
    return Cut(fact.occurred.latest, fact.version)


def revisions_of(kind: Kind, facts: Iterable[Fact], known_at: datetime | None) -> list[Fact]:
    """The facts that made each revision, in fold order, as known at `known_at`."""
    cls = subject_class(kind)
    return [f for f in fold(cls, facts, FAR_FUTURE, known_at).applied if f.type == cls.revised_by]


def folded_until(kind: Kind, facts: Iterable[Fact], known_at: datetime | None, cut: Cut) -> tuple[State | None, list[Fact]]:
    """The state at a cut as known at `known_at` (the reference fold's way), and the facts applied."""
    cls = subject_class(kind)
    state: State | None = None
    applied = []
    for fact in in_valid_time_order(f for f in active_facts(known_facts(facts, known_at)) if cut.holds(f)):
        try:
            state = cls.evolve(state, fact)
        except RuleBroken:
            continue
        applied.append(fact)
    return state, applied


def compared(spec: ItemList, before: Sequence[Item], after: Sequence[Item], window: Iterable[Touching]) -> dict[str, list]:
    """Each item of either draft as added, removed, merged (into what), changed (field: before →
    after) or unchanged, each with the facts between the drafts that touched it (`caused_by`)."""
    old, new = by_key(before, spec.key), by_key(after, spec.key)
    touching: dict[str, list[Touching]] = {}
    for fact in window:
        for key in dict.fromkeys(spec.touched(fact)):
            touching.setdefault(key, []).append(fact)
    found: dict[str, list] = {"added": [], "removed": [], "merged": [], "changed": [], "unchanged": []}

    def caused(key: str) -> list[str]:
        return [f.event_id for f in touching.get(key, [])]

    for item in spec.ordered(new.values()):
        key = item[spec.key]
        was = old.get(key)
        if was is None:
            found["added"].append({"key": key, "after": item, "caused_by": caused(key)})
            continue
        changes = item_field_changes(was, item, spec.compared)
        if changes:
            found["changed"].append(
                {
                    "key": key,
                    "before": was,
                    "after": item,
                    "caused_by": caused(key),
                    "changes": [{"field": name, "before": b, "after": a} for name, b, a in changes],
                }
            )
        else:
            found["unchanged"].append({"key": key, "item": item, "caused_by": caused(key)})
    for item in spec.ordered(v for k, v in old.items() if k not in new):
        key = item[spec.key]
        last = touching.get(key, [None])[-1]
        merge = spec.merged(last) if last is not None else None
        if merge is not None and key in merge[0] and merge[1] != key:
            found["merged"].append({"key": key, "before": item, "into": merge[1], "caused_by": caused(key)})
        else:
            found["removed"].append({"key": key, "before": item, "caused_by": caused(key)})
    return found


def compare(kind: Kind, field: str, facts: Sequence[Fact], known_at: datetime | None, start: Cut, end: Cut) -> dict[str, list]:
    """The reference comparison of an item list between two cuts, folded from the facts."""
    spec = subject_class(kind).item_lists[field]
    before, applied_before = folded_until(kind, facts, known_at, start)
    after, applied_after = folded_until(kind, facts, known_at, end)
    window = applied_after[len(applied_before) :]
    return compared(spec, items_of(before, field), items_of(after, field), window)


def items_of(state: State | None, field: str) -> list[Item]:
    return list((state or {}).get(field) or ())


__all__ = ["Cut", "NoSuchRevision", "compare", "compared", "folded_until", "items_of", "revision_cut", "revisions_of"]
