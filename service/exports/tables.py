"""The tables of SPEC §8 and §17: their columns in order, and each fact table's rows of one fact.

`events`, `sources` and `statements` are rows of single facts, read in position order;
`states` folds each subject's facts at the pin, and `claims` spells out each disputed value of
`states`, one row per alternative: those and the pass over a pinned log are in table_rows.py.

Rows are made in the newest format's shape; an older format version (a table or column
that came later is marked `since`) writes the same rows with only its own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from parley.domain.catalog import BUILT_IN, subject_class
from parley.domain.facts import STATEMENT, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.redacted import as_text
from parley.domain.subjects import SubjectId
from parley.service.exports import FORMAT_VERSION, version_number
from parley.service.exports.cells import JSON
from parley.service.exports.log import Retraction

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
        super().__init__(
            whole.name, whole.description, columns, whole.primary_key, whole.of_fact, whole.of_type, whole.since, whole.row_since
        )
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
        fact.event_id,
        position,
        fact.subject,
        subject.kind,
        subject.slug,
        fact.version,
        fact.type,
        fact.occurred.text,
        fact.occurred.earliest,
        fact.occurred.latest,
        occurred_precision(fact.occurred),
        date_prec(fact.occurred),
        fact.recorded_at,
        fact.recorded_by,
        retraction.event_id if retraction else None,
        retraction.recorded_at if retraction else None,
        as_text(fact.note),
        JSON(fact.data),
        fact.digest,
    )


def _source_rows(position: int, fact: Fact, withdrawn: Withdrawn) -> Iterable[Row]:
    for index, source in enumerate(fact.sources, start=1):
        yield (
            fact.event_id,
            index,
            as_text(source["name"]),
            as_text(source.get("url")),
            source.get("published"),
            as_text(source.get("quote")),
        )


def _statement_rows(position: int, fact: Fact, withdrawn: Withdrawn) -> Iterable[Row]:
    if fact.type == STATEMENT and fact.event_id not in withdrawn:
        data = fact.data
        yield (
            fact.event_id,
            fact.subject,
            data["speaker"],
            data.get("role"),
            as_text(data["quote"]),
            fact.occurred.text,
            fact.occurred.earliest,
            fact.occurred.latest,
        )


def _field_since(kind: str, field: str) -> str:
    """A state field counting a kind's items (a plan's `points_recorded`) came with format 4."""
    lists = subject_class(kind).item_lists
    return "4" if any(spec.count == field for spec in lists.values()) else "1"


EVENT_ID = Column("event_id", "string", "the event's id (a UUID), unique in the store", True)
SUBJECT = Column("subject", "string", "the subject the event is about, `kind/slug`", True)
KIND = Column("kind", "string", "the subject's kind, as the store's catalog declares it (GET /catalog)", True)
OCCURRED = Column("occurred", "string", "when it happened (valid time), the fuzzy date as written", True)
EARLIEST = Column("occurred_earliest", "datetime", "the earliest instant `occurred` allows; empty for an open start")
LATEST = Column("occurred_latest", "datetime", "the latest instant `occurred` allows; empty for an open end")

EVENTS = Table(
    "events",
    "one row per event, in log order",
    (
        EVENT_ID,
        Column("position", "integer", "the event's place in the global log; the pin is one of these", True),
        SUBJECT,
        KIND,
        Column("slug", "string", "the subject's slug", True),
        Column("version", "integer", "the event's place in its subject's stream, from 1", True),
        Column("type", "string", f"the event type (SPEC §2), e.g. {BUILT_IN.types[1]}", True),
        OCCURRED,
        EARLIEST,
        LATEST,
        Column(
            "occurred_precision",
            "string",
            "the unit `occurred` was written in: instant, day, month, year, range (a closed interval) or open (an open end)",
            True,
        ),
        Column(
            "date_prec",
            "integer",
            "UCDP's date precision from the bounds' days: 1 one day, 2 two to six, 3 seven, 4 eight to 31, 5 more or an open end",
            True,
        ),
        Column("recorded_at", "datetime", "when Parley recorded the event (system time)", True),
        Column("recorded_by", "string", "who recorded it: the name of the write token", True),
        Column("retracted_by", "string", "the retracting event's id, when retracted at or before the pin"),
        Column("retracted_at", "datetime", "the retraction's recorded time, when retracted at or before the pin"),
        Column("note", "string", "the recorder's note"),
        Column("data", "json", "the event's data as JSON (sorted keys, no spaces); fields per SPEC §2", True),
        Column("digest", "string", "the event's link in the store's chain, SHA-256 in hex (docs/verifying.md)", since="3"),
    ),
    ("event_id",),
    _event_rows,
)
SOURCES = Table(
    "sources",
    "one row per source of an event, in log order and then as the event lists them",
    (
        EVENT_ID,
        Column("source_index", "integer", "the source's place in the event's list of sources, from 1", True),
        Column("name", "string", "the outlet or person reporting, e.g. Axios", True),
        Column("url", "string", "where the report is"),
        Column("published", "string", "when the source published it, a fuzzy date as written"),
        Column("quote", "string", "the words of the report the fact rests on"),
    ),
    ("event_id", "source_index"),
    _source_rows,
)
STATEMENTS = Table(
    "statements",
    "one row per statement (StatementRecorded) not retracted at the pin, in log order",
    (
        EVENT_ID,
        SUBJECT,
        Column("speaker", "string", "who said it (JSON when disputed)", True),
        Column("role", "string", "the speaker's role (JSON when disputed)"),
        Column("quote", "string", "what was said", True),
        OCCURRED,
        EARLIEST,
        LATEST,
    ),
    ("event_id",),
    _statement_rows,
    STATEMENT,
)
VALID_FROM = Column("valid_from", "datetime", "from when the value holds: the latest instant of the event that set it", True)
VALID_TO = Column("valid_to", "datetime", "when the next value replaced it; empty while it still holds")
VALID_FROM_DATE = Column(
    "valid_from_date",
    "date",
    "the first UTC day whose date as `as_of` (the end of that day) answers this value; empty when no day does",
    since="2",
)
VALID_TO_DATE = Column(
    "valid_to_date",
    "date",
    "the last UTC day whose date as `as_of` answers this value; empty while it still holds, or when no day does",
    since="2",
)
CAUSED_BY = Column("caused_by", "string", "the id of the event that set the value", since="2")
STATES = Table(
    "states",
    "one row per value of a field of a subject over a valid-time interval, as known at the pin",
    (
        SUBJECT,
        KIND,
        Column("field", "string", "the state's field (SPEC §2), e.g. head", True),
        Column("value", "json", "the field's value as JSON (sorted keys, no spaces); empty for null"),
        Column("disputed", "boolean", "true when the value, or any part of it, is disputed between sources", True),
        VALID_FROM,
        VALID_TO,
        VALID_FROM_DATE,
        VALID_TO_DATE,
        CAUSED_BY,
        Column("sources", "string", "the names of the sources of the event that set the value, joined by `; `", since="2"),
    ),
    ("subject", "field", "valid_from"),
    row_since=lambda row: _field_since(row[1], row[2]),
)
CLAIMS = Table(
    "claims",
    "one row per alternative of a disputed value in `states`: what each source gave",
    (
        SUBJECT,
        Column("field", "string", "the disputed field, or the dotted path to the disputed part of it (members.0.role)", True),
        VALID_FROM,
        VALID_TO,
        VALID_FROM_DATE,
        VALID_TO_DATE,
        Column("value", "json", "this alternative's value as JSON (sorted keys, no spaces)"),
        Column("sources", "string", "the names of the sources giving this alternative, joined by `; `", True),
        Column("event_id", "string", "the id of the event that recorded the dispute", True),
    ),
    ("subject", "field", "valid_from", "value"),
    since="2",
)
POINTS = Table(
    "points",
    "one row per point of a plan (SPEC §12) over a valid-time interval, as known at the pin",
    (
        SUBJECT,
        Column("key", "string", "the point's key: the slug naming it across drafts", True),
        Column("number", "json", "its number in the draft, as JSON: a number, or the dispute between sources"),
        Column("text", "string", "its wording (JSON when disputed)"),
        Column("topic", "string", "what it is about (JSON when disputed)"),
        Column("status", "string", "proposed, agreed, rejected, dropped or implemented (JSON when disputed)", True),
        Column(
            "implementation",
            "json",
            "Peace Accords Matrix score as JSON: 0 not begun, 1 minimal, 2 intermediate, 3 complete; or the dispute",
        ),
        Column("positions", "json", "each party's position (supports, opposes, reserves, unclear) as a JSON object", True),
        Column("revision", "integer", "the plan revision that last touched the point", True),
        Column("disputed", "boolean", "true when any part of the point is disputed between sources", True),
        VALID_FROM,
        VALID_TO,
        VALID_FROM_DATE,
        VALID_TO_DATE,
        Column("caused_by", "string", "the id of the event that set the point as it is in this row"),
        Column("sources", "string", "the names of the sources of that event, joined by `; `"),
    ),
    ("subject", "key", "valid_from"),
    since="4",
)
OFFICES_FIELD = "offices"  # the register kind's field of offices held (SPEC §11)
# The register's kind names its table (its plural) and the column of its records (its name), as
# SPEC §11 and §17 call them: derived from its declaration (SPEC §10).
_REGISTER = BUILT_IN.subject_class(BUILT_IN.register_kinds[0])
RECORD = _REGISTER.kind
PEOPLE = Table(
    _REGISTER.plural,
    "one row per person registered (SPEC §11) at the pin: the spellings the register matches names by",
    (
        Column(RECORD, "string", "the person's record, `kind/slug`", True),
        Column("name", "string", "the name answers give", True),
        Column("aliases", "json", "the other spellings and scripts, as a JSON list", True),
        Column("merged_into", "string", "the record this one is one person with, when merged"),
    ),
    (RECORD,),
    since="5",
)
OFFICES = Table(
    OFFICES_FIELD,
    "one row per office a person held over a valid-time interval (SPEC §11), as known at the pin",
    (
        Column(RECORD, "string", "the person's record, `kind/slug`", True),
        Column("office", "string", "the office, as the source named it", True),
        Column("organisation", "string", "the organisation, when named"),
        Column("since", "string", "when it was taken: the taking event's `occurred`, as written", True),
        VALID_FROM,
        Column("valid_to", "datetime", "when it was left (the leaving event's latest instant); empty while held"),
        VALID_FROM_DATE,
        VALID_TO_DATE,
        Column("caused_by", "string", "the id of the event that made the person hold the office"),
        Column("sources", "string", "the names of the sources of that event, joined by `; `"),
    ),
    (RECORD, "office", "valid_from"),
    since="5",
)
EVERY_TABLE = (EVENTS, SOURCES, STATEMENTS, STATES, CLAIMS, POINTS, PEOPLE, OFFICES)
FACT_TABLES = (EVENTS, SOURCES, STATEMENTS)
FOLDED_TABLES = (STATES, CLAIMS, POINTS, PEOPLE, OFFICES)


def tables_in(version: str = FORMAT_VERSION) -> dict[str, Table]:
    """The tables format `version` writes, by name, each with that version's columns."""
    return {t.name: t.in_version(version) for t in EVERY_TABLE if version_number(t.since) <= version_number(version)}


TABLES = tables_in()
