"""The reference fold: a subject's facts to its state at a valid time and a system time.

This is the definition of what Parley answers (SPEC §4); projections are tested against
it. It is pure: facts in, state out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.errors import RuleBroken
from domain.facts import RETRACTION, STATEMENT, Fact
from domain.catalog import subject_class as subject_class_of
from domain.subject import State


@dataclass
class View:
    """What the record says of one subject at (`as_of`, `known_at`)."""

    state: State | None
    version: int
    pending: list[Fact] = field(default_factory=list)
    applied: list[Fact] = field(default_factory=list)


def known_facts(facts: Iterable[Fact], known_at: datetime | None) -> list[Fact]:
    return [f for f in facts if known_at is None or f.recorded_at <= known_at]


def active_facts(known: Sequence[Fact]) -> list[Fact]:
    """Facts that shape state: not retractions, and not withdrawn by a known retraction."""
    withdrawn = {f.data["event_id"] for f in known if f.type == RETRACTION}
    return [f for f in known if f.type != RETRACTION and f.event_id not in withdrawn]


def in_valid_time_order(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=Fact.valid_time_key)


def is_certain_by(fact: Fact, as_of: datetime) -> bool:
    latest = fact.occurred.latest
    return latest is not None and latest <= as_of


def is_possible_by(fact: Fact, as_of: datetime) -> bool:
    earliest = fact.occurred.earliest
    return not is_certain_by(fact, as_of) and (earliest is None or earliest <= as_of)


def fold(kind: str, facts: Iterable[Fact], as_of: datetime, known_at: datetime | None) -> View:
    """The state at `as_of` as the record stood at `known_at` (None: everything recorded)."""
    known = known_facts(facts, known_at)
    active = active_facts(known)
    applied = in_valid_time_order(f for f in active if is_certain_by(f, as_of))
    state: State | None = None
    for fact in applied:
        state = evolve(kind, state, fact)
    pending = in_valid_time_order(f for f in active if is_possible_by(f, as_of))
    version = max((f.version for f in known), default=0)
    return View(state=state, version=version, pending=pending, applied=applied)


def evolve(kind: str, state: State | None, fact: Fact) -> State:
    """One fact applied to a state; raises RuleBroken when the fact cannot happen here."""
    subject_class = subject_class_of(kind)
    if state is None:
        if fact.type != subject_class.creation.__name__:
            raise RuleBroken(
                "creation-first",
                f"{fact.subject} does not exist at {fact.occurred}: "
                f"its first event must be {subject_class.creation.__name__}",
            )
        return subject_class.evolvers[fact.type]({"statements": []}, fact)
    if fact.type == subject_class.creation.__name__:
        raise RuleBroken("created-once", f"{fact.subject} was already created before {fact.occurred}")
    if fact.type == STATEMENT:
        return {**state, "statements": [*state["statements"], statement_of(fact)]}
    return subject_class.evolvers[fact.type](state, fact)


def statement_of(fact: Fact) -> dict[str, Any]:
    return {
        "speaker": fact.data["speaker"],
        "role": fact.data.get("role"),
        "quote": fact.data["quote"],
        "occurred": fact.occurred.text,
    }


def check_timeline(kind: str, facts: Sequence[Fact], candidate: Fact) -> None:
    """Refuse `candidate` unless every fact, in valid-time order, can happen where it is."""
    if candidate.type == RETRACTION:
        _check_retraction(facts, candidate)
    state: State | None = None
    for fact in in_valid_time_order(active_facts(facts)):
        try:
            state = evolve(kind, state, fact)
        except RuleBroken as broken:
            raise _placed(broken, candidate, fact) from None


def _placed(broken: RuleBroken, candidate: Fact, failing: Fact) -> RuleBroken:
    if failing is candidate:
        return broken
    if candidate.type == RETRACTION:
        why = f"retracting {candidate.data['event_id']} would leave the timeline impossible"
    else:
        why = f"at its place on the timeline ({candidate.occurred}) this event would make a later one impossible"
    return RuleBroken(broken.rule, f"{why}: {broken.message}")


def _check_retraction(facts: Sequence[Fact], candidate: Fact) -> None:
    target_id = candidate.data["event_id"]
    target = next((f for f in facts if f.event_id == target_id), None)
    if target is None:
        raise RuleBroken(
            "retract-known-event", f"{target_id} is not an event of {candidate.subject}"
        )
    if target.type == RETRACTION:
        raise RuleBroken("retraction-final", "a retraction cannot be retracted")
    earlier = [f for f in facts if f is not candidate and f.type == RETRACTION]
    if any(f.data["event_id"] == target_id for f in earlier):
        raise RuleBroken("retract-once", f"{target_id} was already retracted")
