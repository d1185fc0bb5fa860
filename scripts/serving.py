"""`parley serve` (SPEC §5): the HTTP API in one process or several. The only command that
imports the API (`parley.api`), and only when it runs, so other commands start without it."""

from __future__ import annotations

import gc
import os
from enum import Enum
from typing import Annotated, Any

import typer

from parley.scripts.opening import DatabaseOption, opened, settings_for
from parley.service.settings import Settings


class LogFormats(str, Enum):
    off = "off"
    text = "text"
    json = "json"


LogFormat = Annotated[
    LogFormats | None,
    typer.Option(
        "--log-format", help="one line per request on standard output, as text or JSON; default $PARLEY_LOG_FORMAT or off"
    ),
]
Workers = Annotated[int, typer.Option("--workers", min=1, help="worker processes sharing the port; /metrics sums them")]


def serve(
    host: str = "127.0.0.1", port: int = 8000, database: DatabaseOption = None, log_format: LogFormat = None, workers: Workers = 1
) -> None:
    """Serve the HTTP API."""
    import uvicorn

    if log_format is not None:
        os.environ["PARLEY_LOG_FORMAT"] = log_format.value  # worker processes read their settings from the environment
    if workers > 1:
        serve_workers(host, port, database, workers)
        return
    from parley.api import tracing
    from parley.api.main import create_app

    tracing.start(settings_for(database))  # before the database's first connection, so its calls are spans
    with opened(database, serving=True) as system:
        app = create_app(system.settings, system)
        collect_rarely()
        # Open live feeds would otherwise hold a stopping server forever.
        # Requests are logged by Parley's own lines (--log-format), never by uvicorn's access log.
        uvicorn.run(
            app, host=host, port=port, log_level="info", access_log=False, timeout_graceful_shutdown=3, **guarded(system.settings)
        )


def serve_workers(host: str, port: int, database: str | None, workers: int) -> None:
    """Several processes on one port, each building the system from the environment. Their metrics
    go to files in PROMETHEUS_MULTIPROC_DIR, which any of them sums when scraped: a new, empty
    folder for this run unless the environment names one (which must then be empty)."""
    import tempfile

    import uvicorn

    if database:
        os.environ["PARLEY_DATABASE_URL"] = database
    with opened(database):
        pass  # the database opens, and a store of an older version is upgraded, once, before any worker starts
    with tempfile.TemporaryDirectory(prefix="parley-metrics-") as folder:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", folder)
        settings = settings_for(database)
        uvicorn.run(
            "parley.api.main:create_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
            timeout_graceful_shutdown=3,
            timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
            **guarded(settings),
        )


def guarded(settings: Settings) -> dict[str, Any]:
    """uvicorn's settings for slow, idle and surplus connections (api/connections.py)."""
    from parley.api.connections import GuardedHTTP

    return {
        "http": GuardedHTTP,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections + 1,
    }


YOUNG_COLLECTION = 10_000  # container allocations between young collections (Python's default: 700)
# A rebuild's batch of 10,000 events makes some 100,000 containers: about one young collection a batch.
REBUILD_YOUNG_COLLECTION = 100_000


def collect_rarely(young: int = YOUNG_COLLECTION) -> None:
    """Tune the cyclic garbage collector for serving, once everything long-lived is loaded.

    Parley makes almost no cyclic garbage, yet with the default threshold the collector ran
    on every few requests: a group commit keeps sixteen requests' objects alive together,
    past 700 allocations, so young collections ran and promoted them, and full collections
    (about 100 ms over the process's 130,000 objects) followed: 180 µs of CPU a request, a
    third of the single append's (docs/benchmarks.md). Frozen, the objects of start-up
    (modules, schemas, the app) are never scanned again. `parley rebuild` too: it holds a batch
    of 10,000 events' objects at once, and the default collector cost a fifth of its CPU
    (49.8 s against 60.2 s at 1M events), young collections every 10,000 another tenth.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, 10, 10)
