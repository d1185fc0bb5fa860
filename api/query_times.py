"""Query times (`as_of`, `known_at`, `from`, `to`, the log's `recorded_*` and `occurred_*`,
`published_by`), parsed by pydantic as a `date` or a `datetime`.

Of our own are only SPEC §4's two rules — a date means the end of that day, a time without an
offset is UTC (`fuzzy_dates.instant_of`, which the CLI's `end_of` uses too) — and the check that a time is written as the documented pattern says (years
1000-2999, `T`, an offset as `Z` or `±HH:MM`), which pydantic alone would widen: it also takes
Unix timestamps, a space for the `T` and years to 9999. docs/decisions.md says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator, Discriminator, GetJsonSchemaHandler, Tag
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from parley.domain.fuzzy_dates import DAY, MOMENT, instant_of

MOMENT_LENGTH, DAY_LENGTH = 40, 10
# The pattern is shown in the schema (for clients and the fuzzer) and checked before pydantic
# parses, so that what the schema refuses is refused, with what is wrong said in words.
AS_PATTERN = {"pattern": MOMENT}
_MOMENT, _DAY = re.compile(MOMENT), re.compile(DAY)


def _written_as_a_moment(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MOMENT_LENGTH:
            raise _too_long(MOMENT_LENGTH)
        if not _MOMENT.fullmatch(value):
            raise PydanticCustomError("datetime", "{reason}", {"reason": _why_not_a_moment(value)})
    return value


def _why_not_a_moment(text: str) -> str:
    if _MOMENT.fullmatch(text.replace(" ", "+")):
        return (
            f"{text!r}: the offset's + arrived as a space, as an unencoded + in a query does; "
            f"send it as %2B ({text.replace(' ', '%2B')})"
        )
    return (
        f"{text!r} is not a date (2025-11-30) or a date and time (2025-11-30T12:00:00Z, or with an offset), "
        "in the years 1000-2999"
    )


def _written_as_a_day(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > DAY_LENGTH:
            raise _too_long(DAY_LENGTH)
        if not _DAY.fullmatch(value):
            raise PydanticCustomError("date", "{reason}", {"reason": f"{value!r} is not a day (2025-11-29)"})
    return value


def _too_long(limit: int) -> PydanticCustomError:
    return PydanticCustomError("string_too_long", "String should have at most {max_length} characters", {"max_length": limit})


def _form(value: Any) -> str:
    """A day or an instant, as the pattern wrote it: pydantic would read midnight as a day."""
    return "instant" if isinstance(value, str) and "T" in value else "day"


@dataclass(frozen=True)
class _AsText:
    """Documented as text of at most `length` characters, which the parameter's pattern describes:
    pydantic's own `format: date-time` would call a time without an offset invalid."""

    length: int

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)  # with what the parameter adds: its description, examples, pattern
        schema.pop("oneOf", None)
        schema.pop("format", None)
        return {**schema, "type": "string", "maxLength": self.length}


if TYPE_CHECKING:  # what a route is given: `instant_of` makes a UTC instant of either form
    QueryTime = datetime
    QueryDay = datetime
else:
    # A point in time: a date (its end) or a date and time, as a UTC `datetime`.
    QueryTime = Annotated[
        Annotated[date, Tag("day")] | Annotated[datetime, Tag("instant")],
        Discriminator(_form),
        _AsText(MOMENT_LENGTH),
        BeforeValidator(_written_as_a_moment),
        AfterValidator(instant_of),
    ]
    # A day, as the UTC instant it ends at.
    QueryDay = Annotated[date, _AsText(DAY_LENGTH), BeforeValidator(_written_as_a_day), AfterValidator(instant_of)]

AsOf = Annotated[
    QueryTime | None,
    Query(
        description="The date asked about (valid time). A date means the end of that day, so the state on "
        "2025-11-30 includes what happened that day; a date and time is UTC unless it carries an offset "
        "(send `+` as `%2B`). An event counts when it certainly happened by then (the latest instant of "
        "its fuzzy date is on or before `as_of`); one that may have happened by then but not certainly "
        "is listed under `pending` and not applied. Default: now.",
        examples=["2025-11-30"],
        json_schema_extra=AS_PATTERN,
    ),
]
KnownAt = Annotated[
    QueryTime | None,
    Query(
        description="What the record said at this moment (system time): only events recorded on or before it count, "
        "and only retractions recorded by then withdraw anything, so an answer once given can be asked "
        "for again. A date means the end of that day. Default: now, the record as it stands.",
        examples=["2025-12-01T12:00:00Z"],
        json_schema_extra=AS_PATTERN,
    ),
]
PublishedBy = Annotated[
    QueryDay | None,
    Query(
        examples=["2025-11-29"],
        json_schema_extra={"pattern": DAY},
        description="Count only what a source had published by the end of this day (UTC): an event counts once the "
        "latest instant of its earliest `published` date has passed; one with no published date counts "
        "from when it was recorded. Combines with `as_of` and `known_at`.",
    ),
]


def now() -> datetime:
    return datetime.now(UTC)


def times(as_of: datetime | None, known_at: datetime | None) -> tuple[datetime, datetime | None, datetime]:
    """(as_of, known_at or None for now, the moment reported as known_at)."""
    current = now()
    known = known_at if known_at is not None and known_at < current else None
    return as_of or current, known, known or current
