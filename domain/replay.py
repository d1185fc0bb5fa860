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

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from parley.domain.facts import FAR_FUTURE, RETRACTION, STATEMENT, Fact
from parley.domain.subject import State
from parley.domain.timeline import active_facts, evolve, fold, is_certain_by, statement_of

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
        changed = [
            {"field": name, "before": old.get(name), "after": new.get(name)}
            for name in names
            if name != "statements" and old.get(name) != new.get(name)
        ]
        if self.said or self.withdrawn:
            changed.append({"field": "statements", "before": self.withdrawn, "after": self.said})
        return changed


@dataclass
class SubjectReplay:
    """One subject's known facts (version order) and a running fold, so that an event recorded
    in valid-time order (the usual case) costs one `evolve`, not a fold of the whole subject.

    `state` folds the facts already replayed (those recorded before the event in recorded
    order, those certain earlier in valid order), statements aside. While no retraction is
    among the facts and every one of those is both recorded and certain before the event,
    `state` is exactly the state before it.
    """

    kind: str
    facts: list[Fact]
    order: Order = "recorded"
    state: State | None = None
    done_version: int = 0
    done_key: Key | None = None
    retractions: bool = field(init=False)

    def __post_init__(self) -> None:
        self.retractions = any(f.type == RETRACTION for f in self.facts)

    @property
    def last_version(self) -> int:
        return self.facts[-1].version if self.facts else 0

    def add(self, fact: Fact) -> None:
        """A fact recorded after those known so far (recorded order)."""
        self.facts.append(fact)
        self.retractions = self.retractions or fact.type == RETRACTION

    def step(self, fact: Fact) -> Step:
        latest = fact.occurred.latest
        key = fact.valid_time_key()
        in_order = self.done_version < fact.version and (self.done_key is None or self.done_key < key)
        if latest is not None and in_order and not self.retractions:
            if fact.type == STATEMENT:
                return Step(fact, latest, self.state, self.state, said=[statement_of(fact)])
            before, after = self.state, evolve(self.kind, self.state, fact)
            self.state, self.done_version, self.done_key = after, fact.version, key
            return Step(fact, latest, before, after)
        step = self._folded(fact)
        if fact.type != STATEMENT:
            self._redo(fact)
        return step

    def _folded(self, fact: Fact) -> Step:
        earlier = [f for f in self.facts if f.version < fact.version]
        as_of = fact.occurred.latest or FAR_FUTURE
        before = _fold(self.kind, earlier, as_of)
        after = _fold(self.kind, [*earlier, fact], as_of)
        said = [statement_of(fact)] if fact.type == STATEMENT and is_certain_by(fact, as_of) else []
        withdrawn = []
        if fact.type == RETRACTION:
            active = {f.event_id for f in active_facts(earlier)}
            withdrawn = [statement_of(f) for f in earlier if f.event_id == fact.data["event_id"]
                         and f.type == STATEMENT and f.event_id in active and is_certain_by(f, as_of)]
        return Step(fact, fact.occurred.latest, before, after, said, withdrawn)

    def _redo(self, fact: Fact) -> None:
        """Fold the replayed facts again, after an event the running fold could not take."""
        if self.order == "recorded":
            done = [f for f in self.facts if f.version <= fact.version]
        else:
            done = [f for f in self.facts if f.valid_time_key() <= fact.valid_time_key()]
        view = fold(self.kind, _unsaid(done), FAR_FUTURE, None)
        self.state = view.state
        self.done_version = max((f.version for f in done if f.type != STATEMENT), default=0)
        self.done_key = max((f.valid_time_key() for f in view.applied), default=None)


def _fold(kind: str, facts: list[Fact], as_of: datetime) -> State | None:
    return fold(kind, _unsaid(facts), as_of, None).state


def _unsaid(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.type != STATEMENT]
