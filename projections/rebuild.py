"""`parley rebuild`: a new generation of the views, built beside the live one, then switched to.

Readers keep using the live generation throughout. The new one is filled by the bulk path —
every event loaded, then the indexes built, then states folded a run of whole subjects at a
time (bulk_fold.py) — caught up to the log's end by the live path, and switched to by moving
the pointer row (see generations.py); the generations left behind are dropped after. Every
step is its own short transaction (SQLite's writers wait for it at most
`PARLEY_LOCK_TIMEOUT`), so a kill at any point leaves the live views answering; the next run
starts over.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from parley.projections import bulk_fold
from parley.projections.generations import GenerationGone
from parley.projections.sql import Cursor

if TYPE_CHECKING:
    from parley.projections.runner import ViewRunner

Progress = Callable[[str, int, int], None]  # a step, how far it is, and out of how many
SWITCH_ATTEMPTS = 20  # catch up and try again while live catch-ups keep the old generation ahead

LOADING, INDEXING, FOLDING, SWITCHING = "loading events", "building indexes", "folding states", "catching up"


class Rebuild:
    def __init__(self, runner: ViewRunner, progress: Progress | None = None):
        self.runner = runner
        self.database = runner.database
        self.projection = runner.projection
        self.generations = runner.generations
        self.progress = progress or (lambda step, done, total: None)
        # Events loaded per transaction (unindexed: tens of milliseconds for 10,000), and rows
        # that change states folded per transaction, cut at a whole subject.
        self.load_batch, self.fold_batch = runner.rebuild_batch, max(1, runner.rebuild_batch // 2)

    def run(self) -> int:
        generation = self._begin()
        loaded = self._load(generation)
        self._index(generation)
        self._analyze(generation)  # the fold reads the events back by subject
        if getattr(self.projection, "folds_in_bulk", False):
            self._fold(generation, loaded)
            self._analyze(generation)  # readers' plans, from the moment of the switch
        old = self._switch(generation)
        self._drop(old)
        return loaded

    def _begin(self) -> int:
        """A new generation's empty tables; generations a killed rebuild left are dropped first."""
        with self.database.transaction(commit=True) as cursor:
            generation = self.generations.register_next(cursor, self.projection.layout)
            live = self.generations.current(cursor)
            for left in self.generations.registered(cursor):
                if left not in (live, generation):
                    self._forget(cursor, left)
            for statement in self.projection.tables(generation):
                cursor.execute(statement)
        return generation

    def _load(self, generation: int) -> int:
        start, loaded, end = 0, 0, self.runner.app.recorder.max_notification_id() or 0
        self.progress(LOADING, 0, end)
        while batch := self.runner.read_after(start, self.load_batch):
            rows = self.projection.encode(batch)  # encoded before the transaction, which only inserts

            def insert(cursor: Cursor, generation: int, _: object, rows: Any = rows) -> None:
                self.projection.insert_rows(cursor, generation, rows)

            self.runner.write_batch(generation, start, batch, insert)
            start, loaded = batch[-1][0], loaded + len(batch)
            self.progress(LOADING, start, max(start, end))
        return loaded

    def _index(self, generation: int) -> None:
        statements = self.projection.indexes(generation)
        self.progress(INDEXING, 0, len(statements))
        for done, statement in enumerate(statements, start=1):
            with self.database.transaction(commit=True) as cursor:
                self.generations.check_registered(cursor, generation)
                cursor.execute(statement)
            self.progress(INDEXING, done, len(statements))

    def _analyze(self, generation: int) -> None:
        """PostgreSQL plans by each table's statistics, and new tables have none until autovacuum
        comes by: with none, a state at a date on a freshly rebuilt 1M-event store took 17 times
        as long as on a small one (docs/benchmarks.md). SQLite plans well without them."""
        if self.database.postgres:
            with self.database.transaction(commit=True) as cursor:
                self.generations.check_registered(cursor, generation)
                self.projection.analyze(cursor, generation)

    def _fold(self, generation: int, loaded: int) -> None:
        after, folded, names = "", 0, self.projection.names(generation)
        self.progress(FOLDING, 0, loaded)
        while True:
            with self.database.transaction(commit=False) as cursor:
                rows = bulk_fold.subject_rows(cursor, names, after, self.fold_batch)
            if not rows:
                return
            states = bulk_fold.folded(rows, self.projection.folds)
            with self.database.transaction(commit=True) as cursor:
                self.generations.check_registered(cursor, generation)
                folded += bulk_fold.fold_subjects(cursor, names, states)
            after = rows[-1]["subject"]
            self.progress(FOLDING, folded, max(folded, loaded))

    def _switch(self, generation: int) -> int:
        """Catch the new generation up by the live path, then point readers at it; returns the old one."""
        for _ in range(SWITCH_ATTEMPTS):
            start = self._catch_up(generation)
            old = self.runner.current()[0]
            try:
                with self.database.transaction(commit=True) as cursor:
                    if not self.generations.switch(cursor, old, generation):
                        raise GenerationGone(f"another rebuild switched {self.projection.name} meanwhile")
                    self.generations.check_registered(cursor, generation)
                    self._check_not_behind(cursor, old, generation)
            except _Behind:
                continue
            self.progress(SWITCHING, start, start)
            return old
        raise RuntimeError(f"live updates kept {self.projection.name} generation {generation} behind; run again")

    def _catch_up(self, generation: int) -> int:
        """Up to the end of the log as it is now: writes keep coming, and the switch's check
        (`_check_not_behind`) asks only for what readers of the old generation may have seen."""
        start, end = self._position(generation), self.runner.app.recorder.max_notification_id() or 0
        self.progress(SWITCHING, start, max(start, end))
        while start < end and (batch := self.runner.read_after(start, self.load_batch)):
            self.runner.write_batch(generation, start, batch, self.projection.apply_batch)
            start = batch[-1][0]
            self.progress(SWITCHING, start, max(start, end))
        return start

    def _check_not_behind(self, cursor: Cursor, old: int, new: int) -> None:
        """Whatever a live catch-up applied to the old generation (and a reader may have seen) the new
        one has too; the pointer's row lock keeps any more from being applied to the old one."""
        if self._position(old, cursor) > self._position(new, cursor):
            raise _Behind

    def _position(self, generation: int, cursor: Cursor | None = None) -> int:
        sql = f"SELECT notification_id FROM {self.runner.tracking_table} WHERE application_name = ?"
        name = self.generations.tracking_name(generation)
        if cursor is not None:
            return cursor.scalar(sql, (name,)) or 0
        with self.database.transaction(commit=False) as reading:
            return reading.scalar(sql, (name,)) or 0

    def _drop(self, old: int) -> None:
        """The generations readers have left; on PostgreSQL each waits for their last readers."""
        with self.database.transaction(commit=True) as cursor:
            self._forget(cursor, old)

    def _forget(self, cursor: Cursor, generation: int) -> None:
        self.generations.forget(cursor, generation, self.runner.tracking_table)
        self.projection.drop(cursor, generation)


class _Behind(Exception):
    """Live catch-ups applied more to the old generation since the new one was caught up."""
