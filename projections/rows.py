"""How a subject event is stored in the views, and read back as a fact or as the API's shape."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring, encode_basestring_ascii  # type: ignore[attr-defined]  # json's C encoder, not in its stubs
from typing import Any

from parley.domain.facts import Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.outlets import name_keys, published_at
from parley.domain.subjects import SubjectId
from parley.projections.sql import EPOCH, from_us, to_us

# `published`: when a source had certainly published the event (SPEC §9), null if never.
EVENT_COLUMNS = (
    "position, event_id, subject, kind, version, type, occurred, earliest, latest, "
    "recorded_at, recorded_by, sources, data, note, published, retracted_by, retracted_at, imported_recorded_at"
)


def with_digest(table: str) -> str:
    """An event's columns as read, with its `digest` from the chain (service/chain.py), which is
    written in the events' own transaction, in the same database as the views."""
    return f"(SELECT digest FROM event_chain WHERE event_chain.position = {table}.position) AS digest"


def _hex(digest: bytes | None) -> str | None:
    return None if digest is None else bytes(digest).hex()


@dataclass(frozen=True)
class EventRows:
    """Events as stored in `{events}`, and the names each cites as stored in `{cites}`."""

    events: list[tuple[Any, ...]]
    cites: list[tuple[str, int]]


def event_rows(events: Sequence[tuple[int, Fact]]) -> EventRows:
    """The stored rows of `events`, unretracted; a rebuild encodes them before its transaction opens."""
    return EventRows(
        [(*event_row(position, fact), None, None, to_us(fact.imported_recorded_at)) for position, fact in events],
        [row for position, fact in events for row in cited_names(position, fact)],
    )


def event_row(position: int, fact: Fact) -> tuple[Any, ...]:
    return (
        position,
        fact.event_id,
        fact.subject,
        SubjectId.parse(fact.subject).kind,
        fact.version,
        fact.type,
        fact.occurred.text,
        to_us(fact.occurred.earliest),
        to_us(fact.occurred.latest),
        to_us(fact.recorded_at),
        fact.recorded_by,
        compact_json(fact.sources),
        compact_json(fact.data),
        fact.note if type(fact.note) is not dict else REDACTED_NOTE + compact_json(fact.note),
        to_us(published_at(fact.sources, fact.recorded_at)),
    )


# `json.dumps(value, separators=(",", ":"))` without making an encoder for every value: the
# same C encoder dumps makes, made once (no circular check: values decoded from JSON have no
# cycles). Two to three times as fast (5 µs an event to 1.5); a rebuild encodes every event.
_COMPACT = c_make_encoder and c_make_encoder(
    None, json.JSONEncoder().default, encode_basestring_ascii, None, ":", ",", False, False, True
)


def compact_json(value: Any) -> str:
    """`value` as `json.dumps(value, separators=(",", ":"))` writes it."""
    if _COMPACT is None:  # an interpreter without the C accelerator
        return json.dumps(value, separators=(",", ":"))
    return "".join(_COMPACT(value, 0))


def cited_names(position: int, fact: Fact) -> list[tuple[str, int]]:
    """The event's source names as `source=` compares them, one row each, for the `cites` index."""
    names = tuple(source["name"] for source in fact.sources)
    return [
        (key, position)
        for key in _cited_keys(names if all(type(n) is str for n in names) else tuple(n for n in names if type(n) is str))
    ]  # a redacted name cites nothing


@lru_cache(maxsize=4096)
def _cited_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    """Most events cite one of a few outlets: their keys are worked out once (4 % of a rebuild)."""
    return tuple(sorted(name_keys(names)))


def fact_of(row: Any) -> Fact:
    return Fact(
        event_id=row["event_id"],
        subject=row["subject"],
        version=row["version"],
        type=row["type"],
        # The bounds were parsed from this text when the row was written; parsing again
        # would cost milliseconds for every text the parser has not cached.
        occurred=FuzzyDate(row["occurred"], from_us(row["earliest"]), from_us(row["latest"])),
        data=json.loads(row["data"]),
        sources=json.loads(row["sources"]),
        note=_note(row["note"]),
        recorded_at=from_us(row["recorded_at"]),
        recorded_by=row["recorded_by"],
        imported_recorded_at=from_us(row["imported_recorded_at"]),
    )


