"""Moves of the as-of date on the page, two versions of its static files side by side (issue 28).

    python -m parley.scripts.bench.page_moves URL BASE_STATIC [--rounds 8] [--steps 1,1,1,7,1,-7]

One server (URL, e.g. `parley serve` on a store that section 6 filled), one chromium; each round
opens the page twice, once with `/static/` served from BASE_STATIC (another version's `api/static`,
e.g. `git archive main api/static | tar -x -C /tmp/base`) and once from this checkout's, in
alternating order, so both meet the same server, store and load. On each open it moves the as-of
date by the steps' buttons, each timed as section 6 times a move (the click to the new day's cards
drawn), and tells the moves that asked the service for the day's states from those drawn from an
answer asked before (a step the same way asked ahead, a day gone back to).
"""

from __future__ import annotations

import argparse
import mimetypes
import statistics
from pathlib import Path
from typing import Any

from parley.scripts.bench.page import chromium

HERE = Path(__file__).resolve().parents[2] / "api" / "static"

# A move by a step's button, timed to the new day's cards drawn; with the questions it asked.
MOVE = """async (days) => {
    const cards = document.getElementById("state-cards");
    const from = cards.dataset.asOf;
    performance.clearResourceTimings();
    const start = performance.now();
    document.querySelector(`[data-days="${days}"]`).click();
    await new Promise((resolve) => {
        const check = () => (cards.dataset.asOf !== from && cards.getAttribute("aria-busy") === "false"
            ? resolve() : requestAnimationFrame(check));
        check();
    });
    const ms = performance.now() - start;
    const asked = performance.getEntriesByType("resource").filter((entry) => entry.startTime >= start)
        .map((entry) => new URL(entry.name).pathname);
    return { ms, asked };
}"""


def serve_from(root: Path) -> Any:
    def handler(route: Any) -> None:
        file = root / route.request.url.split("/static/", 1)[1].split("?")[0]
        route.fulfill(
            status=200,
            body=file.read_bytes(),
            headers={"Content-Type": mimetypes.guess_type(str(file))[0] or "application/octet-stream"},
        )

    return handler


def one_open(browser: Any, url: str, root: Path, steps: list[int]) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        context.route("**/static/**", serve_from(root))
        page = context.new_page()
        page.goto(f"{url}/")
        page.wait_for_selector("body[data-ready=true]", timeout=600_000)
        page.wait_for_timeout(300)
        moves = []
        for days in steps:
            moves.append(page.evaluate(MOVE, days))
            page.wait_for_timeout(200)
        return {"first_render_ms": float(page.locator("body").get_attribute("data-first-render-ms")), "moves": moves}
    finally:
        context.close()


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms ({min(values):.0f}–{max(values):.0f}, n={len(values)})" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("base", type=Path, help="the other version's api/static")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--steps", default="1,1,1,7,1,-7", help="days each move steps, by the page's buttons")
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    from playwright.sync_api import sync_playwright

    versions = {"base": args.base, "this checkout": HERE}
    seen: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            for round_ in range(args.rounds):
                order = list(versions.items())
                for name, root in order if round_ % 2 == 0 else reversed(order):
                    seen[name].append(one_open(browser, args.url, root, steps))
        finally:
            browser.close()
    for name, opens in seen.items():
        first = [opened["moves"][0]["ms"] for opened in opens]
        later = [move for opened in opens for move in opened["moves"][1:]]
        asking = [move["ms"] for move in later if "/state" in move["asked"]]
        drawn = [move["ms"] for move in later if "/state" not in move["asked"]]
        print(
            f"{name}: first render {median([opened['first_render_ms'] for opened in opens])}; first move {median(first)}; "
            f"later moves asking the service {median(asking)}; drawn from an answer asked before {median(drawn)}"
        )


if __name__ == "__main__":
    main()
