"""The chain (SPEC §15): each fact's `digest`, linking it to the fact before it.

    digest = SHA-256(previous digest (32 zero bytes before the first fact)
                     || JCS(header) || JCS(commitment))

The header is the fact's `event_id`, `position`, `subject`, `version`, `type`, `occurred`,
`recorded_at` and `recorded_by`, as stored. The commitment maps each value of its body (`data`,
`sources`, `note`; a leaf, named by its dotted path such as `sources.0.name`) to
SHA-256(salt || JCS(value)) in hex. A value later redacted keeps its hash while its salt is
withheld, so no one can confirm a guess of it; the other values still verify. The salts come from
one random seed per fact (SHAKE-256 of the seed, 16 bytes a value, in the order the body is
stored), so a fact costs one `os.urandom`, and the seed is all the store keeps.

Everything is computed from the stored bytes, never from a decoded and upcast event: what was
chained is what a verifier gets. JCS is RFC 8785; orjson with sorted keys writes the same bytes
for what a stored fact holds (strings, integers, booleans, null, ASCII keys), and the `rfc8785`
package writes anything else (a float, a key beyond ASCII). docs/verifying.md is the reader's
account of the same bytes; tools/check_parley.py checks them without this code.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import orjson
import rfc8785

from parley.projections.sql import Cursor
from parley.service.claims import CLAIM_TOPICS

GENESIS = bytes(32)
SALT = 16
SEED = 16
BODY = ("data", "sources", "note")
EXTRA = ("imported_recorded_at",)  # committed as a body value when stored: a restamped import's file time
HEADER = ("event_id", "position", "subject", "version", "type", "occurred", "recorded_at", "recorded_by")
SQLITE_TABLE = ("CREATE TABLE IF NOT EXISTS event_chain (position INTEGER PRIMARY KEY, leaf BIGINT NOT NULL,"
                " seed BLOB NOT NULL, digest BLOB NOT NULL)")
POSTGRES_TABLE = ("CREATE TABLE IF NOT EXISTS event_chain (position BIGINT PRIMARY KEY, leaf BIGINT NOT NULL,"
                  " seed BYTEA NOT NULL, digest BYTEA NOT NULL)")
INSERT = "INSERT INTO event_chain (position, leaf, seed, digest) VALUES (?, ?, ?, ?)"
LAST = "SELECT position, leaf, digest FROM event_chain ORDER BY position DESC LIMIT 1"

_dumps = orjson.dumps
_SORTED = orjson.OPT_SORT_KEYS
_sha256 = hashlib.sha256


def _leaf(value: Any) -> bytes:
    kind = type(value)
    if kind is str or kind is bool or value is None or (kind is int and -(2**53) < value < 2**53):
        return _dumps(value)
    return rfc8785.dumps(value)


def leaves(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """The body's values by dotted path, in the order stored; an empty list or object is a value."""
    out: list[tuple[str, Any]] = []
    for name in BODY:
        _walk(body.get(name), name, out)
    for name in EXTRA:
        if name in body:
            _walk(body[name], name, out)
    return out


def _walk(value: Any, path: str, out: list[tuple[str, Any]]) -> None:
    kind = type(value)
    if kind is dict and value:
        for key, item in value.items():
            _walk(item, f"{path}.{key}", out)
    elif kind is list and value:
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}", out)
    else:
        out.append((path, value))


def salts(seed: bytes, count: int) -> Iterator[bytes]:
    stream = hashlib.shake_256(seed).digest(SALT * count) if count else b""
    return (stream[i:i + SALT] for i in range(0, SALT * count, SALT))


def commitment(body: dict[str, Any], seed: bytes) -> dict[str, str]:
    """Each value's salted hash, by path."""
    values = leaves(body)
    return {path: _sha256(salt + _leaf(value)).hexdigest() for (path, value), salt in zip(values, salts(seed, len(values)))}


def opened(body: dict[str, Any], seed: bytes) -> dict[str, str]:
    """Each value's salt, by path, in hex: what lets a reader check a value against the commitment."""
    values = leaves(body)
    return {path: salt.hex() for (path, _), salt in zip(values, salts(seed, len(values)))}


def committed_bytes(commitment_: dict[str, str]) -> bytes:
    text = _dumps(commitment_, option=_SORTED)
    return text if text.isascii() else rfc8785.dumps(commitment_)


def header(content: dict[str, Any], topic: str, version: int, position: int) -> dict[str, Any]:
    """The header as chained, from a stored fact's decoded JSON."""
    recorded_at = content.get("timestamp")
    if type(recorded_at) is dict:
        recorded_at = recorded_at.get("_data_")
    return {
        "event_id": content.get("event_id"), "position": position, "subject": content.get("subject"),
        "version": version, "type": topic.rpartition(":")[2].rpartition(".")[2],
        "occurred": content.get("occurred"), "recorded_at": recorded_at, "recorded_by": content.get("recorded_by"),
    }


def link(previous: bytes, header_: dict[str, Any], body_commitment: bytes) -> bytes:
    # A header holds strings, small integers and null under ASCII keys: orjson's bytes are JCS's.
    return _sha256(previous + _dumps(header_, option=_SORTED) + body_commitment).digest()


def is_fact(topic: str) -> bool:
    """A store's internal rows (an older release's id claims) are not links."""
    return topic not in CLAIM_TOPICS


class Prepared(NamedTuple):
    """What a fact's link needs besides its position and the link before it, worked out before
    the events' transaction: all of the hashing of its body."""

    content: dict[str, Any]
    topic: str
    version: int
    seed: bytes
    body: bytes  # JCS of the commitment


def prepare(topic: str, version: int, state: bytes, seed: bytes | None = None) -> Prepared:
    content = orjson.loads(state)
    seed = os.urandom(SEED) if seed is None else seed
    return Prepared(content, topic, version, seed, committed_bytes(commitment(content, seed)))


def prepare_all(stored_events: Sequence[Any]) -> list[Prepared | None]:
    return [prepare(s.topic, s.originator_version, s.state) if is_fact(s.topic) else None for s in stored_events]


def append(cursor: Cursor, prepared: Sequence[Prepared | None] | None, positions: Sequence[int] | None) -> None:
    """Link the facts just inserted at `positions`, in the events' transaction, after their insert:
    the store's write lock (SQLite) or the log's table lock (PostgreSQL) orders the links."""
    if not prepared or positions is None:
        return
    last = cursor.execute(LAST).fetchone()
    previous, leaf = (last["digest"], last["leaf"] + 1) if last is not None else (GENESIS, 0)
    rows = []
    for item, position in zip(prepared, positions):
        if item is None:
            continue
        previous = link(previous, header(item.content, item.topic, item.version, position), item.body)
        rows.append((position, leaf, item.seed, previous))
        leaf += 1
    cursor.executemany(INSERT, rows)
