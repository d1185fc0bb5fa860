"""A large record on the page: it asks the service for what it shows, never the whole log.

Large is set small here (`PARLEY_PAGE_WHOLE_LOG=1000` over 1,500 events in 150 subjects), so
the test is quick; how fast the page is on 20,000, 100,000 and 1,000,000 events is a figure of
the benchmark program (`python -m parley.scripts.bench`, section `page`), not a timed test. What
makes it fast is asserted: a page of 30 subjects' states in one question, their events in the
timeline's window, as few in the timeline; moving the as-of date asks for that day's states
alone; more subjects on request. The store is filled through the application's batch path.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from parley.scripts.bench.page import page_events
from parley.scripts.bench.stores import fill
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.e2e.conftest import FAST_FEED, Service
from tests.e2e.pages import opened
from tests.processes import parley, serving

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e
SUBJECTS, EACH = 150, 10

# The page's questions to the API, in the order asked.
ASKED = """() => performance.getEntriesByType("resource").map((entry) => new URL(entry.name))
  .filter((url) => url.pathname !== "/" && !url.pathname.startsWith("/static/"))
  .map((url) => ({ path: url.pathname, query: url.search }))"""


@pytest.fixture(scope="module")
def large_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('large') / 'parley.db'}"
    system = build(Settings(database_url=url))
    try:
        assert fill(system, page_events(SUBJECTS, EACH)) == SUBJECTS * EACH
    finally:
        system.close()
    token = parley("token", "create", f"e2e-{uuid.uuid4().hex[:8]}", database_url=url).stdout.strip()
    with serving(url, env={**FAST_FEED, "PARLEY_PAGE_WHOLE_LOG": "1000"}) as servers:
        yield Service(servers, token)


def questions(page: Any, path: str) -> list[dict[str, list[str]]]:
    return [parse_qs(item["query"].lstrip("?")) for item in page.evaluate(ASKED) if item["path"] == path]


def test_a_large_record_is_read_a_page_of_subjects_and_a_window_at_a_time(browser: Any, large_service: Service, request) -> None:
    with opened(browser, f"{large_service.url}/", request.node.name) as page:
        states = questions(page, "/state")
        assert len(states) == 1 and states[0]["limit"] == ["30"]  # a page of subjects, in one question
        log = questions(page, "/events")
        assert log and all("occurred_from" in q and "occurred_to" in q and 0 < len(q["subject"]) <= 100 for q in log)
        assert len({subject for q in log for subject in q["subject"]}) == 30  # the page's subjects
        shown = int(page.locator("#timeline").get_attribute("data-items"))
        listed = page.locator("#event-list > li").count()
        assert 0 < shown < 300 and 0 < listed <= 100  # the window's events, not the 1,500
        expect(page.locator("#state-cards > article")).to_have_count(30)
        expect(page.locator("#find-help")).to_contain_text("This record is large")

        # Moving the as-of date a day asks for that day's page of states, not the log again.
        cards = page.locator("#state-cards")
        before = cards.get_attribute("data-as-of")
        page.get_by_role("button", name="+1 day", exact=False).first.click()
        expect(cards).not_to_have_attribute("data-as-of", before)
        assert len(questions(page, "/state")) == 2

        # More subjects on request: the next page of states and their events in view.
        page.get_by_role("button", name="Show more subjects").click()
        expect(page.locator("#state-cards > article")).to_have_count(60)
        asked = {subject for q in questions(page, "/events") for subject in q["subject"]}
        assert len(asked) == 60
