"""The baseline for HTTP appends: a bare FastAPI endpoint that validates the same body and stores nothing.

It is served the way `parley serve` serves Parley (uvicorn.run, same log level), so the
two differ only in what Parley does with the event.
"""

from __future__ import annotations

import argparse
from typing import Annotated
from uuid import uuid4

from fastapi import Body, FastAPI

from parley.service.requests import EventIn


def bare_app() -> FastAPI:
    app = FastAPI(title="bare")

    @app.post("/events", status_code=201)
    async def record(event: Annotated[EventIn, Body()]) -> dict:
        return {
            "event_id": str(event.event_id or uuid4()),
            "subject": event.subject,
            "version": 1,
            "position": 1,
            "recorded_at": "2026-01-01T00:00:00Z",
        }

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    uvicorn.run(bare_app(), host="127.0.0.1", port=port, log_level="info")


if __name__ == "__main__":
    main()
