"""Exports over HTTP (SPEC §8): `GET /export/{table}.csv`, pinned like `parley export`.

The body streams: the log is read a page at a time, each page its own short read, so a
large export holds no transaction open and `pandas.read_csv(url)` starts at once. The pin
is fixed before the first byte, and stated in the response headers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from parley.api.deps import READ_SECURITY, Reader, SourceNames, SystemDep, sources_of
from parley.api.problems import documented
from parley.api.query_times import KnownAt, PublishedBy
from parley.service.exports import FORMAT_VERSION, FORMAT_VERSIONS
from parley.service.exports.cells import instant
from parley.service.exports.log import PinnedLog
from parley.service.exports.pin import PinRefused, pin_of
from parley.service.exports.table_rows import csv_chunks
from parley.service.exports.tables import TABLES, tables_in
from parley.service.problems import Problem

router = APIRouter(tags=["exports"])

CSV: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the table as CSV (SPEC §8); the pin in the `Parley-Pin-*` headers",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/export/{table}.csv",
    response_class=StreamingResponse,
    openapi_extra=READ_SECURITY,
    summary="A table of the record as CSV, pinned",
    responses={**CSV, **documented(401, 404, 422, 503)},
)
def export_table(
    table: Annotated[str, Path(description="The table: " + ", ".join(TABLES) + ".", examples=["events"])],
    system: SystemDep,
    _: Reader,
    position: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**62,
            examples=[20],
            description="Pin: the events and retractions at log positions up to this one (default: the last now).",
        ),
    ] = None,
    known_at: KnownAt = None,
    source: SourceNames = None,
    published_by: PublishedBy = None,
    format_version: Annotated[
        Literal[FORMAT_VERSIONS],  # type: ignore[valid-type]  # the versions, known at run time
        Query(
            examples=[FORMAT_VERSION],
            description="The export format version to write (docs/codebook.md lists what "
            "each changed); default the newest. A pin and a format version "
            "always give the same bytes.",
        ),
    ] = FORMAT_VERSION,
) -> StreamingResponse:
    """One table of SPEC §8 and §17, pinned to a log position and optionally to what was
    recorded by `known_at`: the same pin and format version give the same bytes. With `source`,
    the event tables keep the events citing one of them and `states` and `claims` show disputed
    values as they gave them; with `published_by`, only what a source had published by that day
    counts, as the API reads them.

    Example: `pandas.read_csv("http://127.0.0.1:8000/export/states.csv?position=20")`."""
    chosen = tables_in(format_version).get(table)
    if chosen is None:
        raise Problem(
            404,
            "not-found",
            "No such table",
            f"{table!r}: the tables of format version {format_version} are {', '.join(tables_in(format_version))}",
        )
    try:
        pin = pin_of(system.app, position, known_at, sources=sources_of(source), published_by=published_by)
    except PinRefused as refused:
        raise Problem(
            422,
            "validation",
            "position is beyond the log",
            str(refused),
            errors=[{"path": "query.position", "message": str(refused), "type": "less_than_equal"}],
        ) from None
    headers = {
        "Parley-Pin-Position": str(pin.position),
        "Parley-Pin-Recorded-At": pin.as_dict()["recorded_at"] or "",
        "Parley-Export-Format-Version": format_version,
        "Content-Disposition": f'inline; filename="{table}-{pin.position}.csv"',
    }
    if pin.known_at is not None:
        headers["Parley-Pin-Known-At"] = pin.as_dict()["known_at"]
    if pin.published_by is not None:
        headers["Parley-Published-By"] = instant(pin.published_by)
    return StreamingResponse(
        csv_chunks(chosen, PinnedLog(system.app, pin), format_version), media_type="text/csv; charset=utf-8", headers=headers
    )
