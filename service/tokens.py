"""Write tokens: named, stored only as a hash in the store's own database, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from projections.sql import Database

TABLE = (
    "CREATE TABLE IF NOT EXISTS write_tokens ("
    " name TEXT PRIMARY KEY, digest TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS write_tokens_by_digest ON write_tokens (digest)",
)


class TokenExists(Exception):
    pass


class TokenStore:
    def __init__(self, database: Database):
        self.database = database

    def create_table(self) -> None:
        self.database.create(TABLE)

    def create(self, name: str) -> str:
        """Mint a token for `name`; the token itself is shown once and never stored."""
        token = secrets.token_urlsafe(32)
        with self.database.transaction(commit=True) as cursor:
            live = cursor.scalar("SELECT name FROM write_tokens WHERE name = ? AND revoked_at IS NULL", (name,))
            if live is not None:
                raise TokenExists(f"a live token named {name!r} exists; revoke it first")
            cursor.execute(
                "INSERT INTO write_tokens (name, digest, created_at, revoked_at) VALUES (?, ?, ?, NULL)"
                " ON CONFLICT (name) DO UPDATE SET digest = excluded.digest,"
                " created_at = excluded.created_at, revoked_at = NULL",
                (name, _digest(token), time.time_ns() // 1000),
            )
        return token

    def revoke(self, name: str) -> bool:
        with self.database.transaction(commit=True) as cursor:
            live = cursor.scalar("SELECT name FROM write_tokens WHERE name = ? AND revoked_at IS NULL", (name,))
            if live is None:
                return False
            cursor.execute("UPDATE write_tokens SET revoked_at = ? WHERE name = ?", (time.time_ns() // 1000, name))
        return True

    def holder(self, token: str) -> str | None:
        """The name of the live token presented, or None."""
        presented = _digest(token)
        with self.database.transaction(commit=False) as cursor:
            row = cursor.execute(
                "SELECT name, digest FROM write_tokens WHERE digest = ? AND revoked_at IS NULL", (presented,)
            ).fetchone()
        if row is None or not hmac.compare_digest(row["digest"], presented):
            return None
        return row["name"]


def _digest(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()
