"""`/readyz` and `/metrics` through a database outage: 503 naming the database, counted, then 200
again by itself once the server is back (the proxy cuts the process off as a restart would)."""

from __future__ import annotations

import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.helpers import assert_problem
from tests.multiprocess.helpers import SMALL_POOLS, run_servers
from tests.multiprocess.proxy import Proxy

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
READY_TIMEOUT = 1.0
SETTINGS = {
    **SMALL_POOLS,
    "PARLEY_POOL_TIMEOUT": "1",
    "PARLEY_CONNECT_TIMEOUT": "1",
    "PARLEY_POOL_RECONNECT_TIMEOUT": "1",
    "PARLEY_READY_TIMEOUT": str(READY_TIMEOUT),
}
ANSWER_WITHIN = 5.0
RECOVER_WITHIN = 30.0


def samples(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def test_readyz_turns_503_when_the_database_is_cut_off_and_200_when_it_is_back(shared_url) -> None:
    with Proxy(shared_url) as proxy, run_servers(proxy.url, 1, SETTINGS) as [server], server.client() as client:
        assert client.get("/readyz").status_code == 200
        before = samples(client)

        proxy.cut()
        started = time.monotonic()
        problem = assert_problem(client.get("/readyz"), 503)
        assert time.monotonic() - started < ANSWER_WITHIN
        assert not problem["checks"]["database"]["ok"] and problem["detail"].startswith("database: "), problem
        assert client.get("/healthz").status_code == 200  # the process still serves
        assert_problem(client.get("/events"), 503)
        during = samples(client)  # /metrics answers without the database, less the views' positions
        assert ("parley_projection_lag", (("projection", "subject_states"),)) not in during
        grew = {key: during.get(key, 0) - before.get(key, 0) for key in during}
        assert grew["parley_unavailable_total", (("problem", "not-ready"),)] == 1
        assert grew["parley_unavailable_total", (("problem", "store-unavailable"),)] == 1
        assert grew["parley_database_errors_total", (("where", "readiness"),)] >= 1, problem
        assert grew["parley_database_errors_total", (("where", "request"),)] == 1
        assert grew["parley_http_requests_total", (("method", "GET"), ("route", "/readyz"), ("status", "503"))] == 1

        proxy.start()
        deadline = time.monotonic() + RECOVER_WITHIN
        while (answer := client.get("/readyz")).status_code == 503:
            assert time.monotonic() < deadline, f"not ready again once the database was back: {answer.text}"
        assert answer.status_code == 200 and answer.json()["checks"]["database"]["ok"]
