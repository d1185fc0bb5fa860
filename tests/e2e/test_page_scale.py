"""The page with 200 subjects and 20,000 events: it opens on a page of each list, and finding
works over all of it. How fast it first renders is a figure of the benchmark program
(`python -m parley.scripts.bench`, section `page`, beside the 20-event example), not a timed
test: the machines are shared, and a time limit here would measure the neighbours. What makes
it fast is asserted instead: the log in pages of 1,000, a few in flight, each asked once; one
question each for the states, the expectations and the changes; the timeline given only the
events near its window; a page of the list drawn.

The store is filled through the application's batch path (the benchmark's own filler), not
over HTTP. First render is what the page measures itself: navigation start to ready.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from parley.scripts.bench.page import page_events
from parley.scripts.bench.stores import fill
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.e2e.conftest import Service, start_service
from tests.e2e.pages import opened

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e

# The page's questions to the API by first render, with when each was asked and answered.
ASKED = """() => performance.getEntriesByType("resource").map((entry) => [new URL(entry.name), entry])
  .filter(([url]) => url.pathname !== "/" && !url.pathname.startsWith("/static/"))
  .map(([url, entry]) => ({ path: url.pathname, query: url.search, start: entry.startTime, end: entry.responseEnd }))"""


@pytest.fixture(scope="module")
def large_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('large') / 'parley.db'}"
    system = build(Settings(database_url=url))
    try:
        assert fill(system, page_events()) == 20_000
    finally:
        system.close()
    yield from start_service(url, count=1, example=False)


def test_the_page_opens_on_200_subjects_and_20000_events_and_finds_over_them(browser: Any, large_service: Service, request) -> None:
    # Opening on the record's last day folds its 200 subjects at that day on the server; the test
    # asserts what keeps that fast, not a time (a shared machine at load 19 took over 15 s).
    with opened(browser, f"{large_service.url}/", request.node.name, ready_timeout=60_000) as page:
        first_render = float(page.locator("body").get_attribute("data-first-render-ms"))
        print(f"first render with 20,000 events: {first_render:.0f} ms (load average {os.getloadavg()[0]:.1f})")
        asked = page.evaluate(ASKED)
        log = [item for item in asked if item["path"] == "/events"]
        assert len(log) == 20 and all("limit=1000" in item["query"] for item in log)  # none past the end
        assert max(sum(other["start"] <= item["start"] < other["end"] for other in log) for item in log) <= 4
        assert sorted(item["path"] for item in asked if item["path"] != "/events") == ["/changes", "/expectations",
                                                                                      "/state"]
        assert int(page.locator("#timeline").get_attribute("data-items")) < 1_000  # the window's, not 20,000
        expect(page.locator("#event-list > li")).to_have_count(100)  # a page of the list, not 20,000 articles
        expect(page.locator("#state-cards > article")).to_have_count(30)
        expect(page.get_by_role("button", name="Show every subject (200)")).to_be_visible()

        page.get_by_role("searchbox", name="Find").fill("page-199")
        expect(page.locator("#find-count")).to_have_text("Showing 1 of 200 subjects and 100 events.")
        expect(page.locator("#state-cards > article")).to_have_count(1)
