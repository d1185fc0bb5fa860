"""Which values a redaction may name (SPEC §15): texts of sources, notes and data, never the names,
keys and dates the record is built on, nor the header, which is chained in the clear."""

from __future__ import annotations

import pytest

from parley.domain.catalog import subject_class
from parley.domain.redactable import NotRedactable, leaf_paths

STATEMENT = subject_class("delegation").StatementRecorded
MEETING = subject_class("meeting").MeetingHeld
CONTENT = {
    "subject": "delegation/ukraine",
    "occurred": "2025-11-23",
    "note": "a note",
    "sources": [{"name": "A", "url": "https://a.example/", "quote": "q"}, {"name": "B"}],
    "data": {"speaker": "Andriy Yermak", "quote": "we agreed"},
}


def paths(path: str, event_class: type = STATEMENT, content: dict = CONTENT) -> list[str]:
    return list(leaf_paths(content, path, event_class))


def test_texts_and_whole_sources_name_their_values() -> None:
    assert paths("data.quote") == ["data.quote"]
    assert paths("note") == ["note"]
    assert paths("sources.0") == ["sources.0.name", "sources.0.url", "sources.0.quote"]
    assert paths("sources.1") == ["sources.1.name"]
    outcome = {"disputed": [{"value": "agreed", "sources": ["A"]}, {"value": "failed", "sources": ["B"]}]}
    assert paths("data.outcome", MEETING, {**CONTENT, "data": {"outcome": outcome}}) == [
        "data.outcome.disputed.0.value",
        "data.outcome.disputed.1.value",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "occurred",
        "subject",
        "event_id",
        "recorded_by",
        "data.speaker",
        "data.nothing",
        "sources.2.name",
        "sources.0.published",
        "sources.x",
        "nowhere",
        "data",
        "data.quote.x",
    ],
)
def test_names_keys_dates_the_header_and_what_is_not_there_are_refused(path: str) -> None:
    with pytest.raises(NotRedactable) as refused:
        paths(path)
    assert refused.value.path == path and refused.value.why
