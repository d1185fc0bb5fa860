"""The page at `/`: the record as a timeline, every subject's state by date, and live updates.

Plain HTML, CSS and JavaScript shipped inside the package (`api/static/`, vis-timeline vendored
under `vendor/`), so an installed Parley serves it with no build step. The page reads the same
public API as any client: `/events`, `/state`, `/changes` and the live feed.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


class RevalidatedFiles(StaticFiles):
    """Static files a browser re-checks on every load (a cheap 304), so after an upgrade it
    never runs new markup with old scripts."""

    def file_response(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


@router.api_route("/", methods=["GET", "HEAD"])
def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html", headers={"Cache-Control": "no-cache"})


def mount_static(app: FastAPI) -> None:
    app.mount("/static", RevalidatedFiles(directory=STATIC), name="static")
