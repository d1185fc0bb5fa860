"""The search projection: an index of every event's words, and of the names it gives people.

Tables of one generation (generations.py), written with the generation's tracking record:
- `search_docs`: one row per event (retractions aside), by position: its subject, kind, type,
  valid and recorded times, when it was withdrawn, and its searchable fields as JSON, each with
  its folded words (domain/search.py `fields_of`, `worded`). On PostgreSQL it also holds the folded words as a `tsvector`
  under a GIN index;
- `search_words` (SQLite only): an FTS5 table of the folded words, its rowid the position;
- `search_people`: the same words of the register's events alone (SPEC §11's people: an FTS5 table
  on SQLite, a `tsvector` under a GIN index on PostgreSQL), so that the people half of a search
  reads person records only, not every event that holds a common word (a place's name matched
  thousands of events at a million, none of them a person's, and all were read to find none);
- `search_names`: the matching key (SPEC §14) of each name an event gives a person, by position,
  so that the events naming someone under any of their spellings are an index lookup;
- `search_terms` (SQLite only): every word the FTS5 table holds, once, so a word asked as a beginning
  is read as the words it begins (`"disc"*` as `("discussed" OR "discussion")`), which FTS5 reads
  newest first and stops at the limit, where its own prefix query gathers every match first (a
  common word's prefix cost grew with the log: 13 ms at 100,000 events against 0.3 ms).

The words are folded by Parley (each word by the matching rule) and handed to the engines as they
are: FTS5's `unicode61` tokenizer keeps such words whole, and PostgreSQL takes them as lexemes
(`array_to_tsvector`), with no stemming and no stop words on either, so both find the same events.

Nothing here is anything but the log's events re-read: a rebuild makes it again, and `forget`
removes some subjects' rows for their events to be applied again as the log now holds them (what
a redaction does to every projection, `ViewRunner.reproject`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.facts import RETRACTION, Fact
from parley.domain.names import match_key
from parley.domain.search import Worded, fields_of, named, worded
from parley.domain.subjects import SubjectId
from parley.projections.generations import suffix
from parley.projections.rows import compact_json
from parley.projections.sql import Cursor, to_us

NAME = "search"
# 2: each field stored with its folded words, so a search scores without folding again.
# 3: the words held, once (`search_terms`, SQLite).
# 4: the register's events' words apart (`search_people`).
LAYOUT = 4

DOCS = (
    "CREATE TABLE IF NOT EXISTS {docs} (position BIGINT PRIMARY KEY, event_id TEXT NOT NULL, subject TEXT NOT NULL,"
    " kind TEXT NOT NULL, type TEXT NOT NULL, occurred TEXT NOT NULL, latest BIGINT, recorded_at BIGINT NOT NULL,"
    " retracted_at BIGINT, fields TEXT NOT NULL{tokens})"
)
NAMES = (
    "CREATE TABLE IF NOT EXISTS {names} (name_key TEXT NOT NULL, position BIGINT NOT NULL, field TEXT NOT NULL,"
    " name TEXT NOT NULL, PRIMARY KEY (name_key, position, field, name))"
)
FTS5 = "CREATE VIRTUAL TABLE IF NOT EXISTS {words} USING fts5(words, tokenize = 'unicode61 remove_diacritics 0')"
PEOPLE_FTS5 = "CREATE VIRTUAL TABLE IF NOT EXISTS {people} USING fts5(words, tokenize = 'unicode61 remove_diacritics 0')"
PEOPLE = "CREATE TABLE IF NOT EXISTS {people} (position BIGINT PRIMARY KEY, words TSVECTOR NOT NULL)"
PEOPLE_GIN = "CREATE INDEX IF NOT EXISTS {people}_words ON {people} USING GIN (words)"
TERMS = "CREATE TABLE IF NOT EXISTS {terms} (term TEXT PRIMARY KEY) WITHOUT ROWID"
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS {docs}_by_id ON {docs} (event_id)",
    "CREATE INDEX IF NOT EXISTS {docs}_of_subject ON {docs} (subject)",
    "CREATE INDEX IF NOT EXISTS {names}_at ON {names} (position)",
)
GIN = "CREATE INDEX IF NOT EXISTS {docs}_words ON {docs} USING GIN (words)"


@dataclass(frozen=True)
class Tables:
    docs: str
    words: str
    names: str
    terms: str
    people: str

    def sql(self, template: str, **more: str) -> str:
        return template.format(docs=self.docs, words=self.words, names=self.names, terms=self.terms, people=self.people, **more)


@dataclass(frozen=True)
class Doc:
    """One event's rows, worked out before the transaction that writes them."""

    position: int
    fact: Fact
    fields: str
    words: list[str]
    names: list[tuple[str, int, str, str]]
    person: bool  # an event of a register kind: its words go to `search_people` too


