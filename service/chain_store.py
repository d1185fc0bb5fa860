"""The chain of a whole store: older facts linked once, and the chain checked against the stored bytes.

Facts stored before the chain existed are linked on first open, in position order, a batch to a
transaction that first takes the store's write lock (SQLite) or the log's table lock
(PostgreSQL, where start-up also holds the schema lock): two processes opening the store link
each fact once between them, a killed run leaves whole batches and the next open resumes after
the last link, and no stored event is touched. New facts are linked as they are recorded
(service/sqlite.py, service/postgres.py); start-up links the older ones before any write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from parley.projections.sql import Cursor, Database
from parley.service import chain, merkle, redacted_chain

BATCH = 1000
Progress = Callable[[int, int], None]


def _columns(database: Database, table: str) -> tuple[str, str]:
    return ("notification_id" if database.postgres else "rowid"), table


def _lock(cursor: Cursor, database: Database, table: str) -> None:
    if database.postgres:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    else:  # a write first, so the transaction holds the write lock before it reads
        cursor.execute("DELETE FROM event_chain WHERE position < 0")


def link_older(app: Any, progress: Progress | None = None) -> int:
    """Link every fact after the chain's last link; returns how many were linked here."""
    database: Database = app.database
    table = app.recorder.events_table_name
    position_column, _ = _columns(database, table)
    linked, scanned = 0, None
    while True:
        with database.transaction(commit=True) as cursor:
            _lock(cursor, database, table)
            last = cursor.execute(chain.LAST).fetchone()
            previous, leaf, after = (last["digest"], last["leaf"] + 1, last["position"]) if last else (chain.GENESIS, 0, 0)
            after = max(after, scanned or 0)
            rows = cursor.execute(
                f"SELECT {position_column} AS position, originator_version, topic, state FROM {table}"
                f" WHERE {position_column} > ? ORDER BY {position_column} LIMIT ?",
                (after, BATCH),
            ).fetchall()
            links = []
            for row in rows:
                if not chain.is_fact(row["topic"]):
                    continue
                item = chain.prepare(row["topic"], row["originator_version"], bytes(row["state"]))
                previous = chain.link(previous, chain.header(item.content, item.topic, item.version, row["position"]), item.body)
                links.append((row["position"], leaf, item.seed, previous))
                leaf += 1
            cursor.executemany(chain.INSERT, links)
        if not rows:
            return linked
        linked += len(links)
        scanned = rows[-1]["position"]
        if progress is not None and links:
            progress(scanned, app.recorder.max_notification_id() or scanned)


@dataclass
class Broken:
    """The first position whose stored bytes no longer match the chain, and how."""

    position: int
    reason: str


def verify(database: Database, table: str, batch: int = 5000) -> tuple[int, Broken | None]:
    """Recompute the chain from the stored events: how many links hold, and the first that does not."""
    position_column, _ = _columns(database, table)
    previous, expected_leaf, checked = chain.GENESIS, 0, 0
    first_broken: Broken | None = None
    unlinked = _first_unlinked(database, table, position_column)
    kept = _kept_chunks(database)
    redacted = redacted_chain.kept(database)  # events some of whose values were redacted: few
    leaves: list[bytes] = []  # the leaf hashes of the chunk being read, checked against `kept` when whole
    chunk_first = 0
    for row in _links(database, table, position_column, batch):
        position = row["position"]
        if unlinked is not None and unlinked < position:
            return checked, Broken(unlinked, "a fact is stored here with no link in the chain")
        if row["topic"] is None:
            return checked, Broken(position, "the chain links a fact that is no longer stored")
        if not chain.is_fact(row["topic"]):
            return checked, Broken(position, "the chain links a row that is not a fact")
        if row["leaf"] != expected_leaf:
            return checked, Broken(position, f"its leaf index is {row['leaf']}, not {expected_leaf}")
        try:
            item = redacted_chain.prepare(
                row["topic"], row["originator_version"], bytes(row["state"]), bytes(row["seed"]), redacted.get(position)
            )
            previous = chain.link(previous, chain.header(item.content, item.topic, item.version, position), item.body)
        except (ValueError, LookupError, TypeError):
            return checked, Broken(position, "its stored bytes are not JSON")
        if previous != bytes(row["digest"]):
            return checked, Broken(position, "its stored bytes no longer match its digest")
        if not leaves:
            chunk_first = position
        leaves.append(merkle.leaf_hash(previous))
        expected_leaf += 1
        checked += 1
        if len(leaves) == merkle.CHUNK:  # a whole chunk: the tree's kept hash of it must be its root
            chunk = expected_leaf // merkle.CHUNK - 1
            stated = kept.pop(chunk, None)
            if stated is not None and stated != (chunk_first, position + 1, merkle.root_of(leaves)):
                return checked, Broken(
                    stated[0],
                    f"the tree's kept hash of leaves {chunk * merkle.CHUNK}–{expected_leaf - 1}"
                    " does not match the chain (checkpoints and proofs would be wrong)",
                )
            leaves = []
    if unlinked is not None:
        first_broken = Broken(unlinked, "a fact is stored here with no link in the chain")
    elif kept:  # a kept hash of leaves the chain does not hold
        chunk = min(kept)
        first_broken = Broken(
            kept[chunk][0],
            f"the tree keeps a hash of leaves {chunk * merkle.CHUNK}–"
            f"{(chunk + 1) * merkle.CHUNK - 1}, which the chain does not hold",
        )
    return checked, first_broken


