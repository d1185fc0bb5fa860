"""A plan's points on the page (SPEC §12, issue 31): a table of the points at the as-of date, each
with its sources, and two drafts compared by revision or by day; accessible, and read on a phone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Service, start_service
from tests.e2e.pages import PHONE, opened, post, serious_accessibility_violations, state_card

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Page = expect = None  # type: ignore[assignment,misc]

pytestmark = pytest.mark.e2e
PLAN = "plan/draft-plan"


def on(type_name: str, occurred: str, sources: list[str], **data: Any) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": type_name,
        "subject": PLAN,
        "occurred": occurred,
        "sources": [{"name": name, "url": f"https://example.org/{name.lower()}"} for name in sources],
        "data": data,
    }


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A plan of three points, revised once: one reworded, one merged into it, one added after."""
    database = tmp_path_factory.mktemp("points") / "parley.db"
    for service in start_service(f"sqlite:///{database}", count=1, example=False):
        for event in (
            on("PlanProposed", "2025-11-20", ["Axios"], title="Draft plan", proposed_by="United States", topics=[]),
            on("PlanPointAdded", "2025-11-20", ["Axios"], key="territory", number=1, text="Lines as they stand"),
            on("PlanPointAdded", "2025-11-20", ["Axios"], key="exchanges", number=2, text="Exchanges of land"),
            on("PlanPointAdded", "2025-11-21", ["WSJ"], key="guarantees", number=3, text="Guarantees"),
            on("PlanPointPositionTaken", "2025-11-22", ["Reuters"], key="guarantees", party="Ukraine", position="supports"),
            on("PlanRevised", "2025-11-23", ["Axios"], summary="After Geneva"),
            on("PlanPointChanged", "2025-11-24", ["WSJ"], key="territory", text="Lines reworded"),
            on("PlanPointsMerged", "2025-11-24", ["WSJ"], keys=["territory", "exchanges"], into="territory"),
            on("PlanPointAdded", "2025-11-25", ["Reuters"], key="elections", number=4, text="Elections"),
        ):
            post(service, event)
        yield service


def open_points(page: Page) -> Any:
    card = state_card(page, PLAN)
    card.get_by_text("Points (", exact=False).click()
    table = card.get_by_role("table")
    expect(table).to_have_attribute("aria-busy", "false")
    return card, table


def test_a_plans_points_as_a_table_with_their_sources(browser: Any, drafts: Service, request) -> None:
    with opened(browser, f"{drafts.url}/?as_of=2025-11-22", request.node.name) as page:
        card, table = open_points(page)
        expect(card.locator("summary", has_text="Points")).to_have_text("Points (3)")
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(3)
        guarantees = table.locator('tr[data-key="guarantees"]')
        expect(guarantees.locator('[data-column="number"]')).to_have_text("3")
        expect(guarantees.locator('[data-column="status"]')).to_have_text("proposed")
        expect(guarantees.locator('[data-column="positions"]')).to_contain_text("Ukraine")
        expect(guarantees.locator('[data-column="positions"]')).to_contain_text("supports")
        # Its sources: the events that made it by then (added per WSJ, Ukraine's position per Reuters).
        expect(guarantees.locator(".item-sources")).to_have_text("WSJ, Reuters")
        expect(guarantees.locator(".item-sources a").first).to_have_attribute("href", "https://example.org/wsj")
        expect(table.locator('tr[data-key="territory"] .item-sources')).to_have_text("Axios")
        assert serious_accessibility_violations(page) == []
        # A later day: the merge and the rewording are in, the merged point gone.
        page.get_by_label("As of date").fill("2025-11-26")
        page.get_by_label("As of date").press("Enter")
        expect(card.locator("summary", has_text="Points")).to_have_text("Points (3)")
        expect(table.locator('tr[data-key="exchanges"]')).to_have_count(0)
        expect(table.locator('tr[data-key="territory"] .item-sources')).to_have_text("Axios, WSJ")


def test_two_drafts_compared_by_revision_and_by_day(browser: Any, drafts: Service, request) -> None:
    with opened(browser, f"{drafts.url}/?as_of=2025-11-30", request.node.name) as page:
        card, _ = open_points(page)
        assert card.get_by_label("From draft").input_value() == "0" and card.get_by_label("To draft").input_value() == "1"
        card.get_by_role("button", name="Compare drafts").click()
        result = card.locator(".compare-result")
        expect(result.locator('[data-group="changed"] h5')).to_have_text("Changed (1)")
        territory = result.locator('[data-group="changed"] li[data-key="territory"]')
        expect(territory).to_contain_text("text: Lines as they stand → Lines reworded")
        expect(territory.locator(".caused-by")).to_contain_text("Plan point changed, on 24 Nov 2025")
        expect(territory.locator(".caused-by a").first).to_have_text("WSJ")
        expect(result.locator('[data-group="merged"] li[data-key="exchanges"]')).to_contain_text("merged into territory")
        expect(result.locator('[data-group="added"] li')).to_have_count(1)
        expect(result.locator('[data-group="unchanged"] li[data-key="guarantees"]')).to_have_count(1)
        assert serious_accessibility_violations(page) == []
        # By days, and a wrong end said at the form.
        card.get_by_label("From draft").fill("2025-11-20")
        card.get_by_label("To draft").fill("2025-11-21")
        card.get_by_role("button", name="Compare drafts").click()
        expect(result.locator('[data-group="added"] li')).to_have_count(1)
        expect(result.locator('[data-group="added"] li[data-key="guarantees"]')).to_have_count(1)
        card.get_by_label("To draft").fill("last week")
        card.get_by_role("button", name="Compare drafts").click()
        expect(card.locator(".field-problem")).to_contain_text("To draft: give a revision number")


def test_the_points_read_on_a_phone(browser: Any, drafts: Service, request) -> None:
    with opened(browser, f"{drafts.url}/?as_of=2025-11-30", request.node.name, **PHONE) as page:
        page.locator("#states summary").first.click()  # a phone opens with the panels folded
        _, table = open_points(page)
        expect(table.locator("tbody tr")).to_have_count(3)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box = table.bounding_box()
        assert box is not None and box["width"] <= 390
        assert serious_accessibility_violations(page) == []
