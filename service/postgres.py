"""PostgreSQL as Parley uses it: clear start-up errors, a schema lock, bounded waits, quick recovery."""

from __future__ import annotations

import functools
import math
import re
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar, cast

import psycopg
import psycopg_pool
from eventsourcing import postgres
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import get_topic

from parley.projections.sql import Cursor
from parley.service import chain, event_ids
from parley.service.deadlines import Watchdog
from parley.service.one_writer import Writers, held, holding


class DatabaseUnavailable(ConnectionError):
    """The server at `where` refused us; `cause` is its reason in one line."""

    def __init__(self, where: str, cause: str):
        super().__init__(f"{where}: {cause}")
        self.where, self.cause = where, cause


SCHEMA_LOCK = 0x7061726C6579  # "parley": the advisory lock key for creating tables


def libpq_seconds(timeout: float) -> int:
    """libpq takes whole seconds and treats anything under 2 as 2."""
    return max(2, math.ceil(timeout))


@contextmanager
def schema_lock(env: dict[str, str]) -> Iterator[None]:
    """A direct connection that holds Parley's schema lock while the system is built.

    Connecting directly, not through the pool, makes a wrong URL fail with the server's reason
    ("Connection refused", "database … does not exist", "role … does not exist") rather than
    the pool's "couldn't get a connection after 5.00 sec". The lock makes processes started
    together on an empty database create its tables one at a time: two concurrent
    `CREATE TABLE IF NOT EXISTS` of one table can fail on PostgreSQL.
    """
    host, port = env["POSTGRES_HOST"], env["POSTGRES_PORT"]
    try:
        connection = psycopg.connect(
            host=host,
            port=port,
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            connect_timeout=env["POSTGRES_SERVER_TIMEOUT"],
            autocommit=True,
        )
    except psycopg.Error as error:
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        raise DatabaseUnavailable(where, _reason(error)) from None
    with connection:  # closing the session releases the lock
        connection.execute(f"SET lock_timeout = '{int(env['POSTGRES_LOCK_TIMEOUT'])}s'")
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        yield


def _reason(error: psycopg.Error) -> str:
    # psycopg repeats the host and port we already name, and libpq indents a hint on a new line.
    text = re.sub(r'connection (failed: connection )?to server at "[^"]*", port \d+ failed: ', "", str(error))
    text = re.sub(r"^connection failed: |FATAL: +", "", text)
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


# A failed store call: eventsourcing retries it ten times, each waiting up to the pool timeout
# for a connection, so during an outage a request would hang for ten pool timeouts. Parley
# keeps retrying only until one pool timeout has passed, then the API answers 503.
Method = TypeVar("Method", bound=Callable[..., Any])
PAUSE = 0.2  # seconds between attempts, as eventsourcing pauses


def _within_pool_timeout(method: Method) -> Method:
    once = method.__wrapped__  # type: ignore[attr-defined]  # eventsourcing's @retry keeps the undecorated method here

    @functools.wraps(once)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + self.datastore.pool.timeout
        while True:
            try:
                return once(self, *args, **kwargs)
            except (InterfaceError, OperationalError):
                if time.monotonic() + PAUSE >= deadline:
                    raise
                time.sleep(PAUSE)

    return call  # type: ignore[return-value]  # the method it wraps, called alike


