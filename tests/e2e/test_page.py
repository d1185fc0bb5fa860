"""The page at `/` in headless chromium, against a live `parley serve` with the example loaded.

Every wait is on a condition (Playwright's `expect` retries until it holds). Each test leaves a
screenshot in artifacts/e2e/ (of the screen; of the whole page when it failed).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import Service, screenshot_path
from tests.e2e.pages import PHONE, opened, post, state_card, state_field, timeline_item, timeline_items

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Page = expect = None  # type: ignore[assignment,misc]

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser: Any, example_service: Service, request: pytest.FixtureRequest) -> Iterator[Page]:
    with opened(browser, f"{example_service.url}/?as_of=2025-12-10", request.node.name) as ready:
        yield ready


def move_slider_to(page: Page, day: str) -> None:
    """The slider's values are days since 1970."""
    slider = page.get_by_role("slider", name="As of", exact=True)
    slider.fill(str((date.fromisoformat(day) - date(1970, 1, 1)).days))


def new_trip(service: Service, occurred: str, traveller: str) -> tuple[str, dict[str, Any]]:
    subject = f"trip/e2e-{uuid.uuid4().hex[:10]}"
    return subject, post(
        service,
        {
            "type": "TripScheduled",
            "subject": subject,
            "occurred": occurred,
            "data": {"traveller": traveller, "destination": "Moscow", "planned_for": "2025-12-02"},
            "sources": [{"name": "Kremlin readout", "url": "https://example.org/readout"}],
        },
    )


def local_datetime(moment: datetime) -> str:
    """A UTC moment as the page keeps it: no zero seconds, no trailing zeros."""
    text = moment.strftime("%Y-%m-%dT%H:%M")
    millis = moment.microsecond // 1000
    if moment.second or millis:
        text += f":{moment.second:02d}"
    if millis:
        text += f".{millis:03d}".rstrip("0")
    return text


def test_the_page_shows_the_examples_timeline_and_its_states(browser: Any, example_service: Service) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", "page") as page:
        expect(timeline_items(page)).to_have_count(21)  # the plan's four points one of them
        expect(page.locator("#event-list > li")).to_have_count(35)
        expect(state_card(page, "delegation/ukraine")).to_be_visible()
        # Exact dates are points; "../2025-11-22" is a range visibly open at its start.
        expect(timeline_item(page, "Revised to 19 or 22 points")).to_have_class(re.compile(r"\bvis-point\b"))
        formed = timeline_item(page, "Formed, headed by Andriy Yermak")
        expect(formed).to_have_class(re.compile(r"\bvis-range\b.*\bshape-open-start\b"))
        expect(formed).to_contain_text("⟵")
        # On 24 November the formation is certain and Umerov's appointment only pending.
        expect(formed).to_have_class(re.compile(r"\bstanding-certain\b"))
        expect(timeline_item(page, "Head replaced by Rustem Umerov")).to_have_class(re.compile(r"\bstanding-pending\b"))
        expect(timeline_item(page, "Held in Florida")).to_have_class(re.compile(r"\bstanding-later\b"))
        page.screenshot(path=screenshot_path("page-viewport"))  # the README's picture
        # The plan's four points, reported together, are one mark of its row, not four; choosing it shows each.
        points = timeline_item(page, "Point added ×4")
        expect(points).to_contain_text("territorial, security-guarantees, election-schedule")
        points.click(position={"x": points.bounding_box()["width"] - 15, "y": 10})
        expect(page.locator("#event-detail article")).to_have_count(4)


def test_the_slider_shows_who_headed_ukraines_delegation_on_each_day(page: Page) -> None:
    page.get_by_label("As of date").fill("2025-11-24")
    page.get_by_role("button", name="Go to the as-of date").click()  # the slider spans the days on the timeline
    move_slider_to(page, "2025-11-22")
    expect(page.get_by_label("As of date")).to_have_attribute("data-value", "2025-11-22")
    expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-22")
    expect(state_field(page, "delegation/ukraine", "head")).to_have_text("Andriy Yermak")

    slider = page.get_by_role("slider", name="As of", exact=True)
    slider.focus()
    for _ in range(8):  # by keyboard, a day a key
        slider.press("ArrowRight")
    expect(page.get_by_label("As of date")).to_have_attribute("data-value", "2025-11-30")
    expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-30")
    expect(page.get_by_role("heading", name="State on 30 November 2025")).to_be_visible()
    expect(state_field(page, "delegation/ukraine", "head")).to_have_text("Rustem Umerov")
    expect(state_field(page, "delegation/ukraine", "former_heads")).to_have_text("Andriy Yermak")


def test_the_plan_point_count_on_24_november_is_disputed_with_its_sources(page: Page) -> None:
    page.get_by_label("As of date").fill("2025-11-24")
    expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-24")
    count = state_field(page, "plan/us-peace-plan", "point_count")
    expect(count).to_contain_text("disputed")
    expect(count.get_by_role("listitem").filter(has_text="19")).to_contain_text("according to Axios")
    expect(count.get_by_role("listitem").filter(has_text="22")).to_contain_text("according to WSJ")
    expect(state_card(page, "delegation/ukraine").locator(".pending")).to_contain_text("Head replaced by Rustem Umerov")


