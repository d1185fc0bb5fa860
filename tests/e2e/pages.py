"""What the page's browser tests share: opening the page, finding its parts, posting events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Service, screenshot_path

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Locator = Page = expect = None  # type: ignore[assignment,misc]
else:
    expect.set_options(timeout=15_000)  # generous on a busy machine; conditions usually hold in ms

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@contextmanager
def opened(
    browser: Any, url: str, name: str, ready_timeout: float | None = None, refusals: bool = False, **context: Any
) -> Iterator[Page]:
    """A fresh page on `url`, ready and following the live feed; no script error allowed.
    `ready_timeout` (ms) for a large store on a busy machine; the default otherwise. `refusals`:
    the test expects the service to refuse writes (4xx), which chromium logs as console errors."""
    browser_context = browser.new_context(**{"viewport": DESKTOP, **context})
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    refused = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d\b")

    def console(message: Any) -> None:
        if message.type == "error" and not (refusals and refused.match(message.text)):
            errors.append(message.text)

    page.on("console", console)
    failed = True
    try:
        page.goto(url)
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=ready_timeout)
        expect(page.locator("#feed-status")).to_have_attribute("data-state", "live")
        yield page
        failed = bool(errors)
    finally:
        # A failure's whole page, to see what went wrong; else the screen as it was left: a whole
        # page takes chromium seconds to draw (4 s against 0.3 s on a busy machine), each test.
        page.screenshot(path=screenshot_path(name), full_page=failed)
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


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.2 AA and its best practice, on the page as it is now."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ["violations"],
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"] } });
        return result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
            .map((v) => `${v.id}: ${v.nodes.length} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")})`);
    }""")
