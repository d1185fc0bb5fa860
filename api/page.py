"""The page at `/`: the record as a timeline, every subject's state by date, and live updates.

Plain HTML, CSS and JavaScript shipped inside the package (`api/static/`, vis-timeline vendored
under `vendor/`), so an installed Parley serves it with no build step. The page reads the same
public API as any client: `/events`, `/state`, `/changes` and the live feed. The record's name
and description (settings `PARLEY_TITLE`, `PARLEY_DESCRIPTION`) are written into the page as
it is served, so its first screen says which record it is before any script runs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from parley.api.deps import SystemDep
from parley.api.routes.catalog import catalog_body
from parley.domain.catalog import Catalog

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


class RevalidatedFiles(StaticFiles):
    """Static files a browser re-checks on every load (a cheap 304), so after an upgrade it
    never runs new markup with old scripts."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


@lru_cache
def _page(title: str, description: str, catalog: str, last_day: str, kinds: str, log_end: int, whole: int) -> str:
    text = (STATIC / "index.html").read_text(encoding="utf-8")
    return (
        text.replace("{{title}}", escape(title))
        .replace("{{description}}", escape(description))
        .replace("{{catalog}}", escape(catalog))
        .replace("{{last_day}}", last_day)
        .replace("{{kinds}}", kinds)
        .replace("{{log_end}}", str(log_end))
        .replace("{{whole_log}}", str(whole))
    )


@lru_cache(maxsize=16)
def page_words(catalog: Catalog) -> str:
    """The catalog's words the page uses (SPEC §10), written into the page as JSON: each kind's
    label, plural, colour, description, summary fields and title, each event type's label and
    sentence, and which fields hold fuzzy dates (shown in words). The page names no kind itself."""
    body = catalog_body(catalog)
    kinds = [
        {
            "kind": kind["kind"],
            "label": kind["label"],
            "plural": kind["plural"],
            "colour": kind["colour"],
            "description": kind["description"],
            "summary_fields": kind["summary_fields"],
            "title": kind["title"],
            "expectations": kind["expectations"],
            "item_lists": kind["item_lists"],
            "register": kind["kind"] in catalog.register_kinds,  # its subjects are people, with a card of their own
            "events": {event["type"]: {"label": event["label"], "sentence": event["sentence"]} for event in kind["events"]},
        }
        for kind in body["kinds"]
    ]
    dates = sorted(
        {
            name
            for kind in body["kinds"]
            for schema in [kind["state_schema"], *(event["data_schema"] for event in kind["events"])]
            for name in _date_fields(schema)
        }
    )
    text = json.dumps({"kinds": kinds, "date_fields": dates}, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>: no "</script>" or "<!--" can close it early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _date_fields(schema: dict[str, Any]) -> list[str]:
    """The properties of a JSON Schema whose values are fuzzy dates, plain or disputed, or marked
    `format: fuzzy-date` (the dates inside a state's items: when an office was taken)."""
    titles = {f"#/$defs/{name}": found.get("title", "") for name, found in schema.get("$defs", {}).items()}

    def refers_to_date(node: Any) -> bool:
        if isinstance(node, dict):
            if titles.get(node.get("$ref", ""), "").endswith("FuzzyDate") or node.get("format") == "fuzzy-date":
                return True
            return any(refers_to_date(value) for value in node.values())
        if isinstance(node, list):
            return any(refers_to_date(value) for value in node)
        return False

    items = {
        name
        for found in schema.get("$defs", {}).values()
        for name, item in found.get("properties", {}).items()
        if item.get("format") == "fuzzy-date"
    }
    return [name for name, found in schema.get("properties", {}).items() if refers_to_date(found)] + sorted(items)


@router.api_route("/", methods=["GET", "HEAD"])
def page(request: Request, system: SystemDep) -> HTMLResponse:
    settings = system.settings
    # Where the kinds' declarations are read (SPEC §10), when this service declares them.
    catalog = "/catalog" if any(getattr(route, "path", None) == "/catalog" for route in request.app.routes) else ""
    # The record's last day with an event, so the page can ask for the day it opens on at once
    # rather than after reading the whole log.
    last = system.log_reads.last_valid_instant(datetime.now(UTC))
    last_day = last.date().isoformat() if last else ""
    kinds = page_words(request.app.state.catalog)
    # The log's last position: a large record is read a window at a time, not whole (issue 28).
    log_end = system.app.recorder.max_notification_id() or 0
    return HTMLResponse(
        _page(settings.title, settings.description, catalog, last_day, kinds, log_end, settings.page_whole_log),
        headers={"Cache-Control": "no-cache"},
    )


def mount_static(app: FastAPI) -> None:
    app.mount("/static", RevalidatedFiles(directory=STATIC), name="static")
