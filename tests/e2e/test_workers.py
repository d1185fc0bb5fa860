"""Several API processes on one machine: /metrics, whichever of them answers it, counts the requests
all of them served (prometheus_client's multiprocess mode), for `parley serve --workers N` and for
processes an operator starts with one PROMETHEUS_MULTIPROC_DIR."""

from __future__ import annotations

import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.processes import start_server

pytestmark = pytest.mark.e2e
CLOSED_WITHIN = 60.0


def served(client: httpx.Client, route: str) -> float:
    text = client.get("/metrics").text
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "parley_http_requests_total" and s.labels["route"] == route
    )


def gauge(client: httpx.Client, name: str) -> float:
    text = client.get("/metrics").text
    return next(s.value for family in text_string_to_metric_families(text) for s in family.samples if s.name == name)


def test_processes_sharing_a_metrics_folder_each_answer_for_all(tmp_path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    # A feed's closing is seen at its next ping: pings every half second, not every 15.
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder), "PARLEY_FEED_KEEPALIVE_SECONDS": "0.5"}
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    workers = start_server(url, env=env, args=["--workers", "2"])
    single = None
    try:
        single = start_server(url, env=env)
        # A new connection for each request, so that the workers may share them out.
        with (
            httpx.Client(base_url=workers.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as first,
            single.client() as second,
        ):
            for client, times in ((first, 12), (second, 7)):
                for _ in range(times):
                    assert client.get("/healthz").status_code == 200
            counts = [served(client, "/healthz") for client in (first, first, first, second)]
            with second.stream("GET", "/events/stream") as feed:
                lines = feed.iter_lines()  # kept: a dropped iterator closes the connection
                assert next(lines) == "event: ready"
                assert gauge(first, "parley_feed_clients") == 1  # counted by the other process too
            deadline = time.monotonic() + CLOSED_WITHIN
            while gauge(first, "parley_feed_clients") != 0:  # once the server has seen the client go
                assert time.monotonic() < deadline, "a closed feed is still counted"
        assert counts == [19] * 4, counts
        output = workers.stopped_output()
        assert not any("Traceback" in line for line in output), "".join(output)
    finally:
        for server in (workers, single):
            if server is not None and server.process.poll() is None:
                server.kill()
