"""The compaction after a redaction waits for a lock no longer than its setting (SPEC §15,
`redaction_lock_timeout`): a transaction holding a table past it leaves the redaction standing,
answered `compacted: false`, in about that time rather than without end."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import psycopg

from parley.service.bootstrap import System
from parley.service.redaction_scrub import compact


def test_a_lock_held_past_the_setting_leaves_the_compaction_for_later(system: System) -> None:
    assert system.settings.redaction_lock_timeout <= 1 and system.settings.redaction_vacuum_patience <= 1
    env = system.app.env
    if system.app.database.postgres:
        holder = psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env.get("POSTGRES_PASSWORD", ""),
        )
        holder.execute(f"SELECT count(*) FROM {system.app.recorder.events_table_name}")  # its lock, until the end
    else:
        holder = sqlite3.connect(env["SQLITE_DBNAME"], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, until the end
    try:
        started = time.monotonic()
        assert compact(system.app.database, env, system.settings) is False
        assert time.monotonic() - started < 4 * system.settings.redaction_lock_timeout + 1
    finally:
        holder.rollback()
        holder.close()
    assert compact(system.app.database, env, system.settings) is True


def test_a_snapshot_older_than_the_rewrite_leaves_the_compaction_unfinished_and_it_says_so(system: System) -> None:
    """A reader's open snapshot from before a row was rewritten keeps the old bytes: SQLite's log
    cannot be truncated past it, PostgreSQL's VACUUM FULL copies the row versions it may still see.
    The compaction says it did not finish (`compacted: false`), rather than that they are gone."""
    database, env, settings = system.app.database, system.app.env, system.settings
    with database.transaction(commit=True) as cursor:
        cursor.execute("CREATE TABLE scratch (value TEXT)")
        cursor.execute("INSERT INTO scratch (value) VALUES ('Qzxv the old value')")
    if database.postgres:
        reader = psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env.get("POSTGRES_PASSWORD", ""),
        )
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        reader.execute("SELECT 1")  # its snapshot, holding no lock on Parley's tables
    else:
        reader = sqlite3.connect(env["SQLITE_DBNAME"], isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM scratch").fetchone()  # its snapshot
    try:
        with database.transaction(commit=True) as cursor:
            cursor.execute("UPDATE scratch SET value = 'new'")
        started = time.monotonic()
        assert compact(database, env, settings) is False
        assert time.monotonic() - started < 4 * (settings.redaction_lock_timeout + settings.redaction_vacuum_patience) + 1
    finally:
        reader.rollback()
        reader.close()
    assert compact(database, env, settings) is True
    if not database.postgres:
        assert Path(f"{env['SQLITE_DBNAME']}-wal").stat().st_size == 0
