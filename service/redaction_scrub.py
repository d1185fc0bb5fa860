"""After a redaction rewrote an event (service/redaction.py): the values out of every copy.

- Drafts the event was recorded from: a text equal to a value becomes the marker, and each
  occurrence of a value within a longer text (the report, a proposal's quote) becomes as many
  `█` as it had characters, so a proposal's `span` still points where it did.
- The database's own leftovers: SQLite keeps an updated row's old bytes in free pages and the
  write-ahead log until VACUUM and a checkpoint that truncates the log; PostgreSQL keeps the old
  row version until VACUUM. `compact` runs them (docs/decisions.md says which and why).

The views are applied again by each projection's runner (`ViewRunner.reproject`).
"""

from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
import time
from collections.abc import Iterable
from typing import Any

import psycopg

from parley.domain.redacted import marker
from parley.projections.sql import Database
from parley.service.settings import Settings

BLOCK = "█"
log = logging.getLogger("parley.redaction")


def scrub_drafts(database: Database, event_id: str, values: Iterable[str], reason: str) -> int:
    """Remove `values` from the drafts that recorded the event; how many drafts changed."""
    patterns = [re.compile(r"\s+".join(map(re.escape, value.split()))) for value in set(values) if value.strip()]
    texts = {value for value in values}
    changed = 0
    with database.transaction(commit=True) as cursor:
        rows = cursor.execute("SELECT draft_id, body, recorded FROM drafts WHERE recorded LIKE ?", (f"%{event_id}%",)).fetchall()
        for row in rows:
            body = json.loads(row["body"])
            scrubbed = _scrub(body, texts, patterns, reason)
            if scrubbed != body:
                cursor.execute(
                    "UPDATE drafts SET body = ? WHERE draft_id = ?", (json.dumps(scrubbed, ensure_ascii=False), row["draft_id"])
                )
                changed += 1
    return changed


def _scrub(value: Any, texts: set[str], patterns: list[re.Pattern[str]], reason: str) -> Any:
    if type(value) is str:
        if value in texts or " ".join(value.split()) in texts:
            return marker(reason)
        for pattern in patterns:
            value = pattern.sub(lambda found: BLOCK * len(found.group()), value)
        return value
    if type(value) is list:
        return [_scrub(item, texts, patterns, reason) for item in value]
    if type(value) is dict:
        return {key: _scrub(item, texts, patterns, reason) for key, item in value.items()}
    return value


def compact(database: Database, env: dict[str, str], settings: Settings) -> bool:
    """Leave no old byte in the database's files: SQLite's free pages and log, PostgreSQL's dead rows.
    False when the database would not within `redaction_lock_timeout` (a lock held, or a snapshot
    older than the rewrite still open): the redaction stands, and the next redaction, or the
    operator's VACUUM, removes them."""
    try:
        if database.postgres:
            done = _vacuum_postgres(
                env, settings.redaction_lock_timeout, settings.redaction_vacuum_patience, settings.connect_timeout
            )
        else:
            done = _vacuum_sqlite(env["SQLITE_DBNAME"], settings.redaction_lock_timeout)
    except (sqlite3.Error, psycopg.Error) as error:
        log.warning("after a redaction, the database could not be compacted: %s", error)
        return False
    if not done:
        log.warning("after a redaction, an open transaction kept old row versions: the database is not compacted yet")
    return done


def _vacuum_sqlite(path: str, timeout: float) -> bool:
    """Truncate the log, VACUUM, truncate it again; False when one of them could not be done
    within `timeout`. Each is tried without waiting and tried again until then: SQLite's busy
    timeout would hold every writer back while a checkpoint waits for readers, and a checkpoint
    that cannot finish returns (its `busy` column) rather than fails."""
    deadline = time.monotonic() + timeout
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        for step in (_truncated, _vacuumed, _truncated):
            while not step(connection):
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.01)
    finally:
        connection.close()
    return True


def _truncated(connection: sqlite3.Connection) -> bool:
    return bool(connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0)


def _vacuumed(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("VACUUM")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return False  # a writer holds the lock now
        raise
    return True


# Parley's tables that never hold a value of an event's body (hashes, positions, names of tokens,
# bookkeeping): left out of VACUUM FULL, which writes every other table, a new one included, anew.
VALUE_FREE = frozenset(
    {
        "event_chain",
        "merkle_chunks",
        "redacted_values",
        "write_tokens",
        "event_ids",
        "releases",
        "projection_generations",
        "projection_pointers",
        "projection_layouts",
        "parley_migrations",
        "declared_topics",
        "parley_tracking",
        "tracking",
    }
)
KEPT = re.compile(r"(\d+) dead row versions cannot be removed yet")


def _vacuum_postgres(env: dict[str, str], lock_timeout: float, patience: float, connect_timeout: float) -> bool:
    """VACUUM FULL of Parley's tables (the system catalogs hold no value of an event), each
    waiting `lock_timeout` seconds at most for its table's lock. A row version some open
    transaction may still see (an ANALYZE, a reader's snapshot) is copied, not removed: VACUUM says
    so, and is run again once those transactions are over, for `patience` seconds at most; False
    when one still kept some then."""
    kept: list[int] = []
    with psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD", ""),
        autocommit=True,
        connect_timeout=max(1, math.ceil(connect_timeout)),
        options=f"-c lock_timeout={max(1, int(lock_timeout * 1000))}",
    ) as connection:
        connection.add_notice_handler(
            lambda notice: kept.extend(int(n) for n in KEPT.findall(f"{notice.message_primary} {notice.message_detail or ''}"))
        )
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() AND NOT tablename = ANY(%s)",
                (list(VALUE_FREE),),
            ).fetchall()
        ]
        deadline = time.monotonic() + patience
        while tables:
            kept.clear()
            connection.execute(f"VACUUM (FULL, VERBOSE) {', '.join(tables)}")
            left = deadline - time.monotonic()
            if not any(kept) or left <= 0:
                break
            time.sleep(min(0.2, left))  # an open transaction still sees an old row version: wait for it to end
        try:
            connection.execute("CHECKPOINT")  # the rewritten tables' pages to their files now
        except psycopg.errors.InsufficientPrivilege:
            pass  # a role without pg_checkpoint: the server's next checkpoint writes them
    return not any(kept)


def after_redactions(system: Any, applied: list[tuple[Any, list[Any]]]) -> bool:
    """Everything a redaction's values were copied into, once its events are rewritten: each
    projection's views of the subjects (applied again, or rebuilt), the drafts the events came
    from, then the database's files."""
    if not applied:
        return True
    subjects = sorted({redaction.data["subject"] for redaction, _ in applied})
    with system.views.paused():  # the serving process's keeper reads none of it half-done
        for runner in system.projections:
            runner.catch_up()  # past the rewritten events: a batch read before the rewrite is refused
            runner.reproject(subjects, system.redactions.subject_events)
    for redaction, removed in applied:
        scrub_drafts(
            system.app.database, redaction.data["event_id"], [v for v in removed if type(v) is str], redaction.data["reason"]
        )
    return compact(system.app.database, system.app.env, system.settings)
