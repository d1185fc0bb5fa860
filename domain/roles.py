"""The places other subjects give a person at a date (SPEC §11's `roles`), computed when read.

A kind whose states place people declares `role_fields`: the path of each place in its state
and the role it is (`{"head": "head", "members[].name": "member"}`). A subject's facts are folded
as its state is, and at each fact the names in those places are matched to people through the
register as known at `known_at`; a person holds a role from the fact that put them there
(`since`: its `occurred` as written) while every later state keeps them there. A disputed value
places nobody for certain, so it gives no role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from parley.domain.errors import RuleBroken
from parley.domain.facts import STATEMENT, Fact, State, active_facts, in_valid_time_order, known_facts
from parley.domain.register import names_in

if TYPE_CHECKING:
    from parley.domain.subject import Subject

Role = dict[str, str]  # {"subject", "role", "since"}


def roles_in(
    kind: type[Subject], facts: Iterable[Fact], as_of: datetime, known_at: datetime | None, person_of: Callable[[str], str | None]
) -> dict[str, list[Role]]:
    """Each person's roles in one subject at `as_of` as known at `known_at`, by person."""
    places = kind.role_fields
    held: dict[tuple[str, str], str] = {}  # (person, role) -> since
    state: State | None = None
    subject = ""
    for fact in in_valid_time_order(
        f
        for f in active_facts(known_facts(facts, known_at))
        if f.type != STATEMENT and f.occurred.latest is not None and f.occurred.latest <= as_of
    ):
        try:
            state = kind.evolve(state, fact)
        except RuleBroken:
            continue  # as the reference fold: a fact that cannot happen here shapes nothing
        subject = fact.subject
        now = {
            (person, role)
            for path, role in places.items()
            for name in names_in(state, [path], disputed=False)
            if (person := person_of(name)) is not None
        }
        held = {place: held.get(place, fact.occurred.text) for place in now}
    roles: dict[str, list[Role]] = {}
    for (person, role), since in held.items():
        roles.setdefault(person, []).append({"subject": subject, "role": role, "since": since})
    return roles
