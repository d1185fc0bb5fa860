"""The reference fold: a subject's facts to its state at a valid time and a system time.

This is the definition of what Parley answers (SPEC §4); projections are tested against
it. It is pure: facts in, state out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parley.domain.catalog import SUBJECT_CLASSES
from parley.domain.catalog import subject_class as subject_class_of
from parley.domain.errors import RuleBroken
from parley.domain.expectations import is_expectation, is_overdue
from parley.domain.facts import RETRACTION, STATEMENT, Fact
from parley.domain.outlets import according_to, is_published_by, name_keys
from parley.domain.subject import State

CREATIONS = frozenset(cls.creation.__name__ for cls in SUBJECT_CLASSES)


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
        return self.state is not None or any(fact.type in CREATIONS for fact in self.pending)


def known_facts(facts: Iterable[Fact], known_at: datetime | None) -> list[Fact]:
    return [f for f in facts if known_at is None or f.recorded_at <= known_at]


def counted_facts(facts: Iterable[Fact], known_at: datetime | None, published_by: datetime | None) -> list[Fact]:
    """The facts recorded by `known_at` and, when asked, published by `published_by`."""
    known = known_facts(facts, known_at)
    return known if published_by is None else [f for f in known if is_published_by(f, published_by)]


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


def fold(
    kind: str, facts: Iterable[Fact], as_of: datetime, known_at: datetime | None, *,
    sources: Iterable[str] = (), published_by: datetime | None = None,
) -> View:
    """The state at `as_of` as the record stood at `known_at` (None: everything recorded),
    counting only what was published by `published_by` (None: everything), with disputed
    values resolved to what `sources` gave (none: as disputed as recorded).

    Every recorded timeline folds, since each event was checked at its place. Some of its
    facts need not: published before its creation, a subject's later news leaves the rest
    impossible. A fact that cannot happen where it falls among those counted does not shape
    the state (it did not happen as far as those facts tell).
    """
    counted = counted_facts(facts, known_at, published_by)
    active = active_facts(counted)
    state: State | None = None
    applied = []
    for fact in in_valid_time_order(f for f in active if is_certain_by(f, as_of)):
        try:
            state = evolve(kind, state, fact)
        except RuleBroken:
            continue
        applied.append(fact)
    pending = in_valid_time_order(f for f in active if is_possible_by(f, as_of))
    version = max((f.version for f in counted), default=0)
    return viewed(kind, state, version, pending, as_of, sources, applied)


def viewed(
    kind: str, state: State | None, version: int, pending: list[Fact], as_of: datetime,
    sources: Iterable[str] = (), applied: list[Fact] | None = None,
) -> View:
    """A folded state read at `as_of` according to `sources`: every field shown, resolved, and dated."""
    state = with_every_field(kind, state) if state is not None else None
    state, resolved = according_to(state, name_keys(sources))
    overdue = is_overdue(kind, state, [f.type for f in pending], as_of) if is_expectation(kind) else None
    return View(state=state, version=version, pending=pending, applied=applied or [], resolved=resolved,
                overdue=overdue)


def with_every_field(kind: str, state: State) -> State:
    """The state with every field its kind shows, null where nothing has set it yet.

    Filled when read, so states folded and stored before a field existed show it too."""
    missing = [name for name in subject_class_of(kind).state_fields if name not in state]
    return {**state, **dict.fromkeys(missing)} if missing else state


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
    return statement(fact.data, fact.occurred.text)


def statement(data: dict[str, Any], occurred: str) -> dict[str, Any]:
    """A statement as the state lists it, from a `StatementRecorded`'s data and valid time."""
    return {"speaker": data["speaker"], "role": data.get("role"), "quote": data["quote"], "occurred": occurred}


Key = tuple[bool, datetime, int]


@dataclass(frozen=True)
class Checked:
    """A timeline that folded without breaking a rule: the state the rules saw after every
    active fact, and the valid-time keys of the first and last of them (None when no fact is
    active). The first is the creation: a timeline that folds starts with one."""

    state: State | None
    first: Key | None
    last: Key | None


def check_timeline(kind: str, facts: Sequence[Fact], candidate: Fact) -> Checked:
    """Refuse `candidate` unless every fact, in valid-time order, can happen where it is.

    Statements are not sorted with the rest: no rule reads them, so all a statement needs is
    to come after the first fact, and only the earliest one can fail that.

    A stored fact that a rule added since its recording refuses (`Subject.checks`) is let
    be: it folds as it always did and blocks nothing. Such facts are looked for only when a
    stored fact fails a check, which a store written under today's rules never does.
    """
    if candidate.type == RETRACTION:
        _check_retraction(facts, candidate)
    try:
        return _checked(kind, facts, candidate, frozenset())
    except _StoredFactFails as failure:
        exempt = _failing_checks(kind, [f for f in facts if f is not candidate])
        if failure.fact.event_id not in exempt:
            raise _placed(failure.broken, candidate, failure.fact) from None
    try:
        return _checked(kind, facts, candidate, exempt)
    except _StoredFactFails as failure:
        raise _placed(failure.broken, candidate, failure.fact) from None


