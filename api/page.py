"""The page at `/`: the record as a timeline, every subject's state by date, and live updates.

Plain HTML, CSS and JavaScript shipped inside the package (`api/static/`, vis-timeline vendored
under `vendor/`), so an installed Parley serves it with no build step. The page reads the same
public API as any client: `/events`, `/state`, `/changes` and the live feed. The record's name
and description (settings `PARLEY_TITLE`, `PARLEY_DESCRIPTION`) are written into the page as
it is served, so its first screen says which record it is before any script runs.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from parley.api.deps import SystemDep

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


class RevalidatedFiles(StaticFiles):
    """Static files a browser re-checks on every load (a cheap 304), so after an upgrade it
    never runs new markup with old scripts."""

    def file_response(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


@lru_cache
def _page(title: str, description: str, catalog: str, last_day: str) -> str:
    text = (STATIC / "index.html").read_text(encoding="utf-8")
    return (text.replace("{{title}}", escape(title)).replace("{{description}}", escape(description))
            .replace("{{catalog}}", escape(catalog)).replace("{{last_day}}", last_day))


@router.api_route("/", methods=["GET", "HEAD"])
def page(request: Request, system: SystemDep) -> HTMLResponse:
    settings = system.settings
    # Where the kinds' declarations are read (SPEC §10), when this service declares them.
    catalog = "/catalog" if any(getattr(route, "path", None) == "/catalog" for route in request.app.routes) else ""
    # The record's last day with an event, so the page can ask for the day it opens on at once
    # rather than after reading the whole log.
    last = system.queries.last_valid_instant(datetime.now(timezone.utc))
    last_day = last.date().isoformat() if last else ""
    return HTMLResponse(_page(settings.title, settings.description, catalog, last_day),
                        headers={"Cache-Control": "no-cache"})


def mount_static(app: FastAPI) -> None:
    app.mount("/static", RevalidatedFiles(directory=STATIC), name="static")
