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


SEED = Path("/work/shared/seed/2025-11-30-florida-talks.txt")  # beside the project, not in it


def paste_seed(token: str):  # type: ignore[no-untyped-def]
    """The seed report pasted and drafted: its proposals beside their sentences."""

    def then(page: Page) -> None:
        page.get_by_role("link", name="Paste a report").click()
        page.get_by_label("Write token").fill(token)
        page.get_by_label("The report").fill(SEED.read_text(encoding="utf-8"))
        page.get_by_label("Outlet").fill("Forbes")
        page.get_by_label("Published", exact=True).fill("30 November 2025")
        page.get_by_role("button", name="Draft events from it").click()
        page.wait_for_selector("#draft:not([hidden]) .proposal")
        page.locator("#draft-heading").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('draft-heading').scrollIntoView({ block: 'start' })")

    return then


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
                if SEED.is_file():
                    shot(browser, f"{served.url}/?as_of=2025-11-30", "page-paste.png", LAPTOP, paste_seed(served.token))
                browser.close()
        finally:
            next(service, None)


if __name__ == "__main__":
    main()
