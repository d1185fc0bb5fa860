"""Fixtures: one behaviour suite, run against SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.service.bootstrap import System, build
from parley.service.settings import Settings
from tests.backends import empty_postgres, postgres_database

# The slowest files, slowest first, from the suite's `--durations` (each file's tests summed).
# `scripts/test.sh` gives whole files to its two processes in the order collected
# (--no-loadscope-reorder), so these start first and the many short files fill in at the end:
# in xdist's own order (most tests first) these few-test files came last, and one process ran
# the last of them, the benchmark's 45 s, while the other had nothing left. Update it from a
# full run's durations when a file gets much slower or faster; a file not named keeps xdist's order.
# From the December 7 evening run's `--durations=80` (docs/benchmarks.md, the suite's time).
SLOWEST_FIRST = (
    "tests/faults/test_api_fuzz.py",
    "tests/integration/test_bench_quick.py",
    "tests/faults/test_kill_commands.py",
    "tests/e2e/test_page_deadline.py",
    "tests/faults/test_kill_serve.py",
    "tests/e2e/test_generated_client.py",
    "tests/e2e/test_page_navigation.py",
    "tests/integration/test_projection_properties.py",
    "tests/faults/test_access.py",
    "tests/unit/test_lint.py",
    "tests/e2e/test_page_views.py",
    "tests/e2e/test_client.py",
    "tests/multiprocess/test_startup.py",
    "tests/e2e/test_page_form.py",
    "tests/integration/test_points_properties.py",
    "tests/e2e/test_page_person.py",
    "tests/e2e/test_docs.py",
    "tests/faults/test_claims_migration.py",
    "tests/e2e/test_extra_kind.py",
    "tests/e2e/test_page_scale.py",
    "tests/faults/test_kill_project.py",
    "tests/integration/test_packaging.py",
)
ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files in `SLOWEST_FIRST` first, in its order; then the rest with the most tests first (what
    xdist's loadfile does unless told not to); each file's tests in their own order."""

    def file_of(item: pytest.Item) -> str:
        return item.path.resolve().relative_to(ROOT).as_posix() if item.path.is_relative_to(ROOT) else str(item.path)

    files = [file_of(item) for item in items]
    counts, seen = Counter(files), {name: at for at, name in reversed(list(enumerate(files)))}
    first = {name: rank for rank, name in enumerate(SLOWEST_FIRST)}
    order = sorted(range(len(items)), key=lambda i: (first.get(files[i], len(first)), -counts[files[i]], seen[files[i]], i))
    items[:] = [items[i] for i in order]


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
    # The views' keeper runs when a read needs it, never on its own between a test's requests.
    return Settings(
        database_url=database_url,
        max_body_bytes=64 * 1024,
        max_batch_events=50,
        redaction_lock_timeout=1,
        redaction_vacuum_patience=1,
        views_poll_seconds=60,
    )


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
