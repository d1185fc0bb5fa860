"""Three `parley serve` processes over one fresh PostgreSQL database.

Each test module gets its own database and its own processes; tests in a module keep apart
by writing to subjects of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from parley.service.bootstrap import System, build
from parley.service.settings import Settings
from tests.backends import postgres_database
from tests.multiprocess.helpers import SMALL_POOLS, run_servers
from tests.processes import Server


@pytest.fixture(scope="module")
def shared_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def store(shared_url: str) -> Iterator[System]:
    """The same database opened in the test process: it mints the token and reads the log itself."""
    system = build(
        Settings(database_url=shared_url, pool_size=1, pool_max_overflow=1, redaction_lock_timeout=1, redaction_vacuum_patience=1)
    )
    try:
        yield system
    finally:
        system.close()


@pytest.fixture(scope="module")
def token(store: System) -> str:
    return store.tokens.create(f"multiprocess-{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def servers(shared_url: str, store: System) -> Iterator[list[Server]]:
    with run_servers(shared_url, 3, SMALL_POOLS) as started:
        yield started
