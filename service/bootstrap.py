"""The composition root: the one place that turns settings into a wired system."""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import unquote, urlsplit

from parley.domain.catalog import Catalog, load
from parley.projections.keeper import ViewKeeper
from parley.projections.log_reads import LogReads
from parley.projections.register_reads import RegisterReads
from parley.projections.runner import ViewRunner
from parley.projections.search import Search
from parley.projections.search_reads import SearchQueries
from parley.projections.state_reads import StateReads
from parley.projections.subject_states import SubjectStates
from parley.service import merkle
from parley.service.application import Parley
from parley.service.chain_store import link_older
from parley.service.claims import Progress, copy_claims
from parley.service.deciding import Decider
from parley.service.idempotency import Idempotency
from parley.service.limits import FieldLimits
from parley.service.postgres import POSTGRES, DatabaseUnavailable, OrderedDatastore, libpq_seconds, schema_lock
from parley.service.redaction import Redactions, last_position
from parley.service.redaction_scrub import after_redactions
from parley.service.register_now import RegisterNow
from parley.service.releases import create_table as create_releases
from parley.service.saving import Store
from parley.service.settings import Settings
from parley.service.signing import Signer, load_key
from parley.service.sqlite import SQLITE
from parley.service.tokens import TokenStore
from parley.service.topics import register_old_topics
from parley.service.writes import Retry, Writes


class BadDatabaseURL(ValueError):
    pass


@dataclass
class System:
    settings: Settings
    app: Parley
    projection: ViewRunner
    state_reads: StateReads  # states, expectations, histories, changes
    register_reads: RegisterReads  # who is who: the register, mentions, roles
    log_reads: LogReads  # the log as the views hold it
    tokens: TokenStore
    search: ViewRunner  # the index of words and names (SPEC §11's search)
    search_queries: SearchQueries
    signer: Signer | None = None
    redactions: Redactions | None = None  # set by `build`
    views: ViewKeeper = field(init=False)  # what keeps the views current while the system serves

    def __post_init__(self) -> None:
        self.views = ViewKeeper(
            self.projections, lambda: self.app.recorder.max_notification_id() or 0, self.settings.views_poll_seconds
        )

    @property
    def catalog(self) -> Catalog:
        return self.app.catalog

    @property
    def projections(self) -> list[ViewRunner]:
        """Every projection's runner: what /readyz and /metrics report on."""
        return [self.projection, self.search]

    def close(self) -> None:
        self.views.stop(self.settings.views_wait_seconds)  # before the store closes under its round
        self.app.close()


def build(settings: Settings, migrating: Progress | None = None) -> System:
    """The system; a store written by an older version is first brought up to date, under the
    schema lock on PostgreSQL, before any write is taken (`migrating` hears how far it is)."""
    env = persistence_env(settings)
    register_old_topics()
    catalog = catalog_of(settings)
    signer = load_key(settings.signing_key)  # a bad key file stops start-up before the store is opened
    with schema_lock(env) if env["PERSISTENCE_MODULE"] == POSTGRES else nullcontext():
        app = Parley(env=env, catalog=catalog)
        try:
            copy_claims(app, app.database, migrating)
            link_older(app, migrating)
            merkle.create(app.database)
            create_releases(app.database)
            redactions = Redactions(app)
            redactions.create_table()
            app.subjects.redacted_at = partial(last_position, app)  # another process's redaction drops the cache
            projection = ViewRunner(
                app,
                app.database,
                app.factory.tracking_recorder(),
                app.stored_topics,
                settings.projection_batch,
                projection=SubjectStates(catalog.kinds),
                rebuild_batch=settings.rebuild_batch,
            )
            projection.create_tables()
            search = ViewRunner(
                app,
                app.database,
                app.factory.tracking_recorder(),
                app.stored_topics,
                settings.projection_batch,
                projection=Search(catalog, app.database.postgres),
                rebuild_batch=settings.rebuild_batch,
            )
            search.create_tables()
            app.tokens.create_table()
            app.writes = write_path(app, FieldLimits.of(settings))
            app.drafts.create_table()
            system = System(
                settings,
                app,
                projection,
                StateReads(app.database, catalog),
                RegisterReads(app.database, catalog),
                LogReads(app.database, catalog),
                app.tokens,
                search,
                SearchQueries(app.database, catalog),
                signer,
                redactions,
            )
            after_redactions(system, redactions.apply_pending())  # a redaction stopped half-way is finished
            datastore = app.database.datastore  # the factory's
            if settings.call_timeout and isinstance(datastore, OrderedDatastore):
                datastore.bound(settings.call_timeout)  # built (upgraded, refolded) unbounded
        except BaseException:
            app.close()
            raise
    return system


def write_path(app: Parley, limits: FieldLimits) -> Writes:
    """The write path's collaborators, made from the parts of the store the application opened:
    none of them calls back into the application (service/writes.py)."""
    idempotency = Idempotency(app.event_ids, app.subjects, app.events)
    decider = Decider(app.catalog, app.subjects, idempotency, RegisterNow(app.recorder, app.fact_of, app.catalog))
    store = Store(app.events, app.subjects)
    retry = Retry(app.recorder.one_writer, app.subjects)  # type: ignore[attr-defined]  # our recorders' (service/sqlite.py, postgres.py)
    return Writes(limits, decider, store, retry, app.tokens)


def catalog_of(settings: Settings) -> Catalog:
    """The kinds the service declares: the built-in ones and those of `PARLEY_KINDS_EXTRA`."""
    return load(settings.extra_kind_modules)


def persistence_env(settings: Settings) -> dict[str, str]:
    """Settings as eventsourcing's environment: `sqlite:///file` or `postgresql://…`."""
    url = settings.database_url
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise BadDatabaseURL(f"{url!r}: write sqlite:///path/to/file.db")
        return {
            "PERSISTENCE_MODULE": SQLITE,
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": str(settings.lock_timeout),
        }
    if parts.scheme in ("postgresql", "postgres"):
        if not parts.hostname or not parts.path.strip("/"):
            raise BadDatabaseURL(f"{url!r}: write postgresql://user:password@host:port/dbname")
        return {
            "PERSISTENCE_MODULE": POSTGRES,
            "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_POOL_SIZE": str(settings.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(settings.pool_max_overflow),
            # eventsourcing's CONNECT_TIMEOUT is the pool's wait for a free connection, in whole
            # seconds; PostgresFactory below sets the exact wait and libpq's connect timeout.
            "POSTGRES_CONNECT_TIMEOUT": str(math.ceil(settings.pool_timeout)),
            "POSTGRES_POOL_TIMEOUT": str(settings.pool_timeout),
            "POSTGRES_SERVER_TIMEOUT": str(libpq_seconds(settings.connect_timeout)),
            "POSTGRES_RECONNECT_TIMEOUT": str(settings.pool_reconnect_timeout),
            "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout),
            "POSTGRES_PRE_PING": "y",  # a connection the server dropped is replaced, not handed out
            # eventsourcing's insert function would skip the recorder's hooks, and with them the
            # `event_ids` rows that make `event_id` idempotent: never on, whatever the environment says.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        }
    raise BadDatabaseURL(f"{url!r}: the database URL must start with sqlite:/// or postgresql://")


__all__ = ["BadDatabaseURL", "DatabaseUnavailable", "System", "build", "catalog_of", "persistence_env", "write_path"]
