"""The store of the write path: a decision's events and their ids saved in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from parley.domain.subject import FactRecorded
from parley.service.commands import Receipt
from parley.service.deciding import Decision
from parley.service.loading import Subjects


class Store:
    def __init__(self, events: Any, subjects: Subjects):
        self.events = events  # eventsourcing's event store, whose recorder also inserts the ids and links the chain
        self.subjects = subjects  # told of each subject saved, so the next write decides on it cached
        self.stored: Callable[[Sequence[Any]], None] | None = None  # told of the events each write stores

    def save(self, decision: Decision) -> dict[str, Receipt]:
        """Store a decision's events and their ids in one transaction; the receipts by event id."""
        # The event store directly: `save` would first ask of every event whether it is an
        # aggregate (a slow Protocol check), and Parley uses none of its snapshot or notify hooks.
        recordings = self.events.put(decision.events, event_ids=decision.event_ids) if decision.events else []
        if self.stored is not None and decision.events:
            self.stored(decision.events)
        for subject in decision.subjects.values():
            if subject is not None:
                self.subjects.saved(subject)
        return {
            r.domain_event.event_id: Receipt(
                event_id=r.domain_event.event_id,
                subject=r.domain_event.subject,
                version=r.domain_event.originator_version,
                position=r.notification.id,
                recorded_at=r.domain_event.timestamp,
            )
            for r in recordings
            if isinstance(r.domain_event, FactRecorded)
        }
