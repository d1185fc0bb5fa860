"""A client for scripts and notebooks: `Client(base_url, token=...)` (SPEC §7).

Answers come back as the same pydantic models the API serves (`parley.api.schemas`), so a
script gets typed objects: `client.state("delegation/ukraine", as_of="2025-11-30").state.head`.
"""

from parley.api.schemas import (
    ChangesPage, EventOut, EventPage, FieldChange, History, Receipt, SubjectChanges, SubjectPage, SubjectState,
)
from parley.api.states import AnyState, DelegationState, MeetingState, PlanState, Statement, TripState
from parley.client.client import Client, ParleyError

__all__ = [
    "AnyState", "ChangesPage", "Client", "DelegationState", "EventOut", "EventPage", "FieldChange", "History",
    "MeetingState", "ParleyError", "PlanState", "Receipt", "Statement", "SubjectChanges", "SubjectPage",
    "SubjectState", "TripState",
]
