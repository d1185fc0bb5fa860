"""The page records events (SPEC §13, issue 34): a token once per tab, a subject or a new one, a
form made from the catalog's data schema with disputed values, fuzzy dates read back in words,
problems at their fields, and the recorded event on the timeline; and "Paste a report": the
drafter's proposals beside their sentences, edited in the form, ticked and confirmed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Service, start_service
from tests.e2e.pages import PHONE, opened, serious_accessibility_violations, state_field, timeline_item

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    Locator = Page = expect = None  # type: ignore[assignment,misc]

pytestmark = pytest.mark.e2e
# The seed report the example was coded from: beside the project (../shared/seed), not in it,
# since the project holds no text copied from elsewhere.
SEEDS = [Path(__file__).parents[3] / "shared" / "seed", Path("/work/shared/seed")]
SEED = next(
    (folder / "2025-11-30-florida-talks.txt" for folder in SEEDS if (folder / "2025-11-30-florida-talks.txt").is_file()), None
)


@pytest.fixture(scope="module")
def empty_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A store with nothing in it: whatever the drafter proposes from the seed is new there."""
    yield from start_service(f"sqlite:///{tmp_path_factory.mktemp('drafts') / 'parley.db'}", count=1, example=False)


def open_form(page: Page) -> Locator:
    page.get_by_role("link", name="Record an event").click()
    form = page.locator("#event-form")
    expect(form).to_have_attribute("data-ready", "true")
    return form


def log_end(service: Service) -> int:
    return int(httpx.get(f"{service.url}/events", params={"limit": 1}).headers["Parley-Log-End"])


def test_an_event_is_recorded_through_the_form_and_a_refused_one_shows_its_rule_at_its_field(
    browser: Any, example_service: Service, request: pytest.FixtureRequest
) -> None:
    slug = f"envoy-{uuid.uuid4().hex[:8]}"
    envoy = f"Envoy {slug[6:]}"
    with opened(browser, f"{example_service.url}/?as_of=2025-12-10", request.node.name, refusals=True) as page:
        form = open_form(page)
        form.get_by_label("Write token").fill(example_service.token)
        form.get_by_label("Kind of subject").select_option(label="Trip")
        form.get_by_label("Subject", exact=True).select_option(label="A new trip…")
        form.get_by_label("Address of the new subject").fill(slug)
        form.get_by_label("What happened").select_option(label="Trip scheduled")
        when = form.get_by_label("When it happened")
        when.fill("2025-12")
        expect(page.locator("#form-occurred-reading")).to_have_text("Reads: some time in December 2025.")
        when.fill("1 December 2025")
        expect(page.locator("#form-occurred-reading")).to_have_text("Reads: on 1 Dec 2025 (sent as 2025-12-01).")
        names = form.get_by_label("Name (an outlet or a person)")
        names.first.fill("Reuters")
        form.get_by_role("button", name="Add a source").click()
        names.nth(1).fill("TASS")
        form.get_by_label("Traveller", exact=True).fill(envoy)
        # Sources differ on the day planned: each value with the source that gives it.
        form.get_by_label("Sources differ on planned for").check()
        form.get_by_label("Value 1", exact=True).fill("../2025-12-02")
        expect(form.locator(".alternatives .date-reading").first).to_have_text("Reads: on or before 2 Dec 2025.")
        form.get_by_role("group", name="Sources of value 1").get_by_label("Reuters").check()
        form.get_by_label("Value 2", exact=True).fill("2025-12-03")
        form.get_by_role("group", name="Sources of value 2").get_by_label("TASS").check()

        # No destination: refused at its field, and nothing stored.
        before = log_end(example_service)
        form.get_by_role("button", name="Record the event").click()
        destination = form.get_by_label("Destination", exact=True)
        expect(destination).to_have_attribute("aria-invalid", "true")
        expect(destination).to_be_focused()
        expect(form.locator('.form-field:has([data-path="data.destination"]) .field-problem')).to_have_text(
            "Required: give a value."
        )
        assert log_end(example_service) == before
        destination.fill("Moscow")
        form.get_by_role("button", name="Record the event").click()
        expect(page.locator("#form-status")).to_contain_text(f"Recorded: Trip scheduled, trip/{slug}")
        expect(form.get_by_label("Subject", exact=True)).to_have_value(f"trip/{slug}")  # now one the page knows
        expect(timeline_item(page, f"{envoy} to Moscow")).to_be_visible()
        planned = state_field(page, f"trip/{slug}", "planned_for")
        expect(planned).to_contain_text("disputed")
        expect(planned.get_by_role("listitem").filter(has_text="3 Dec 2025")).to_contain_text("according to TASS")
        # The selected event can be withdrawn: the form is filled with its retraction.
        page.locator("#event-detail").get_by_role("button", name="Retract this event…").click()
        expect(form.get_by_label("What happened")).to_have_value("EventRetracted")
        expect(form.get_by_label("Reason", exact=True)).to_be_focused()
        form.get_by_label("Reason", exact=True).fill("the readout was misread")
        names.first.fill("Reuters")
        form.get_by_role("button", name="Record the event").click()
        retracted = page.locator("#timeline .vis-item.vis-point:not(.retraction)").filter(has_text=f"{envoy} to Moscow")
        expect(retracted).to_have_class(re.compile(r"\bstanding-retracted\b"))
        # The token is kept for the tab, never in the address.
        assert example_service.token not in page.url
        assert page.evaluate("sessionStorage.getItem('parley-write-token')") == example_service.token
        expect(form.get_by_label("Write token")).to_have_value("")

        # A rule's refusal is shown at the field it concerns, naming the rule; nothing is stored.
        form.get_by_label("Kind of subject").select_option(label="Delegation")
        form.get_by_label("Subject", exact=True).select_option(value="delegation/ukraine")
        form.get_by_label("What happened").select_option(label="Delegation head replaced")
        form.get_by_label("New head", exact=True).fill("rustem umerov")
        before = log_end(example_service)
        form.get_by_role("button", name="Record the event").click()
        head = form.get_by_label("New head", exact=True)
        expect(head).to_have_attribute("aria-invalid", "true")
        expect(form.locator('.form-field:has([data-path="data.new_head"]) .field-problem')).to_contain_text(
            "already heads delegation/ukraine (the rule “head-differs”)"
        )
        expect(page.locator("#form-problem")).to_contain_text("Not recorded: it breaks the rule “head-differs”")
        assert log_end(example_service) == before


