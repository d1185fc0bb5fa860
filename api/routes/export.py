"""Exports over HTTP (SPEC §8): `GET /export/{table}.csv`, pinned like `parley export`.

The body streams: the log is read a page at a time, each page its own short read, so a
large export holds no transaction open and `pandas.read_csv(url)` starts at once. The pin
is fixed before the first byte, and stated in the response headers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from parley.api.deps import READ_SECURITY, Reader, SystemDep
from parley.api.problems import Problem, documented
from parley.api.query_times import KnownAt
from parley.service.exports import FORMAT_VERSION
from parley.service.exports.log import PinnedLog
from parley.service.exports.pin import PinRefused, pin_of
from parley.service.exports.tables import TABLES, csv_chunks

router = APIRouter(tags=["exports"])

CSV = {200: {"description": "the table as CSV (SPEC §8); the pin in the `Parley-Pin-*` headers",
             "content": {"text/csv": {"schema": {"type": "string"}}}}}


@router.get("/export/{table}.csv", response_class=StreamingResponse, openapi_extra=READ_SECURITY,
            summary="A table of the record as CSV, pinned",
            responses={**CSV, **documented(401, 404, 422, 503)})
def export_table(
    table: Annotated[str, Path(description="The table: events, sources, statements or states.", examples=["events"])],
    system: SystemDep,
    _: Reader,
    position: Annotated[int | None, Query(ge=0, le=2**62, examples=[20],
                                          description="Pin: the events and retractions at log positions up to "
                                                      "this one (default: the last now).")] = None,
    known_at: KnownAt = None,
) -> StreamingResponse:
    """One table of SPEC §8 (events, sources, statements or states), pinned to a log position
    and optionally to what was recorded by `known_at`: the same pin gives the same bytes.

    Example: `pandas.read_csv("http://127.0.0.1:8000/export/events.csv?position=20")`."""
    chosen = TABLES.get(table)
    if chosen is None:
        raise Problem(404, "not-found", "No such table", f"{table!r}: the tables are {', '.join(TABLES)}")
    try:
        pin = pin_of(system.app, position, known_at)
    except PinRefused as refused:
        raise Problem(422, "validation", "position is beyond the log", str(refused),
                      errors=[{"path": "query.position", "message": str(refused), "type": "less_than_equal"}]) from None
    headers = {
        "Parley-Pin-Position": str(pin.position),
        "Parley-Pin-Recorded-At": pin.as_dict()["recorded_at"] or "",
        "Parley-Export-Format-Version": FORMAT_VERSION,
        "Content-Disposition": f'inline; filename="{table}-{pin.position}.csv"',
    }
    if pin.known_at is not None:
        headers["Parley-Pin-Known-At"] = pin.as_dict()["known_at"]
    return StreamingResponse(csv_chunks(chosen, PinnedLog(system.app, pin)),
                             media_type="text/csv; charset=utf-8", headers=headers)
