"""Answers from the search projection (SPEC §11's `GET /search`), from the generation readers use.

Three lookups, each bounded, so a search costs about the same at a thousand events as at a million:
1. the people whose records hold every word (FTS5 `MATCH` or a `tsvector` `@@` on GIN, in the index
   of the register's events alone, `search_people`), the newest `PEOPLE` records' events; each found person is checked against the register as known at
   `known_at` (an alias removed is no longer theirs) — their spellings in every script;
2. the other events holding every word, newest first, at most `CANDIDATES` of them;
3. the events naming a person found in 1 under any of their spellings: the `search_names` index by
   the spellings' matching keys, newest first, at most `CANDIDATES`.
Events count as a state counts them: recorded by `known_at`, not withdrawn by then, and certain by
`as_of` — except a person's own events, which count over all of valid time, as the register does.
Hits are scored in Python (domain/search.py), so both backends rank alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from parley.domain.catalog import Catalog
from parley.domain.facts import STATEMENT
from parley.domain.names import match_key
from parley.domain.register import Register
from parley.domain.search import NAME, PERSON, SPELLING, SUBJECT, Scored, Worded, scored, worded
from parley.domain.search import STATEMENT as SAID
from parley.projections.generations import Generations
from parley.projections.reading import on_the_live_generation
from parley.projections.search import NAME as PROJECTION
from parley.projections.search import Search, Tables, fields
from parley.projections.sql import NEVER, Cursor, Database, to_us

CANDIDATES = 100
PEOPLE = 50
# The words a word asked as a beginning stands for, at most: past them, FTS5's own prefix query.
EXPANDED = 64
EVENTS_PER_HIT = 50
# A register kind's fields that hold spellings: the register says which of them are a person's now.
SPELLINGS = frozenset({"data.name", "data.aliases[]", "data.alias"})
COLUMNS = "d.position, d.event_id, d.subject, d.kind, d.type, d.occurred, d.fields"
KNOWN = "d.recorded_at <= ? AND (d.retracted_at IS NULL OR d.retracted_at > ?)"


class SearchQueries:
    def __init__(self, database: Database, catalog: Catalog):
        self.database = database
        self.catalog = catalog
        self.generations = Generations(PROJECTION, database.postgres)
        self.projection = Search(catalog, database.postgres)

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        """A read's transaction; on PostgreSQL without parallel workers: each lookup reads at most a
        few hundred rows (about a millisecond at a million events), and the planner's parallel plans
        for tables that large spent 20 to 200 ms starting their workers on the shared machine."""
        with self.database.transaction(commit=False) as cursor:
            if self.database.postgres:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            yield cursor

    @on_the_live_generation
    def search(
        self,
        asked: Sequence[str],
        as_of: datetime,
        known_at: datetime | None,
        kinds: Sequence[str],
        limit: int,
        register: Register,
    ) -> list[dict[str, Any]]:
        """The hits for the query's folded words, best first, at most `limit`."""
        people_kinds = [kind for kind in kinds if kind in self.catalog.register_kinds]
        other_kinds = [kind for kind in kinds if kind not in people_kinds]
        known = to_us(known_at) or NEVER
        valid = (to_us(as_of),)
        with self._reading() as cursor:
            t = Search.tables_of(self.generations.current(cursor))
            people = self._matching(cursor, t, asked, people_kinds, (known, known), "", PEOPLE)
            others = self._matching(cursor, t, asked, other_kinds, (known, known, *valid), " AND d.latest <= ?", CANDIDATES)
            hits = Hits(asked)
            hits.people(people, register)
            keys = {key: person for person, (_, records) in hits.spelled.items() for key in spellings(register, person, records)}
            if keys and other_kinds:
                marks = ", ".join("?" * len(keys))
                rows = cursor.execute(
                    t.sql(
                        f"SELECT {COLUMNS}, n.field, n.name, n.name_key FROM {{names}} n JOIN {{docs}} d"
                        f" ON d.position = n.position WHERE n.name_key IN ({marks}) AND {KNOWN}"
                        f" AND d.latest <= ? AND d.kind IN ({', '.join('?' * len(other_kinds))})"
                        " ORDER BY n.position DESC LIMIT ?"
                    ),
                    (*keys, known, known, *valid, *other_kinds, CANDIDATES),
                ).fetchall()
                hits.named(rows, keys)
        hits.events(others, self._name_fields)
        return hits.best(limit)

    @on_the_live_generation
    def naming(self, keys: frozenset[str], as_of: datetime, known_at: datetime | None, kinds: Sequence[str]) -> set[str]:
        """The subjects of `kinds` with an event certain by `as_of`, recorded by `known_at`, that
        names a person under one of those matching keys (withdrawn or not: a fold decides)."""
        if not keys or not kinds:
            return set()
        with self._reading() as cursor:
            t = Search.tables_of(self.generations.current(cursor))
            rows = cursor.execute(
                t.sql(
                    f"SELECT DISTINCT d.subject FROM {{names}} n JOIN {{docs}} d ON d.position = n.position"
                    f" WHERE n.name_key IN ({', '.join('?' * len(keys))}) AND d.recorded_at <= ? AND d.latest <= ?"
                    f" AND d.kind IN ({', '.join('?' * len(kinds))})"
                ),
                (*sorted(keys), to_us(known_at) or NEVER, to_us(as_of), *kinds),
            ).fetchall()
        return {row["subject"] for row in rows}

    @on_the_live_generation
    def naming_events(self, keys: frozenset[str], as_of: datetime, known_at: datetime | None) -> list[str]:
        """The ids of the events certain by `as_of`, recorded by `known_at`, that name a person under
        one of those matching keys (withdrawn or not: the answer shows a withdrawal as known then)."""
        if not keys:
            return []
        with self._reading() as cursor:
            t = Search.tables_of(self.generations.current(cursor))
            rows = cursor.execute(
                t.sql(
                    f"SELECT DISTINCT d.event_id FROM {{names}} n JOIN {{docs}} d ON d.position = n.position"
                    f" WHERE n.name_key IN ({', '.join('?' * len(keys))}) AND d.recorded_at <= ? AND d.latest <= ?"
                ),
                (*sorted(keys), to_us(known_at) or NEVER, to_us(as_of)),
            ).fetchall()
        return [row["event_id"] for row in rows]

    @on_the_live_generation
    def holding_words(self, asked: Sequence[str], known_at: datetime | None, kinds: Sequence[str]) -> list[str]:
        """The subjects of `kinds` with an event known at `known_at` (and not withdrawn by then) whose
        fields hold every one of those words, in address order: all of them, however many."""
        if not asked or not kinds:
            return []
        known = to_us(known_at) or NEVER
        with self._reading() as cursor:
            t = Search.tables_of(self.generations.current(cursor))
            rows = self._matching(cursor, t, asked, kinds, (known, known), "", None)
        return sorted({row["subject"] for row in rows})

    def _matching(
        self,
        cursor: Cursor,
        t: Tables,
        asked: Sequence[str],
        kinds: Sequence[str],
        params: tuple[int, ...],
        valid: str,
        limit: int | None,
    ) -> list[Any]:
        if not kinds:
            return []
        of_kinds = f" AND d.kind IN ({', '.join('?' * len(kinds))})"
        people = set(kinds) <= set(self.catalog.register_kinds)  # the register's events are indexed apart
        if self.database.postgres:
            query = " & ".join(f"'{word}':*" for word in asked)
            index = f" JOIN {t.people} w ON w.position = d.position WHERE w.words" if people else " WHERE d.words"
            sql = t.sql(
                f"SELECT {COLUMNS} FROM {{docs}} d{index} @@ ?::tsquery AND {KNOWN}{valid}{of_kinds} ORDER BY d.position DESC"
            )
        else:
            expanded = self._fts5_query(cursor, t, asked)
            if expanded is None:
                return []  # a word no event holds the beginning of
            query = expanded
            words = t.people if people else t.words
            sql = t.sql(
                f"SELECT {COLUMNS} FROM {words} w JOIN {{docs}} d ON d.position = w.rowid"
                f" WHERE {words} MATCH ? AND {KNOWN}{valid}{of_kinds} ORDER BY w.rowid DESC"
            )
        if limit is None:
            return cursor.execute(sql, (query, *params, *kinds)).fetchall()
        return cursor.execute(f"{sql} LIMIT ?", (query, *params, *kinds, limit)).fetchall()

    @staticmethod
    def _fts5_query(cursor: Cursor, t: Tables, asked: Sequence[str]) -> str | None:
        """Every word asked, each as the words the index holds that begin with it (search.py's
        `search_terms`): the same events as FTS5's `"word"*`, read newest first up to the limit
        rather than all gathered first. A word beginning more than EXPANDED words is left to FTS5."""
        each = []
        for word in asked:
            terms = [
                row["term"]
                for row in cursor.execute(
                    t.sql("SELECT term FROM {terms} WHERE term >= ? AND term < ? ORDER BY term LIMIT ?"),
                    (word, word[:-1] + chr(ord(word[-1]) + 1), EXPANDED + 1),
                ).fetchall()
            ]
            if not terms:
                return None
            quoted = [f'"{term}"' for term in terms]
            each.append(f'"{word}"*' if len(terms) > EXPANDED else f"({' OR '.join(quoted)})")
        return " AND ".join(each)

    def _name_fields(self, kind: str, type_name: str) -> frozenset[str]:
        return frozenset(f"data.{path}" for path in self.projection.person_fields(kind, type_name))


