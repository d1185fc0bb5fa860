"""The chain over an event some of whose values were redacted (SPEC §15).

A redacted value is gone from the stored event, replaced by a marker (domain/redacted.py); its
salted hash is kept in `redacted_values` by position and path, and its salt withheld. The
event's commitment is then the hashes of the values still stored, salted as before (a marker
stands where its value stood, so every other value keeps its salt), with the kept hash for each
redacted path: the same commitment, so the same digest, as when the event was recorded.

Only events with a row in `redacted_values` are read this way; the append path never is.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, cast

import orjson

from parley.projections.sql import Cursor, Database
from parley.service import chain

TABLE = (
    "CREATE TABLE IF NOT EXISTS redacted_values (position BIGINT NOT NULL, path TEXT NOT NULL,"
    " hash TEXT NOT NULL, redaction_id TEXT NOT NULL, PRIMARY KEY (position, path))"
)
Hashes = Mapping[str, str]  # path → hex hash kept for a redacted value


def create_table(database: Database) -> None:
    database.create([TABLE])


def kept(database: Database) -> dict[int, dict[str, str]]:
    """Every redacted event's kept hashes, by position: few, read once by a whole-store check."""
    with database.transaction(commit=False) as cursor:
        return kept_in(cursor)


def kept_in(cursor: Cursor, position: int | None = None) -> dict[int, dict[str, str]]:
    query, params = "SELECT position, path, hash FROM redacted_values", cast(tuple[int, ...], ())
    if position is not None:
        query, params = query + " WHERE position = ?", (position,)
    found: dict[int, dict[str, str]] = {}
    for row in cursor.execute(query, params).fetchall():
        found.setdefault(row["position"], {})[row["path"]] = row["hash"]
    return found


def _at(content: dict[str, Any], path: str) -> tuple[Any, Any]:
    """The container holding `path`'s value in `content`, and its key or index."""
    parts = path.split(".")
    holder: Any = content
    for part in parts[:-1]:
        holder = holder[int(part)] if type(holder) is list else holder[part]
    last = parts[-1]
    return holder, (int(last) if type(holder) is list else last)


def value_at(content: dict[str, Any], path: str) -> Any:
    holder, key = _at(content, path)
    return holder[key]


def replace_at(content: dict[str, Any], path: str, value: Any) -> None:
    holder, key = _at(content, path)
    holder[key] = value


def _shadow(content: dict[str, Any], hashes: Hashes) -> dict[str, Any]:
    """The content with a plain null where each marker stands: the same values in the same order."""
    shadow = copy.deepcopy(content)
    for path in hashes:
        replace_at(shadow, path, None)
    return shadow


def commitment(content: dict[str, Any], seed: bytes, hashes: Hashes) -> dict[str, str]:
    if not hashes:
        return chain.commitment(content, seed)
    return {**chain.commitment(_shadow(content, hashes), seed), **hashes}


def opened(content: dict[str, Any], seed: bytes, hashes: Hashes) -> dict[str, str]:
    """The salts a reader may have: none for a redacted value."""
    if not hashes:
        return chain.opened(content, seed)
    return {path: salt for path, salt in chain.opened(_shadow(content, hashes), seed).items() if path not in hashes}


def prepare(topic: str, version: int, state: bytes, seed: bytes, hashes: Hashes | None) -> chain.Prepared:
    """`chain.prepare` of a stored event, its redacted values counted by their kept hashes."""
    if not hashes:
        return chain.prepare(topic, version, state, seed)
    content = orjson.loads(state)
    return chain.Prepared(content, topic, version, seed, chain.committed_bytes(commitment(content, seed, hashes)))


def body_leaves(body: dict[str, Any], committed: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """`chain.leaves` of a chain file's body, a redacted value's marker being a value where the
    commitment names its path (docs/verifying.md §2)."""
    from parley.domain.redacted import is_redacted

    markers: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if is_redacted(value) and path in committed:
            markers[path] = value
        elif type(value) is dict and value:
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif type(value) is list and value:
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}")

    for name in (*chain.BODY, *chain.EXTRA):
        if name in body:
            walk(body[name], name)
    if not markers:
        return chain.leaves(body)
    shadow = _shadow(body, markers)
    return [(path, markers.get(path, value)) for path, value in chain.leaves(shadow)]
