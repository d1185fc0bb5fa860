"""The tables of SPEC §8 and §17: their columns in order, and the rows a pinned log gives.

`events`, `sources` and `statements` are rows of single facts, read in position order;
`states` folds each subject's facts at the pin (domain/history.py), in subject order, and
`claims` spells out each disputed value of `states`, one row per alternative.

Rows are made in the newest format's shape; an older format version (a table or column
that came later is marked `since`) writes the same rows with only its own columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from parley.domain.catalog import BUILT_IN, subject_class
from parley.domain.facts import STATEMENT, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.history import ItemSpan, has_dispute, histories
from parley.domain.outlets import according_to
from parley.domain.redacted import as_text
from parley.domain.subjects import SubjectId
from parley.domain.values import disputes
from parley.service.exports import FORMAT_VERSION, version_number
from parley.service.exports.cells import JSON
from parley.service.exports.log import PinnedLog, Retraction

Row = tuple[Any, ...]
NOT_FOLDED = frozenset({STATEMENT})  # statements set no field, so states need not read them
Withdrawn = Mapping[str, Retraction]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, datetime, date, boolean, or json (JSON text in a string cell)
    description: str
    required: bool = False
    since: str = "1"  # the export format version that brought it


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # A fact's rows (for the fact tables), given what the pin withdraws; None for `states`, `claims`.
    of_fact: Callable[[int, Fact, Withdrawn], Iterable[Row]] | None = None
    of_type: str | None = None  # the one type of event its rows come from; None: every type
    since: str = "1"
    # The format version that brought a row (a field of `states` that came later); None: the table's.
    row_since: Callable[[Row], str] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def in_version(self, version: str) -> Table:
        """The table as format `version` writes it: only the columns it had (rows are cut to them
        by `cut`)."""
        columns = tuple(c for c in self.columns if version_number(c.since) <= version_number(version))
        if len(columns) == len(self.columns) and self.row_since is None:
            return self
        return _Cut(self, columns, version)

    def cut(self, row: Row) -> Row | None:
        """The row as this version writes it; None when it came later."""
        return row


class _Cut(Table):
    """A table with the columns of an older format version; `cut` keeps those of a full row."""

    def __init__(self, whole: Table, columns: tuple[Column, ...], version: str):
        super().__init__(whole.name, whole.description, columns, whole.primary_key, whole.of_fact, whole.of_type,
                         whole.since, whole.row_since)
        kept = {c.name for c in columns}
        object.__setattr__(self, "_kept", tuple(i for i, c in enumerate(whole.columns) if c.name in kept))
        object.__setattr__(self, "_version", version_number(version))

    def cut(self, row: Row) -> Row | None:
        if self.row_since is not None and version_number(self.row_since(row)) > self._version:  # type: ignore[attr-defined]  # set in __init__ past the frozen dataclass
            return None
        return tuple(row[i] for i in self._kept)  # type: ignore[attr-defined]  # set in __init__ past the frozen dataclass


def occurred_precision(occurred: FuzzyDate) -> str:
    """The unit the valid time was written in."""
    text = occurred.text
    if "/" in text:
        return "open" if occurred.earliest is None or occurred.latest is None else "range"
    if "T" in text:
        return "instant"
    return {4: "year", 7: "month", 10: "day"}[len(text.rstrip("?~"))]


def date_prec(occurred: FuzzyDate) -> int:
    """UCDP's `date_prec` from the bounds: 1 a day, 2 up to 6 days, 3 a week, 4 up to a month, 5 more."""
    if occurred.earliest is None or occurred.latest is None:
        return 5
    days = (occurred.latest.date() - occurred.earliest.date()).days + 1
    return 1 if days == 1 else 2 if days <= 6 else 3 if days == 7 else 4 if days <= 31 else 5


def _event_rows(position: int, fact: Fact, withdrawn: Withdrawn) -> Iterable[Row]:
    subject = SubjectId.parse(fact.subject)
    retraction = withdrawn.get(fact.event_id)
    yield (
        fact.event_id, position, fact.subject, subject.kind, subject.slug, fact.version, fact.type,
        fact.occurred.text, fact.occurred.earliest, fact.occurred.latest,
        occurred_precision(fact.occurred), date_prec(fact.occurred),
        fact.recorded_at, fact.recorded_by,
        retraction.event_id if retraction else None, retraction.recorded_at if retraction else None,
        as_text(fact.note), JSON(fact.data), fact.digest,
    )


