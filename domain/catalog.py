"""The event catalog (SPEC §2): every kind, its aggregate, and the data each type takes."""

from __future__ import annotations

from pydantic import BaseModel

from parley.domain.delegation import Delegation
from parley.domain.meeting import Meeting
from parley.domain.plan import Plan
from parley.domain.subject import KIND_CLASSES, Subject
from parley.domain.trip import Trip

SUBJECT_CLASSES: tuple[type[Subject], ...] = (Delegation, Plan, Meeting, Trip)


def subject_class(kind: str) -> type[Subject]:
    return KIND_CLASSES[kind]


def data_model(kind: str, type_name: str) -> type[BaseModel]:
    subject_class(kind).event_class(type_name)
    return subject_class(kind).data_models[type_name]


def kind_of_type(type_name: str) -> str | None:
    """The kind a kind-specific type belongs to; None for types every kind accepts."""
    owners = [c.kind for c in SUBJECT_CLASSES if type_name in c.data_models]
    return owners[0] if len(owners) == 1 else None


ALL_TYPES: tuple[str, ...] = tuple(dict.fromkeys(t for c in SUBJECT_CLASSES for t in c.data_models))
