"""The page on deadline (issue 28): what a journalist met at 1366×800 and on a 390×844 phone.

Each test names the finding it turns into a check. One served example for the module; the tests
that post add subjects of their own, dated years away from the talks, so the others' answers
stay the example's.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from parley.scripts.cli import EXAMPLE_SETTINGS
from tests.e2e.conftest import Service
from tests.e2e.pages import PHONE, opened, post, serious_accessibility_violations

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Page = expect = None  # type: ignore[assignment,misc]

pytestmark = pytest.mark.e2e
LAPTOP = {"viewport": {"width": 1366, "height": 800}}
SIZES = {"desktop": LAPTOP, "phone": PHONE}
LAST_DAY = "2025-11-30"  # the example's last day with an event


@pytest.fixture(params=SIZES, ids=list(SIZES))
def size(request: pytest.FixtureRequest) -> dict[str, Any]:
    return SIZES[request.param]


def history_length(page: Page) -> int:
    return page.evaluate("history.length")


def test_a_typed_date_is_one_view_committed_when_complete_in_words(browser: Any, example_service: Service, request) -> None:
    """Finding 1 and 10: no view per digit, no developer language, one date format."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name, **LAPTOP) as page:
        field = page.get_by_label("As of date")
        expect(field).to_have_value("24 November 2025")  # words, as the headings say it
        expect(field).to_have_attribute("title", "2025-11-24")  # the ISO date on hover
        before = history_length(page)
        field.select_text()
        field.press_sequentially("2025-11-25", delay=20)
        expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-25")
        assert history_length(page) == before + 1, "one history entry for the whole date"
        expect(page.locator("#problem")).to_be_hidden()
        field.press("Tab")
        expect(field).to_have_value("25 November 2025")
        expect(page.locator("#summary-heading")).to_have_text("On 25 November 2025")

        summary_top = page.locator("#summary").bounding_box()["y"]
        field.fill("0202-11-25")
        field.press("Enter")
        problem = page.locator("#as-of-problem")
        expect(problem).to_contain_text("is not a date Parley can read")
        expect(problem).not_to_contain_text("query.")
        expect(field).to_have_attribute("aria-invalid", "true")
        assert page.locator("#summary").bounding_box()["y"] == summary_top, "the message moves nothing"
        expect(page).to_have_url(re.compile(r"as_of=2025-11-25"))

        field.fill("25 November 2025")  # typed in the middle of the year: 20125 is no year
        field.press("End")
        field.press("ArrowLeft")
        field.type("1")
        field.press("Enter")
        expect(problem).to_contain_text("“25 November 20215” is not a date")
        expect(page.locator("#state-cards")).to_have_attribute("data-as-of", "2025-11-25")
        assert history_length(page) == before + 1