def event_as_read(row: Any, known_at: datetime | None = None) -> dict[str, Any]:
    """SPEC §3's one shape of an event; a retraction shows only once it is known; the time an
    import with --restamp did not keep only on the events it restamped (SPEC §14)."""
    retracted_at = row["retracted_at"]
    known = retracted_at is not None and (known_at is None or retracted_at <= to_us(known_at))
    read = {
        "event_id": row["event_id"],
        "position": row["position"],
        "subject": row["subject"],
        "version": row["version"],
        "type": row["type"],
        "occurred": row["occurred"],
        "occurred_earliest": iso(row["earliest"]),
        "occurred_latest": iso(row["latest"]),
        "recorded_at": iso(row["recorded_at"]),
        "recorded_by": row["recorded_by"],
        "sources": json.loads(row["sources"]),
        "data": json.loads(row["data"]),
        "note": _note(row["note"]),
        "retracted_by": row["retracted_by"] if known else None,
        "retracted_at": iso(retracted_at) if known else None,
        "digest": _hex(row["digest"]),
    }
    if row["imported_recorded_at"] is not None:
        read["imported_recorded_at"] = iso(row["imported_recorded_at"])
    return read


def event_json(row: Any, retraction_shown: bool = True) -> str:
    """`event_as_read(row)` as JSON text, written straight from the row: its sources and data are
    stored as JSON, and are not parsed only to be written again. A page of the log is 1,000 of these."""
    retracted_at = row["retracted_at"] if retraction_shown else None
    return "".join(
        (
            '{"event_id":',
            _text(row["event_id"]),
            ',"position":',
            str(row["position"]),
            ',"subject":',
            _text(row["subject"]),
            ',"version":',
            str(row["version"]),
            ',"type":',
            _text(row["type"]),
            ',"occurred":',
            _text(row["occurred"]),
            ',"occurred_earliest":',
            _text(iso(row["earliest"])),
            ',"occurred_latest":',
            _text(iso(row["latest"])),
            ',"recorded_at":',
            _text(iso(row["recorded_at"])),
            ',"recorded_by":',
            _text(row["recorded_by"]),
            ',"sources":',
            row["sources"],
            ',"data":',
            row["data"],
            ',"note":',
            _note_json(row["note"]),
            ',"retracted_by":',
            _text(row["retracted_by"] if retracted_at is not None else None),
            ',"retracted_at":',
            _text(iso(retracted_at)),
            ',"digest":',
            _text(_hex(row["digest"])),
            "}"
            if row["imported_recorded_at"] is None
            else f',"imported_recorded_at":{_text(iso(row["imported_recorded_at"]))}}}',
        )
    )


# A redacted note (domain/redacted.py) in the views' `note` column: its JSON after a control
# character no stored text may hold (SPEC §14), so no note is ever read as one.
REDACTED_NOTE = "\x01"


def _note(stored: str | None) -> Any:
    return json.loads(stored[1:]) if stored and stored[0] == REDACTED_NOTE else stored


def _note_json(stored: str | None) -> str:
    return stored[1:] if stored and stored[0] == REDACTED_NOTE else _text(stored)


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def iso(moment: datetime | int | None) -> str | None:
    """An instant (or stored microseconds) as the API writes it."""
    if isinstance(moment, int):
        return _iso_us(moment)
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


DAY_US = 86_400_000_000


def _iso_us(micros: int) -> str:
    """Stored microseconds as `datetime.isoformat` writes them in UTC, without making a datetime.
    Most instants are a day's first or last (the bounds of fuzzy dates): their text is kept."""
    days, rest = divmod(micros, DAY_US)
    return _day(days) + _clock(rest)


@lru_cache(maxsize=1024)
def _clock(micros: int) -> str:
    seconds, fraction = divmod(micros, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if fraction:
        return f"T{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction:06d}Z"
    return f"T{hours:02d}:{minutes:02d}:{seconds:02d}Z"


@lru_cache(maxsize=4096)
def _day(days: int) -> str:
    return (EPOCH + timedelta(days=days)).date().isoformat()
