"""The chain (SPEC §15): each fact's `digest`, linking it to the fact before it.

    digest = SHA-256(previous digest (32 zero bytes before the first fact)
                     || JCS(header) || JCS(commitment))

The header is the fact's `event_id`, `position`, `subject`, `version`, `type`, `occurred`,
`recorded_at` and `recorded_by`, as stored. The commitment maps each value of its body (`data`,
`sources`, `note`; a leaf, named by its dotted path such as `sources.0.name`) to
SHA-256(salt || JCS(value)) in hex. A value later redacted keeps its hash while its salt is
withheld, so no one can confirm a guess of it; the other values still verify. The salts, 16 bytes
a value in the order the body is stored, are what the store keeps as the fact's `seed`: drawn by
one `os.urandom` when the write path hashes the dict it kept (at least three values, so at least
48 bytes), or SHAKE-256 of a 16-byte seed (a body decoded from its bytes, and every link made
before), whose output is not worth its cost where the salts can be drawn at once.

Everything is computed from the stored bytes, never from a decoded and upcast event: what was
chained is what a verifier gets. JCS is RFC 8785; orjson with sorted keys writes the same bytes
for what a stored fact holds (strings, integers, booleans, null, ASCII keys), and the `rfc8785`
package writes anything else (a float, a key beyond ASCII). docs/verifying.md is the reader's
account of the same bytes; tools/check_parley.py checks them without this code.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Iterator, Sequence
from datetime import datetime
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
SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS event_chain (position INTEGER PRIMARY KEY, leaf BIGINT NOT NULL,"
    " seed BLOB NOT NULL, digest BLOB NOT NULL)"
)
POSTGRES_TABLE = (
    "CREATE TABLE IF NOT EXISTS event_chain (position BIGINT PRIMARY KEY, leaf BIGINT NOT NULL,"
    " seed BYTEA NOT NULL, digest BYTEA NOT NULL)"
)
INSERT = "INSERT INTO event_chain (position, leaf, seed, digest) VALUES (?, ?, ?, ?)"
LAST = "SELECT position, leaf, digest FROM event_chain ORDER BY position DESC LIMIT 1"

_dumps = orjson.dumps
_loads = orjson.loads
_SORTED = orjson.OPT_SORT_KEYS
_urandom = os.urandom
_sha256 = hashlib.sha256  # OpenSSL's: the cheaper for the link's many blocks


def _cpython_sha256() -> Any:
    """CPython's own SHA-256 (`_sha256` in 3.11, `_sha2` after): about a third fewer instructions
    than OpenSSL's for a value's one or two blocks, since it costs almost nothing to make."""
    for name in ("_sha256", "_sha2"):
        try:
            return importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    return hashlib.sha256  # any SHA-256 gives the same bytes


_short_sha256 = _cpython_sha256()
_SHORT = 120  # bytes: up to here a value's salted text is hashed by `_short_sha256`
_shake = hashlib.shake_256
_LIMIT = 2**53
_TYPES: dict[str, str] = {}  # topic → the header's `type`
_AT = range(0, 2**62, SALT)  # each value's salt's offset in the stream


def _leaf(value: Any) -> bytes:
    kind = type(value)
    if kind is str or kind is bool or value is None or (kind is int and -_LIMIT < value < _LIMIT):
        return _dumps(value)
    return rfc8785.dumps(value)


def leaves(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """The body's values by dotted path, in the order stored; an empty list or object is a value.
    A top-level object's or list's own values are walked here, a call per deeper container."""
    out: list[tuple[str, Any]] = []
    add = out.append
    for name in BODY:
        value = body.get(name)
        kind = type(value)
        if kind is dict and value:
            for key, item in value.items():
                kind = type(item)
                if (kind is dict or kind is list) and item:
                    _walk(item, f"{name}.{key}", out)
                else:
                    add((f"{name}.{key}", item))
        elif kind is list and value:
            for index, item in enumerate(value):
                kind = type(item)
                if (kind is dict or kind is list) and item:
                    _walk(item, f"{name}.{index}", out)
                else:
                    add((f"{name}.{index}", item))
        else:
            add((name, value))
    if EXTRA[0] in body:  # one name: looked up once, as every fact is
        value = body[EXTRA[0]]
        kind = type(value)
        if (kind is dict or kind is list) and value:
            _walk(value, EXTRA[0], out)
        else:
            add((EXTRA[0], value))
    return out


def _walk(value: dict[str, Any] | list[Any], path: str, out: list[tuple[str, Any]]) -> None:
    """A non-empty object's or list's values; a call per nested container, not per value."""
    add = out.append
    for key, item in value.items() if type(value) is dict else enumerate(value):
        kind = type(item)
        if (kind is dict or kind is list) and item:
            _walk(item, f"{path}.{key}", out)
        else:
            add((f"{path}.{key}", item))


def _stream(seed: bytes, count: int) -> bytes:
    """The salts of a fact's `count` values, one after another, from what the store keeps."""
    return _shake(seed).digest(SALT * count) if len(seed) == SEED else seed