def test_known_at_takes_a_day_or_a_day_and_a_time(browser: Any, example_service: Service, request) -> None:
    """Finding 3: no seconds, milliseconds or AM/PM wanted."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name, **LAPTOP) as page:
        known = page.get_by_label("Known at (UTC)")
        known.fill("24 Nov 2025 14:30")
        known.press("Enter")
        expect(page).to_have_url(re.compile(r"known_at=2025-11-24T14%3A30Z"))
        expect(known).to_have_value("24 November 2025 14:30")
        expect(page.locator("#summary-known")).to_have_text("As the record stood at 24 November 2025 at 14:30 UTC.")
        known.fill("2025-11-25")
        known.press("Enter")
        expect(page).to_have_url(re.compile(r"known_at=2025-11-25(&|$)"))
        expect(page.locator("#states-known")).to_contain_text("25 November 2025, end of day (UTC)")


def test_the_page_opens_on_the_records_last_day_and_says_which_record_it_is(
    browser: Any, example_service: Service, size: dict, request
) -> None:
    """Finding 2: not on an empty today a year later; the record named at the top."""
    with opened(browser, f"{example_service.url}/", request.node.name, **size) as page:
        expect(page.get_by_role("heading", level=1)).to_have_text(EXAMPLE_SETTINGS["PARLEY_TITLE"])
        expect(page.locator("#record-description")).to_have_text(EXAMPLE_SETTINGS["PARLEY_DESCRIPTION"])
        expect(page).to_have_title(re.compile("Geneva and Florida"))
        expect(page.get_by_label("As of date")).to_have_attribute("data-value", LAST_DAY)
        expect(page.locator("#summary-heading")).to_have_text("On 30 November 2025")
        expect(page.locator("#changes-result")).to_have_attribute("data-to", LAST_DAY)
        expect(page.locator("#changes-result")).not_to_contain_text("Nothing changed")
        expect(page.locator("#summary")).to_be_in_viewport()


def test_the_summary_answers_first_and_the_legend_is_folded(browser: Any, example_service: Service, request) -> None:
    """Findings 2, 4 and 5: who heads each delegation, the plan's count with its dispute, what is
    expected, on the first screen; the legend behind "How to read"; a slim sticky bar."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name, **LAPTOP) as page:
        summary = page.locator("#summary")
        ukraine = summary.locator('[data-subject="delegation/ukraine"]')
        expect(ukraine).to_contain_text("Ukraine")
        expect(ukraine.locator('[data-field="head"]')).to_have_text("head: Andriy Yermak")
        count = summary.locator('[data-subject="plan/us-peace-plan"] [data-field="point_count"]')
        expect(count).to_contain_text("disputed")
        expect(count).to_contain_text("19 (Axios) or 22 (WSJ)")
        expect(summary.locator('[data-subject="plan/us-peace-plan"] [data-field="status"]')).to_contain_text("under negotiation")
        expected = page.locator("#summary-expected")
        assert summary.bounding_box()["y"] + 200 < 800, "the answers start on the first screen"
        assert page.locator(".controls").bounding_box()["height"] <= 0.12 * 800, "the sticky bar stays slim"

        legend = page.get_by_label("Legend")
        expect(legend).to_be_hidden()
        page.get_by_text("How to read").click()
        expect(legend).to_be_visible()
        expect(legend).to_contain_text("not yet")

        page.get_by_label("As of date").fill("2025-11-30")
        expect(expected.locator(".expected-list")).to_contain_text("Expected (2)")
        expect(expected.locator(".expected-list")).to_contain_text("Witkoff meets Putin — planned on or before 5 Dec 2025")
        page.get_by_label("As of date").fill("2025-12-06")
        overdue = expected.locator(".overdue")
        expect(overdue.first).to_contain_text("planned on or before 5 Dec 2025; not reported done by 6 December 2025")
        expect(page.locator("#summary-expected h4").first).to_contain_text("⚠ Overdue")


def test_an_overdue_mark_reads_whole_and_is_brought_into_view(browser: Any, example_service: Service, request) -> None:
    """Finding 4: the meeting's overdue label was cut; the trip's marker below the inner scroll."""
    with opened(browser, f"{example_service.url}/?as_of=2025-12-06", request.node.name, **LAPTOP) as page:
        label = page.locator("#timeline .vis-item.expectation.overdue .vis-item-content").first
        expect(label).to_contain_text("Overdue")
        whole = label.evaluate("""(content) => {
            const own = content.getBoundingClientRect();
            const clipping = content.closest(".vis-item").querySelector(".vis-item-overflow");
            return getComputedStyle(clipping).overflow === "visible" || own.right <= clipping.getBoundingClientRect().right;
        }""")
        assert whole, "the overdue label is cut by its bar"
        entries = page.locator("#summary-expected .overdue button")
        assert entries.count() >= 1
        for index in range(entries.count()):
            entries.nth(index).click()
            title = entries.nth(index).inner_text()
            row = page.locator("#timeline .vis-labelset .vis-label").filter(has_text=title)
            panel = page.locator("#timeline .vis-panel.vis-left").bounding_box()
            box = row.bounding_box()
            assert box and panel["y"] - 1 <= box["y"] and box["y"] + 10 <= panel["y"] + panel["height"], (
                f"the row of {title} is outside the timeline's view"
            )
            expect(row).to_be_in_viewport()


