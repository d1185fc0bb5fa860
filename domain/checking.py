"""Whether a subject's timeline can happen: every fact, in valid-time order, where it falls.

A subject checks each fact it records here (`Subject.open`, `Subject.record`), passing its own
class, whose `evolve` folds one fact and whose event types carry the rules checked on new ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from parley.domain.errors import RuleBroken
from parley.domain.facts import RETRACTION, STATEMENT, Fact, State, active_facts, in_valid_time_order

if TYPE_CHECKING:  # the subject passes its class in; nothing here is imported from it when run
    from parley.domain.register import Who
    from parley.domain.subject import Subject

Key = tuple[bool, datetime | None, int]  # Fact.valid_time_key


@dataclass(frozen=True)
class Checked:
    """A timeline that folded without breaking a rule: the state the rules saw after every
    active fact, and the valid-time keys of the first and last of them (None when no fact is
    active). The first is the creation: a timeline that folds starts with one."""

    state: State | None
    first: Key | None
    last: Key | None


def check_timeline(subject_class: type[Subject], facts: Sequence[Fact], candidate: Fact, register: Who | None = None) -> Checked:
    """Refuse `candidate` unless every fact, in valid-time order, can happen where it is.

    `register` is who is who as the write is decided (SPEC §11): the rules that compare people
    (`register_checks`) are checked on the candidate alone, at its place, so a register change
    never blocks a later write.

    Statements are not sorted with the rest: no rule reads them, so all a statement needs is
    to come after the first fact, and only the earliest one can fail that.

    A stored fact that a rule added since its recording refuses (its type's `checks`) is let
    be: it folds as it always did and blocks nothing. Such facts are looked for only when a
    stored fact fails a check, which a store written under today's rules never does.
    """
    if candidate.type == RETRACTION:
        check_retraction(facts, candidate)
    try:
        return _checked(subject_class, facts, candidate, frozenset(), register)
    except _StoredFactFails as failure:
        exempt = _failing_checks(subject_class, [f for f in facts if f is not candidate])
        if failure.fact.event_id not in exempt:
            raise placed(failure.broken, candidate, failure.fact) from None
    try:
        return _checked(subject_class, facts, candidate, exempt, register)
    except _StoredFactFails as failure:
        raise placed(failure.broken, candidate, failure.fact) from None


class _StoredFactFails(Exception):
    """A fact other than the candidate failed a check: refused, unless it always did."""

    def __init__(self, broken: RuleBroken, fact: Fact):
        self.broken, self.fact = broken, fact


def _checked(
    subject_class: type[Subject], facts: Sequence[Fact], candidate: Fact, exempt: frozenset[str], register: Who | None
) -> Checked:
    active = active_facts(facts)
    ordered = in_valid_time_order(f for f in active if f.type != STATEMENT)
    said = [f for f in active if f.type == STATEMENT]
    earliest_said = min(said, key=Fact.valid_time_key) if said else None
    if earliest_said is not None and (not ordered or earliest_said.valid_time_key() < ordered[0].valid_time_key()):
        try:  # the whole fold would meet this statement first, on no state
            subject_class.evolve(None, earliest_said)
        except RuleBroken as broken:
            raise placed(broken, candidate, earliest_said) from None
    state: State | None = None
    for fact in ordered:
        try:
            after = subject_class.evolve(state, fact)
        except RuleBroken as broken:
            raise placed(broken, candidate, fact) from None
        if fact.event_id not in exempt:
            try:
                run_checks(subject_class, state, fact, register if fact is candidate else None)
            except RuleBroken as broken:
                if fact is candidate:
                    raise
                raise _StoredFactFails(broken, fact) from None
        state = after
    ends = [*ordered[:1], *ordered[-1:]] + ([earliest_said, max(said, key=Fact.valid_time_key)] if earliest_said else [])
    keys = [fact.valid_time_key() for fact in ends]
    return Checked(state, min(keys, default=None), max(keys, default=None))


def _failing_checks(subject_class: type[Subject], facts: Sequence[Fact]) -> frozenset[str]:
    """The facts of a stored timeline that fail a check where they stand: recorded before it existed."""
    failing: set[str] = set()
    state: State | None = None
    for fact in in_valid_time_order(f for f in active_facts(facts) if f.type != STATEMENT):
        try:
            run_checks(subject_class, state, fact)
        except RuleBroken:
            failing.add(fact.event_id)
        state = subject_class.evolve(state, fact)
    return frozenset(failing)


def run_checks(subject_class: type[Subject], state: State | None, fact: Fact, register: Who | None = None) -> None:
    """The rules checked on a new fact before it is folded: those added or tightened since
    facts were first recorded, which stored facts need not meet (SPEC §6); and, given the
    register as the write is decided, those that compare people (SPEC §11)."""
    event_type = subject_class.event_types[fact.type]
    for check in event_type.checks:
        check(state, fact)
    if register is not None:
        for register_check in event_type.register_checks:
            register_check(state, fact, register)


def ruled(subject_class: type[Subject], state: State | None, fact: Fact, register: Who | None = None) -> State:
    """`evolve` as the rules see it: a statement needs its subject to exist, and nothing else.

    No rule reads a subject's statements, so the check leaves them out of the state rather
    than copy the growing list at every statement (which made a long timeline's check
    quadratic).
    """
    if fact.type == STATEMENT and state is not None:
        return state
    after = subject_class.evolve(state, fact)
    run_checks(subject_class, state, fact, register)
    return after


def check_added(subject_class: type[Subject], checked: Checked, candidate: Fact, register: Who | None = None) -> Checked | None:
    """The same check as `check_timeline`, when the checked timeline decides it alone.

    Most events are recorded in valid-time order: folding the checked timeline again would
    only reach the state `checked` holds, so the candidate alone is folded onto it. A
    statement, wherever it falls, changes no rule's state, so it only has to come after the
    creation. None when neither holds (a retraction, or a backdated fact) and the whole
    timeline must be folded.
    """
    key = candidate.valid_time_key()
    if candidate.type == STATEMENT:
        if checked.first is None or key < checked.first:
            subject_class.evolve(None, candidate)  # refuses it exactly as the whole fold would
        return Checked(checked.state, checked.first, max(key, checked.last or key))
    if candidate.type == RETRACTION or (checked.last is not None and key <= checked.last):
        return None
    return Checked(ruled(subject_class, checked.state, candidate, register), checked.first or key, key)


def placed(broken: RuleBroken, candidate: Fact, failing: Fact) -> RuleBroken:
    """The refusal of `candidate` when another fact, `failing`, is what it would make impossible."""
    if failing is candidate:
        return broken
    other = f"{failing.type} {failing.event_id} (occurred {failing.occurred})"
    if candidate.type == RETRACTION:
        why = f"retracting {candidate.data['event_id']} would leave {other} impossible; retract {failing.event_id} first"
    else:
        later = "later" if failing.valid_time_key() > candidate.valid_time_key() else "earlier"
        why = f"at its place on the timeline ({candidate.occurred}) this event would make the {later} {other} impossible"
    collides_with = {"event_id": failing.event_id, "type": failing.type, "occurred": failing.occurred.text}
    # Its place on the timeline is what collides, unless it retracts: then which event it names.
    field = "data.event_id" if candidate.type == RETRACTION else "occurred"
    return RuleBroken(broken.rule, f"{why}: {broken.message}", collides_with=collides_with, field=field)


def check_retraction(facts: Sequence[Fact], candidate: Fact) -> None:
    target_id = candidate.data["event_id"]
    target = next((f for f in facts if f.event_id == target_id), None)
    if target is None:
        raise RuleBroken("retract-known-event", f"{target_id} is not an event of {candidate.subject}")
    if target.type == RETRACTION:
        raise RuleBroken("retraction-final", "a retraction cannot be retracted")
    earlier = [f for f in facts if f is not candidate and f.type == RETRACTION]
    if any(f.data["event_id"] == target_id for f in earlier):
        raise RuleBroken("retract-once", f"{target_id} was already retracted")
    # SPEC §14: a retraction obeys creation-first as a statement does, and comes after what it retracts.
    before = [f for f in facts if f is not candidate]
    standing = in_valid_time_order(f for f in active_facts(before) if f.type != STATEMENT)
    if standing and candidate.valid_time_key() < standing[0].valid_time_key():
        raise RuleBroken(
            "creation-first",
            f"{candidate.subject} does not exist at {candidate.occurred}: it was created "
            f"{standing[0].occurred}, and a retraction comes after that",
            field="occurred",
        )
    latest, earliest = candidate.occurred.latest, target.occurred.earliest
    if latest is not None and earliest is not None and latest < earliest:
        raise RuleBroken(
            "retraction-after-event",
            f"a retraction occurred {candidate.occurred} cannot withdraw "
            f"{target.type} {target_id}, which occurred {target.occurred}, after it",
        )