def test_the_form_is_accessible_and_fits_a_phone(browser: Any, example_service: Service, request) -> None:
    with opened(browser, f"{example_service.url}/?as_of=2025-11-30", request.node.name, **PHONE) as page:
        form = open_form(page)
        form.get_by_label("Kind of subject").select_option(label="Delegation")
        form.get_by_label("Subject", exact=True).select_option(label="A new delegation…")
        form.get_by_role("button", name="Add a member").click()
        expect(form.get_by_role("group", name="Member 1")).to_be_visible()
        form.get_by_label("Sources differ on party").check()
        form.get_by_role("button", name="Record the event").click()  # no token yet: said at its field
        expect(form.get_by_label("Write token")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#form-token-problem")).to_contain_text("Enter a write token")
        page.get_by_role("link", name="Paste a report").click()
        expect(page.get_by_label("The report")).to_be_visible()
        assert serious_accessibility_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page).not_to_have_url(re.compile("token", re.IGNORECASE))


def test_a_pasted_report_is_drafted_and_two_proposals_confirmed_onto_the_timeline(
    browser: Any, empty_service: Service, request: pytest.FixtureRequest
) -> None:
    if SEED is None:
        pytest.skip(f"the seed report is not beside the project (looked in {', '.join(map(str, SEEDS))})")
    catalog = httpx.get(f"{empty_service.url}/catalog").json()
    creating = {event_type for kind in catalog["kinds"] for event_type in kind["creates"]}
    with opened(browser, f"{empty_service.url}/?as_of=2025-12-10", request.node.name, refusals=True) as page:
        page.get_by_role("link", name="Paste a report").click()
        page.get_by_label("Write token").fill(empty_service.token)
        page.get_by_label("The report").fill(SEED.read_text(encoding="utf-8"))
        page.get_by_label("Outlet").fill("Forbes")
        page.get_by_label("Published", exact=True).fill("30 November 2025")
        page.get_by_role("button", name="Draft events from it").click()
        expect(page.locator("#paste-status")).to_contain_text("nothing is recorded until you confirm")
        proposals = page.locator("#draft .proposal")
        # A proposal that creates a new subject (A), and one of the same subject that does not (B),
        # each a whole event (nothing listed as missing).
        found = [
            proposal
            for proposal in proposals.evaluate_all("(items) => items.map((item) => ({ ...item.dataset }))")
            if proposal["missing"] == "0"
        ]
        a = next(
            p
            for p in found
            if p["type"] in creating
            and p["newSubject"] == "true"
            and any(q["subject"] == p["subject"] and q["type"] not in creating for q in found)
        )
        b = next(q for q in found if q["subject"] == a["subject"] and q["type"] not in creating)
        first, second = (proposals.locator(f'xpath=self::*[@data-proposal-id="{p["proposalId"]}"]') for p in (a, b))
        # Each beside the sentence it was read from.
        expect(first.locator("xpath=ancestor::li[contains(@class, 'draft-sentence')]/blockquote")).not_to_be_empty()

        # B alone: refused, its rule named at it, and nothing of the batch recorded.
        second.get_by_role("checkbox").check()
        page.get_by_role("button", name="Record the ticked proposals").click()
        expect(second.locator(".field-problem")).to_contain_text("Refused by the rule “creation-first”")
        expect(page.locator("#draft-status")).to_contain_text("Nothing was recorded")
        assert httpx.get(f"{empty_service.url}/events").json()["events"] == []

        # B edited in the form: a note, saved to the proposal; then A and B recorded together.
        second.get_by_role("button", name=re.compile("^Edit .* in the form$")).click()
        form = page.locator("#event-form")
        expect(form.get_by_role("button", name="Save to the proposal")).to_be_visible()
        form.get_by_label("Note (optional)").fill("Checked against the Forbes original.")
        form.get_by_role("button", name="Save to the proposal").click()
        expect(second).to_contain_text("Edited in the form.")
        expect(form.get_by_role("button", name="Record the event")).to_be_visible()
        expect(form.get_by_label("Note (optional)")).to_have_value("")  # not to be recorded twice from the form
        first.get_by_role("checkbox").check()
        page.get_by_role("button", name="Record the ticked proposals").click()
        expect(page.locator("#draft-status")).to_contain_text("Recorded 2 events")
        for proposal in (first, second):
            expect(proposal).to_contain_text("Recorded.")
            words = proposal.locator(".proposal-summary").inner_text().split(". Happened ")[0]
            expect(timeline_item(page, words)).to_be_visible()
        expect(page.locator("#event-list > li")).to_have_count(2)
        # What was recorded links back to its draft, and keeps the edit.
        detail = page.locator("#event-detail")
        expect(detail).to_contain_text("Recorded from a draft of Forbes's report")
        expect(detail).to_contain_text("Checked against the Forbes original.")
        detail.get_by_role("button", name="Open the draft").click()
        expect(page.locator("#draft-heading")).to_be_focused()
        assert serious_accessibility_violations(page) == []
