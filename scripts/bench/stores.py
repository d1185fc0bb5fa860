"""Fresh event stores for one benchmark run, and filling them fast through the application.

Stores are filled with `record_batch` in large batches (the same rules, event ids and log as
the API writes, without HTTP), so a million events take minutes, not hours.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId
from parley.service.bootstrap import System, build
from parley.service.commands import Submission
from parley.service.settings import Settings

FILL_BATCH = 1000


def submission(body: dict[str, Any]) -> Submission:
    """A generated body as the API would hand it to the application (it is valid by construction)."""
    return Submission(
        subject=SubjectId.parse(body["subject"]),
        type=body["type"],
        occurred=FuzzyDate.parse(body["occurred"]),
        sources=body["sources"],
        data=body["data"],
        note=body.get("note"),
        event_id=body.get("event_id"),
    )


def fill(system: System, bodies: Iterable[dict[str, Any]], progress: Callable[[int], None] | None = None) -> int:
    """Record every body in batches; returns how many were recorded."""
    count, batch = 0, []
    for body in bodies:
        batch.append(submission(body))
        if len(batch) == FILL_BATCH:
            count += _record(system, batch, progress)
            batch = []
    if batch:
        count += _record(system, batch, progress)
    return count


def _record(system: System, batch: list[Submission], progress: Callable[[int], None] | None) -> int:
    system.app.record_batch(batch, "bench")
    if progress:
        progress(len(batch))
    return len(batch)


class Stores:
    """Where this run's stores live: SQLite files in a folder, or databases on one PostgreSQL server."""

    def __init__(self, backend: str, folder: Path, postgres_admin_url: str | None = None):
        self.backend = backend
        self.folder = folder
        self.admin_url = postgres_admin_url
        self.created: list[str] = []

    @contextmanager
    def fresh(self, label: str) -> Iterator[str]:
        """A URL of an empty store, removed afterwards."""
        if self.backend == "sqlite":
            path = self.folder / f"{label}-{uuid.uuid4().hex[:8]}.db"
            try:
                yield f"sqlite:///{path}"
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        import psycopg

        assert self.admin_url is not None, "a PostgreSQL store needs the admin URL"
        name = f"parley_bench_{label.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _with_db(self.admin_url, name)
        finally:
            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def system(self, url: str, **settings: Any) -> Iterator[System]:
        built = build(Settings(database_url=url, **settings))
        try:
            yield built
        finally:
            built.close()


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def postgres_reachable(url: str) -> str | None:
    """None when the server answers; otherwise why not."""
    try:
        import psycopg

        psycopg.connect(url, autocommit=True, connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL, saying why
        return " ".join(str(error).split()) or type(error).__name__
    return None
