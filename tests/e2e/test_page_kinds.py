"""The page names no kind (SPEC §10): every kind's label, plural, colour and event words come from
the kinds the service declares, so an extra kind (`PARLEY_KINDS_EXTRA`) shows with its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parley.domain.catalog import BUILT_IN, load
from tests.e2e.conftest import FAST_FEED, Service, write_token
from tests.e2e.pages import opened, post, state_card, timeline_item
from tests.processes import serving

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under CI=true, and says why
    expect = None  # type: ignore[assignment]

CEASEFIRE = "parley.scripts.kinds.ceasefire"
STATIC = Path(__file__).parents[2] / "api" / "static"


def test_the_page_names_no_kind() -> None:
    """No kind's name or event type in the page's own files, as code uses them (a quoted value, a
    class `kind-…`, an address `…/slug`): all come from the catalog. Plain words ("a person or a
    place to find") are the page's own."""
    kinds = "|".join(sorted({word for cls in BUILT_IN.classes for word in (cls.kind, cls.plural)}))
    types = "|".join(sorted({t for cls in BUILT_IN.classes for t in cls.event_types} - {"StatementRecorded", "EventRetracted"}))
    named = re.compile(rf"[\"'`]({kinds})[\"'`/]|kind-({kinds})\b|\b({kinds})/|\b({types})\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(STATIC)}:{number}: {line.strip()}"
        for path in STATIC.rglob("*")
        if path.suffix in {".js", ".css", ".html"} and "vendor" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if named.search(line)
    ]
    assert not found, found


@pytest.fixture(scope="module")
def ceasefire_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    url = f"sqlite:///{tmp_path_factory.mktemp('kinds') / 'parley.db'}"
    env = {**FAST_FEED, "PARLEY_KINDS_EXTRA": CEASEFIRE}
    token = write_token(url)
    with serving(url, env=env) as servers:
        service = Service(servers, token)
        cls = load((CEASEFIRE,)).subject_class("ceasefire")
        for type_name in ("CeasefireDeclared", "CeasefireViolated"):
            post(service, {"type": type_name, **cls.event_types[type_name].example})
        yield service


@pytest.mark.e2e
def test_an_extra_kind_shows_with_its_own_label_colour_and_words(browser: Any, ceasefire_service: Service, request) -> None:
    red = "rgb(185, 28, 28)"  # the ceasefire's declared colour, #b91c1c
    with opened(browser, f"{ceasefire_service.url}/?as_of=2025-10-20", request.node.name) as page:
        card = state_card(page, "ceasefire/gaza-2025")
        expect(card).to_have_css("border-left-color", red)
        expect(card.locator("h3")).to_contain_text("Ceasefire between Israel, Hamas")
        summary = page.locator('#summary-subjects [data-subject="ceasefire/gaza-2025"]')
        expect(summary).to_contain_text("Ceasefire")
        expect(summary).to_have_css("border-left-color", red)
        events = page.locator("#event-list")
        expect(events).to_contain_text("Ceasefire declared: Ceasefire between Israel, Hamas")
        expect(events).to_contain_text("Ceasefire violated")
        expect(events).to_contain_text("Declared from 10 Oct 2025")  # its sentence, its date in words
        item = timeline_item(page, "Violated by")
        expect(item).to_have_css("border-color", red)
        page.get_by_text("How to read").click()
        expect(page.locator("#legend-kinds")).to_contain_text("ceasefire")
        swatch = page.locator("#legend-kinds .swatch-kind").last
        expect(swatch).to_have_css("border-color", red)
        box = page.get_by_role("checkbox", name="ceasefires")
        box.check()
        expect(page).to_have_url(re.compile("kind=ceasefire"))
        expect(page.locator("#state-cards > article")).to_have_count(1)