class _StoredFactFails(Exception):
    """A fact other than the candidate failed a check: refused, unless it always did."""

    def __init__(self, broken: RuleBroken, fact: Fact):
        self.broken, self.fact = broken, fact


def _checked(kind: str, facts: Sequence[Fact], candidate: Fact, exempt: frozenset[str]) -> Checked:
    active = active_facts(facts)
    ruled = in_valid_time_order(f for f in active if f.type != STATEMENT)
    said = [f for f in active if f.type == STATEMENT]
    earliest_said = min(said, key=Fact.valid_time_key) if said else None
    if earliest_said is not None and (not ruled or earliest_said.valid_time_key() < ruled[0].valid_time_key()):
        try:  # the whole fold would meet this statement first, on no state
            evolve(kind, None, earliest_said)
        except RuleBroken as broken:
            raise _placed(broken, candidate, earliest_said) from None
    state: State | None = None
    for fact in ruled:
        try:
            after = evolve(kind, state, fact)
        except RuleBroken as broken:
            raise _placed(broken, candidate, fact) from None
        if fact.event_id not in exempt:
            try:
                run_checks(kind, state, fact)
            except RuleBroken as broken:
                if fact is candidate:
                    raise
                raise _StoredFactFails(broken, fact) from None
        state = after
    ends = [*ruled[:1], *ruled[-1:]] + ([earliest_said, max(said, key=Fact.valid_time_key)] if said else [])
    keys = [fact.valid_time_key() for fact in ends]
    return Checked(state, min(keys, default=None), max(keys, default=None))


def _failing_checks(kind: str, facts: Sequence[Fact]) -> frozenset[str]:
    """The facts of a stored timeline that fail a check where they stand: recorded before it existed."""
    failing: set[str] = set()
    state: State | None = None
    for fact in in_valid_time_order(f for f in active_facts(facts) if f.type != STATEMENT):
        try:
            run_checks(kind, state, fact)
        except RuleBroken:
            failing.add(fact.event_id)
        state = evolve(kind, state, fact)
    return frozenset(failing)


def run_checks(kind: str, state: State | None, fact: Fact) -> None:
    """The rules checked on a new fact before it is folded: those added or tightened since
    facts were first recorded, which stored facts need not meet (SPEC §6)."""
    for check in subject_class_of(kind).checks.get(fact.type, ()):
        check(state, fact)


def _ruled(kind: str, state: State | None, fact: Fact) -> State:
    """`evolve` as the rules see it: a statement needs its subject to exist, and nothing else.

    No rule reads a subject's statements, so the check leaves them out of the state rather
    than copy the growing list at every statement (which made a long timeline's check
    quadratic).
    """
    if fact.type == STATEMENT and state is not None:
        return state
    after = evolve(kind, state, fact)
    run_checks(kind, state, fact)
    return after


def check_added(kind: str, checked: Checked, candidate: Fact) -> Checked | None:
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
            evolve(kind, None, candidate)  # refuses it exactly as the whole fold would
        return Checked(checked.state, checked.first, max(key, checked.last or key))
    if candidate.type == RETRACTION or (checked.last is not None and key <= checked.last):
        return None
    return Checked(_ruled(kind, checked.state, candidate), checked.first or key, key)


def _placed(broken: RuleBroken, candidate: Fact, failing: Fact) -> RuleBroken:
    """The refusal of `candidate` when another fact, `failing`, is what it would make impossible."""
    if failing is candidate:
        return broken
    other = f"{failing.type} {failing.event_id} (occurred {failing.occurred})"
    if candidate.type == RETRACTION:
        why = (f"retracting {candidate.data['event_id']} would leave {other} impossible; "
               f"retract {failing.event_id} first")
    else:
        later = "later" if failing.valid_time_key() > candidate.valid_time_key() else "earlier"
        why = f"at its place on the timeline ({candidate.occurred}) this event would make the {later} {other} impossible"
    collides_with = {"event_id": failing.event_id, "type": failing.type, "occurred": failing.occurred.text}
    return RuleBroken(broken.rule, f"{why}: {broken.message}", collides_with=collides_with)


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
