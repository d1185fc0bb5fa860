"""Who is who (SPEC §11) from the log, from the generation readers use: the register, the
events that mention a person, and the roles the subjects give them. A register and a page of
roles depend on nothing but the log, so each is read once per position of the log."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from parley.domain.catalog import BUILT_IN, Catalog
from parley.domain.facts import FAR_FUTURE, STATEMENT
from parley.domain.register import Register, mentions_in
from parley.domain.roles import roles_in
from parley.domain.subjects import SubjectId
from parley.domain.timeline import fold
from parley.projections.reading import Reads, on_the_live_generation, rows_of, valid_time_sorted
from parley.projections.rows import event_as_read, fact_of
from parley.projections.sql import Database, to_us

# The subjects of those kinds whose events name people under those matching keys (search_reads.py).
Naming = Callable[[frozenset[str], Sequence[str]], set[str]]

CHUNK = 500  # ids asked for in one `IN (…)`: under SQLite's limit of bound parameters


class RegisterReads(Reads):
    def __init__(self, database: Database, catalog: Catalog = BUILT_IN):
        super().__init__(database, catalog)
        # Registers already read, by (generation's table, the log's last position, known_at): a
        # register depends on nothing else, so a read of an unchanged log reads it once.
        self._registers: OrderedDict[tuple[str, int | None, datetime | None], Register] = OrderedDict()
        self._registers_lock = threading.Lock()  # reads run on many threads
        # Roles already read, by (generation's table, the log's last position, as_of, known_at, people).
        self._roles: OrderedDict[tuple[Any, ...], dict[str, list[dict[str, str]]]] = OrderedDict()
        # The entries of the register as known now, by generation's table: (the log's last position, entries).
        self._now: dict[str, tuple[int | None, dict[str, Any]]] = {}

    @on_the_live_generation
    def register(self, known_at: datetime | None) -> Register:
        """Who is who as known at `known_at` (SPEC §11): every register kind's subject folded over
        all of valid time (a spelling is a fact of a name, not of a date) from what was recorded by
        then. Read from the log, so a register change never alters a folded state."""
        kinds = self.catalog.register_kinds
        if not kinds:
            return Register()
        # Found by their creations, through the index on type: a seek that finds nothing where
        # nobody is registered, whatever the size of the log.
        creations = [self.catalog.subject_class(kind).creation.__name__ for kind in kinds]
        with self._reading() as (cursor, sql):
            events = sql.names.events
            last = cursor.scalar(f"SELECT max(position) FROM {events}")
            key = (events, last, known_at)
            with self._registers_lock:
                if (cached := self._registers.get(key)) is not None:
                    self._registers.move_to_end(key)
                    return cached
                base = self._now.get(events) if known_at is None else None
            if base is not None and last is not None and base[0] is not None and base[0] <= last:
                # As known now, only the people with an event since the last register read change.
                since, entries = base[0], dict(base[1])
                types = sorted({t for kind in kinds for t in self.catalog.subject_class(kind).event_types} - {STATEMENT})
                people = [
                    r["subject"]
                    for r in cursor.execute(
                        f"SELECT DISTINCT subject FROM {events} WHERE position > ? AND type IN ({', '.join('?' * len(types))})",
                        (since, *types),
                    ).fetchall()
                    if SubjectId.parse(r["subject"]).kind in kinds
                ]
            else:
                entries = {}
                people = [
                    r["subject"]
                    for r in cursor.execute(
                        f"SELECT DISTINCT subject FROM {events} WHERE type IN ({', '.join('?' * len(creations))})", creations
                    ).fetchall()
                ]
            rows = (
                cursor.execute(  # statements change no one's spellings
                    f"{sql.select_events} WHERE subject IN ({', '.join('?' * len(people))}) AND type <> '{STATEMENT}'"
                    " ORDER BY subject, version",
                    people,
                ).fetchall()
                if people
                else []
            )
        by_subject: dict[SubjectId, list[Any]] = {}
        for row in rows:
            by_subject.setdefault(SubjectId.parse(row["subject"]), []).append(fact_of(row))
        for person in people:
            entries.pop(person, None)
        for subject, facts in by_subject.items():
            cls = self.catalog.subject_class(subject.kind)
            state = fold(cls, facts, FAR_FUTURE, known_at).state
            if state is not None and cls.register_entry is not None:
                entries[str(subject)] = cls.register_entry(state)
        register = Register.of(entries)
        with self._registers_lock:
            if known_at is None:
                self._now[events] = (last, entries)
            self._registers[key] = register
            while len(self._registers) > 16:
                self._registers.popitem(last=False)
        return register

    @on_the_live_generation
    def mentions(
        self,
        person: str,
        as_of: datetime,
        known_at: datetime | None,
        register: Register,
        naming: Callable[[frozenset[str]], list[str]],
    ) -> list[dict[str, Any]]:
        """The events of every subject that name a person (or a record merged into it) under any of
        its spellings in `register` (as known at `known_at`), certain by `as_of`, in valid-time
        order, each with the fields that name it. `naming` gives the ids of those events from the
        search projection's index of names (search_reads.py), so the log is not scanned."""
        keys = register.names_of(person)
        if not keys:
            return []
        paths = {
            name: event.person_fields
            for cls in self.catalog.classes
            for name, event in cls.event_types.items()
            if event.person_fields
        }
        ids = naming(keys)
        rows: list[Any] = []
        with self._reading() as (cursor, sql):
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                rows += cursor.execute(f"{sql.select_events} WHERE event_id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        found = []
        for row in valid_time_sorted(sorted(rows, key=lambda r: r["position"])):
            named = mentions_in(json.loads(row["data"]), paths.get(row["type"], ()), keys)
            if named:
                found.append({**event_as_read(row, known_at), "mentions": named})
        return found

    @on_the_live_generation
    def roles(
        self, people: Sequence[str], as_of: datetime, known_at: datetime | None, register: Register, naming: Naming | None = None
    ) -> dict[str, list[dict[str, str]]]:
        """SPEC §11's `roles` of each of those records (each the end of its merges): the places the subjects whose events
        name them give them at `as_of`, as known at `known_at`, matched through `register`. Only the
        subjects an event names them in (certain by `as_of`) are folded: a place comes from one.
        `naming` finds those subjects by the matching keys of the names (an index); without it, the
        events of the types that name people are read."""
        found: dict[str, list[dict[str, str]]] = {person: [] for person in people}
        owner = {key: person for person in found for key in register.names_of(person)}
        placing = {cls.kind: cls for cls in self.catalog.classes if cls.role_fields}
        paths = {
            name: event.person_fields
            for cls in placing.values()
            for name, event in cls.event_types.items()
            if event.person_fields and name != STATEMENT
        }
        if not owner or not paths:
            return found
        keys = frozenset(owner)
        with self._reading() as (cursor, sql):
            # Roles depend on nothing but the log, the times and the people asked for (the register
            # is the log's as known then): a page asked again at an unchanged log reads them once.
            last = cursor.scalar(f"SELECT max(position) FROM {sql.names.events}")
            key = (sql.names.events, last, as_of, known_at, tuple(found))
            with self._registers_lock:
                if (cached := self._roles.get(key)) is not None:
                    self._roles.move_to_end(key)
                    return {person: list(roles) for person, roles in cached.items()}
            if naming is not None:
                subjects = sorted(naming(keys, sorted(placing)))
            else:
                marks = ", ".join("?" * len(paths))
                rows = cursor.execute(
                    f"SELECT subject, type, data FROM {sql.names.events} WHERE type IN ({marks}) AND recorded_at <= ?"
                    " AND latest <= ?",
                    (*paths, to_us(known_at) or 2**62, to_us(as_of)),
                ).fetchall()
                subjects = sorted(
                    {
                        row["subject"]
                        for row in rows
                        if SubjectId.parse(row["subject"]).kind in placing
                        and mentions_in(json.loads(row["data"]), paths[row["type"]], keys)
                    }
                )
            facts = {SubjectId.parse(subject): [fact_of(r) for r in rows_of(cursor, sql, subject)] for subject in subjects}

        def person_of(name: str) -> str | None:
            matched = register.match(name)
            return matched if isinstance(matched, str) and matched in found else None

        for subject, of_subject in facts.items():
            for person, roles in roles_in(placing[subject.kind], of_subject, as_of, known_at, person_of).items():
                found[person] += roles
        with self._registers_lock:
            self._roles[key] = {person: list(roles) for person, roles in found.items()}
            while len(self._roles) > 64:
                self._roles.popitem(last=False)
        return found
