"""The `event_ids` table: the store-wide index that makes `event_id` idempotent across processes.

Each recorded event's id is inserted into it in the same transaction as the event, by the
application recorder (service/sqlite.py, service/postgres.py). The id is the table's primary
key, so a second save of the same id is the database's unique violation, whichever process
tries: the save fails whole and the write is decided again, carefully (service/deciding.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson

from parley.projections.sql import Cursor, Database

TABLE = (
    "CREATE TABLE IF NOT EXISTS event_ids (event_id TEXT PRIMARY KEY, position BIGINT NOT NULL,"
    " subject TEXT NOT NULL, version BIGINT NOT NULL, digest TEXT NOT NULL)"
)
SQLITE_TABLE = TABLE + " WITHOUT ROWID"  # the key is the row: one b-tree, not a table and an index
INSERT = "INSERT INTO event_ids (event_id, position, subject, version, digest) VALUES (?, ?, ?, ?, ?)"


class EventId(NamedTuple):
    """Which subject and version an event id was recorded as, where, and a digest of its content."""

    event_id: str
    subject: str
    version: int
    digest: str
    position: int = 0  # known once the event is inserted


def digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def canonical(content: dict[str, Any]) -> bytes:
    """`json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)`, encoded: the
    digested text, which stored digests fix forever. Written by orjson (the json module's
    encoder was a tenth of deciding an event), whose output differs from it only in leaving
    DEL and non-ASCII characters unescaped, which are then escaped as `ensure_ascii` escapes
    them; floats, which orjson writes its own way, are in no content (tests/unit/test_transcoder.py).
    What orjson cannot encode is encoded, or refused, by the json module, as before."""
    try:
        text = orjson.dumps(content, default=str, option=_CANONICAL)
    except orjson.JSONEncodeError:
        return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    if text.isascii() and b"\x7f" not in text:
        return text
    return _ESCAPED.sub(_escape, text.decode()).encode()


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_ESCAPED = re.compile(r"[^\x00-\x7e]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10) & 0x3FF:04x}\\u{0xDC00 | code & 0x3FF:04x}"


def insert(cursor: Cursor, event_ids: Sequence[EventId] | None, positions: Sequence[int] | None) -> None:
    """Index the ids of events just inserted at `positions`, one id per event, in order."""
    if not event_ids:
        return
    assert positions is not None and len(positions) == len(event_ids), "one event id per stored event"
    cursor.executemany(INSERT, [(e.event_id, p, e.subject, e.version, e.digest) for e, p in zip(event_ids, positions)])


class EventIdIndex:
    """Looks event ids up; the recorders write them."""

    def __init__(self, database: Database):
        self.database = database

    def get(self, event_id: str) -> EventId | None:
        with self.database.transaction(commit=False) as cursor:
            row = cursor.execute(
                "SELECT event_id, subject, version, digest, position FROM event_ids WHERE event_id = ?", (event_id,)
            ).fetchone()
        return None if row is None else EventId(*(row[k] for k in EventId._fields))