def _source_rows(position: int, fact: Fact, withdrawn: Withdrawn) -> Iterable[Row]:
    for index, source in enumerate(fact.sources, start=1):
        yield (fact.event_id, index, as_text(source["name"]), as_text(source.get("url")), source.get("published"),
               as_text(source.get("quote")))


def _statement_rows(position: int, fact: Fact, withdrawn: Withdrawn) -> Iterable[Row]:
    if fact.type == STATEMENT and fact.event_id not in withdrawn:
        data = fact.data
        yield (fact.event_id, fact.subject, data["speaker"], data.get("role"), as_text(data["quote"]),
               fact.occurred.text, fact.occurred.earliest, fact.occurred.latest)


def state_rows(log: PinnedLog, progress: Callable[[int], None] | None = None,
               streams: Iterable[tuple[str, UUID, int]] | None = None) -> Iterator[tuple[Table, Row]]:
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
            yield STATES, (subject, kind, span.field, JSON(value), has_dispute(value), span.valid_from, span.valid_to,
                           first, last, cause.event_id if cause else None, _names(cause.sources) if cause else None)
            claims.extend((subject, path, span.valid_from, span.valid_to, first, last, JSON(alternative["value"]),
                           "; ".join(map(as_text, alternative["sources"])), cause.event_id if cause else None)
                          for path, alternative in _alternatives(value, span.field))
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


def _office_row(subject: str, valid_from: datetime, cause: Any, office: dict[str, Any],
                valid_to: datetime | None) -> Row:
    first, last = answered_days(valid_from, valid_to)
    return (subject, as_text(office.get("office")), as_text(office.get("organisation")), office.get("since"),
            valid_from, valid_to, first, last, cause.event_id if cause else None,
            _names(cause.sources) if cause else None)


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


def _field_since(kind: str, field: str) -> str:
    """A state field counting a kind's items (a plan's `points_recorded`) came with format 4."""
    lists = subject_class(kind).item_lists
    return "4" if any(spec.count == field for spec in lists.values()) else "1"


def _names(sources: list[dict[str, Any]]) -> str:
    return "; ".join(as_text(source["name"]) for source in sources)