def test_less_scrolling_on_a_laptop_and_on_a_phone(browser: Any, example_service: Service, size: dict, request) -> None:
    """Finding 5: "What changed" was a narrow column ~3,600 px tall; the phone page 11,759 px."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name, **size) as page:
        changes = page.locator("#changes-result")
        expect(changes.locator("article").first).to_be_attached()
        width = size["viewport"]["width"]
        if width > 1000:
            assert changes.bounding_box()["width"] > 0.8 * (width - 100), "what changed spans the page"
            assert changes.bounding_box()["height"] < 2000
            # The plan's points, added together, are one line that opens, not a line each.
            points = changes.locator('[data-subject="plan/us-peace-plan"] [data-field="points"]')
            expect(points.locator("summary")).to_have_text("Points: 4 added")
            expect(points.locator("li").first).to_be_hidden()
            points.locator("summary").click()
            expect(points.locator("li")).to_have_count(4)
            expect(points.locator("li").first).to_be_visible()
        else:
            height = page.evaluate("document.documentElement.scrollHeight")
            parts = page.evaluate("""() => [...document.querySelectorAll("header, main > *")].map(
                (e) => `${e.id || e.className}: ${Math.round(e.getBoundingClientRect().height)}`).join(", ")""")
            assert height < 9000, f"the phone page is {height} px tall: {parts}"


def test_a_cited_view_is_pinned_and_says_when_newer_information_exists(browser: Any, example_service: Service, request) -> None:
    """Finding 6: a copied link had no known_at; a cited view changed after later corrections."""
    with opened(
        browser,
        f"{example_service.url}/?as_of=2019-06-01",
        request.node.name,
        permissions=["clipboard-read", "clipboard-write"],
        **LAPTOP,
    ) as page:
        subject = f"trip/e2e-{uuid.uuid4().hex[:8]}"
        posted = post(
            example_service,
            {
                "type": "TripScheduled",
                "subject": subject,
                "occurred": "2019-03-01",
                "data": {"traveller": "An envoy", "destination": "Oslo", "planned_for": "2019-05"},
                "sources": [{"name": "Reuters"}],
            },
        )
        expect(page.locator(f'#state-cards [data-subject="{subject}"]')).to_be_visible()
        page.get_by_role("button", name="Cite this view").click()
        citation = page.get_by_label("Citation").input_value()
        assert citation.startswith(EXAMPLE_SETTINGS["PARLEY_TITLE"] + ". State as of 1 June 2019, as the record stood at ")
        link = re.search(r"(http\S+) \(retrieved", citation).group(1)
        assert "known_at=" in link and "as_of=2019-06-01" in link
        assert page.evaluate("navigator.clipboard.readText()") == citation

    post(
        example_service,
        {
            "type": "EventRetracted",
            "subject": subject,
            "occurred": "2019-03-02",
            "data": {"event_id": posted["event_id"], "reason": "a wrong city"},
            "sources": [{"name": "Reuters"}],
        },
    )
    with opened(browser, link, f"{request.node.name}-later", **LAPTOP) as page:
        expect(page.locator(f'#state-cards [data-subject="{subject}"]')).to_be_visible()  # as cited
        expect(page.locator("#notice")).to_contain_text("Newer information exists: 1 event was recorded since")
        page.get_by_role("link", name="See the record as it stands now").click()
        expect(page.locator("#state-cards")).to_have_attribute("data-known-at", "")
        expect(page.locator(f'#state-cards [data-subject="{subject}"]')).to_have_count(0)


def test_a_live_event_is_announced_and_marked_and_the_view_kept(browser: Any, example_service: Service, request) -> None:
    """Finding 7: only "2 events" became "3 events"."""
    with opened(
        browser, f"{example_service.url}/?as_of=2019-06-01&window=2019-02-20..2019-03-10", request.node.name, **LAPTOP
    ) as page:
        traveller = f"Envoy {uuid.uuid4().hex[:6]}"
        posted = post(
            example_service,
            {
                "type": "TripScheduled",
                "subject": f"trip/e2e-{uuid.uuid4().hex[:8]}",
                "occurred": "2019-03-01",
                "sources": [{"name": "AP"}],
                "data": {"traveller": traveller, "destination": "Kyiv", "planned_for": "2019-04"},
            },
        )
        notice = page.locator("#notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text(f"New event: Trip scheduled, {traveller} to Kyiv")
        item = page.locator("#timeline .vis-item.arrived:not(.vis-dot)")
        expect(item).to_contain_text(traveller)
        expect(page).to_have_url(re.compile(r"as_of=2019-06-01&window=2019-02-20..2019-03-10$"))
        notice.get_by_role("button", name="Show it").click()
        expect(page.locator("#event-detail")).to_contain_text(traveller)
        expect(page).to_have_url(re.compile(f"event={posted['event_id']}"))


def test_print_gives_the_answers_without_the_controls(browser: Any, example_service: Service, request) -> None:
    """Finding 8: printing gave the controls and a cut timeline."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name, **LAPTOP) as page:
        page.emulate_media(media="print")
        for hidden in (".controls", ".find", ".timeline-tools", "#changes-form"):
            expect(page.locator(hidden)).to_be_hidden()
        for shown in ("#summary", "#states", "#changes-result", "#timeline"):
            expect(page.locator(shown)).to_be_visible()
        timeline = page.locator("#timeline .vis-timeline")
        assert timeline.evaluate("(e) => getComputedStyle(e).maxHeight") == "none", "the timeline is cut in print"
        assert timeline.bounding_box()["width"] <= page.evaluate("document.documentElement.clientWidth")
        page.emulate_media(media="screen")  # the closing screenshot is of the screen


