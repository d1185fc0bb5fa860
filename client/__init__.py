"""A client for scripts and notebooks: `Client(base_url, token=...)` (SPEC §7).

Answers come back as the same pydantic models the API serves (`parley.domain.answers`), so a
script gets typed objects: `client.state("kind/slug", as_of="2025-11-30").state`, one model per
kind, told apart by its `kind` (`STATE_MODELS`); `client.catalog()` lists the kinds the service declares.
"""

from parley.client.client import Client, ParleyError
from parley.domain.answers import (
    ChangesPage,
    Compared,
    Comparison,
    EventOut,
    EventPage,
    FieldChange,
    History,
    Holders,
    Mentions,
    Receipt,
    Redaction,
    SubjectChanges,
    SubjectPage,
    SubjectState,
    any_state,
    typed_state,
)
from parley.domain.catalog import BUILT_IN
from parley.domain.shown import Statement

AnyState = any_state(BUILT_IN)
STATE_MODELS = {cls.kind: typed_state(cls) for cls in BUILT_IN.classes}

__all__ = [
    "AnyState",
    "ChangesPage",
    "Client",
    "Compared",
    "Comparison",
    "EventOut",
    "EventPage",
    "FieldChange",
    "History",
    "Holders",
    "Mentions",
    "ParleyError",
    "Receipt",
    "Redaction",
    "STATE_MODELS",
    "Statement",
    "SubjectChanges",
    "SubjectPage",
    "SubjectState",
]
