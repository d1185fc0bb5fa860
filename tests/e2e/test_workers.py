"""Several API processes on one machine: /metrics, whichever of them answers it, counts the requests
all of them served (prometheus_client's multiprocess mode), for processes an operator starts with
one PROMETHEUS_MULTIPROC_DIR and for `parley serve --workers N`."""

from __future__ import annotations

import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.processes import serving

pytestmark = pytest.mark.e2e
START_WITHIN = 60.0


def served(client: httpx.Client, route: str) -> float:
    text = client.get("/metrics").text
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "parley_http_requests_total" and s.labels["route"] == route)


def test_processes_sharing_a_metrics_folder_each_answer_for_all(tmp_path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder)}
    with serving(f"sqlite:///{tmp_path / 'parley.db'}", count=2, env=env) as (one, other):
        with one.client() as first, other.client() as second:
            for client, times in ((first, 5), (second, 7)):
                for _ in range(times):
                    assert client.get("/healthz").status_code == 200
            assert served(first, "/healthz") == served(second, "/healthz") == 12


def test_serve_with_workers_counts_every_request_in_one_scrape(tmp_path) -> None:
    with serving(f"sqlite:///{tmp_path / 'parley.db'}", args=["--workers", "2"]) as (server,):
        # A new connection for each request, so that the workers may share them out.
        with httpx.Client(base_url=server.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            deadline = time.monotonic() + START_WITHIN
            while True:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the workers did not start"
            for _ in range(12):
                assert client.get("/healthz").status_code == 200
            counts = [served(client, "/healthz") for _ in range(4)]
        output = server.stopped_output()
    assert counts == [12] * 4, counts
    assert not any("Traceback" in line for line in output), "".join(output)
