"""The rows of the export tables (service/exports/tables.py) that a pinned log gives: the fact
tables' in one pass over the log, then `states`, `claims`, `points` and the register's tables
folded subject by subject at the pin (domain/history.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from parley.domain.facts import Fact
from parley.domain.history import ItemSpan, has_dispute, histories
from parley.domain.outlets import according_to
from parley.domain.redacted import as_text
from parley.domain.subjects import SubjectId
from parley.domain.values import disputes
from parley.service.exports import FORMAT_VERSION
from parley.service.exports.cells import JSON
from parley.service.exports.log import PinnedLog
from parley.service.exports.tables import (
    CLAIMS,
    FACT_TABLES,
    NOT_FOLDED,
    OFFICES,
    OFFICES_FIELD,
    PEOPLE,
    POINTS,
    SOURCES,
    STATES,
    Row,
    Table,
)


def state_rows(
    log: PinnedLog, progress: Callable[[int], None] | None = None, streams: Iterable[tuple[str, UUID, int]] | None = None
) -> Iterator[tuple[Table, Row]]:
    """Each subject's fields over valid time, folded from its facts at the pin, and the claims of
    its disputed values; `streams` (each subject's stream and last version at the pin, in subject
    order) when already known. With the pin's `published_by`, only facts published by then fold;
    with its `sources`, disputed values are shown as those sources gave them (SPEC §9)."""
    keys = log.pin.source_keys
    for subject, stream, version in log.streams() if streams is None else streams:
        kind = SubjectId.parse(subject).kind
        if not log.app.catalog.declares(kind):
            continue  # a kind declared no longer: its events are exported as stored, not folded
        facts = log.subject_facts(stream, version, leaving_out=NOT_FOLDED)
        folded = [f for f in facts if log.pin.counts(f)]
        claims: list[Row] = []
        fields, items = histories(kind, folded)
        for span in fields:
            value = according_to(span.value, keys)[0] if keys else span.value
            cause = span.cause
            first, last = answered_days(span.valid_from, span.valid_to)
            yield (
                STATES,
                (
                    subject,
                    kind,
                    span.field,
                    JSON(value),
                    has_dispute(value),
                    span.valid_from,
                    span.valid_to,
                    first,
                    last,
                    cause.event_id if cause else None,
                    _names(cause.sources) if cause else None,
                ),
            )
            claims.extend(
                (
                    subject,
                    path,
                    span.valid_from,
                    span.valid_to,
                    first,
                    last,
                    JSON(alternative["value"]),
                    "; ".join(map(as_text, alternative["sources"])),
                    cause.event_id if cause else None,
                )
                for path, alternative in _alternatives(value, span.field)
            )
        for claim in claims:
            yield CLAIMS, claim
        for item in items:
            yield POINTS, _point_row(subject, item, keys)
        if kind in log.app.catalog.register_kinds:
            yield from _register_rows(subject, log.app.catalog.subject_class(kind), fields)
        if progress:
            progress(len(facts))


def _register_rows(subject: str, cls: Any, spans: list[Any]) -> Iterator[tuple[Table, Row]]:
    """A person's row in the register's table (the name, spellings and merge the record ends with, as
    the register reads it: over all of valid time), and a row in `offices` per office held over a
    valid-time interval, from the spans of the state's `offices`."""
    last = {span.field: span.value for span in spans if span.valid_to is None}
    if cls.register_entry is not None and "name" in last:
        spellings, merged_into = cls.register_entry({"aliases": [], "merged_into": None, **last})
        yield PEOPLE, (subject, spellings[0], JSON(spellings[1:]), merged_into)
    held: dict[str, tuple[Any, Any, dict[str, Any]]] = {}  # an office's JSON -> (valid_from, cause, office)
    for span in sorted((s for s in spans if s.field == OFFICES_FIELD), key=lambda s: s.valid_from):
        now = {json.dumps(office, sort_keys=True): office for office in span.value or [] if isinstance(office, dict)}
        for key in [key for key in held if key not in now]:
            yield OFFICES, _office_row(subject, *held.pop(key), span.valid_from)
        for key, office in now.items():
            held.setdefault(key, (span.valid_from, span.cause, office))
    for valid_from, cause, office in held.values():
        yield OFFICES, _office_row(subject, valid_from, cause, office, None)


def _office_row(subject: str, valid_from: datetime, cause: Any, office: dict[str, Any], valid_to: datetime | None) -> Row:
    first, last = answered_days(valid_from, valid_to)
    return (
        subject,
        as_text(office.get("office")),
        as_text(office.get("organisation")),
        office.get("since"),
        valid_from,
        valid_to,
        first,
        last,
        cause.event_id if cause else None,
        _names(cause.sources) if cause else None,
    )


