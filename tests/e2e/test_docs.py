"""`/docs` in headless chromium with every request beyond the Parley service refused: Swagger UI
comes from the package's own files, so the interactive docs work offline."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Service, screenshot_path

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    expect = None  # type: ignore[assignment]

pytestmark = pytest.mark.e2e


def test_the_interactive_docs_work_with_no_network(browser: Any, example_service: Service) -> None:
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    errors: list[str] = []

    def only_the_service(route: Any) -> None:
        if urlsplit(route.request.url).netloc == urlsplit(example_service.url).netloc:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_service)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{example_service.url}/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Parley")
        expect(page.locator(".opblock-summary-path").first).to_be_visible()
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert {"/events", "/events/batch", "/subjects/{kind}/{slug}", "/changes"} <= {p.strip() for p in paths}
        page.locator("#operations-subjects-subject_state .opblock-summary").click()
        expect(page.locator("#operations-subjects-subject_state")).to_contain_text("end of that day")
    finally:
        page.screenshot(path=screenshot_path("docs"), full_page=False)
        context.close()
    assert refused == [] and errors == []
