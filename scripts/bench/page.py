"""Section 6: the page's first render with 200 subjects and 20,000 events, beside the example's 20.

First render is the time from navigation to the page being ready (timeline, states and list
drawn), as the page measures it (`performance.now()`), in headless chromium driven by
Playwright. The store is filled through `record_batch`, not over HTTP. The full mode measures
the size the page must stay usable at (issue 18), under 2 s; the quick mode, a small store
(tests/e2e/test_page_scale.py renders the full size in CI).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from parley.scripts.bench.plan import Plan
from parley.scripts.bench.report import Figure
from parley.scripts.bench.servers import parley_server, serving
from parley.scripts.bench.stores import Stores, fill
from parley.scripts.bench.workload import KINDS, SubjectStory

SUBJECTS, EVENTS_EACH = 200, 100
GOAL_MS = 2000


def page_events(subjects: int = SUBJECTS, each: int = EVENTS_EACH) -> Iterator[dict[str, Any]]:
    """200 subjects of every kind, 100 events each, over about two years (fewer in the quick mode)."""
    return chain.from_iterable(SubjectStory(KINDS[i % 4], f"page-{i}", each, 2000 + i) for i in range(subjects))


def first_render_ms(browser: Any, url: str, viewport: dict[str, int] | None = None) -> float:
    """Opens `url` in a fresh context and returns the page's own first-render time."""
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        return float(page.locator("body").get_attribute("data-first-render-ms"))
    finally:
        context.close()


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def measure(plan: Plan, stores: Stores, workdir: Path) -> list[Figure]:
    from playwright.sync_api import sync_playwright  # the `test` extra; the section is skipped without it

    subjects, each = plan.page
    figure = Figure("page", f"first render of /, {subjects * each:,} events in {subjects} subjects vs the example",
                    stores.backend, "ms", goal=None, lower_is_better=True, details={"goal_ms": GOAL_MS})
    with stores.fresh("page-large") as large, stores.fresh("page-example") as small:
        with stores.system(large) as system:
            fill(system, page_events(subjects, each))
        with stores.system(small) as system:
            fill(system, _example())
        with serving(parley_server(large, workdir / "parley-page-large.log"),
                     parley_server(small, workdir / "parley-page-small.log")) as (large_url, small_url), \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
            try:
                for _ in range(plan.rounds):
                    if plan.warmup:
                        first_render_ms(browser, f"{large_url}/")  # a cold server's first answers are not the page's
                    figure.add(first_render_ms(browser, f"{large_url}/"), first_render_ms(browser, f"{small_url}/"))
            finally:
                browser.close()
    figure.details["met_goal"] = figure.parley < GOAL_MS
    return [figure]


def _example() -> Iterator[dict[str, Any]]:
    import json
    from importlib.resources import files

    for line in files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)