def salts(seed: bytes, count: int) -> Iterator[bytes]:
    stream = _stream(seed, count) if count else b""
    return (stream[i : i + SALT] for i in range(0, SALT * count, SALT))


def commitment(body: dict[str, Any], seed: bytes) -> dict[str, str]:
    """Each value's salted hash, by path."""
    return _commitment(leaves(body), seed)


class _NotDecoded(Exception):
    """A value of the dict a state was encoded from that decoding the state might not give back."""


def _commitment(values: list[tuple[str, Any]], seed: bytes, decoded: bool = True) -> dict[str, str]:
    """`commitment` of the leaves: one SHAKE for every salt, each value's bytes written and hashed
    inline. Of values not `decoded` from stored JSON, only JSON's own types are taken."""
    out: dict[str, str] = {}
    if not values:
        return out
    stream = _stream(seed, len(values))
    for (path, value), at in zip(values, _AT):
        kind = type(value)
        if kind is str or value is None or kind is bool or (kind is int and -_LIMIT < value < _LIMIT):
            text = stream[at : at + SALT] + _dumps(value)
        elif decoded or kind is dict or kind is list:  # undecoded, an empty object or list only
            text = stream[at : at + SALT] + rfc8785.dumps(value)
        else:
            raise _NotDecoded(path)
        out[path] = (_short_sha256(text) if len(text) < _SHORT else _sha256(text)).hexdigest()
    return out


def opened(body: dict[str, Any], seed: bytes) -> dict[str, str]:
    """Each value's salt, by path, in hex: what lets a reader check a value against the commitment."""
    values = leaves(body)
    return {path: salt.hex() for (path, _), salt in zip(values, salts(seed, len(values)))}


def committed_bytes(commitment_: dict[str, str]) -> bytes:
    text = _dumps(commitment_, option=_SORTED)
    return text if text.isascii() else rfc8785.dumps(commitment_)


def _type_of(topic: str) -> str:
    kind = _TYPES.get(topic)
    if kind is None:
        kind = _TYPES[topic] = topic.rpartition(":")[2].rpartition(".")[2]
    return kind


def _recorded_at(content: dict[str, Any]) -> Any:
    recorded_at: Any = content.get("timestamp")
    kind = type(recorded_at)
    if kind is dict:
        return recorded_at.get("_data_")
    if kind is datetime:  # not yet encoded: as the transcoder writes it (eventsourcing's DatetimeAsISO)
        return recorded_at.isoformat()
    return recorded_at


def header(content: dict[str, Any], topic: str, version: int, position: int) -> dict[str, Any]:
    """The header as chained, from a stored fact's decoded JSON (or the dict it was encoded from)."""
    return {
        "event_id": content.get("event_id"),
        "position": position,
        "subject": content.get("subject"),
        "version": version,
        "type": _type_of(topic),
        "occurred": content.get("occurred"),
        "recorded_at": _recorded_at(content),
        "recorded_by": content.get("recorded_by"),
    }


def link(previous: bytes, header_: dict[str, Any], body_commitment: bytes) -> bytes:
    # A header holds strings, small integers and null under ASCII keys: orjson's bytes are JCS's.
    return _sha256(previous + _dumps(header_, option=_SORTED) + body_commitment).digest()


