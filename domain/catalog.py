"""The event catalog (SPEC §2): every kind, its aggregate, and the data each type takes."""

from __future__ import annotations

from pydantic import BaseModel

from parley.domain.delegation import Delegation
from parley.domain.meeting import Meeting
from parley.domain.plan import Plan
from parley.domain.subject import Subject
from parley.domain.trip import Trip

SUBJECT_CLASSES: tuple[type[Subject], ...] = (Delegation, Plan, Meeting, Trip)
KIND_CLASSES: dict[str, type[Subject]] = {cls.kind: cls for cls in SUBJECT_CLASSES}

Kind = type[Subject] | str
"""A kind: its subject class, or its name where it comes from outside (a subject's address, a stored row)."""


def subject_class(kind: Kind) -> type[Subject]:
    return kind if isinstance(kind, type) else KIND_CLASSES[kind]


def data_model(kind: Kind, type_name: str) -> type[BaseModel]:
    return subject_class(kind).event_class(type_name).data_model


def kind_of_type(type_name: str) -> str | None:
    """The kind a kind-specific type belongs to; None for types every kind accepts."""
    owners = [c.kind for c in SUBJECT_CLASSES if type_name in c.data_models]
    return owners[0] if len(owners) == 1 else None


ALL_TYPES: tuple[str, ...] = tuple(dict.fromkeys(t for c in SUBJECT_CLASSES for t in c.data_models))
