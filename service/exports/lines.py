"""One event a line: the importable JSON Lines of `parley export`, and CloudEvents 1.0 (SPEC §8)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from parley.domain.facts import Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId
from parley.service.exports import FORMAT_VERSION, version_number
from parley.service.exports.cells import instant
from parley.service.exports.tables import date_prec, occurred_precision

TYPE_PREFIX = "org.parley."


def importable(fact: Fact) -> dict[str, Any]:
    """An event as `parley import` reads it back, with its recorded time and recorder (and the
    time an import with --restamp did not keep, which importing ignores)."""
    line = {
        "event_id": fact.event_id,
        "type": fact.type,
        "subject": fact.subject,
        "occurred": fact.occurred.text,
        "sources": fact.sources,
        "data": fact.data,
        "note": fact.note,
        "recorded_at": fact.recorded_at.isoformat(),
        "recorded_by": fact.recorded_by,
    }
    if fact.imported_recorded_at is not None:
        line["imported_recorded_at"] = fact.imported_recorded_at.isoformat()
    return line


def jsonl_line(fact: Fact) -> str:
    return json.dumps(importable(fact), ensure_ascii=False, separators=(",", ":")) + "\n"


def cloud_event(position: int, fact: Fact, source: str, version: str = FORMAT_VERSION) -> dict[str, Any]:
    """A structured-mode CloudEvent: the event as recorded (a retraction is an event of its own).

    Extension names are lower-case letters and digits, and their values scalars; an open
    end's bound is left out rather than sent as null.
    """
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": fact.event_id,
        "source": source,
        "type": TYPE_PREFIX + fact.type,
        "subject": fact.subject,
        "time": instant(fact.recorded_at),
        "datacontenttype": "application/json",
        "data": {"data": fact.data, "sources": fact.sources, "note": fact.note},
        "position": position,
        "version": fact.version,
        "kind": SubjectId.parse(fact.subject).kind,
        "occurred": fact.occurred.text,
        "occurredprecision": occurred_precision(fact.occurred),
        "dateprec": date_prec(fact.occurred),
        "recordedby": fact.recorded_by,
    }
    if fact.occurred.earliest is not None:
        event["occurredearliest"] = instant(fact.occurred.earliest)
    if fact.occurred.latest is not None:
        event["occurredlatest"] = instant(fact.occurred.latest)
    if fact.digest is not None and version_number(version) >= 3:
        event["digest"] = fact.digest  # the event's link in the chain (SPEC §15), from format version 3
    return event


def cloud_event_line(position: int, fact: Fact, source: str, version: str = FORMAT_VERSION) -> str:
    return (
        json.dumps(cloud_event(position, fact, source, version), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    )


def fact_as_read(event: dict[str, Any]) -> Fact:
    """An event in the API's shape (SPEC §3) as a fact again, for the feed's CloudEvents."""

    def moment(text: str | None) -> datetime | None:
        return None if text is None else datetime.fromisoformat(text)

    return Fact(
        event_id=event["event_id"],
        subject=event["subject"],
        version=event["version"],
        type=event["type"],
        occurred=FuzzyDate(event["occurred"], moment(event["occurred_earliest"]), moment(event["occurred_latest"])),
        data=event["data"],
        sources=event["sources"],
        note=event["note"],
        recorded_at=datetime.fromisoformat(event["recorded_at"]),
        recorded_by=event["recorded_by"],
        digest=event.get("digest"),
    )
