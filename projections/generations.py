"""Generations of a projection's views, and the pointer row that says which one readers use.

A rebuild builds a new generation's tables beside the live ones (their names end in `_g<n>`)
and moves the pointer when the new ones are complete; the old generation is dropped after.
Nothing is renamed: SQLite cannot rename indexes, and on PostgreSQL a rename or a drop waits
behind every long reader of the table. Each generation has its own tracking name, and a live
catch-up checks the pointer in its own transaction, so a batch read for the generation the
pointer has just left is refused and reread for the new one.

Generation 0 is the views made before generations existed: its names have no suffix.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.persistence import IntegrityError

from parley.projections.sql import Cursor

REGISTRY = (
    "CREATE TABLE IF NOT EXISTS projection_generations ("
    " name TEXT NOT NULL, generation INTEGER NOT NULL, layout INTEGER NOT NULL, PRIMARY KEY (name, generation))"
)
POINTERS = (
    "CREATE TABLE IF NOT EXISTS projection_pointers ( name TEXT PRIMARY KEY, generation INTEGER NOT NULL, tracking TEXT NOT NULL)"
)
# Where views made before generations recorded their layout; read once, to adopt them as generation 0.
LEGACY_LAYOUTS = "CREATE TABLE IF NOT EXISTS projection_layouts (name TEXT PRIMARY KEY, layout INTEGER NOT NULL)"


class GenerationGone(Exception):
    """The generation being built was dropped meanwhile: another rebuild started over."""


def suffix(generation: int) -> str:
    return "" if generation == 0 else f"_g{generation}"


@dataclass(frozen=True)
class Generations:
    """The registry and pointer rows of one projection, read and moved inside the caller's transaction."""

    name: str
    postgres: bool

    def tracking_name(self, generation: int) -> str:
        return self.name + suffix(generation)

    def create_tables(self, cursor: Cursor) -> None:
        for statement in (REGISTRY, POINTERS, LEGACY_LAYOUTS):
            cursor.execute(statement)

    def current(self, cursor: Cursor) -> int | None:
        return cursor.scalar("SELECT generation FROM projection_pointers WHERE name = ?", (self.name,))

    def check_current(self, cursor: Cursor, generation: int) -> None:
        """For a live batch: refused (and reread) if the pointer has moved since it was read."""
        now = cursor.scalar("SELECT generation FROM projection_pointers WHERE name = ?" + self._shared(), (self.name,))
        if now != generation:
            raise IntegrityError(f"{self.name} switched from generation {generation} to {now}")

    def layout(self, cursor: Cursor, generation: int) -> int | None:
        return cursor.scalar(
            "SELECT layout FROM projection_generations WHERE name = ? AND generation = ?", (self.name, generation)
        )

    def legacy_layout(self, cursor: Cursor) -> int | None:
        return cursor.scalar("SELECT layout FROM projection_layouts WHERE name = ?", (self.name,))

    def registered(self, cursor: Cursor) -> list[int]:
        rows = cursor.execute(
            "SELECT generation FROM projection_generations WHERE name = ? ORDER BY generation", (self.name,)
        ).fetchall()
        return [row["generation"] for row in rows]

    def register(self, cursor: Cursor, generation: int, layout: int) -> None:
        cursor.execute(
            "INSERT INTO projection_generations (name, generation, layout) VALUES (?, ?, ?)",
            (self.name, generation, layout),
        )

    def point_at(self, cursor: Cursor, generation: int) -> None:
        """The first pointer row; later moves go through `switch`."""
        cursor.execute(
            "INSERT INTO projection_pointers (name, generation, tracking) VALUES (?, ?, ?)",
            (self.name, generation, self.tracking_name(generation)),
        )

    def switch(self, cursor: Cursor, old: int, new: int) -> bool:
        """Move the pointer from `old` to `new`; False if it no longer points at `old`.

        Run first in its transaction: the row lock (PostgreSQL) or the write lock (SQLite)
        makes live catch-ups of `old` wait and then fail their check of the pointer.
        """
        moved = cursor.execute(
            "UPDATE projection_pointers SET generation = ?, tracking = ? WHERE name = ? AND generation = ? RETURNING generation",
            (new, self.tracking_name(new), self.name, old),
        ).fetchone()
        return moved is not None

    def check_registered(self, cursor: Cursor, generation: int) -> None:
        """For a rebuild's transaction, first thing: its generation is still there (and held).

        A write, not a read: an SQLite transaction that reads first and then writes fails if
        another process wrote in between.
        """
        held = cursor.execute(
            "UPDATE projection_generations SET layout = layout WHERE name = ? AND generation = ? RETURNING generation",
            (self.name, generation),
        ).fetchone()
        if held is None:
            raise GenerationGone(f"{self.name} generation {generation} was dropped by another rebuild")

    def register_next(self, cursor: Cursor, layout: int) -> int:
        """A new generation, numbered after every one there is."""
        return cursor.execute(
            "INSERT INTO projection_generations (name, generation, layout)"
            " SELECT ?, COALESCE(MAX(generation), 0) + 1, ? FROM projection_generations WHERE name = ?"
            " RETURNING generation",
            (self.name, layout, self.name),
        ).fetchone()["generation"]

    def forget(self, cursor: Cursor, generation: int, tracking_table: str) -> None:
        cursor.execute("DELETE FROM projection_generations WHERE name = ? AND generation = ?", (self.name, generation))
        cursor.execute(f"DELETE FROM {tracking_table} WHERE application_name = ?", (self.tracking_name(generation),))

    def _shared(self) -> str:
        # Holds the row against a concurrent switch or drop until this transaction ends; SQLite
        # needs nothing of the kind, its writers take turns.
        return " FOR SHARE" if self.postgres else ""
