"""Each event type is declared once, as a class nested in its kind, and keeps the topic its stored
events were written under: a store of any earlier version loads only while every topic resolves."""

from __future__ import annotations

import dataclasses

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from parley.domain.catalog import SUBJECT_CLASSES, subject_class
from parley.domain.errors import UnknownEventType
from parley.domain.subject import FactRecorded

STORED_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "subject",
    "event_id",
    "occurred",
    "sources",
    "data",
    "note",
    "recorded_by",
}


@pytest.mark.parametrize("cls", SUBJECT_CLASSES, ids=lambda cls: cls.kind)
def test_each_type_is_a_class_of_its_kind_under_the_topic_stores_name(cls) -> None:
    module = cls.__module__.removeprefix("parley.domain.")
    assert list(cls.event_types)[-2:] == ["StatementRecorded", "EventRetracted"]
    for name, event_type in cls.event_types.items():
        topic = get_topic(event_type)
        assert topic == f"parley.domain.{module}:{cls.__name__}.{name}"
        assert resolve_topic(topic) is event_type is getattr(cls, name)
        assert cls.data_models[name] is event_type.data_model


def test_what_a_type_declares_besides_its_fields_is_never_stored() -> None:
    for cls in SUBJECT_CLASSES:
        for event_type in cls.event_types.values():
            fields = {field.name for field in dataclasses.fields(event_type)} - {"originator_topic"}
            assert fields == STORED_FIELDS, event_type


def test_a_kind_accepts_only_its_own_types_and_those_of_every_kind() -> None:
    with pytest.raises(UnknownEventType):
        subject_class("delegation").event_class("PlanProposed")
    assert subject_class("plan").event_class("StatementRecorded") is not subject_class("trip").StatementRecorded
    assert all(issubclass(t, FactRecorded) for cls in SUBJECT_CLASSES for t in cls.event_types.values())
