"""Fixtures: one behaviour suite, run against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.service.bootstrap import System, build
from parley.service.settings import Settings
from tests.backends import empty_postgres, postgres_database


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parley.db'}"
    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, max_body_bytes=64 * 1024, max_batch_events=50,
                    redaction_lock_timeout=1, redaction_vacuum_patience=1)


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    built = build(settings)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def token(system: System) -> str:
    return system.tokens.create("tester")


@pytest.fixture
def client(system: System, token: str) -> Iterator[TestClient]:
    with TestClient(create_app(system.settings, system)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client
