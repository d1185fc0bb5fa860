"""Checkpoints and proofs over the chain (SPEC §15): what a reader checks a cited event against.

A checkpoint at position N is the Merkle tree hash (service/merkle.py) of the digests of the
facts at positions up to N, `size` their count; with a signing key, it is signed. An inclusion
proof shows one fact's digest is leaf `leaf_index` of that tree; a consistency proof shows the
tree at one checkpoint is a prefix of the tree at a later one.
"""

from __future__ import annotations

from typing import Any

from parley.projections.sql import Database
from parley.service import merkle
from parley.service.signing import CHECKPOINT, Signer


class BeyondTheChain(ValueError):
    """A position after the log's end, or a proof asked of a checkpoint that cannot hold it."""


def size_at(database: Database, position: int) -> int:
    with database.transaction(commit=False) as cursor:
        leaf = cursor.scalar("SELECT leaf FROM event_chain WHERE position <= ? ORDER BY position DESC LIMIT 1", (position,))
    return 0 if leaf is None else leaf + 1


def checkpoint(database: Database, position: int, signer: Signer | None) -> dict[str, Any]:
    size = size_at(database, position)
    made: dict[str, Any] = {"position": position, "size": size, "root": merkle.Tree(database, size).root().hex()}
    if signer is not None:
        made.update(signer.sign(CHECKPOINT, made))
    return made


def inclusion(database: Database, event_position: int, position: int) -> dict[str, Any]:
    """The audit path of the fact at `event_position` in the tree of the checkpoint at `position`."""
    with database.transaction(commit=False) as cursor:
        link = cursor.execute("SELECT leaf, digest FROM event_chain WHERE position = ?", (event_position,)).fetchone()
    if link is None:
        raise BeyondTheChain(f"the event at position {event_position} has no link in the chain")
    if event_position > position:
        raise BeyondTheChain(f"the event was recorded at position {event_position}, after the checkpoint at {position}")
    size = size_at(database, position)
    tree = merkle.Tree(database, size)
    return {
        "position": event_position,
        "leaf_index": link["leaf"],
        "digest": bytes(link["digest"]).hex(),
        "checkpoint": {"position": position, "size": size, "root": tree.root().hex()},
        "audit_path": [h.hex() for h in tree.inclusion(link["leaf"])],
    }


def consistency(database: Database, old_position: int, position: int) -> dict[str, Any]:
    if old_position > position:
        raise BeyondTheChain(f"from={old_position} is after the checkpoint at {position}")
    old_size, size = size_at(database, old_position), size_at(database, position)
    tree = merkle.Tree(database, size)
    return {
        "from": {"position": old_position, "size": old_size, "root": merkle.Tree(database, old_size).root().hex()},
        "to": {"position": position, "size": size, "root": tree.root().hex()},
        "proof": [h.hex() for h in tree.consistency(old_size)],
    }
