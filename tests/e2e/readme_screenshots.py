"""Retakes the README's pictures of the page (docs/page*.png) from the example, served afresh.

    .venv/bin/python -m tests.e2e.readme_screenshots

Each picture is the first screen a reader sees at that size: the summary under the as-of bar,
then the timeline.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, start_service

DOCS = Path(__file__).resolve().parents[2] / "docs"
LAPTOP = {"viewport": {"width": 1366, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def shot(browser, url: str, name: str, size: dict, then=None) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(**size)
    page: Page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#feed-status[data-state=live]")
    if then:
        then(page)
    page.wait_for_timeout(300)  # the timeline's last redraw
    page.screenshot(path=DOCS / name)
    context.close()


def find_umerov(page: Page) -> None:
    page.get_by_role("searchbox", name="Find").fill("umerov")
    page.locator("#event-list").get_by_role("button", name="Delegation head replaced: Ukraine").click()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        service = start_service(f"sqlite:///{folder}/parley.db", count=1, example=True)
        served = next(service)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                shot(browser, f"{served.url}/?as_of=2025-11-24", "page.png", LAPTOP)
                shot(browser, f"{served.url}/?as_of=2025-11-24", "page-find.png", LAPTOP, find_umerov)
                shot(browser, f"{served.url}/?as_of=2025-12-06", "page-overdue.png", LAPTOP)
                shot(browser, f"{served.url}/", "page-phone.png", PHONE)
                browser.close()
        finally:
            next(service, None)


if __name__ == "__main__":
    main()
