"""`/docs`: Swagger UI over `/openapi.json`, from the copy vendored under `static/vendor/`, so
the interactive docs work with no network beyond the Parley service (FastAPI's own `/docs`
loads Swagger UI from a CDN)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

VENDOR = "/static/vendor/swagger-ui"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Parley - API",
        swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui.css",
        swagger_favicon_url=f"{VENDOR}/favicon-32x32.png",
    )
