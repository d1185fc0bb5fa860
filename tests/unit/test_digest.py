"""The digest that makes `event_id` idempotent is taken of the same text as ever: the json
module's sorted, ASCII-escaped dump of the content (service/event_ids.py writes it with orjson)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.api.examples import EXTRA, scenario
from parley.domain.fuzzy_dates import FuzzyDate
from parley.service.commands import content
from parley.service.event_ids import canonical
from tests.examples import examples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def as_before(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()


def stored_contents() -> list[dict[str, Any]]:
    transcoder = JSONTranscoder()
    Application.register_transcodings(None, transcoder)  # type: ignore[arg-type]
    found = []
    for store in ("store-v1.sqlite", "store-v2.sqlite"):
        with sqlite3.connect(FIXTURES / store) as db:
            for topic, state in db.execute("SELECT topic, state FROM stored_events ORDER BY rowid"):
                event = transcoder.decode(state)
                if "event_id" in event and "data" in event:
                    found.append(
                        content(
                            event["subject"],
                            topic.rsplit(".", 1)[-1],
                            event["occurred"],
                            event["sources"],
                            event["data"],
                            event["note"],
                        )
                    )
    return found


def test_the_contents_of_stored_and_example_events_dump_as_before() -> None:
    contents = stored_contents()
    assert len(contents) > 50
    for event in [*scenario(), *EXTRA]:
        contents.append(
            content(event["subject"], event["type"], event["occurred"], event["sources"], event["data"], event.get("note"))
        )
    for value in contents:
        assert canonical(value) == as_before(value)


TEXTS = [
    "".join(chr(c) for c in range(0, 0x80)),
    "".join(chr(c) for c in range(0x80, 0x800)),
    'é\u0301 \u2028\u2029\ufeff\uffff \U0001f600\U0010ffff \\ " / \x7f',
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_character_is_escaped_as_before(text: str) -> None:
    value = {"note": text, text: [text, {text: 1, "a": True, "Z": None}], "é": 2**63 - 1, "e": -(2**63)}
    assert canonical(value) == as_before(value)


def test_what_is_not_json_dumps_as_before() -> None:
    value = {"at": FuzzyDate.parse("2025-11"), "id": UUID(int=7), "big": 2**64, "t": (1, "x")}
    assert canonical(value) == as_before(value)
    assert canonical({"id": UUID(int=7), "small": 1}) == as_before({"id": UUID(int=7), "small": 1})
    with pytest.raises(TypeError):
        canonical({1: "a", "b": 2})  # keys json cannot sort, refused as before


_texts = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Z", "S")), max_size=12)


@settings(max_examples=examples(60), deadline=None)
@given(
    sources=st.lists(
        st.dictionaries(st.sampled_from(["name", "url", "published", "quote"]), st.none() | _texts, min_size=1), max_size=3
    ),
    note=st.none() | _texts,
    texts=st.lists(_texts, min_size=3, max_size=3),
)
def test_the_content_of_a_validated_event_is_normalised_as_the_walk_normalises_it(sources, note, texts) -> None:
    """The unrolled path for a validated event (its data already as stored) gives the content
    the general walk gives, whatever the sources' and note's texts: digests do not move."""
    subject, type_name, occurred = texts
    data = {"party": "Ukraine", "members": [{"name": "Rustem Umerov"}]}
    walked = content(subject, type_name, occurred, sources, data, note)
    assert content(subject, type_name, occurred, sources, data, note, data_as_stored=True) == walked
    assert canonical(content(subject, type_name, occurred, sources, data, note, data_as_stored=True)) == canonical(walked)
