"""Builds the FastAPI app: the wired system in the lifespan, routers, problems, limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from parley.api import docs, health, openapi, page, problem_types, problems, request_log, scrape, tracing
from parley.api.compression import Compression
from parley.api.door import Door
from parley.api.heads import Heads
from parley.api.kind_routes import kind_routers
from parley.api.metrics import Counting
from parley.api.observing import Observed
from parley.api.routes import catalog, checkpoints, drafts, events, export, redactions, search, stream, subjects
from parley.api.strict_query import StrictQueries
from parley.api.vocabulary import vocabulary
from parley.service.bootstrap import System, build, catalog_of
from parley.service.settings import Settings, get_settings


def create_app(settings: Settings | None = None, system: System | None = None) -> FastAPI:
    """The app; what differs by kind (paths, filters, schemas, the page) is derived here from the
    catalog the settings declare (SPEC §10), before any request, and the lifespan wires the rest."""
    settings = settings or get_settings()
    declared = system.catalog if system is not None else catalog_of(settings)
    words = vocabulary(declared)
    tracing.start(settings)  # before the system opens its first connection: the database's spans too
    counting = Counting() if settings.metrics != "off" else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.system = system or build(settings)
        app.state.system.views.start()  # the one writer of this process's views; requests only read them
        if counting is not None:
            app.state.system.app.observe(counting.stored, counting.committed)
        try:
            yield
        finally:
            if system is None:
                app.state.system.close()

    app = FastAPI(
        title="Parley",
        version="1.0.0",
        summary="Sourced, bitemporal records of how a negotiation changes.",
        lifespan=lifespan,
        generate_unique_id_function=openapi.operation_id,
        docs_url=None,  # served from vendored files by parley.api.docs
        redoc_url=None,
    )
    app.state.catalog = declared
    openapi.install(app)
    problems.register(app)
    app.include_router(events.router.built(words))  # first: routes are matched in order, and POST /events is the hot path
    app.include_router(stream.router.built(words))
    app.include_router(events.one.built(words))  # after /events/stream, which its path would match
    for prefix, own in kind_routers(declared):  # a kind's routes of its own, before the general ones
        app.include_router(own, prefix=prefix)
    app.include_router(subjects.router.built(words))
    app.include_router(catalog.router.built(words))
    app.include_router(search.router.built(words))
    app.include_router(drafts.router)
    app.include_router(redactions.router)
    app.include_router(export.router)
    app.include_router(checkpoints.router)
    app.include_router(page.router)
    app.include_router(problem_types.router)
    app.include_router(docs.router)
    app.include_router(health.router)
    app.include_router(scrape.router)
    page.mount_static(app)
    app.add_middleware(StrictQueries, api=app)
    app.add_middleware(Door, max_bytes=settings.max_body_bytes)  # SPEC §6 refuses in its order before the app
    # Outside the door, so its refusals carry a request id and are counted too (api/observing.py).
    app.add_middleware(Observed, api=app, counting=counting, logging=request_log.install(settings.request_log))
    # The page's 549 KB timeline script goes as ~150 KB, a page of 1,000 events as a fifth of itself.
    # Level 6: most of level 9's saving at a third of its time. The live feed is never buffered
    # (text/event-stream is excluded), nor are answers under 1 KB (POST receipts); writes from
    # clients that take no gzip skip it altogether (api/compression.py).
    app.add_middleware(Compression, minimum_size=1024, compresslevel=6)
    app.add_middleware(Heads)  # outermost: a HEAD is its GET throughout, compressed as that would be
    tracing.instrument(app)
    return app