def _kept_chunks(database: Database) -> dict[int, tuple[int, int, bytes]]:
    """The tree's kept subtree hashes (service/merkle.py): chunk → (first position, next position, hash)."""
    with database.transaction(commit=False) as cursor:
        rows = cursor.execute("SELECT chunk, first_position, next_position, hash FROM merkle_chunks").fetchall()
    return {row["chunk"]: (row["first_position"], row["next_position"], bytes(row["hash"])) for row in rows}


def _first_unlinked(database: Database, table: str, position_column: str) -> int | None:
    topics = sorted(chain.CLAIM_TOPICS)
    marks = ", ".join("?" * len(topics))
    with database.transaction(commit=False) as cursor:
        return cursor.scalar(
            f"SELECT min(e.{position_column}) FROM {table} e LEFT JOIN event_chain c ON c.position = e.{position_column}"
            f" WHERE c.position IS NULL AND e.topic NOT IN ({marks})",
            topics,
        )


def _links(database: Database, table: str, position_column: str, batch: int) -> Iterator[Any]:
    after = -1
    while True:
        with database.transaction(commit=False) as cursor:  # short transactions: a batch each
            rows = cursor.execute(
                f"SELECT c.position, c.leaf, c.seed, c.digest, e.originator_version, e.topic, e.state"
                f" FROM event_chain c LEFT JOIN {table} e ON e.{position_column} = c.position"
                f" WHERE c.position > ? ORDER BY c.position LIMIT ?",
                (after, batch),
            ).fetchall()
        if not rows:
            return
        yield from rows
        after = rows[-1]["position"]


def chain_lines(database: Database, table: str, position: int, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """What a release's `chain.jsonl` holds for each fact up to `position`: its position and leaf
    index, its header, its body as stored with each value's salt, the commitment, and its digest."""
    position_column, _ = _columns(database, table)
    redacted = redacted_chain.kept(database)
    for row in _links(database, table, position_column, batch):
        if row["position"] > position:
            return
        hashes = redacted.get(row["position"], {})
        item = redacted_chain.prepare(row["topic"], row["originator_version"], bytes(row["state"]), bytes(row["seed"]), hashes)
        content = item.content
        yield {
            "position": row["position"],
            "leaf_index": row["leaf"],
            "header": chain.header(content, item.topic, item.version, row["position"]),
            "body": {
                **{name: content.get(name) for name in chain.BODY},
                **{name: content[name] for name in chain.EXTRA if name in content},
            },
            "salts": redacted_chain.opened(content, item.seed, hashes),
            "commitment": redacted_chain.commitment(content, item.seed, hashes),
            "digest": bytes(row["digest"]).hex(),
        }
