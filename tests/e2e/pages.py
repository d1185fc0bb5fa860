"""What the page's browser tests share: opening the page, finding its parts, posting events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.e2e.conftest import Service, screenshot_path

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Locator = Page = expect = None  # type: ignore[assignment,misc]
else:
    expect.set_options(timeout=15_000)  # generous on a busy machine; conditions usually hold in ms

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@contextmanager
def opened(browser: Any, url: str, name: str, ready_timeout: float | None = None, **context: Any) -> Iterator[Page]:
    """A fresh page on `url`, ready and following the live feed; no script error allowed.
    `ready_timeout` (ms) for a large store on a busy machine; the default otherwise."""
    browser_context = browser.new_context(**{"viewport": DESKTOP, **context})
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(url)
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=ready_timeout)
        expect(page.locator("#feed-status")).to_have_attribute("data-state", "live")
        yield page
    finally:
        page.screenshot(path=screenshot_path(name), full_page=True)
        browser_context.close()  # closes the page's feed before the server stops
    assert not errors, errors


def state_card(page: Page, subject: str) -> Locator:
    return page.locator(f'#state-cards [data-subject="{subject}"]')


def state_field(page: Page, subject: str, field: str) -> Locator:
    return state_card(page, subject).locator(f'[data-field="{field}"]')


def timeline_items(page: Page) -> Locator:
    return page.locator("#timeline .vis-item.vis-point, #timeline .vis-item.vis-range")  # not the points' dots


def timeline_item(page: Page, text: str) -> Locator:
    return timeline_items(page).filter(has_text=text)


def post(service: Service, event: dict[str, Any]) -> dict[str, Any]:
    with service.writer() as writer:
        response = writer.post("/events", json=event)
    assert response.status_code == 201, response.text
    return response.json()