def test_exports_and_docs_are_linked_and_lines_read_in_words(browser: Any, example_service: Service, request) -> None:
    """Finding 8: no links to exports or /docs; "as given: ../2025-11-22", "position 9"."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name, **LAPTOP) as page:
        expect(page.get_by_role("link", name="API docs")).to_have_attribute("href", "/docs")
        last = page.evaluate("Number(document.body.dataset.lastPosition || 0)") or None
        events = page.get_by_role("link", name="events", exact=True)
        expect(events).to_have_attribute("href", re.compile(r"^/export/events\.csv\?position=\d+$"))
        position = int(events.get_attribute("href").rsplit("=", 1)[1])
        assert position >= 20 and (last is None or position == last)
        text = page.locator("#event-list").inner_text()
        assert "as given:" not in text and re.search(r"position \d", text) is None
        with page.expect_response(re.compile(r"/export/events\.csv")) as answer:
            page.evaluate("(href) => fetch(href)", events.get_attribute("href"))
        assert answer.value.status == 200


def test_no_serious_or_critical_accessibility_violation(browser: Any, example_service: Service, size: dict, request) -> None:
    """Finding 9, by axe-core: names that match their text, contrast of "not yet", target sizes."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name, **size) as page:
        found = serious_accessibility_violations(page)
        assert found == [], found
        if size is PHONE:
            for box in page.locator('input[name="kind"]').all():
                assert box.bounding_box()["height"] >= 24
            for button in page.locator("#event-list .link-button").all()[:5]:
                assert button.bounding_box()["height"] >= 24
            # Timeline labels were cut to "C" by their short bars on the phone: they read whole.
            page.locator("#timeline").scroll_into_view_if_needed()
            labels = page.evaluate(CUT_LABELS)
            assert labels["cut"] == [] and labels["read"], labels


def test_the_keyboard_reaches_the_events_in_a_few_presses(browser: Any, example_service: Service, request) -> None:
    """Finding 9: ~63 Tab presses to reach the list of events."""
    with opened(browser, f"{example_service.url}/?as_of=2025-11-24", request.node.name, **LAPTOP) as page:
        for _ in range(3):
            page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Skip to every event")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_be_visible()
        assert page.evaluate("document.activeElement.closest('#events') !== null")


# Each range's label as far as it can be read: the text clipped by its bar (or anything else but
# the timeline's window itself) is cut. Labels at the window's edge are the window's to cut.
CUT_LABELS = """() => {
    const panel = document.querySelector("#timeline .vis-panel.vis-center").getBoundingClientRect();
    const read = [], cut = [];
    for (const content of document.querySelectorAll("#timeline .vis-item.vis-range .vis-item-content")) {
        const range = document.createRange();
        range.selectNodeContents(content);
        const text = range.getBoundingClientRect();
        if (!text.width || text.left < panel.left || text.right > panel.right || text.top < panel.top
            || text.bottom > panel.bottom) continue;
        let left = text.left, right = text.right;
        for (let node = content.parentElement; node && !node.classList.contains("vis-center"); node = node.parentElement) {
            if (getComputedStyle(node).overflowX === "visible") continue;
            const box = node.getBoundingClientRect();
            left = Math.max(left, box.left);
            right = Math.min(right, box.right);
        }
        (right - left < text.width - 1 ? cut : read).push(content.textContent);
    }
    return { read, cut };
}"""
