"""Write tokens: named, stored only as a hash in the store's own database, checked in constant time.

Each token has a scope (SPEC §15): `write` records events and drafts, `admin` may besides redact
and manage tokens. A token minted before scopes existed has none stored and is a `write` token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Collection

from parley.projections.sql import Database

TABLE = (
    "CREATE TABLE IF NOT EXISTS write_tokens ("
    " name TEXT PRIMARY KEY, digest TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS write_tokens_by_digest ON write_tokens (digest)",
)
WRITE, ADMIN = "write", "admin"
SCOPES = (WRITE, ADMIN)


class TokenExists(Exception):
    pass


class TokenNameRefused(ValueError):
    """A token's name is how it is revoked and shown in request lines: some printable text."""


class ScopeRefused(ValueError):
    """A scope is `write` or `admin`."""


class TokenStore:
    def __init__(self, database: Database):
        self.database = database

    def create_table(self) -> None:
        self.database.create(TABLE)
        with self.database.transaction(commit=True) as cursor:  # a store from before scopes gains the column
            if self.database.postgres:
                cursor.execute("ALTER TABLE write_tokens ADD COLUMN IF NOT EXISTS scope TEXT")
            elif not any(row["name"] == "scope" for row in cursor.execute("PRAGMA table_info(write_tokens)").fetchall()):
                cursor.execute("ALTER TABLE write_tokens ADD COLUMN scope TEXT")

    def create(self, name: str, scope: str = WRITE) -> str:
        """Mint a token for `name`; the token itself is shown once and never stored."""
        if not name.strip() or not name.isprintable():
            raise TokenNameRefused(f"a token's name must be printable text, not {name!r}")
        if scope not in SCOPES:
            raise ScopeRefused(f"a token's scope is {' or '.join(SCOPES)}, not {scope!r}")
        token = secrets.token_urlsafe(32)
        with self.database.transaction(commit=True) as cursor:
            live = cursor.scalar("SELECT name FROM write_tokens WHERE name = ? AND revoked_at IS NULL", (name,))
            if live is not None:
                raise TokenExists(f"a live token named {name!r} exists; revoke it first")
            cursor.execute(
                "INSERT INTO write_tokens (name, digest, created_at, revoked_at, scope) VALUES (?, ?, ?, NULL, ?)"
                " ON CONFLICT (name) DO UPDATE SET digest = excluded.digest,"
                " created_at = excluded.created_at, revoked_at = NULL, scope = excluded.scope",
                (name, _digest(token), time.time_ns() // 1000, scope),
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
        return self.holders({token}).get(token)

    def scoped_holder(self, token: str) -> tuple[str, str] | None:
        """The name and scope of the live token presented, or None."""
        with self.database.transaction(commit=False) as cursor:
            rows = cursor.execute(
                "SELECT name, digest, scope FROM write_tokens WHERE revoked_at IS NULL AND digest = ?", (_digest(token),)
            ).fetchall()
        for row in rows:
            if hmac.compare_digest(row["digest"], _digest(token)):
                return row["name"], row["scope"] or WRITE
        return None

    def holders(self, tokens: Collection[str]) -> dict[str, str]:
        """The names of those presented tokens that are live, in one query."""
        if not tokens:
            return {}
        presented = {_digest(token): token for token in tokens}
        with self.database.transaction(commit=False) as cursor:
            rows = cursor.execute(
                "SELECT name, digest FROM write_tokens WHERE revoked_at IS NULL AND digest IN"
                f" ({', '.join('?' * len(presented))})",
                tuple(presented),
            ).fetchall()
        live = {}
        for row in rows:
            match = next((d for d in presented if hmac.compare_digest(row["digest"], d)), None)
            if match is not None:
                live[presented[match]] = row["name"]
        return live


def _digest(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()
