"""RFC 9162's Merkle tree over the chain's digests, its inclusion and consistency proofs.

Leaf i is the digest of the chain's i-th fact (its leaf index, not its position); a leaf's
hash is SHA-256(0x00 || digest), a node's SHA-256(0x01 || left || right), the empty tree's
SHA-256(""). The algorithms are RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF).

The hashes of complete subtrees of CHUNK leaves are kept in `merkle_chunks`, filled in leaf
order the first time a tree reaches past them (they never change), so a root or a proof at
a million facts reads chunk hashes and at most two chunks of leaves, not the chain. Each
process also remembers the chunk hashes it has read and the complete subtrees it has combined
from them (never changing either), so after the first, a root or a proof hashes little more
than the last, partial chunk.
"""

from __future__ import annotations

import hashlib
import threading
import weakref

from parley.projections.sql import Cursor, Database

CHUNK = 256
REMEMBERED = 200_000  # complete subtrees a process keeps per store (32 bytes each)


class _Memo:
    """What this process knows of one store's tree: chunk hashes in order, and complete subtrees."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.chunk = CHUNK
        self.chunks: list[bytes] = []
        self.subtrees: dict[tuple[int, int], bytes] = {}  # (first leaf, leaves): hash


_memos: weakref.WeakKeyDictionary[Database, _Memo] = weakref.WeakKeyDictionary()


def _memo(database: Database) -> _Memo:
    memo = _memos.get(database)
    if memo is None or memo.chunk != CHUNK:
        memo = _memos[database] = _Memo()
    return memo


TABLE = (
    "CREATE TABLE IF NOT EXISTS merkle_chunks (chunk BIGINT PRIMARY KEY, first_position BIGINT NOT NULL,"
    " next_position BIGINT NOT NULL, hash {blob} NOT NULL)"
)
EMPTY = hashlib.sha256(b"").digest()


def leaf_hash(digest: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + digest).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(hashes: list[bytes]) -> bytes:
    """MTH over hashes that are already leaf (or complete-subtree) hashes."""
    if not hashes:
        return EMPTY
    while len(hashes) > 1:
        paired = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes) - 1, 2)]
        if len(hashes) % 2:
            paired.append(hashes[-1])  # an odd right edge moves up: the same tree as RFC 9162's split
        hashes = paired
    return hashes[0]


class Tree:
    """The tree of the first `size` leaves of a store's chain."""

    def __init__(self, database: Database, size: int):
        self.database = database
        self.size = size
        self.memo = _memo(database)
        self.chunks = _chunks(database, self.memo, size // CHUNK)
        self._leaves: dict[int, list[bytes]] = {}

    def root(self) -> bytes:
        return self.mth(0, self.size)

    def mth(self, lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 0:
            return EMPTY
        if lo % CHUNK == 0 and n >= CHUNK and n & (n - 1) == 0:  # a complete subtree of whole chunks
            subtrees = self.memo.subtrees
            found = subtrees.get((lo, n))
            if found is None:
                found = (
                    self.chunks[lo // CHUNK] if n == CHUNK else node_hash(self.mth(lo, lo + n // 2), self.mth(lo + n // 2, hi))
                )
                if len(subtrees) >= REMEMBERED:
                    subtrees.clear()
                subtrees[(lo, n)] = found
            return found
        if n <= CHUNK:  # within one chunk: every range the recursion makes is aligned so
            leaves = self.leaves(lo // CHUNK)
            start = lo % CHUNK
            return root_of(leaves[start : start + n])
        k = split(n)
        return node_hash(self.mth(lo, lo + k), self.mth(lo + k, hi))

    def leaves(self, chunk: int) -> list[bytes]:
        if chunk not in self._leaves:
            first = _first_position(self.database, chunk)
            with self.database.transaction(commit=False) as cursor:
                rows = cursor.execute(
                    "SELECT digest FROM event_chain WHERE position >= ? ORDER BY position LIMIT ?",
                    (first, min(CHUNK, self.size - chunk * CHUNK)),
                ).fetchall()
            self._leaves[chunk] = [leaf_hash(bytes(r["digest"])) for r in rows]
        return self._leaves[chunk]

    def inclusion(self, leaf: int) -> list[bytes]:
        """PATH(leaf, D[0:size])."""
        return self._path(leaf, 0, self.size)

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n <= 1:
            return []
        k = split(n)
        if m < k:
            return [*self._path(m, lo, lo + k), self.mth(lo + k, hi)]
        return [*self._path(m - k, lo + k, hi), self.mth(lo, lo + k)]

    def consistency(self, old_size: int) -> list[bytes]:
        """PROOF(old_size, D[0:size])."""
        if old_size == 0 or old_size == self.size:
            return []
        return self._subproof(old_size, 0, self.size, True)

    def _subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [self.mth(lo, hi)]
        k = split(n)
        if m <= k:
            return [*self._subproof(m, lo, lo + k, whole), self.mth(lo + k, hi)]
        return [*self._subproof(m - k, lo + k, hi, False), self.mth(lo, lo + k)]


def _chunks(database: Database, memo: _Memo, count: int) -> list[bytes]:
    """The hashes of the first `count` complete chunks, computing (and keeping) any not kept yet."""
    kept = memo.chunks
    if len(kept) >= count:
        return kept
    with memo.lock:
        if len(kept) < count:
            with database.transaction(commit=False) as cursor:
                kept.extend(
                    bytes(r["hash"])
                    for r in cursor.execute(
                        "SELECT hash FROM merkle_chunks WHERE chunk >= ? AND chunk < ? ORDER BY chunk", (len(kept), count)
                    ).fetchall()
                )
        while len(kept) < count:
            with database.transaction(commit=True) as cursor:
                cursor.execute("DELETE FROM merkle_chunks WHERE chunk < 0")  # SQLite: the write lock before any read
                kept.extend(_fill(cursor, len(kept), min(count, len(kept) + 64)))
    return kept


def _fill(cursor: Cursor, start: int, stop: int) -> list[bytes]:
    previous = cursor.scalar("SELECT next_position FROM merkle_chunks WHERE chunk = ?", (start - 1,)) if start else 0
    rows = cursor.execute(
        "SELECT position, digest FROM event_chain WHERE position >= ? ORDER BY position LIMIT ?",
        (previous, (stop - start) * CHUNK),
    ).fetchall()
    made = []
    for index in range(stop - start):
        part = rows[index * CHUNK : (index + 1) * CHUNK]
        chunk_hash = root_of([leaf_hash(bytes(r["digest"])) for r in part])
        first, after = part[0]["position"], part[-1]["position"] + 1
        cursor.execute(
            "INSERT INTO merkle_chunks (chunk, first_position, next_position, hash) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (chunk) DO NOTHING",
            (start + index, first, after, chunk_hash),
        )
        made.append(chunk_hash)
    return made


def _first_position(database: Database, chunk: int) -> int:
    if chunk == 0:
        return 0
    with database.transaction(commit=False) as cursor:
        return cursor.scalar("SELECT next_position FROM merkle_chunks WHERE chunk = ?", (chunk - 1,))


def create(database: Database) -> None:
    database.create([TABLE.format(blob="BYTEA" if database.postgres else "BLOB")])