def spellings(register: Register, person: str, records: set[str]) -> set[str]:
    """The matching keys of the spellings of a person's record and of the records found that end at
    it, that name that one person alone (an ambiguous name names nobody)."""
    keys = {
        match_key(spelling)
        for record in {person, *records}
        if register.final(record) == person
        for spelling in (register.entry(record) or ([], None))[0]
    }
    return {key for key in keys if register.by_key.get(key) == {person}}


class Hits:
    """The hits of one search as they are found, by what they are about."""

    def __init__(self, asked: Sequence[str]):
        self.asked = list(asked)
        self.found: dict[tuple[str, str], dict[str, Any]] = {}
        self.spelled: dict[str, tuple[int, set[str]]] = {}  # person -> (score, the records that matched)

    def people(self, rows: Sequence[Any], register: Register) -> None:
        """Hits for the people whose records match; keeps in `spelled` the persons (the ends of
        their merges) whose spellings match, with the score of that match and the records found."""
        by_record: dict[str, list[Any]] = {}
        for row in rows:
            by_record.setdefault(row["subject"], []).append(row)
        for record, of_record in by_record.items():
            entry = register.entry(record)
            if entry is None:
                continue  # not registered as known then
            names = worded([("name", entry[0][0]), *(("aliases", alias) for alias in entry[0][1:])])
            by_name = scored(self.asked, names, {"name": SPELLING, "aliases": SPELLING})
            other = [scored(self.asked, [f for f in fields(row) if f[0] not in SPELLINGS]) for row in of_record]
            best = max([s for s in (by_name, *other) if s is not None], key=lambda s: s.score, default=None)
            if best is None:
                continue
            if by_name is not None:
                final = register.final(record)
                score, records = self.spelled.get(final, (0, set()))
                self.spelled[final] = (max(score, by_name.score), records | {record})
            self._add((PERSON, record), best, of_record[0], of_record, {"name": entry[0][0], "merged_into": entry[1]})

    def named(self, rows: Sequence[Any], keys: dict[str, str]) -> None:
        """Hits for the events naming a person found by a spelling, scored as that spelling's
        match in a name field."""
        for row in rows:
            person = keys[row["name_key"]]
            score = Scored(self.spelled[person][0] * NAME // SPELLING, row["field"], row["name"])
            self._event(row, score, {PERSON: person})

    def events(self, rows: Sequence[Any], name_fields: Any) -> None:
        for row in rows:
            of_row = fields(row)
            score = scored(self.asked, of_row, name_fields=name_fields(row["kind"], row["type"]))
            if score is not None:
                self._event(row, score, {}, of_row)

    def _event(self, row: Any, score: Scored, more: dict[str, Any], of_row: list[Worded] | None = None) -> None:
        if row["type"] == STATEMENT:
            said = {field: text for field, text, _ in (of_row if of_row is not None else fields(row))}
            self._add(
                (SAID, row["event_id"]),
                score,
                row,
                [row],
                {
                    "event_id": row["event_id"],
                    "occurred": row["occurred"],
                    "speaker": said.get("data.speaker"),
                    "quote": said.get("data.quote"),
                    **more,
                },
            )
        else:
            self._add((SUBJECT, row["subject"]), score, row, [row], more)

    def _add(self, key: tuple[str, str], score: Scored, row: Any, rows: Sequence[Any], more: dict[str, Any]) -> None:
        hit = self.found.get(key)
        events = [r["event_id"] for r in rows]
        if hit is None:
            self.found[key] = {
                "type": key[0],
                "subject": row["subject"],
                "field": score.field,
                "text": score.text,
                "score": score.score,
                "events": events[:EVENTS_PER_HIT],
                "position": row["position"],
                **more,
            }
            return
        hit["events"] += [e for e in events if e not in hit["events"]][: EVENTS_PER_HIT - len(hit["events"])]
        hit["position"] = max(hit["position"], row["position"])
        if score.score > hit["score"]:
            hit.update({"field": score.field, "text": score.text, "score": score.score, **more})

    def best(self, limit: int) -> list[dict[str, Any]]:
        ranked = sorted(self.found.values(), key=lambda h: (-h["score"], -h["position"], h["type"], h["subject"]))
        return [{k: v for k, v in hit.items() if k != "position"} for hit in ranked[:limit]]
