"""Finding a subject, a person or a quote, filtering, folding rows, and sharing and going back to
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
        expect(events).to_have_count(20)
        find = page.get_by_role("searchbox", name="Find")
        find.fill("umerov")  # a person, in any case
        expect(page.locator("#find-count")).to_have_text("Showing 2 of 7 subjects and 5 events.")
        expect(page.locator("#state-cards > article")).to_have_count(2)
        expect(state_card(page, "meeting/florida-round")).to_be_visible()  # he took part: named in its data
        find.fill("election schedule")  # words of a quote
        expect(events).to_have_count(1)
        expect(events.first).to_contain_text("The Wall Street Journal")
        expect(rows(page)).to_have_count(1)

        find.fill("")
        page.get_by_label("plans").check()
        expect(page.locator("#state-cards > article")).to_have_count(1)
        expect(state_card(page, "plan/us-peace-plan")).to_be_visible()
        expect(rows(page)).to_have_text(["▾ US plan for ending hostilitiesplan/us-peace-plan"])
        page.get_by_label("plans").uncheck()
        page.get_by_label("Cited by").select_option("Axios")
        for text in events.all_inner_texts():
            assert "Axios" in text
        expect(page).to_have_url(re.compile(r"source=Axios"))


def test_rows_are_labelled_by_title_and_fold_away(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name) as page:
        ukraine = rows(page).filter(has_text="delegation/ukraine")
        expect(ukraine).to_contain_text("Ukraine")
        expect(ukraine.locator("small")).to_have_text("delegation/ukraine")  # the slug, secondary
        shown = timeline_items(page).count()
        ukraine.click()
        expect(ukraine).to_have_attribute("aria-expanded", "false")
        expect(timeline_items(page)).to_have_count(shown - 3)  # its three events folded away
        ukraine.click()
        expect(timeline_items(page)).to_have_count(shown)
        page.get_by_role("button", name="Fold all rows").click()
        expect(timeline_items(page)).to_have_count(0)


def test_back_returns_to_each_previous_view_and_a_link_reopens_it(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name) as page:
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

        page.go_back()
        expect(page).not_to_have_url(re.compile(r"from="))
        expect(page).to_have_url(re.compile(r"window=2025-11-10..2025-12-10"))
        page.go_back()
        expect(page).not_to_have_url(re.compile(r"window=2025-11-10"))
        page.go_back()
        expect(page.locator("#event-detail")).to_contain_text("Select an event")
        page.go_back()
        expect(page.get_by_label("As of date")).to_have_value("2025-11-24")
        expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-24")
        assert page.evaluate("window.stillTheSamePage") is True

    with opened(browser, shared, f"{request.node.name}-shared", **PHONE) as page:
        expect(page.get_by_label("As of date")).to_have_value("2025-11-25")
        expect(page.locator("#event-detail")).to_contain_text("Rustem Umerov, who was appointed")
        expect(page.locator("#timeline")).to_have_attribute("data-start", "2025-11-10")
        expect(page.locator("#changes-result")).to_have_attribute("data-from", "2025-11-20")


def test_copy_link_puts_the_view_on_the_clipboard(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24&q=umerov", request.node.name,
                permissions=["clipboard-read", "clipboard-write"]) as page:
        expect(page.get_by_role("searchbox", name="Find")).to_have_value("umerov")
        page.get_by_role("button", name="Copy link to this view").click()
        expect(page.locator("#copy-status")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == page.url
