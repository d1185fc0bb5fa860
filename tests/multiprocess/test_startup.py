"""Starting on PostgreSQL: a wrong URL stops `parley serve` with one line; settings reach the pool."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.backends import postgres_database
from tests.multiprocess.helpers import SMALL_POOLS, run_servers
from tests.processes import free_port, parley

pytestmark = pytest.mark.e2e


def serve_refused(database_url: str) -> str:
    """`parley serve` on a database it cannot open: the one line it prints, once it has exited."""
    result = parley("serve", "--port", str(free_port()), database_url=database_url, check=False, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def with_url(url: str, *, user: str | None = None, dbname: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = f"{user}@{parts.netloc.rsplit('@', 1)[-1]}" if user else parts.netloc
    return urlunsplit(parts._replace(netloc=netloc, path="/" + (dbname or parts.path.strip("/"))))


def test_a_server_that_refuses_connections_is_named_with_the_cause():
    port = free_port()  # nothing listens there
    line = serve_refused(f"postgresql://postgres@127.0.0.1:{port}/parley")
    assert f"127.0.0.1:{port}" in line and "Connection refused" in line
    assert "couldn't get a connection" not in line


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("part", "cause"),
    [("dbname", 'database "{}" does not exist'), ("user", 'role "{}" does not exist')],
    ids=["database", "user"],
)
def test_a_wrong_database_or_user_is_named_with_the_cause(postgres_url, part, cause):
    wrong = f"parley_missing_{uuid.uuid4().hex[:8]}"
    host = urlsplit(postgres_url)
    line = serve_refused(with_url(postgres_url, **{part: wrong}))
    assert f"{host.hostname}:{host.port or 5432}" in line and cause.format(wrong) in line


@pytest.mark.postgres
def test_processes_started_together_on_an_empty_database_all_serve():
    # Concurrent CREATE TABLE IF NOT EXISTS of one table fails on PostgreSQL; the start-up
    # lock in the composition root makes them take turns.
    with postgres_database() as url, run_servers(url, 3, SMALL_POOLS) as servers:
        for server in servers:
            with server.client() as client:
                assert client.get("/events").json()["events"] == []


@pytest.mark.postgres
def test_pool_size_and_timeouts_come_from_the_settings(postgres_url, monkeypatch):
    for name, value in {
        "POOL_SIZE": "2",
        "POOL_MAX_OVERFLOW": "3",
        "POOL_TIMEOUT": "1.5",
        "CONNECT_TIMEOUT": "3",
        "POOL_RECONNECT_TIMEOUT": "7",
    }.items():
        monkeypatch.setenv(f"PARLEY_{name}", value)
    system = build(Settings(database_url=postgres_url))
    try:
        pool = system.app.factory.datastore.pool
        assert (pool.min_size, pool.max_size) == (2, 5)
        assert (pool.timeout, pool.reconnect_timeout) == (1.5, 7.0)
        assert pool.kwargs["connect_timeout"] == 3
        assert system.projection.tracking.datastore is system.app.factory.datastore  # one pool per process
    finally:
        system.close()
