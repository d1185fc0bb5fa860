"""What Parley counts for `GET /metrics` (api/scrape.py), by `prometheus_client` (SPEC §16).

Counted in every process: requests by route template, method and status, with latency
histograms (api/observing.py); events recorded, by type; refusals by status, problem type and
rule, and 503s by problem type (read from the problem bodies as they go out); each group
commit's size and transaction time (service/group_commit.py); live-feed clients; database
errors. Read at each scrape, from the database all processes share: each view's position and
lag behind the log.

Several API processes on one machine (`parley serve --workers N`, or processes an operator
starts with the same PROMETHEUS_MULTIPROC_DIR) each write their values to files in that folder,
and any of them answers a scrape with all of them summed (prometheus_client's multiprocess mode).
The folder must be emptied before the processes start; `parley serve --workers` makes a new one.

The children of each label set are made once and kept, so counting a request is a dict look-up,
an increment and a histogram observation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()  # this process's own; with several processes, the files are read instead

REQUESTS = Counter(
    "parley_http_requests",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "parley_http_request_duration_seconds",
    "Time from a request's arrival to its answer's end",
    ["route", "method"],
    registry=REGISTRY,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS = Counter("parley_events_recorded", "Events stored, by type", ["type"], registry=REGISTRY)
REFUSALS = Counter(
    "parley_refusals",
    "Requests refused with a problem (4xx), by status, problem type and rule",
    ["status", "problem", "rule"],
    registry=REGISTRY,
)
UNAVAILABLE = Counter("parley_unavailable", "Requests answered 503, by problem type", ["problem"], registry=REGISTRY)
DATABASE_ERRORS = Counter("parley_database_errors", "Database errors met, by where they were met", ["where"], registry=REGISTRY)
GROUP_SIZE = Histogram(
    "parley_group_commit_size",
    "Single writes saved together in one transaction",
    registry=REGISTRY,
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
COMMIT_SECONDS = Histogram(
    "parley_group_commit_seconds",
    "Time one group commit's transaction took",
    registry=REGISTRY,
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
FEED_CLIENTS = Gauge(
    "parley_feed_clients", "Live-feed (/events/stream) clients connected now", registry=REGISTRY, multiprocess_mode="livesum"
)


class Counting:
    """The per-request counters, each label set's children made once."""

    def __init__(self) -> None:
        self._requests: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._events: dict[type, Any] = {}

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        children = self._requests.get((route, method, status))
        if children is None:
            children = self._requests[route, method, status] = (
                REQUESTS.labels(route, method, str(status)),
                LATENCY.labels(route, method),
            )
        children[0].inc()
        children[1].observe(seconds)

    def problem(self, status: int, body: dict[str, Any]) -> None:
        slug = str(body.get("type", "")).rsplit("/", 1)[-1]
        if status == 503:
            UNAVAILABLE.labels(slug).inc()
        elif 400 <= status < 500:
            REFUSALS.labels(str(status), slug, str(body.get("rule") or "")).inc()

    def stored(self, events: Sequence[Any]) -> None:
        for event in events:
            child = self._events.get(type(event))
            if child is None:
                child = self._events[type(event)] = EVENTS.labels(type(event).__name__)
            child.inc()

    @staticmethod
    def committed(size: int, seconds: float) -> None:
        GROUP_SIZE.observe(size)
        COMMIT_SECONDS.observe(seconds)


def database_error(where: str) -> None:
    DATABASE_ERRORS.labels(where).inc()
