"""`GET /metrics`: what this process (or every process sharing PROMETHEUS_MULTIPROC_DIR) counted,
and each view's position and lag, read from the database when scraped."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from parley.api.deps import SystemDep, token_holder
from parley.api.metrics import REGISTRY, database_error
from parley.service.bootstrap import System
from parley.service.problems import Problem

log = logging.getLogger("parley.metrics")
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"


class Views(Collector):
    """Each view's position and lag, read from the shared database when scraped."""

    def __init__(self, system: System):
        self.system = system

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            standing = [(runner.name, *runner.lag()) for runner in self.system.projections]
        except (OperationalError, InterfaceError) as error:
            log.warning("metrics cannot read the views' positions: %s", error)
            database_error("metrics")
            return
        position = GaugeMetricFamily(
            "parley_projection_position", "The log position a view has applied up to", labels=["projection"]
        )
        lag = GaugeMetricFamily(
            "parley_projection_lag", "Log positions recorded that a view has not applied yet", labels=["projection"]
        )
        for name, at, behind in standing:
            position.add_metric([name], at)
            lag.add_metric([name], behind)
        yield position
        yield lag


def scrape(system: System) -> bytes:
    registry = CollectorRegistry()
    # prometheus_client's own variable, which it read when imported: the same test here.
    if os.environ.get(MULTIPROCESS):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Own())
    registry.register(Views(system))
    return generate_latest(registry)


class _Own(Collector):
    def collect(self) -> Iterable[Any]:
        return REGISTRY.collect()


def scraper(request: Request, system: SystemDep) -> None:
    """`metrics` open, closed to all but a live token, or off."""
    if system.settings.metrics == "off":
        raise Problem(404, "http", "Not Found", "this service counts nothing (setting metrics=off)")
    if system.settings.metrics == "token":
        token_holder(request, system)


router = APIRouter(include_in_schema=False)


@router.api_route("/metrics", methods=["GET", "HEAD"])
def metrics(system: SystemDep, _: Annotated[None, Depends(scraper)]) -> Response:
    return Response(scrape(system), media_type=CONTENT_TYPE_LATEST)
