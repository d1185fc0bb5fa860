"""Section 6: the page at 20,000, 100,000 and 1,000,000 events, beside the example's 20.

First render is the time from navigation to the page being ready (timeline, states and list
drawn), as the page measures it (`performance.now()`), in headless chromium driven by
Playwright at 1366×800; beside it, the script heap once ready (after a collection) and the
time moving the as-of date a day takes to draw the new day's states. The store is filled
through `record_batch`, not over HTTP. The full mode measures the sizes of issue 28 (goals:
under 1.5 s, under 60 MB, under 300 ms); the quick mode, a small store
(tests/e2e/test_page_scale.py renders 20,000 events in CI).
"""

from __future__ import annotations

import shutil
import statistics
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
# Issue 28's goals at 20k, 100k and 1M events: first render, script heap once ready, and moving
# the as-of date (states redrawn for the new day).
GOAL_MS, HEAP_GOAL_MB, MOVE_GOAL_MS = 1500, 60, 300


def page_events(subjects: int = SUBJECTS, each: int = EVENTS_EACH) -> Iterator[dict[str, Any]]:
    """200 subjects of every kind, 100 events each, over about two years (fewer in the quick mode)."""
    return chain.from_iterable(SubjectStory(KINDS[i % len(KINDS)], f"page-{i}", each, 2000 + i) for i in range(subjects))


def first_render_ms(browser: Any, url: str, viewport: dict[str, int] | None = None) -> float:
    """Opens `url` in a fresh context and returns the page's own first-render time."""
    return open_page(browser, url, viewport)["first_render_ms"]


# Moves the as-of date a day later and times it to the states drawn for the new day.
MOVE_AS_OF = """async () => {
    const cards = document.getElementById("state-cards");
    const from = cards.dataset.asOf;
    const start = performance.now();
    document.querySelector('[data-days="1"]').click();
    await new Promise((resolve) => {
        const check = () => (cards.dataset.asOf !== from && cards.getAttribute("aria-busy") === "false"
            ? resolve() : requestAnimationFrame(check));
        check();
    });
    return performance.now() - start;
}"""


def open_page(browser: Any, url: str, viewport: dict[str, int] | None = None) -> dict[str, float]:
    """Opens `url` in a fresh context: the page's own first-render time, its script heap once
    ready (after a garbage collection, in MB), and how long moving the as-of date a day takes."""
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 800})
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", timeout=600_000)
        first = float(page.locator("body").get_attribute("data-first-render-ms"))
        session.send("HeapProfiler.collectGarbage")
        heap = session.send("Runtime.getHeapUsage")["usedSize"] / 1e6
        move = float(page.evaluate(MOVE_AS_OF))
        return {"first_render_ms": first, "heap_mb": heap, "as_of_move_ms": move}
    finally:
        context.close()


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def measure(plan: Plan, stores: Stores, workdir: Path) -> list[Figure]:
    from playwright.sync_api import sync_playwright  # the `test` extra; the section is skipped without it

    figures = []
    with stores.fresh("page-example") as small:
        with stores.system(small) as system:
            fill(system, _example())
        for subjects, each in plan.page:
            figures.append(_measure_size(plan, stores, workdir, small, subjects, each, sync_playwright))
    return figures


def _measure_size(
    plan: Plan, stores: Stores, workdir: Path, small: Any, subjects: int, each: int, sync_playwright: Any
) -> Figure:
    events = subjects * each
    figure = Figure(
        "page",
        f"first render of /, {events:,} events in {subjects:,} subjects vs the example",
        stores.backend,
        "ms",
        goal=None,
        lower_is_better=True,
        details={"goal_ms": GOAL_MS, "heap_goal_mb": HEAP_GOAL_MB, "as_of_move_goal_ms": MOVE_GOAL_MS},
    )
    heaps, moves = [], []
    with stores.fresh(f"page-{events}") as large:
        with stores.system(large) as system:
            fill(system, page_events(subjects, each))
        with (
            serving(
                parley_server(large, workdir / f"parley-page-{events}.log"),
                parley_server(small, workdir / "parley-page-small.log"),
            ) as (large_url, small_url),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
            try:
                for _ in range(plan.rounds):
                    if plan.warmup:
                        open_page(browser, f"{large_url}/")  # a cold server's first answers are not the page's
                    large_page, small_page = open_page(browser, f"{large_url}/"), open_page(browser, f"{small_url}/")
                    figure.add(large_page["first_render_ms"], small_page["first_render_ms"])
                    heaps.append(large_page["heap_mb"])
                    moves.append(large_page["as_of_move_ms"])
            finally:
                browser.close()
    figure.details.update(heap_mb=statistics.median(heaps), as_of_move_ms=statistics.median(moves))
    figure.details["met_goal"] = (
        figure.parley < GOAL_MS and figure.details["heap_mb"] < HEAP_GOAL_MB and figure.details["as_of_move_ms"] < MOVE_GOAL_MS
    )
    return figure


def _example() -> Iterator[dict[str, Any]]:
    import json
    from importlib.resources import files

    for line in files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)