class BoundedApplicationRecorder(postgres.PostgresApplicationRecorder):
    """Also inserts the `event_ids` rows passed to `insert_events` and links the facts into the
    chain (service/chain.py), in the events' transaction: after the table lock and the events'
    insert, when their positions are known (their bodies are hashed before it)."""

    def _create_table(self, curs: psycopg.Cursor[Any]) -> None:
        super()._create_table(curs)
        curs.execute(event_ids.TABLE)
        curs.execute(chain.POSTGRES_TABLE)

    def _fetch_ids_after_insert_events(
        self, curs: psycopg.Cursor[Any], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        event_ids.insert(Cursor(curs, postgres=True), kwargs.get("event_ids"), positions)
        # The chain reads its last link: on a cursor of its own. The write runs in psycopg's pipeline
        # mode, where a cursor reused for a SELECT is handed a result of its earlier INSERT that the
        # server sent late, and then reads that instead ("the last operation didn't produce records").
        with curs.connection.cursor() as own:
            chain.append(Cursor(own, postgres=True), kwargs.get("chain"), positions)
        return positions

    @contextmanager
    def one_writer(self) -> Iterator[None]:
        """The events table's write lock, held in a transaction on one connection that this
        thread's reads and writes then use (service/one_writer.py); committed at the end."""
        datastore = cast(OrderedDatastore, self.datastore)  # made one by PostgresFactory
        with datastore.writers.lock, datastore.get_connection() as conn, conn.transaction():
            with conn.cursor() as curs:
                self._lock_table(curs)
            with holding(datastore, conn):
                yield

    _insert_once = _within_pool_timeout(postgres.PostgresApplicationRecorder.insert_events)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        return self._insert_once(stored_events, chain=chain.prepare_all(stored_events), **kwargs)

    select_events = _within_pool_timeout(postgres.PostgresApplicationRecorder.select_events)
    select_notifications = _within_pool_timeout(postgres.PostgresApplicationRecorder.select_notifications)
    max_notification_id = _within_pool_timeout(postgres.PostgresApplicationRecorder.max_notification_id)


class BoundedTrackingRecorder(postgres.PostgresTrackingRecorder):
    insert_tracking = _within_pool_timeout(postgres.PostgresTrackingRecorder.insert_tracking)
    max_tracking_id = _within_pool_timeout(postgres.PostgresTrackingRecorder.max_tracking_id)


class OrderedDatastore(PostgresDatastore):
    """Hands a thread that holds the write lock its held connection (service/one_writer.py), and
    bounds every other use of a connection by `watchdog` when the API runs (deadlines.py)."""

    writers: Writers
    watchdog: Watchdog | None

    def get_connection(self) -> AbstractContextManager[Any]:  # type: ignore[override]  # not always a generator's
        connection = held(self)
        if connection is not None:
            return nullcontext(connection)
        if self.watchdog is None:  # no wrapping generator: long commands run unbounded
            return super().get_connection()
        return self._watched()

    def bound(self, seconds: float) -> None:
        """Bound every use of a connection from now on: the server's statement_timeout, and the
        watchdog at half as long again. Set once the system is built, so that an upgrade or a
        refold of the views at start-up is never cut; the connections opened meanwhile are
        replaced by ones with the timeout."""
        assert isinstance(self.pool.kwargs, dict)  # eventsourcing gives the pool a dict
        self.pool.kwargs["options"] = f"-c statement_timeout={math.ceil(seconds * 1000)}"
        self.pool.drain()
        self.watchdog = Watchdog(seconds * 1.5)

    @contextmanager
    def _watched(self) -> Iterator[Any]:
        assert self.watchdog is not None
        with super().get_connection() as connection, self.watchdog.watching(connection):
            yield connection


class PostgresFactory(postgres.PostgresFactory):
    """eventsourcing's PostgreSQL infrastructure, waiting for the server no longer than Parley's settings."""

    application_recorder_class = BoundedApplicationRecorder
    tracking_recorder_class = BoundedTrackingRecorder

    def __init__(self, env: Any):
        super().__init__(env)
        # eventsourcing makes its datastore itself; Parley's adds the held connection.
        self.datastore.__class__ = OrderedDatastore
        datastore = cast(OrderedDatastore, self.datastore)
        datastore.writers = Writers()
        datastore.watchdog = None  # until `bound`
        pool = datastore.pool
        pool.timeout = float(self.env.get("POSTGRES_POOL_TIMEOUT") or pool.timeout)
        # psycopg's pool retries a lost connection with doubling pauses for 5 minutes, so after
        # a long outage it could take as long again to notice the server is back. Giving up
        # sooner lets the next request reconnect at once.
        pool.reconnect_timeout = float(self.env.get("POSTGRES_RECONNECT_TIMEOUT") or pool.reconnect_timeout)
        seconds = int(self.env.get("POSTGRES_SERVER_TIMEOUT") or 5)
        # Without connect_timeout a reconnect to an unreachable host blocks a pool worker for
        # libpq's default of 130 s; tcp_user_timeout likewise bounds a query sent into a dead link.
        assert isinstance(pool.kwargs, dict)  # eventsourcing gives the pool a dict
        pool.kwargs.update(connect_timeout=seconds, tcp_user_timeout=seconds * 1000)
        if pool._check is not None:  # pre-ping is on
            pool._check = _drain_when_one_is_dead(weakref.ref(pool), datastore)  # type: ignore[arg-type]  # psycopg's pool


def _drain_when_one_is_dead(
    pool: Callable[[], psycopg_pool.ConnectionPool | None], datastore: OrderedDatastore
) -> Callable[[Any], None]:
    """A pre-ping that, finding one connection dead, replaces every idle one.

    A dead connection means the server dropped them all (a restart). psycopg's pool would
    pre-ping the others one by one, pausing 0, 1, 2, 4… s between them, so the first request
    after a restart could outwait the pool timeout and answer 503 with the server back up.
    """

    def check(connection: Any) -> None:
        try:
            watchdog = datastore.watchdog
            with watchdog.watching(connection) if watchdog is not None else nullcontext():  # a stalled ping is cut too
                psycopg_pool.ConnectionPool.check_connection(connection)
        except Exception:
            if (live := pool()) is not None:
                live.drain()
            raise

    return check


POSTGRES = get_topic(PostgresFactory)
