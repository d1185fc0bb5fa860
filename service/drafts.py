"""Drafts (SPEC §13): a pasted report and the events proposed from it, kept apart from the log.

A draft is the report's text, its source, the proposals the drafter made, who made it (the
token's name) and what has been recorded from it. It lives in its own table, never in the event
log: nothing of it is a fact until a person confirms proposals, which are then recorded as one
batch under every rule, each with an `event_id` derived from the draft and the proposal, so
confirming again stores nothing twice.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from parley.projections.sql import Database, from_us

TABLE = (
    "CREATE TABLE IF NOT EXISTS drafts (draft_id TEXT PRIMARY KEY, created_at BIGINT NOT NULL,"
    " created_by TEXT NOT NULL, body TEXT NOT NULL, recorded TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS drafts_by_time ON drafts (created_at, draft_id)",
)

# Fixed forever: the event recorded from a proposal keeps its id across confirmations.
DRAFT_EVENTS = uuid.UUID("8e7a3c52-51c4-4f7e-9d0b-6a2f4f1c9b37")


def event_id_of(draft_id: str, proposal_id: str) -> str:
    """The id of the event recorded from a proposal of a draft: the same at every confirmation."""
    return str(uuid.uuid5(DRAFT_EVENTS, f"{draft_id}/{proposal_id}"))


class DraftStore:
    def __init__(self, database: Database):
        self.database = database

    def create_table(self) -> None:
        self.database.create(TABLE)

    def add(
        self, created_by: str, text: str, source: dict[str, Any], language: str, proposals: list[dict[str, Any]]
    ) -> dict[str, Any]:
        draft_id = str(uuid.uuid4())
        created_at = time.time_ns() // 1000
        body = {"text": text, "source": source, "language": language, "proposals": proposals}
        with self.database.transaction(commit=True) as cursor:
            cursor.execute(
                "INSERT INTO drafts (draft_id, created_at, created_by, body, recorded) VALUES (?, ?, ?, ?, ?)",
                (draft_id, created_at, created_by, json.dumps(body, ensure_ascii=False), "{}"),
            )
        return _shown(draft_id, created_at, created_by, body, {})

    def get(self, draft_id: str) -> dict[str, Any] | None:
        with self.database.transaction(commit=False) as cursor:
            row = cursor.execute(
                "SELECT draft_id, created_at, created_by, body, recorded FROM drafts WHERE draft_id = ?", (draft_id,)
            ).fetchone()
        return None if row is None else _row(row)

    def page(self, limit: int, after: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """Drafts newest first, without their text and proposals; `after` is the previous page's `next`."""
        query = "SELECT draft_id, created_at, created_by, body, recorded FROM drafts"
        params: tuple[Any, ...] = ()
        if after:
            at, _, last = after.partition("_")
            query += " WHERE created_at < ? OR (created_at = ? AND draft_id < ?)"
            params = (int(at), int(at), last)
        with self.database.transaction(commit=False) as cursor:
            rows = cursor.execute(query + " ORDER BY created_at DESC, draft_id DESC LIMIT ?", (*params, limit)).fetchall()
        drafts = [_summary(_row(row)) for row in rows]
        following = f"{rows[-1]['created_at']}_{rows[-1]['draft_id']}" if len(rows) == limit else None
        return drafts, following

    def delete(self, draft_id: str) -> bool:
        with self.database.transaction(commit=True) as cursor:
            found = cursor.scalar("SELECT draft_id FROM drafts WHERE draft_id = ?", (draft_id,))
            if found is not None:
                cursor.execute("DELETE FROM drafts WHERE draft_id = ?", (draft_id,))
        return found is not None

    def remember(self, draft_id: str, recorded: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Add what was recorded from proposals of the draft (by proposal id); what it holds now.
        A draft deleted meanwhile remembers nothing: the events stand in the log all the same."""
        with self.database.transaction(commit=True) as cursor:
            before = cursor.scalar("SELECT recorded FROM drafts WHERE draft_id = ?", (draft_id,))
            if before is None:
                return recorded
            merged = {**json.loads(before), **recorded}
            cursor.execute("UPDATE drafts SET recorded = ? WHERE draft_id = ?", (json.dumps(merged), draft_id))
        return merged


def _row(row: Any) -> dict[str, Any]:
    return _shown(row["draft_id"], row["created_at"], row["created_by"], json.loads(row["body"]), json.loads(row["recorded"]))


def _shown(draft_id: str, created_at: int, created_by: str, body: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    moment = from_us(created_at)
    assert moment is not None
    return {
        "draft_id": draft_id,
        "created_at": moment.isoformat().replace("+00:00", "Z"),
        "created_by": created_by,
        **body,
        "recorded": recorded,
    }


def _summary(draft: dict[str, Any]) -> dict[str, Any]:
    return {
        "draft_id": draft["draft_id"],
        "created_at": draft["created_at"],
        "created_by": draft["created_by"],
        "source": draft["source"],
        "language": draft["language"],
        "excerpt": draft["text"][:200],
        "proposals": len(draft["proposals"]),
        "recorded": len(draft["recorded"]),
    }