def answered_days(valid_from: datetime, valid_to: datetime | None) -> tuple[date | None, date | None]:
    """The first and last UTC days whose bare-date `as_of` (the end of that day, SPEC §4) the
    value answers: it holds at t when valid_from <= t < valid_to, and the end of a day is on or
    after every instant of the day, so the first is valid_from's day and the last the day
    before valid_to's. (None, None) when it was replaced on the day it began: no bare date
    shows it."""
    first = valid_from.astimezone(UTC).date()
    if valid_to is None:
        return first, None
    last = valid_to.astimezone(UTC).date() - timedelta(days=1)
    return (first, last) if first <= last else (None, None)


def _names(sources: list[dict[str, Any]]) -> str:
    return "; ".join(as_text(source["name"]) for source in sources)


def _alternatives(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, alternative) of every disputed value within `value`, the path dotted as `resolved` names it."""
    for at, dispute in disputes(value, path):
        for alternative in dispute["disputed"]:
            yield at, alternative


def _point_row(subject: str, span: ItemSpan, keys: Any) -> Row:
    point = according_to(span.item, keys)[0] if keys else span.item
    cause = span.cause
    first, last = answered_days(span.valid_from, span.valid_to)
    return (
        subject,
        span.key,
        JSON(point.get("number")),
        point.get("text"),
        point.get("topic"),
        point.get("status"),
        JSON(point.get("implementation")),
        JSON(point.get("positions") or {}),
        point.get("revision"),
        has_dispute(point),
        span.valid_from,
        span.valid_to,
        first,
        last,
        cause.event_id if cause else None,
        _names(cause.sources) if cause else None,
    )


class Streams:
    """Each subject's last version, noted while the facts go by, for `state_rows`."""

    def __init__(self) -> None:
        self.versions: dict[str, int] = {}

    def note(self, fact: Fact) -> None:
        self.versions[fact.subject] = fact.version

    def in_subject_order(self) -> list[tuple[str, UUID, int]]:
        return [(s, SubjectId.parse(s).stream_id, v) for s, v in sorted(self.versions.items())]


def every_row(log: PinnedLog, start: Callable[[str, int], Callable[[int], None]]) -> Iterator[tuple[Table, Row]]:
    """Every table's rows, in the newest format's shape: the fact tables' in one pass over the
    log, then `states` and `claims` subject by subject. `start(part, total)` gives the function
    that advances that part's progress."""
    withdrawn, streams, facts = log.retractions(), Streams(), 0
    advance, reached = start("events", log.pin.position), 0
    for position, fact in log.facts():
        streams.note(fact)
        if not log.pin.shows(fact):
            continue
        facts += 1
        for table in FACT_TABLES:
            for row in table.of_fact(position, fact, withdrawn):  # type: ignore[misc]  # a table's own row function
                yield table, row
        advance(position - reached)
        reached = position
    yield from state_rows(log, start("states", facts), streams.in_subject_order())


def rows(table: Table, log: PinnedLog) -> Iterator[Row]:
    """One table's rows at the pin, read page by page, with the columns of `table`'s version."""
    if table.of_fact is None:
        yield from (cut for made, row in state_rows(log) if made.name == table.name and (cut := table.cut(row)) is not None)
        return
    withdrawn = log.retractions() if table.name != SOURCES.name else {}
    for position, fact in log.facts(None if table.of_type is None else log.of_type(table.of_type)):
        if log.pin.shows(fact):
            yield from (cut for cut in map(table.cut, table.of_fact(position, fact, withdrawn)) if cut is not None)


def csv_chunks(table: Table, log: PinnedLog, version: str = FORMAT_VERSION, chunk_bytes: int = 64 * 1024) -> Iterator[bytes]:
    """The table as CSV bytes of format `version`, header first, in chunks of about `chunk_bytes`."""
    from parley.service.exports.cells import writer

    record = writer(version)
    parts, size = [record(table.header)], 0
    for row in rows(table, log):
        line = record(row)
        parts.append(line)
        size += len(line)
        if size >= chunk_bytes:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    if parts:
        yield "".join(parts).encode("utf-8")


def in_version(
    tables: dict[str, Table], made: Iterator[tuple[Table, tuple[Any, ...]]]
) -> Iterator[tuple[Table, tuple[Any, ...]]]:
    """Rows made in the newest shape, as the tables of one format version hold them."""
    for table, row in made:
        kept = tables.get(table.name)
        if kept is not None and (cut := kept.cut(row)) is not None:
            yield kept, cut
