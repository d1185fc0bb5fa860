"""What one event changed: its subject's state just before and just after the event's latest
instant, as the record stood when the event was recorded (SPEC §7, `parley replay`).

"Before" folds the subject's facts recorded before the event; "after" folds them with the
event. Both are taken at the event's latest instant, so facts of the same instant recorded
earlier are in both, and the difference is this event's alone. An event with an open latest
end never certainly happened: both are taken at the end of time, and it changes nothing.

Statements are left out of the states, as the projection leaves them out of its stored ones:
a subject's list of statements only grows, and copying it at every statement would make a
replay quadratic. A statement's change is the statement itself, said or withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from parley.domain.catalog import UndeclaredKind, subject_class
from parley.domain.facts import FAR_FUTURE, RETRACTION, STATEMENT, Fact, State, active_facts, statement_of
from parley.domain.items import ItemList, item_changes
from parley.domain.subjects import SubjectId
from parley.domain.timeline import evolve, fold, is_certain_by

Order = Literal["recorded", "valid"]
Key = tuple[bool, datetime | None, int]


@dataclass(frozen=True)
class Step:
    fact: Fact
    as_of: datetime | None  # None: an open end, taken at the end of time
    before: State | None  # without statements
    after: State | None
    said: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: list[dict[str, Any]] = field(default_factory=list)

    def changes(self) -> list[dict[str, Any]]:
        """Each field that differs, in the state's order; for `statements`, the statements
        withdrawn (before) and said (after), not the whole list."""
        old, new = self.before or {}, self.after or {}
        names = [*new, *(name for name in old if name not in new)]
        lists = _item_lists(self.fact.subject)
        changed = []
        for name in names:
            if name == "statements" or old.get(name) == new.get(name):
                continue
            if name in lists:  # item by item, field by field (SPEC §12: points.<key>.text)
                changed += item_changes(name, old.get(name), new.get(name), lists[name].key)
            else:
                changed.append({"field": name, "before": old.get(name), "after": new.get(name)})
        if self.said or self.withdrawn:
            changed.append({"field": "statements", "before": self.withdrawn, "after": self.said})
        return changed


@dataclass
class SubjectReplay:
    """One subject's running fold, so that an event recorded in valid-time order (the usual
    case) costs one `evolve`, not a fold of the whole subject.

    `state` folds the facts already replayed (those recorded before the event in recorded
    order, those certain earlier in valid order), statements aside. While no retraction is
    among the facts recorded before the event, and every replayed fact is both recorded and
    certain before it, `state` is exactly the state before it. Otherwise the subject's facts
    are asked for (`facts`: its known facts up to at least the event, in version order) and
    folded; the running fold holds no facts, so a replay can keep many subjects.
    """

    kind: str
    order: Order = "recorded"
    stale: bool = True  # `state` does not yet fold what was replayed: the next step refolds
    state: State | None = None
    done_version: int = 0
    done_key: Key | None = None
    first_retraction: int | None = None  # the version of the subject's first known retraction

    def step(self, fact: Fact, facts: Callable[[], Sequence[Fact]]) -> Step:
        latest = fact.occurred.latest
        key = fact.valid_time_key()
        in_order = self.done_version < fact.version and (self.done_key is None or self.done_key < key)
        unretracted = fact.type != RETRACTION and (self.first_retraction is None or self.first_retraction > fact.version)
        if latest is not None and in_order and unretracted and not self.stale:
            if fact.type == STATEMENT:
                return Step(fact, latest, self.state, self.state, said=[statement_of(fact)])
            before, after = self.state, evolve(self.kind, self.state, fact)
            self.state, self.done_version, self.done_key = after, fact.version, key
            return Step(fact, latest, before, after)
        known = facts()
        step = _folded(self.kind, [f for f in known if f.version < fact.version], fact)
        if fact.type != STATEMENT or self.stale:
            self._redo(fact, known)
        return step

    def _redo(self, fact: Fact, known: Sequence[Fact]) -> None:
        """Fold the replayed facts again, after an event the running fold could not take."""
        if self.order == "recorded":
            done = [f for f in known if f.version <= fact.version]
        else:
            done = [f for f in known if f.valid_time_key() <= fact.valid_time_key()]
        view = fold(self.kind, _unsaid(done), FAR_FUTURE, None)
        self.state, self.stale = view.state, False
        self.done_version = max((f.version for f in done if f.type != STATEMENT), default=0)
        self.done_key = max((f.valid_time_key() for f in view.applied), default=None)
        retractions = [f.version for f in known if f.type == RETRACTION]
        self.first_retraction = min(retractions, default=None)


def _item_lists(subject: str) -> dict[str, ItemList]:
    try:
        return subject_class(SubjectId.parse(subject).kind).item_lists
    except UndeclaredKind:
        return {}


def _folded(kind: str, earlier: list[Fact], fact: Fact) -> Step:
    """The step from the subject's facts recorded before the event, folded whole."""
    as_of = fact.occurred.latest or FAR_FUTURE
    before = _fold(kind, earlier, as_of)
    after = _fold(kind, [*earlier, fact], as_of)
    said = [statement_of(fact)] if fact.type == STATEMENT and is_certain_by(fact, as_of) else []
    withdrawn = []
    if fact.type == RETRACTION:
        active = {f.event_id for f in active_facts(earlier)}
        withdrawn = [
            statement_of(f)
            for f in earlier
            if f.event_id == fact.data["event_id"] and f.type == STATEMENT and f.event_id in active and is_certain_by(f, as_of)
        ]
    return Step(fact, fact.occurred.latest, before, after, said, withdrawn)


def _fold(kind: str, facts: list[Fact], as_of: datetime) -> State | None:
    return fold(kind, _unsaid(facts), as_of, None).state


def _unsaid(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.type != STATEMENT]