class Search:
    name = NAME
    layout = LAYOUT

    def __init__(self, catalog: Catalog = BUILT_IN, postgres: bool = False):
        self.catalog = catalog
        self.postgres = postgres

    @staticmethod
    @lru_cache(maxsize=8)
    def tables_of(generation: int) -> Tables:
        end = suffix(generation)
        return Tables(
            f"search_docs{end}", f"search_words{end}", f"search_names{end}", f"search_terms{end}", f"search_people{end}"
        )

    def tables(self, generation: int) -> list[str]:
        """Indexes too: the rows are written one batch at a time from the start (a retraction finds
        its event by id), in a rebuild as live."""
        t = self.tables_of(generation)
        if self.postgres:
            return [
                t.sql(DOCS, tokens=", words TSVECTOR NOT NULL"),
                t.sql(NAMES),
                t.sql(GIN),
                t.sql(PEOPLE),
                t.sql(PEOPLE_GIN),
                *(t.sql(index) for index in INDEXES),
            ]
        return [
            t.sql(DOCS, tokens=""),
            t.sql(NAMES),
            t.sql(FTS5),
            t.sql(TERMS),
            t.sql(PEOPLE_FTS5),
            *(t.sql(index) for index in INDEXES),
        ]

    def indexes(self, generation: int) -> list[str]:
        return []

    def analyze(self, cursor: Cursor, generation: int) -> None:
        t = self.tables_of(generation)
        for table in (t.docs, t.names, t.people) if self.postgres else (t.docs, t.names):
            cursor.execute(f"ANALYZE {table}")

    def drop(self, cursor: Cursor, generation: int) -> None:
        t = self.tables_of(generation)
        for table in (t.people, t.names, t.docs) if self.postgres else (t.words, t.terms, t.people, t.names, t.docs):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def encode(self, events: Sequence[tuple[int, Fact]]) -> list[Doc | Fact]:
        """Each event's rows, or a retraction as it is (it marks an event already written)."""
        return [fact if fact.type == RETRACTION else self._doc(position, fact) for position, fact in events]

    def _doc(self, position: int, fact: Fact) -> Doc:
        subject = SubjectId.parse(fact.subject)
        fields = worded(fields_of(subject, fact.data, fact.sources, fact.note))
        found = list(dict.fromkeys(word for _, _, of_field in fields for word in of_field))
        names = [
            (match_key(name), position, field, name)
            for field, name in named(fact.data, self.person_fields(subject.kind, fact.type))
        ]
        stored = [(field, text, " ".join(of_field)) for field, text, of_field in fields]
        return Doc(
            position, fact, compact_json(stored), found, list(dict.fromkeys(names)), subject.kind in self.catalog.register_kinds
        )

    def person_fields(self, kind: str, type_name: str) -> tuple[str, ...]:
        """Where an event of that type names people (its declaration's `person_fields`)."""
        cls = self.catalog.by_kind.get(kind)
        event_type = cls.event_types.get(type_name) if cls is not None else None
        return tuple(event_type.person_fields) if event_type is not None else ()

    def apply_batch(self, cursor: Cursor, generation: int, events: Sequence[tuple[int, Fact]]) -> None:
        self.insert_rows(cursor, generation, self.encode(events))

    def insert_rows(self, cursor: Cursor, generation: int, rows: Sequence[Doc | Fact]) -> None:
        """Write encoded rows in log order (a rebuild's load, and the live path)."""
        t = self.tables_of(generation)
        docs: list[Doc] = []
        for row in rows:
            if isinstance(row, Doc):
                docs.append(row)
                continue
            self._write(cursor, t, docs)  # the withdrawn event may be among them
            docs = []
            cursor.execute(
                t.sql("UPDATE {docs} SET retracted_at = ? WHERE event_id = ?"), (to_us(row.recorded_at), row.data["event_id"])
            )
        self._write(cursor, t, docs)

    def _write(self, cursor: Cursor, t: Tables, docs: Sequence[Doc]) -> None:
        if not docs:
            return
        columns = "position, event_id, subject, kind, type, occurred, latest, recorded_at, fields"
        values = [
            (
                d.position,
                d.fact.event_id,
                d.fact.subject,
                SubjectId.parse(d.fact.subject).kind,
                d.fact.type,
                d.fact.occurred.text,
                to_us(d.fact.occurred.latest),
                to_us(d.fact.recorded_at),
                d.fields,
            )
            for d in docs
        ]
        people = [d for d in docs if d.person]
        if self.postgres:
            cursor.executemany(
                t.sql(
                    f"INSERT INTO {{docs}} ({columns}, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, array_to_tsvector(?::text[]))"
                ),
                [(*value, d.words) for value, d in zip(values, docs)],
            )
            cursor.executemany(
                t.sql("INSERT INTO {people} (position, words) VALUES (?, array_to_tsvector(?::text[]))"),
                [(d.position, d.words) for d in people],
            )
        else:
            cursor.executemany(t.sql(f"INSERT INTO {{docs}} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"), values)
            for table, of_table in ((t.words, docs), (t.people, people)):
                cursor.executemany(
                    f"INSERT INTO {table} (rowid, words) VALUES (?, ?)", [(d.position, " ".join(d.words)) for d in of_table]
                )
            cursor.executemany(
                t.sql("INSERT OR IGNORE INTO {terms} (term) VALUES (?)"),
                [(word,) for word in sorted({word for d in docs for word in d.words})],
            )
        cursor.executemany(
            t.sql("INSERT INTO {names} (name_key, position, field, name) VALUES (?, ?, ?, ?)"),
            [name for d in docs for name in d.names],
        )

    def forget(self, cursor: Cursor, generation: int, subjects: Sequence[str]) -> None:
        """Remove every row of `subjects`, to apply their events again (a redaction, SPEC §15: the
        index then holds only what the rewritten events hold). On SQLite the FTS5 indexes are merged
        whole, so no segment keeps the words of a deleted row, and a word no row holds any more leaves
        `search_terms`."""
        t = self.tables_of(generation)
        gone: set[str] = set()
        for subject in subjects:
            if not self.postgres:
                gone |= {
                    word
                    for row in cursor.execute(t.sql("SELECT fields FROM {docs} WHERE subject = ?"), (subject,)).fetchall()
                    for _, _, held in fields(row)
                    for word in held
                }
            cursor.execute(
                t.sql("DELETE FROM {names} WHERE position IN (SELECT position FROM {docs} WHERE subject = ?)"), (subject,)
            )
            cursor.execute(
                t.sql(
                    f"DELETE FROM {{people}} WHERE {'position' if self.postgres else 'rowid'} IN"
                    " (SELECT position FROM {docs} WHERE subject = ?)"
                ),
                (subject,),
            )
            if not self.postgres:
                cursor.execute(
                    t.sql("DELETE FROM {words} WHERE rowid IN (SELECT position FROM {docs} WHERE subject = ?)"), (subject,)
                )
            cursor.execute(t.sql("DELETE FROM {docs} WHERE subject = ?"), (subject,))
        if not self.postgres and subjects:
            for table in (t.words, t.people):
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            cursor.executemany(
                t.sql("DELETE FROM {terms} WHERE term = ?"),
                [
                    (word,)
                    for word in sorted(gone)
                    if cursor.execute(t.sql("SELECT 1 FROM {words} WHERE {words} MATCH ? LIMIT 1"), (f'"{word}"',)).fetchone()
                    is None
                ],
            )


def fields(row: Any) -> list[Worded]:
    """A row's fields, each with its words, as `_doc` stored them."""
    return [(field, text, of_field.split()) for field, text, of_field in json.loads(row["fields"])]
