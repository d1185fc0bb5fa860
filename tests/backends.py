"""The two event stores every behaviour test runs against.

SQLite needs nothing. PostgreSQL uses the server at PARLEY_TEST_POSTGRES_URL (default the
machine's 127.0.0.1:5432, user postgres): each test session creates a fresh database there
and drops it afterwards. With CI=true a missing server fails the run; elsewhere those
tests skip, saying how to point them at a server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

# Connects to `postgres`, the maintenance database every server has, to create and drop ours.
ADMIN_URL = os.environ.get("PARLEY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRED = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database for this test session, dropped at its end."""
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = (
            f"PostgreSQL is not reachable at {ADMIN_URL} ({' '.join(str(error).split())}); "
            "set PARLEY_TEST_POSTGRES_URL to a server where the user may create databases"
        )
        if REQUIRED:
            pytest.fail(f"CI=true requires PostgreSQL: {message}", pytrace=False)
        pytest.skip(message)
    name = f"parley_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _with_db(ADMIN_URL, name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_postgres(url: str) -> None:
    """Between tests: a fresh schema, so each test starts from an empty store."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
