"""`parley serve` logs every request only when asked (PARLEY_ACCESS_LOG=true): the access log
costs a single append about a tenth of its time (docs/benchmarks.md)."""

from __future__ import annotations

import pytest

from tests.processes import serving

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("setting, logged", [(None, False), ("true", True)])
def test_requests_are_logged_only_with_the_access_log_on(tmp_path, setting, logged) -> None:
    env = {"PARLEY_ACCESS_LOG": setting} if setting else {}
    with serving(f"sqlite:///{tmp_path / 'parley.db'}", env=env) as (server,):
        with server.client() as client:
            assert client.get("/events?limit=7").status_code == 200
        output = server.stopped_output()
    assert any("/events?limit=7" in line for line in output) == logged, output
