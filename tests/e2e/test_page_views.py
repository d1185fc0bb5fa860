"""Finding a subject, a person (under any spelling, through `GET /search`) or a quote, filtering, folding rows, and sharing and going back to
a view (issue 18, 10 and 12). One served example for the module."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import Service
from tests.e2e.pages import PHONE, opened, state_card, timeline_items

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Page = expect = None  # type: ignore[assignment,misc]

pytestmark = pytest.mark.e2e
DELEGATION_FORMED = "4be28baa-7cae-5c61-8f2c-994e1deee9dc"  # Ukraine's, in scripts/example.jsonl


def rows(page: Page):
    return page.locator("#timeline .row-label")


def test_find_a_person_a_quote_and_filter_by_kind_and_source(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name) as page:
        events = page.locator("#event-list > li")
        expect(events).to_have_count(35)
        find = page.get_by_role("searchbox", name="Find")
        find.fill("umerov")  # a person, in any case: their own record too
        expect(page.locator("#find-count")).to_have_text("Showing 3 of 15 subjects and 6 events.")
        expect(page.locator("#state-cards > article")).to_have_count(3)
        expect(state_card(page, "meeting/florida-round")).to_be_visible()  # he took part: named in its data
        find.fill("Єрмак")  # his Ukrainian spelling, which only his record holds: the service knows it is him
        expect(page.locator("#find-count")).to_have_text("Showing 3 of 15 subjects and 4 events.")
        expect(state_card(page, "meeting/geneva-round-1")).to_be_visible()  # named "Andriy Yermak" there
        find.fill("election schedule")  # words of a quote, and of the plan's point it names
        expect(events).to_have_count(2)
        expect(events.filter(has_text="The Wall Street Journal")).to_have_count(1)
        expect(events.filter(has_text="Point election-schedule added")).to_have_count(1)
        expect(rows(page)).to_have_count(2)

        find.fill("")
        page.get_by_label("plans").check()
        expect(page.locator("#state-cards > article")).to_have_count(1)
        expect(state_card(page, "plan/us-peace-plan")).to_be_visible()
        expect(rows(page)).to_have_text(["▾ US plan for ending hostilitiesplan/us-peace-plan"])
        page.get_by_label("plans").uncheck()
        page.get_by_label("According to").select_option("Axios")
        for text in events.all_inner_texts():
            assert "Axios" in text
        expect(page).to_have_url(re.compile(r"source=Axios"))


def test_rows_are_labelled_by_title_and_fold_away(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name) as page:
        ukraine = rows(page).filter(has_text="delegation/ukraine")
        expect(ukraine).to_contain_text("Ukraine")
        expect(ukraine.locator("small")).to_have_text("delegation/ukraine")  # the slug, secondary
        # Its three events, by their labels (a folded row lets rows below it into view: counting
        # every item would count theirs too).
        own = timeline_items(page).filter(
            has_text=re.compile("headed by Andriy Yermak|Head replaced by Rustem Umerov|Andriy Yermak left")
        )
        expect(own).to_have_count(3)
        ukraine.click()
        expect(ukraine).to_have_attribute("aria-expanded", "false")
        expect(own).to_have_count(0)  # folded away
        ukraine.click()
        expect(own).to_have_count(3)
        page.get_by_role("button", name="Fold all rows").click()
        expect(timeline_items(page)).to_have_count(0)


def test_back_returns_to_each_previous_view_and_a_copied_link_reopens_it(browser: Any, example_service: Service, request) -> None:
    with opened(
        browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name, permissions=["clipboard-read", "clipboard-write"]
    ) as page:
        page.evaluate("window.stillTheSamePage = true")
        page.get_by_role("button", name="One day later").click()
        expect(page).to_have_url(re.compile(r"as_of=2025-11-25"))
        page.locator("#event-list").get_by_role("button", name=re.compile("Delegation formed: Ukraine")).click()
        expect(page).to_have_url(re.compile(f"event={DELEGATION_FORMED}"))
        page.get_by_role("button", name="Month").click()
        expect(page).to_have_url(re.compile(r"window=2025-11-10..2025-12-10"))
        page.get_by_label("From", exact=True).fill("2025-11-20")
        page.get_by_role("button", name="Show changes").click()
        expect(page).to_have_url(re.compile(r"from=2025-11-20&to=2025-11-24"))
        shared = page.url
        page.get_by_role("button", name="Copy link to this view").click()
        expect(page.locator("#copy-status")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == shared

        page.go_back()
        expect(page).not_to_have_url(re.compile(r"from="))
        expect(page).to_have_url(re.compile(r"window=2025-11-10..2025-12-10"))
        page.go_back()
        expect(page).not_to_have_url(re.compile(r"window=2025-11-10"))
        page.go_back()
        expect(page.locator("#event-detail")).to_contain_text("Select an event")
        page.go_back()
        expect(page.get_by_label("As of date")).to_have_attribute("data-value", "2025-11-24")
        expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-24")
        assert page.evaluate("window.stillTheSamePage") is True

    with opened(browser, shared, f"{request.node.name}-shared", **PHONE) as page:
        expect(page.get_by_label("As of date")).to_have_attribute("data-value", "2025-11-25")
        expect(page.locator("#event-detail")).to_contain_text("Rustem Umerov, who was appointed")
        expect(page.locator("#timeline")).to_have_attribute("data-start", "2025-11-10")
        expect(page.locator("#changes-result")).to_have_attribute("data-from", "2025-11-20")


def test_according_to_a_source_and_as_published_by_a_day(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name) as page:
        count = page.locator('#state-cards [data-subject="plan/us-peace-plan"] [data-field="point_count"]')
        expect(count).to_contain_text("disputed")
        page.get_by_label("According to").select_option("Axios")
        expect(count).to_have_text("19")  # the service read the record according to Axios
        expect(page.locator("#states-known")).to_contain_text("According to Axios")
        for text in page.locator("#event-list > li").all_inner_texts():
            assert "Axios" in text
        expect(page).to_have_url(re.compile(r"source=Axios"))

        page.get_by_label("According to").select_option("")
        expect(count).to_contain_text("disputed")
        page.get_by_label("Published by").fill("2025-11-29")  # every report is dated the 30th
        expect(page).to_have_url(re.compile(r"published_by=2025-11-29"))
        expect(state_card(page, "plan/us-peace-plan")).to_have_count(0)
        expect(page.locator("#event-list > li")).to_have_count(0)
        expect(page.locator("#states-known")).to_contain_text("Only what was published by 29 November 2025")
        page.get_by_role("button", name="Published at any time").click()
        expect(state_card(page, "plan/us-peace-plan")).to_be_visible()


def test_expected_meetings_and_trips_are_marked_and_turn_overdue(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name) as page:
        marks = page.locator("#timeline .vis-item.expectation")
        putin = marks.filter(has_text="planned on or before 5 Dec 2025")
        expect(putin).to_have_class(re.compile(r"\bexpected\b"))
        expect(putin).to_contain_text("Expected")
        page.get_by_label("As of date").fill("2025-12-06")
        expect(putin).to_have_class(re.compile(r"\boverdue\b"))
        expect(putin).to_contain_text("Overdue: planned on or before 5 Dec 2025, not reported by 6 December 2025")
        expect(page.get_by_label("Legend")).to_contain_text("overdue")