def _alternatives(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, alternative) of every disputed value within `value`, the path dotted as `resolved` names it."""
    for at, dispute in disputes(value, path):
        for alternative in dispute["disputed"]:
            yield at, alternative


EVENT_ID = Column("event_id", "string", "the event's id (a UUID), unique in the store", True)
SUBJECT = Column("subject", "string", "the subject the event is about, `kind/slug`", True)
KIND = Column("kind", "string", "the subject's kind, as the store's catalog declares it (GET /catalog)", True)
OCCURRED = Column("occurred", "string", "when it happened (valid time), the fuzzy date as written", True)
EARLIEST = Column("occurred_earliest", "datetime", "the earliest instant `occurred` allows; empty for an open start")
LATEST = Column("occurred_latest", "datetime", "the latest instant `occurred` allows; empty for an open end")

EVENTS = Table(
    "events", "one row per event, in log order", (
        EVENT_ID,
        Column("position", "integer", "the event's place in the global log; the pin is one of these", True),
        SUBJECT, KIND,
        Column("slug", "string", "the subject's slug", True),
        Column("version", "integer", "the event's place in its subject's stream, from 1", True),
        Column("type", "string", f"the event type (SPEC §2), e.g. {BUILT_IN.types[1]}", True),
        OCCURRED, EARLIEST, LATEST,
        Column("occurred_precision", "string", "the unit `occurred` was written in: instant, day, month, year, "
                                               "range (a closed interval) or open (an open end)", True),
        Column("date_prec", "integer", "UCDP's date precision from the bounds' days: 1 one day, 2 two to six, "
                                       "3 seven, 4 eight to 31, 5 more or an open end", True),
        Column("recorded_at", "datetime", "when Parley recorded the event (system time)", True),
        Column("recorded_by", "string", "who recorded it: the name of the write token", True),
        Column("retracted_by", "string", "the retracting event's id, when retracted at or before the pin"),
        Column("retracted_at", "datetime", "the retraction's recorded time, when retracted at or before the pin"),
        Column("note", "string", "the recorder's note"),
        Column("data", "json", "the event's data as JSON (sorted keys, no spaces); fields per SPEC §2", True),
        Column("digest", "string", "the event's link in the store's chain, SHA-256 in hex (docs/verifying.md)",
               since="3"),
    ), ("event_id",), _event_rows,
)
SOURCES = Table(
    "sources", "one row per source of an event, in log order and then as the event lists them", (
        EVENT_ID,
        Column("source_index", "integer", "the source's place in the event's list of sources, from 1", True),
        Column("name", "string", "the outlet or person reporting, e.g. Axios", True),
        Column("url", "string", "where the report is"),
        Column("published", "string", "when the source published it, a fuzzy date as written"),
        Column("quote", "string", "the words of the report the fact rests on"),
    ), ("event_id", "source_index"), _source_rows,
)
STATEMENTS = Table(
    "statements", "one row per statement (StatementRecorded) not retracted at the pin, in log order", (
        EVENT_ID, SUBJECT,
        Column("speaker", "string", "who said it (JSON when disputed)", True),
        Column("role", "string", "the speaker's role (JSON when disputed)"),
        Column("quote", "string", "what was said", True),
        OCCURRED, EARLIEST, LATEST,
    ), ("event_id",), _statement_rows, STATEMENT,
)
VALID_FROM = Column("valid_from", "datetime", "from when the value holds: the latest instant of the event that set it", True)
VALID_TO = Column("valid_to", "datetime", "when the next value replaced it; empty while it still holds")
VALID_FROM_DATE = Column("valid_from_date", "date", "the first UTC day whose date as `as_of` (the end of that day) "
                                                    "answers this value; empty when no day does", since="2")
VALID_TO_DATE = Column("valid_to_date", "date", "the last UTC day whose date as `as_of` answers this value; empty "
                                                "while it still holds, or when no day does", since="2")
CAUSED_BY = Column("caused_by", "string", "the id of the event that set the value", since="2")
STATES = Table(
    "states", "one row per value of a field of a subject over a valid-time interval, as known at the pin", (
        SUBJECT, KIND,
        Column("field", "string", "the state's field (SPEC §2), e.g. head", True),
        Column("value", "json", "the field's value as JSON (sorted keys, no spaces); empty for null"),
        Column("disputed", "boolean", "true when the value, or any part of it, is disputed between sources", True),
        VALID_FROM, VALID_TO, VALID_FROM_DATE, VALID_TO_DATE, CAUSED_BY,
        Column("sources", "string", "the names of the sources of the event that set the value, joined by `; `",
               since="2"),
    ), ("subject", "field", "valid_from"), row_since=lambda row: _field_since(row[1], row[2]),
)
CLAIMS = Table(
    "claims", "one row per alternative of a disputed value in `states`: what each source gave", (
        SUBJECT,
        Column("field", "string", "the disputed field, or the dotted path to the disputed part of it "
                                  "(members.0.role)", True),
        VALID_FROM, VALID_TO, VALID_FROM_DATE, VALID_TO_DATE,
        Column("value", "json", "this alternative's value as JSON (sorted keys, no spaces)"),
        Column("sources", "string", "the names of the sources giving this alternative, joined by `; `", True),
        Column("event_id", "string", "the id of the event that recorded the dispute", True),
    ), ("subject", "field", "valid_from", "value"), since="2",
)
POINTS = Table(
    "points", "one row per point of a plan (SPEC §12) over a valid-time interval, as known at the pin", (
        SUBJECT,
        Column("key", "string", "the point's key: the slug naming it across drafts", True),
        Column("number", "json", "its number in the draft, as JSON: a number, or the dispute between sources"),
        Column("text", "string", "its wording (JSON when disputed)"),
        Column("topic", "string", "what it is about (JSON when disputed)"),
        Column("status", "string", "proposed, agreed, rejected, dropped or implemented (JSON when disputed)", True),
        Column("implementation", "json", "Peace Accords Matrix score as JSON: 0 not begun, 1 minimal, "
                                         "2 intermediate, 3 complete; or the dispute"),
        Column("positions", "json", "each party's position (supports, opposes, reserves, unclear) as a JSON object",
               True),
        Column("revision", "integer", "the plan revision that last touched the point", True),
        Column("disputed", "boolean", "true when any part of the point is disputed between sources", True),
        VALID_FROM, VALID_TO, VALID_FROM_DATE, VALID_TO_DATE,
        Column("caused_by", "string", "the id of the event that set the point as it is in this row"),
        Column("sources", "string", "the names of the sources of that event, joined by `; `"),
    ), ("subject", "key", "valid_from"), since="4",
)
OFFICES_FIELD = "offices"  # the register kind's field of offices held (SPEC §11)
# The register's kind names its table (its plural) and the column of its records (its name), as
# SPEC §11 and §17 call them: derived from its declaration (SPEC §10).
_REGISTER = BUILT_IN.subject_class(BUILT_IN.register_kinds[0])
RECORD = _REGISTER.kind
PEOPLE = Table(
    _REGISTER.plural, "one row per person registered (SPEC §11) at the pin: the spellings the register matches "
                      "names by", (
        Column(RECORD, "string", "the person's record, `kind/slug`", True),
        Column("name", "string", "the name answers give", True),
        Column("aliases", "json", "the other spellings and scripts, as a JSON list", True),
        Column("merged_into", "string", "the record this one is one person with, when merged"),
    ), (RECORD,), since="5",
)
OFFICES = Table(
    OFFICES_FIELD, "one row per office a person held over a valid-time interval (SPEC §11), as known at the pin", (
        Column(RECORD, "string", "the person's record, `kind/slug`", True),
        Column("office", "string", "the office, as the source named it", True),
        Column("organisation", "string", "the organisation, when named"),
        Column("since", "string", "when it was taken: the taking event's `occurred`, as written", True),
        VALID_FROM,
        Column("valid_to", "datetime", "when it was left (the leaving event's latest instant); empty while held"),
        VALID_FROM_DATE, VALID_TO_DATE,
        Column("caused_by", "string", "the id of the event that made the person hold the office"),
        Column("sources", "string", "the names of the sources of that event, joined by `; `"),
    ), (RECORD, "office", "valid_from"), since="5",
)
EVERY_TABLE = (EVENTS, SOURCES, STATEMENTS, STATES, CLAIMS, POINTS, PEOPLE, OFFICES)
FACT_TABLES = (EVENTS, SOURCES, STATEMENTS)
FOLDED_TABLES = (STATES, CLAIMS, POINTS, PEOPLE, OFFICES)


def _point_row(subject: str, span: ItemSpan, keys: Any) -> Row:
    point = according_to(span.item, keys)[0] if keys else span.item
    cause = span.cause
    first, last = answered_days(span.valid_from, span.valid_to)
    return (subject, span.key, JSON(point.get("number")), point.get("text"), point.get("topic"), point.get("status"),
            JSON(point.get("implementation")), JSON(point.get("positions") or {}), point.get("revision"),
            has_dispute(point), span.valid_from, span.valid_to, first, last,
            cause.event_id if cause else None, _names(cause.sources) if cause else None)


def tables_in(version: str = FORMAT_VERSION) -> dict[str, Table]:
    """The tables format `version` writes, by name, each with that version's columns."""
    return {t.name: t.in_version(version) for t in EVERY_TABLE if version_number(t.since) <= version_number(version)}


TABLES = tables_in()


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
        yield from (cut for made, row in state_rows(log) if made.name == table.name
                    and (cut := table.cut(row)) is not None)
        return
    withdrawn = log.retractions() if table.name != SOURCES.name else {}
    for position, fact in log.facts(None if table.of_type is None else log.of_type(table.of_type)):
        if log.pin.shows(fact):
            yield from (cut for cut in map(table.cut, table.of_fact(position, fact, withdrawn)) if cut is not None)


def csv_chunks(table: Table, log: PinnedLog, version: str = FORMAT_VERSION,
               chunk_bytes: int = 64 * 1024) -> Iterator[bytes]:
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
