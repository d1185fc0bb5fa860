"""The compaction after a redaction waits for a lock no longer than its setting (SPEC §15,
`redaction_lock_timeout`): a transaction holding a table past it leaves the redaction standing,
answered `compacted: false`, in about that time rather than without end."""

from __future__ import annotations

import sqlite3
import time

import psycopg

from parley.service.bootstrap import System
from parley.service.redaction_scrub import compact


def test_a_lock_held_past_the_setting_leaves_the_compaction_for_later(system: System) -> None:
    assert system.settings.redaction_lock_timeout <= 1 and system.settings.redaction_vacuum_patience <= 1
    env = system.app.env
    if system.app.database.postgres:
        holder = psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], dbname=env["POSTGRES_DBNAME"],
                                 user=env["POSTGRES_USER"], password=env.get("POSTGRES_PASSWORD", ""))
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
