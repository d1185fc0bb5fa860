"""A person's card on the page (SPEC §11, issue 30): their names in every script, offices and roles
at the as-of date, the events naming them listed (each leading to its event) and marked on the
timeline; reached from a name in a state and from Find; accessible, and read on a phone.
One server with the example for the whole file."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.pages import PHONE, opened, serious_accessibility_violations, state_card

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e
UMEROV = "person/rustem-umerov"


def test_a_name_in_a_state_opens_the_persons_card(browser: Any, example_service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name) as page:
        head = state_card(page, "delegation/ukraine").locator('[data-field="head"] a.person-link')
        expect(head).to_have_text("Rustem Umerov")
        head.click()
        card = page.locator("#who")
        body = card.locator("#who-body")
        expect(body).to_have_attribute("data-person", UMEROV)
        expect(body).to_have_attribute("aria-busy", "false")
        expect(page).to_have_url(f"{example_service.url}/?as_of=2025-11-30&card=person%2Frustem-umerov")
        expect(card.get_by_role("heading", level=2)).to_contain_text("Rustem Umerov")
        expect(card.locator(".person-names li")).to_have_text(["Rustem Umerov (the name used)", "Рустем Умєров"])
        roles = card.locator("#person-roles + ul li")
        expect(roles).to_have_count(3)
        expect(card.locator('#person-roles + ul li[data-subject="delegation/ukraine"]')).to_have_count(2)
        expect(roles.filter(has_text="member of")).to_contain_text("Ukraine")
        expect(roles.filter(has_text="head of")).to_contain_text("Ukraine")
        # The events naming him, in valid-time order, each leading to its event; marked on the timeline.
        mentions = card.locator(".person-mentions > li")
        expect(mentions).to_have_count(5)
        expect(mentions.first).to_contain_text("“Rustem Umerov” (members.name)")
        ids = mentions.evaluate_all("(items) => items.map((item) => item.dataset.eventId)")
        expect(page.locator("#timeline .vis-item.mentioned").first).to_be_visible()
        marked = page.locator("#timeline .vis-item.mentioned")
        assert marked.count() >= 1
        mentions.nth(2).get_by_role("link").click()
        expect(page.locator("#event-detail article")).to_have_attribute("data-event-id", ids[2])
        expect(page.locator("#event-detail")).to_contain_text("Rustem Umerov")
        assert serious_accessibility_violations(page) == []
        # An earlier day: he is a member only, and fewer events name him by then.
        page.get_by_label("As of date").fill("2025-11-23")
        page.get_by_label("As of date").press("Enter")
        expect(body).to_have_attribute("data-as-of", "2025-11-23")
        expect(roles).to_have_count(1)
        expect(roles.first).to_contain_text("member of")
        expect(mentions).to_have_count(1)
        # Closing the card hides it and takes it out of the address.
        card.get_by_role("button", name="Close the card").click()
        expect(card).to_be_hidden()
        assert "card=" not in page.url


def test_find_finds_a_person_by_another_script_and_opens_their_card(browser: Any, example_service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name) as page:
        page.get_by_label("Find", exact=True).fill("Єрмак")
        found = page.locator("#find-people a.person-link")
        expect(found).to_have_text(["Andriy Yermak"])
        expect(page.locator("#find-people")).to_contain_text("Андрій Єрмак")
        found.click()
        card = page.locator("#who")
        expect(card.locator("#who-body")).to_have_attribute("data-person", "person/andriy-yermak")
        expect(card.locator(".person-names li")).to_have_text(
            ["Andriy Yermak (the name used)", "Andrey Yermak", "Andrii Yermak", "Андрій Єрмак", "Андрей Ермак"]
        )
        expect(card.locator("#person-offices + p")).to_have_text("None held on this date, as far as the record knows.")
        assert serious_accessibility_violations(page) == []


def test_the_card_of_an_address_on_a_phone(browser: Any, example_service, request) -> None:
    with opened(
        browser, f"{example_service.url}/?as_of=2025-11-30&card=person%2Fmarco-rubio", request.node.name, **PHONE
    ) as page:
        card = page.locator("#who")
        expect(card.locator("#who-body")).to_have_attribute("aria-busy", "false")
        expect(card.get_by_role("heading", level=2)).to_contain_text("Marco Rubio")
        expect(card.locator("#person-offices + ul li")).to_contain_text(["Secretary of State"])
        # Nothing wider than the screen: the card and its lists wrap.
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert serious_accessibility_violations(page) == []
