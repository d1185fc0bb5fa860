"""Starting several servers at once, releasing requests at one instant, and reading the log."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx

from parley.service.bootstrap import System
from tests.processes import Server, start_server

T = TypeVar("T")
# Small pools: the server is shared with other people's test runs.
SMALL_POOLS = {"PARLEY_POOL_SIZE": "2", "PARLEY_POOL_MAX_OVERFLOW": "2"}


@contextmanager
def run_servers(url: str, count: int, env: dict[str, str]) -> Iterator[list[Server]]:
    """`count` servers started at the same time, as an operator would start them; all stopped after."""
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(start_server, url, env=env) for _ in range(count)]
    started = [f.result() for f in futures if f.exception() is None]
    try:
        for future in futures:
            future.result()  # the first start-up failure, with the server's output
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=15)
            except Exception:  # noqa: BLE001 - a server that will not stop is killed
                server.kill()


def together(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run every call in its own thread, all released at the same instant by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def clients(servers: Sequence[Server], token: str) -> list[httpx.Client]:
    """One client per server, already connected, so a request released by a barrier leaves at once."""
    made = [server.client(token) for server in servers]
    for client in made:
        client.get("/openapi.json").raise_for_status()
    return made


def new_subject(kind: str = "delegation") -> str:
    return f"{kind}/mp-{uuid.uuid4().hex[:12]}"


def logged(store: System, after: int = 0) -> list[tuple[int, Any]]:
    """The subject events in the store itself, as (position, fact), in recorded order."""
    found: list[tuple[int, Any]] = []
    while page := store.app.log(after, 1000):
        found += [(position, event.as_fact()) for position, event in page]
        after = page[-1][0]
    return found


def api_log(client: httpx.Client, after: int = 0) -> list[dict[str, Any]]:
    """GET /events page by page: the log as one process serves it."""
    events: list[dict[str, Any]] = []
    while True:
        response = client.get("/events", params={"after": after, "limit": 1000})
        response.raise_for_status()
        page = response.json()
        events += page["events"]
        if page["next"] is None:
            return events
        after = page["next"]
