"""Sample facts of a kind, drawn at random so that each passes the kind's rules in the order made.

A kind may declare a `Sample` of its own (`Subject.sample`): how a subject of it is created and
how it changes, in facts that look like real use. Whatever generates records (the benchmark's
workload) takes every kind from the catalog and asks its sample, so a kind declared with none is
still generated: created by its creation example, then only statements and retractions, which
every kind accepts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parley.domain.subject import Subject

Drawn = tuple[str, dict[str, Any]]  # an event's type and its data


@dataclass(frozen=True)
class Pool:
    """What samples draw from: names of people, places and topics, and a day's date as written."""

    people: tuple[str, ...]
    places: tuple[str, ...]
    topics: tuple[str, ...]
    day_text: Callable[[int], str]


class Sample:
    """One subject's sample facts of a kind with no sample of its own: its creation example."""

    def __init__(self, kind: type[Subject], slug: str, rng: random.Random, pool: Pool):
        self.kind, self.slug, self.rng, self.pool = kind, slug, rng, pool
        self.concluded = False  # a concluded subject (held, completed, cancelled) changes no more
        # Facts of other subjects of its kind that the change just drawn needs recorded first (the
        # record a person is merged into): (slug, type, data), each creating its subject.
        self.before: list[tuple[str, str, dict[str, Any]]] = []

    def created(self, day: int) -> Drawn:
        """The event that creates the subject, around `day`."""
        example = self.kind.creation.example or {"data": {}}
        return self.kind.creation.__name__, dict(example["data"])

    def changed(self, day: int, last: bool) -> Drawn | None:
        """A change of the subject around `day` (`last`: among its last events); None if it has none."""
        return None

    def items_story(self, items: int, events: int) -> list[Drawn]:
        """For a kind with item lists (SPEC §12's points): its creation, then `events` events of its
        items, the first `items` of them adding one each, with a revision now and then; in order,
        each passing the rules. Empty for a kind without."""
        return []


def heads_replaced(subjects: int) -> list[dict[str, Any]]:
    """A page's worth of delegations (scripts/bench/state_queries.py): each formed, its head
    replaced and a statement of its new head, three events a subject, named by the domain."""
    made: list[dict[str, Any]] = []
    for i in range(subjects):
        subject = f"delegation/d{i:05d}"
        made += [
            {
                "type": "DelegationFormed",
                "subject": subject,
                "occurred": "2025-11-20",
                "data": {"party": f"Party {i}", "head": "Andriy Yermak", "members": [{"name": "Andriy Yermak"}]},
            },
            {
                "type": "DelegationHeadReplaced",
                "subject": subject,
                "occurred": "2025-11-29",
                "data": {"new_head": "Rustem Umerov"},
            },
            {
                "type": "StatementRecorded",
                "subject": subject,
                "occurred": "2025-11-30",
                "data": {"speaker": "Rustem Umerov", "quote": f"statement {i}"},
            },
        ]
    return made