def test_what_changed_between_two_dates_names_the_causing_events(page: Page) -> None:
    page.get_by_label("From", exact=True).fill("2025-11-22")
    page.get_by_label("To", exact=True).fill("2025-11-30")
    page.get_by_role("button", name="Show changes").click()
    result = page.locator("#changes-result")
    expect(result).to_have_attribute("data-from", "2025-11-22")
    head = result.locator('[data-subject="delegation/ukraine"] [data-field="head"]')
    expect(head).to_contain_text("Andriy Yermak → Rustem Umerov")
    expect(head.locator(".caused-by")).to_contain_text("Delegation head replaced")
    expect(head.locator(".caused-by")).to_contain_text("Forbes")


def test_an_event_posted_through_the_api_appears_without_a_reload(page: Page, example_service: Service) -> None:
    page.evaluate("window.stillTheSamePage = true")
    traveller = f"Envoy {uuid.uuid4().hex[:6]}"
    subject, posted = new_trip(example_service, "2025-12-01/2025-12-02", traveller)

    entry = page.locator(f'#event-list [data-event-id="{posted["event_id"]}"]')
    expect(entry).to_contain_text(subject)
    expect(entry.get_by_role("link", name="Kremlin readout")).to_have_attribute("href", "https://example.org/readout")
    item = page.locator("#timeline .vis-item.vis-range:not(.retraction)").filter(has_text=traveller)
    expect(item).to_have_class(re.compile(r"\bvis-range\b.*\bshape-fuzzy\b"))
    expect(state_card(page, subject)).to_be_visible()

    post(
        example_service,
        {
            "type": "EventRetracted",
            "subject": subject,
            "occurred": "2025-12-03",
            "data": {"event_id": posted["event_id"], "reason": "the readout was misread"},
            "sources": [{"name": "Kremlin readout"}],
        },
    )
    expect(item).to_have_class(re.compile(r"\bstanding-retracted\b"))
    expect(item.locator(".vis-item-content")).to_have_css("text-decoration-line", "line-through")
    expect(entry).to_have_class(re.compile(r"\bstanding-retracted\b"))
    # The correction says which report it withdraws, and why (issue 28, 3).
    expect(entry.locator(".retracted-note")).to_contain_text("Reason given: the readout was misread")
    expect(page.locator("#timeline .vis-item.vis-point.retraction")).to_contain_text(
        f"Retracts “{traveller} to Moscow, planned on 2 Dec 2025”"
    )
    expect(page.locator("#timeline .vis-item.vis-point.retraction")).to_contain_text("Reason: the readout was misread")
    expect(state_card(page, subject)).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True


def test_known_at_shows_what_the_record_said_before_a_post(page: Page, example_service: Service) -> None:
    subject, posted = new_trip(example_service, "2025-12-01", f"Envoy {uuid.uuid4().hex[:6]}")
    entry = page.locator(f'#event-list [data-event-id="{posted["event_id"]}"]')
    expect(entry).to_be_visible()

    recorded = datetime.fromisoformat(posted["recorded_at"].replace("Z", "+00:00"))
    before = recorded.replace(microsecond=recorded.microsecond // 1000 * 1000) - timedelta(milliseconds=1)
    page.get_by_label("Known at (UTC)").fill(local_datetime(before))
    page.get_by_label("Known at (UTC)").press("Enter")  # a moment is committed when finished, not per keystroke
    expect(page.locator("#state-cards")).to_have_attribute("data-known-at", local_datetime(before))
    expect(page.locator("#states-known")).to_contain_text("As the record stood at")
    expect(entry).to_have_count(0)
    expect(state_card(page, subject)).to_have_count(0)
    expect(state_card(page, "delegation/ukraine")).to_be_visible()

    page.get_by_role("button", name="Now").click()
    expect(entry).to_be_visible()
    expect(state_card(page, subject)).to_be_visible()


def test_every_control_has_a_name_for_screen_readers(page: Page) -> None:
    # Those shown: a control folded away (a name linked in a closed list of statements) has no name to read.
    controls = page.locator("main :is(input, button, a, select, [role=region]):not([hidden])").filter(visible=True)
    assert controls.count() > 30
    for index in range(controls.count()):
        expect(controls.nth(index)).to_have_accessible_name(re.compile(r"\w"))


def test_the_page_fits_a_phone_and_keeps_its_date_in_the_address(browser: Any, example_service: Service) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", "phone", **PHONE) as page:
        expect(state_field(page, "delegation/ukraine", "head")).to_have_text("Rustem Umerov")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="One week earlier").click()
        expect(page).to_have_url(re.compile(r"as_of=2025-11-23"))