def append_link(previous: bytes, item: Prepared, position: int) -> bytes:
    """`link` of a prepared fact: its header built in the order RFC 8785 sorts its keys, so
    written without a sort."""
    content = item[0]
    return _sha256(
        previous
        + _dumps(
            {
                "event_id": content.get("event_id"),
                "occurred": content.get("occurred"),
                "position": position,
                "recorded_at": _recorded_at(content),
                "recorded_by": content.get("recorded_by"),
                "subject": content.get("subject"),
                "type": _type_of(item[1]),
                "version": item[2],
            }
        )
        + item[4]
    ).digest()


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


_new = tuple.__new__  # a Prepared without NamedTuple's `__new__` in Python


def prepare(topic: str, version: int, state: bytes, seed: bytes | None = None, content: dict[str, Any] | None = None) -> Prepared:
    """`content` is the dict `state` was just encoded from (service/transcoder.py), when the write
    path has it: where its values are JSON's own types, they are what decoding `state` gives."""
    if seed is None:
        seed = _urandom(SEED)
    if content is not None:
        try:
            committed = _commitment(leaves(content), seed, False)
        except _NotDecoded:  # a tuple, a float, a str subclass…: its stored bytes decide
            content = None
    if content is None:
        content = _loads(state)
        committed = _commitment(leaves(content), seed)
    text = _dumps(committed, option=_SORTED)
    return _new(Prepared, (content, topic, version, seed, text if text.isascii() else rfc8785.dumps(committed)))


def prepare_all(stored_events: Sequence[Any]) -> list[Prepared | None]:
    """`prepare` of each fact (None for a store's internal row), the content path inline: a call
    fewer a fact, and its salts drawn, not derived (an `os.urandom` costs a tenth of a SHAKE)."""
    out: list[Prepared | None] = []
    add = out.append
    for s in stored_events:
        topic = s.topic
        if topic in CLAIM_TOPICS:
            add(None)
            continue
        content = getattr(s, "content", None)
        if content is None:
            add(prepare(topic, s.originator_version, s.state))
            continue
        values = leaves(content)
        seed = _urandom(SALT * len(values))
        try:
            committed = _commitment(values, seed, False)
        except _NotDecoded:  # a tuple, a float, a str subclass…: its stored bytes decide
            add(prepare(topic, s.originator_version, s.state))
            continue
        text = _dumps(committed, option=_SORTED)
        add(_new(Prepared, (content, topic, s.originator_version, seed, text if text.isascii() else rfc8785.dumps(committed))))
    return out


def append(cursor: Cursor, prepared: Sequence[Prepared | None] | None, positions: Sequence[int] | None) -> None:
    """Link the facts just inserted at `positions`, in the events' transaction, after their insert:
    the store's write lock (SQLite) or the log's table lock (PostgreSQL) orders the links."""
    if not prepared or positions is None:
        return
    last = cursor.execute(LAST).fetchone()
    previous, leaf = (last["digest"], last["leaf"] + 1) if last is not None else (GENESIS, 0)
    rows: list[tuple[int, int, bytes, bytes]] = []
    add = rows.append
    for item, position in zip(prepared, positions):  # `append_link` inline: a call fewer a fact
        if item is None:
            continue
        content = item[0]
        recorded_at = content.get("timestamp")
        recorded_at = recorded_at.get("_data_") if type(recorded_at) is dict else _recorded_at(content)
        previous = _sha256(
            previous
            + _dumps(
                {
                    "event_id": content.get("event_id"),
                    "occurred": content.get("occurred"),
                    "position": position,
                    "recorded_at": recorded_at,
                    "recorded_by": content.get("recorded_by"),
                    "subject": content.get("subject"),
                    "type": _TYPES.get(item[1]) or _type_of(item[1]),
                    "version": item[2],
                }
            )
            + item[4]
        ).digest()
        add((position, leaf, item[3], previous))
        leaf += 1
    if len(rows) == 1:
        cursor.execute(INSERT, rows[0])
    else:
        cursor.executemany(INSERT, rows)
