"""The reference fold: a subject's facts to its state at a valid time and a system time.

This is the definition of what Parley answers (SPEC §4); projections are tested against
it. It is pure: facts in, state out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from parley.domain.catalog import Kind, subject_class
from parley.domain.errors import RuleBroken
from parley.domain.expectations import is_expectation, is_overdue
from parley.domain.facts import Fact, State, active_facts, in_valid_time_order, known_facts, statement, statement_of
from parley.domain.outlets import according_to, is_published_by, name_keys
from parley.domain.subject import DEFINED

__all__ = [
    "View",
    "fold",
    "viewed",
    "with_every_field",
    "evolve",
    "counted_facts",
    "is_certain_by",
    "is_possible_by",
    "known_facts",
    "active_facts",
    "in_valid_time_order",
    "statement",
    "statement_of",
]


@dataclass
class View:
    """What the record says of one subject at (`as_of`, `known_at`), as published by
    `published_by`, with disputed values resolved to the sources asked for (`resolved` lists
    their paths).

    `state` is the folded state; `shown` is the state as the service answers it, which adds
    what depends on the date asked (`overdue`) and so is never stored.
    """

    state: State | None
    version: int
    pending: list[Fact] = field(default_factory=list)
    applied: list[Fact] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    overdue: bool | None = None  # None for a kind that is not planned for a date

    @property
    def shown(self) -> State | None:
        if self.state is None or self.overdue is None:
            return self.state
        return {**self.state, "overdue": self.overdue}

    @property
    def may_exist(self) -> bool:
        """Created by `as_of`, or its creation pending then: only otherwise is it not there."""
        return self.state is not None or any(is_creation(fact.type) for fact in self.pending)


def is_creation(type_name: str) -> bool:
    """A type that creates a subject, of any kind defined."""
    return any(cls.creation.__name__ == type_name for cls in DEFINED.values())


def counted_facts(facts: Iterable[Fact], known_at: datetime | None, published_by: datetime | None) -> list[Fact]:
    """The facts recorded by `known_at` and, when asked, published by `published_by`."""
    known = known_facts(facts, known_at)
    return known if published_by is None else [f for f in known if is_published_by(f, published_by)]


def is_certain_by(fact: Fact, as_of: datetime) -> bool:
    latest = fact.occurred.latest
    return latest is not None and latest <= as_of


def is_possible_by(fact: Fact, as_of: datetime) -> bool:
    earliest = fact.occurred.earliest
    return not is_certain_by(fact, as_of) and (earliest is None or earliest <= as_of)


def fold(
    kind: Kind,
    facts: Iterable[Fact],
    as_of: datetime,
    known_at: datetime | None,
    *,
    sources: Iterable[str] = (),
    published_by: datetime | None = None,
) -> View:
    """The state at `as_of` as the record stood at `known_at` (None: everything recorded),
    counting only what was published by `published_by` (None: everything), with disputed
    values resolved to what `sources` gave (none: as disputed as recorded).

    Every recorded timeline folds, since each event was checked at its place. Some of its
    facts need not: published before its creation, a subject's later news leaves the rest
    impossible. A fact that cannot happen where it falls among those counted does not shape
    the state (it did not happen as far as those facts tell).
    """
    folding = subject_class(kind)
    counted = counted_facts(facts, known_at, published_by)
    active = active_facts(counted)
    state: State | None = None
    applied = []
    for fact in in_valid_time_order(f for f in active if is_certain_by(f, as_of)):
        try:
            state = folding.evolve(state, fact)
        except RuleBroken:
            continue
        applied.append(fact)
    pending = in_valid_time_order(f for f in active if is_possible_by(f, as_of))
    version = max((f.version for f in counted), default=0)
    return viewed(folding, state, version, pending, as_of, sources, applied)


def viewed(
    kind: Kind,
    state: State | None,
    version: int,
    pending: list[Fact],
    as_of: datetime,
    sources: Iterable[str] = (),
    applied: list[Fact] | None = None,
) -> View:
    """A folded state read at `as_of` according to `sources`: every field shown, resolved, and dated."""
    state = with_every_field(kind, state) if state is not None else None
    state, resolved = according_to(state, name_keys(sources))
    overdue = is_overdue(kind, state, [f.type for f in pending], as_of) if is_expectation(kind) else None
    return View(state=state, version=version, pending=pending, applied=applied or [], resolved=resolved, overdue=overdue)


def with_every_field(kind: Kind, state: State) -> State:
    """The state with every field its kind shows, null where nothing has set it yet.

    Filled when read, so states folded and stored before a field existed show it too."""
    missing = [name for name in subject_class(kind).state_fields if name not in state]
    return {**state, **dict.fromkeys(missing)} if missing else state


def evolve(kind: Kind, state: State | None, fact: Fact) -> State:
    """One fact applied to a state; raises RuleBroken when the fact cannot happen here."""
    return subject_class(kind).evolve(state, fact)
