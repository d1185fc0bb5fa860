"""The page records events (SPEC §13, issue 34): a token once per tab, a subject or a new one, a
form made from the catalog's data schema with disputed values, fuzzy dates read back in words,
problems at their fields, and the recorded event on the timeline."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Service
from tests.e2e.pages import PHONE, opened, serious_accessibility_violations, state_field, timeline_item

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Locator = Page = expect = None  # type: ignore[assignment,misc]

pytestmark = pytest.mark.e2e


def open_form(page: Page) -> Locator:
    page.get_by_role("link", name="Record an event").click()
    form = page.locator("#event-form")
    expect(form).to_have_attribute("data-ready", "true")
    return form


def log_end(service: Service) -> int:
    return int(httpx.get(f"{service.url}/events", params={"limit": 1}).headers["Parley-Log-End"])


def test_an_event_is_recorded_through_the_form_and_a_refused_one_shows_its_rule_at_its_field(
        browser: Any, example_service: Service, request: pytest.FixtureRequest) -> None:
    slug = f"envoy-{uuid.uuid4().hex[:8]}"
    envoy = f"Envoy {slug[6:]}"
    with opened(browser, f"{example_service.url}/?as_of=2025-12-10", request.node.name, refusals=True) as page:
        form = open_form(page)
        form.get_by_label("Write token").fill(example_service.token)
        form.get_by_label("Kind of subject").select_option(label="Trip")
        form.get_by_label("Subject", exact=True).select_option(label="A new trip…")
        form.get_by_label("Address of the new subject").fill(slug)
        form.get_by_label("What happened").select_option(label="Trip scheduled")
        when = form.get_by_label("When it happened")
        when.fill("2025-12")
        expect(page.locator("#form-occurred-reading")).to_have_text("Reads: some time in December 2025.")
        when.fill("1 December 2025")
        expect(page.locator("#form-occurred-reading")).to_have_text("Reads: on 1 Dec 2025 (sent as 2025-12-01).")
        names = form.get_by_label("Name (an outlet or a person)")
        names.first.fill("Reuters")
        form.get_by_role("button", name="Add a source").click()
        names.nth(1).fill("TASS")
        form.get_by_label("Traveller", exact=True).fill(envoy)
        # Sources differ on the day planned: each value with the source that gives it.
        form.get_by_label("Sources differ on planned for").check()
        form.get_by_label("Value 1", exact=True).fill("../2025-12-02")
        expect(form.locator(".alternatives .date-reading").first).to_have_text("Reads: on or before 2 Dec 2025.")
        form.get_by_role("group", name="Sources of value 1").get_by_label("Reuters").check()
        form.get_by_label("Value 2", exact=True).fill("2025-12-03")
        form.get_by_role("group", name="Sources of value 2").get_by_label("TASS").check()

        # No destination: refused at its field, and nothing stored.
        before = log_end(example_service)
        form.get_by_role("button", name="Record the event").click()
        destination = form.get_by_label("Destination", exact=True)
        expect(destination).to_have_attribute("aria-invalid", "true")
        expect(destination).to_be_focused()
        expect(form.locator('.form-field:has([data-path="data.destination"]) .field-problem')).to_have_text(
            "Required: give a value.")
        assert log_end(example_service) == before
        destination.fill("Moscow")
        form.get_by_role("button", name="Record the event").click()
        expect(page.locator("#form-status")).to_contain_text(f"Recorded: Trip scheduled, trip/{slug}")
        expect(form.get_by_label("Subject", exact=True)).to_have_value(f"trip/{slug}")  # now one the page knows
        expect(timeline_item(page, f"{envoy} to Moscow")).to_be_visible()
        planned = state_field(page, f"trip/{slug}", "planned_for")
        expect(planned).to_contain_text("disputed")
        expect(planned.get_by_role("listitem").filter(has_text="3 Dec 2025")).to_contain_text("according to TASS")
        # The token is kept for the tab, never in the address.
        assert example_service.token not in page.url
        assert page.evaluate("sessionStorage.getItem('parley-write-token')") == example_service.token
        expect(form.get_by_label("Write token")).to_have_value("")

        # A rule's refusal is shown at the field it concerns, naming the rule; nothing is stored.
        form.get_by_label("Kind of subject").select_option(label="Delegation")
        form.get_by_label("Subject", exact=True).select_option(value="delegation/ukraine")
        form.get_by_label("What happened").select_option(label="Delegation head replaced")
        form.get_by_label("New head", exact=True).fill("rustem umerov")
        before = log_end(example_service)
        form.get_by_role("button", name="Record the event").click()
        head = form.get_by_label("New head", exact=True)
        expect(head).to_have_attribute("aria-invalid", "true")
        expect(form.locator('.form-field:has([data-path="data.new_head"]) .field-problem')).to_contain_text(
            "already heads delegation/ukraine (the rule “head-differs”)")
        expect(page.locator("#form-problem")).to_contain_text("Not recorded: it breaks the rule “head-differs”")
        assert log_end(example_service) == before


def test_the_form_is_accessible_and_fits_a_phone(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name, **PHONE) as page:
        form = open_form(page)
        form.get_by_label("Kind of subject").select_option(label="Delegation")
        form.get_by_label("Subject", exact=True).select_option(label="A new delegation…")
        form.get_by_role("button", name="Add a member").click()
        expect(form.get_by_role("group", name="Member 1")).to_be_visible()
        form.get_by_label("Sources differ on party").check()
        form.get_by_role("button", name="Record the event").click()  # no token yet: said at its field
        expect(form.get_by_label("Write token")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#form-token-problem")).to_contain_text("Enter a write token")
        assert serious_accessibility_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page).not_to_have_url(re.compile("token", re.IGNORECASE))
