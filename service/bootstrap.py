"""The composition root: the one place that turns settings into a wired system."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from projections.queries import SubjectQueries
from projections.runner import ProjectionRunner
from projections.sql import Database
from service.application import FACT_TOPICS, Parley
from service.settings import Settings
from service.tokens import TokenStore


class BadDatabaseURL(ValueError):
    pass


@dataclass
class System:
    settings: Settings
    app: Parley
    projection: ProjectionRunner
    queries: SubjectQueries
    tokens: TokenStore

    def close(self) -> None:
        self.app.close()


def build(settings: Settings) -> System:
    app = Parley(env=persistence_env(settings))
    database = Database(app.factory.datastore)
    projection = ProjectionRunner(
        app, database, app.factory.tracking_recorder(), FACT_TOPICS, settings.projection_batch
    )
    projection.create_tables()
    queries = SubjectQueries(database)
    app.projection, app.queries = projection, queries
    tokens = TokenStore(database)
    tokens.create_table()
    return System(settings, app, projection, queries, tokens)


def persistence_env(settings: Settings) -> dict[str, str]:
    """Settings as eventsourcing's environment: `sqlite:///file` or `postgresql://…`."""
    url = settings.database_url
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise BadDatabaseURL(f"{url!r}: write sqlite:///path/to/file.db")
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": str(settings.lock_timeout),
        }
    if parts.scheme in ("postgresql", "postgres"):
        if not parts.hostname or not parts.path.strip("/"):
            raise BadDatabaseURL(f"{url!r}: write postgresql://user:password@host:port/dbname")
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_POOL_SIZE": str(settings.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.pool_max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": str(int(settings.connect_timeout)),
            "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout),
            "POSTGRES_PRE_PING": "y",
        }
    raise BadDatabaseURL(f"{url!r}: the database URL must start with sqlite:/// or postgresql://")
