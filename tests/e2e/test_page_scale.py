"""A large record on the page: it asks the service for what it shows, never the whole log.

Large is set small here (`PARLEY_PAGE_WHOLE_LOG=1000` over 1,500 events in 150 subjects), so
the test is quick; how fast the page is on 20,000, 100,000 and 1,000,000 events is a figure of
the benchmark program (`python -m parley.scripts.bench`, section `page`), not a timed test. What
makes it fast is asserted: a page of 30 subjects' states in one question, their events in the
timeline's window, as few in the timeline; moving the as-of date asks for that day's states
alone; more subjects on request. The store is filled through the application's batch path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest

from parley.scripts.bench.page import page_events
from parley.scripts.bench.stores import fill
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.e2e.conftest import FAST_FEED, Service, write_token
from tests.e2e.pages import opened
from tests.processes import serving

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

# When each question was asked and answered (ms since the page opened).
TIMES_ASKED = """() => performance.getEntriesByType("resource").map((entry) => ({ path: new URL(entry.name).pathname,
  query: new URL(entry.name).search, start: entry.startTime, end: entry.responseEnd }))"""
# Before a move: the timeline's draws so far (each time it is handed changed rows, vis-timeline
# redraws) and the cards drawn marked, so that what a move draws again can be told from what it keeps.
WATCH_A_MOVE = """() => {
  window.drawsBefore = Number(document.getElementById("timeline").dataset.draws ?? 0);
  for (const card of document.querySelectorAll("#state-cards > article")) card.drawnBefore = true;
}"""
# After it, two frames on: what was drawn, kept and shown.
AFTER_A_MOVE = """() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve({
  redraws: Number(document.getElementById("timeline").dataset.draws ?? 0) - window.drawsBefore,
  kept: [...document.querySelectorAll("#state-cards > article")].filter((card) => card.drawnBefore).length,
  counts: [...document.querySelectorAll("#state-cards .card-count")].map((count) => count.textContent),
  people: [...document.querySelectorAll("#state-cards a.person-link")].map((link) => link.href),
}))))"""


@pytest.fixture(scope="module")
def large_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('large') / 'parley.db'}"
    system = build(Settings(database_url=url))
    try:
        assert fill(system, page_events(SUBJECTS, EACH)) == SUBJECTS * EACH
    finally:
        system.close()
    token = write_token(url)
    with serving(url, env={**FAST_FEED, "PARLEY_PAGE_WHOLE_LOG": "1000"}) as servers:
        yield Service(servers, token)


def questions(page: Any, path: str) -> list[dict[str, list[str]]]:
    return [parse_qs(item["query"].lstrip("?")) for item in page.evaluate(ASKED) if item["path"] == path]


def busy_day() -> str:
    """The last day an event of the first page of subjects happened on: the timeline opens on the
    as-of date, and there it has their events to show."""
    first_page = sorted({event["subject"] for event in page_events(SUBJECTS, EACH)})[:30]
    return max(
        event["occurred"]
        for event in page_events(SUBJECTS, EACH)
        if event["subject"] in first_page and re.fullmatch(r"\d{4}-\d{2}-\d{2}", event["occurred"])
    )


def test_a_large_record_is_read_a_page_of_subjects_and_a_window_at_a_time(browser: Any, large_service: Service, request) -> None:
    with opened(browser, f"{large_service.url}/?as_of={busy_day()}", request.node.name) as page:
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

        # Moving the as-of date a day asks for that day's page of states, not the log again; the
        # timeline is drawn once for it, and the cards a day left unchanged are kept, not drawn again.
        cards = page.locator("#state-cards")
        before = cards.get_attribute("data-as-of")
        page.evaluate(WATCH_A_MOVE)
        page.get_by_role("button", name="+1 day", exact=False).first.click()
        expect(cards).not_to_have_attribute("data-as-of", before)
        assert [q["as_of"] for q in questions(page, "/state")][:2] == [[before], [cards.get_attribute("data-as-of")]]
        moved = page.evaluate(AFTER_A_MOVE)
        assert moved["redraws"] <= 1, moved
        assert moved["kept"] > 0, moved  # most subjects' state is the same a day later (a changed card: test_page.py)
        day = cards.get_attribute("data-as-of")
        words = page.evaluate(
            "(day) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', "
            "{ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })",
            day,
        )
        assert all(count.endswith(f"by {words}") for count in moved["counts"]), (words, moved["counts"])
        assert all(f"as_of={day}" in href for href in moved["people"]), moved["people"]

        # The next step the same way is asked ahead, and drawn from it; a day gone back to is drawn
        # from what was asked before: no day is asked twice.
        ahead = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        page.wait_for_function(
            "(day) => performance.getEntriesByType('resource').some((entry) => entry.name.includes(`/state?as_of=${day}&`))",
            arg=ahead,
        )
        page.get_by_role("button", name="+1 day", exact=False).first.click()
        expect(cards).to_have_attribute("data-as-of", ahead)
        page.get_by_role("button", name="−1 day", exact=False).first.click()
        expect(cards).to_have_attribute("data-as-of", day)
        days = [q["as_of"][0] for q in questions(page, "/state")]
        assert {before, day, ahead} <= set(days) and len(days) == len(set(days)), days

        # A week on leaves the timeline's window: the new window's events are asked beside the
        # week's states, not after them.
        week = (date.fromisoformat(day) + timedelta(days=7)).isoformat()
        page.get_by_role("button", name="+1 week", exact=False).first.click()
        expect(cards).to_have_attribute("data-as-of", week)
        asked = page.evaluate(TIMES_ASKED)
        state = next(entry for entry in asked if entry["path"] == "/state" and f"as_of={week}&" in entry["query"])
        window = [
            entry
            for entry in asked
            if entry["path"] == "/events" and "occurred_from=" in entry["query"] and entry["start"] > state["start"] - 500
        ]
        assert window and min(entry["start"] for entry in window) < state["end"], (state, window)

        # More subjects on request: the next page of states and their events in view.
        page.get_by_role("button", name="Show more subjects").click()
        expect(page.locator("#state-cards > article")).to_have_count(60)
        asked = {subject for q in questions(page, "/events") for subject in q["subject"]}
        assert len(asked) == 60

        # Opened without a date, on the record's last day: the timeline shows that day (the events
        # read, open-ended ones among them, say nothing of where the record ends), so a move of a
        # day does not swing the timeline months away and read its events again.
        page.goto(f"{large_service.url}/")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        as_of = cards.get_attribute("data-as-of")
        timeline = page.locator("#timeline")
        assert timeline.get_attribute("data-start") <= as_of <= timeline.get_attribute("data-end"), as_of


def test_a_redacted_value_reads_as_words_and_other_answers_are_read_plainly(browser: Any, large_service: Service) -> None:
    # Answers are parsed without a reviver unless they hold a redaction (a reviver costs a large
    # page of states tens of milliseconds): one that does still reads as the words shown in its place.
    context = browser.new_context()
    try:
        page = context.new_page()
        redacted = {"subject": "person/x", "state": {"name": {"redacted": True, "reason": "safety"}, "note": "redacted"}}
        page.route("**/subjects/person/x?**", lambda route: route.fulfill(json=redacted))
        page.goto(f"{large_service.url}/static/page.css")
        read = page.evaluate("""async () => {
          const api = await import("/static/js/api.js");
          return api.stateOf("person/x", "2025-01-01", null);
        }""")
        assert read["state"] == {"name": "[redacted: safety]", "note": "redacted"}
    finally:
        context.close()
