"""Request dependencies as named aliases: the wired system, who is writing, and query times."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import StringConstraints

from parley.api.problems import Problem
from parley.domain.errors import InvalidFuzzyDate
from parley.domain.fuzzy_dates import DAY, MOMENT, end_of
from parley.domain.names import normalised
from parley.domain.values import MAX_NAME
from parley.service.bootstrap import System


async def get_system(request: Request) -> System:
    return request.app.state.system  # async: a plain function would cost a thread-pool hop


SystemDep = Annotated[System, Depends(get_system)]


# The OpenAPI security scheme of writes; the check itself is ours, so a missing or
# malformed header gets the same 401 problem as a wrong token.
bearer = HTTPBearer(scheme_name="bearer", description="a token minted by `parley token create NAME`",
                    auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
# Reads take a token only when `reads_need_token` closes them, so a read route documents
# the token as optional itself (`openapi_extra`); the `Reader` dependency declares nothing.
READ_SECURITY = {"security": [{}, {"bearer": []}]}


def unauthorised(detail: str) -> Problem:
    return Problem(401, "unauthorised", "A valid bearer token is needed", detail,
                   headers={"WWW-Authenticate": 'Bearer realm="parley"'})


NO_TOKEN = "send Authorization: Bearer <token>; mint one with `parley token create NAME`"
REFUSED_TOKEN = "the token is unknown or revoked"


def _holder(token: str | None, system: System) -> str:
    if not token:
        raise unauthorised(NO_TOKEN)
    name = system.tokens.holder(token)
    if name is None:
        raise unauthorised(REFUSED_TOKEN)
    return name


def writer(credentials: Credentials, system: SystemDep) -> str:
    """The name of the token that is writing; every write needs one."""
    return _holder(credentials.credentials if credentials else None, system)


def reader(request: Request, system: SystemDep) -> None:
    if system.settings.reads_need_token:
        _holder(_sent_token(request), system)


def bearer_token(request: Request) -> str:
    """The bearer token sent, not yet checked: POST /events checks it when its group commits."""
    token = _sent_token(request)
    if not token:
        raise unauthorised(NO_TOKEN)
    return token


def _sent_token(request: Request) -> str | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" else None


Writer = Annotated[str, Depends(writer)]
Reader = Annotated[None, Depends(reader)]


def fresh_views(system: SystemDep, _: Reader) -> System:
    """Reads first apply everything already acknowledged: read-your-writes on every process."""
    system.projection.catch_up()
    return system


Views = Annotated[System, Depends(fresh_views)]


def moment(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        if not re.fullmatch(MOMENT, text):
            if re.fullmatch(MOMENT, text.replace(" ", "+")):
                raise InvalidFuzzyDate(f"{text!r}: the offset's + arrived as a space, as an unencoded + in a "
                                       f"query does; send it as %2B ({text.replace(' ', '%2B')})")
            raise InvalidFuzzyDate(f"{text!r} is not a date (2025-11-30) or a date and time "
                                   "(2025-11-30T12:00:00Z, or with an offset), in the years 1000-2999")
        return end_of(text)
    except (InvalidFuzzyDate, OverflowError) as error:
        raise Problem(422, "validation", f"{name} is not a date or date and time", str(error),
                      errors=[{"path": f"query.{name}", "message": str(error), "type": "datetime"}]) from None


def now() -> datetime:
    return datetime.now(timezone.utc)


# The pattern is shown in the schema and checked by `moment`, which says what is wrong in words.
AS_PATTERN = {"pattern": MOMENT}
AsOf = Annotated[str | None, Query(
    description="The date asked about (valid time). A date means the end of that day, so the state on "
                "2025-11-30 includes what happened that day; a date and time is UTC unless it carries an offset "
                "(send `+` as `%2B`). An event counts when it certainly happened by then (the latest instant of "
                "its fuzzy date is on or before `as_of`); one that may have happened by then but not certainly "
                "is listed under `pending` and not applied. Default: now.",
    examples=["2025-11-30"], max_length=40, json_schema_extra=AS_PATTERN)]
KnownAt = Annotated[str | None, Query(
    description="What the record said at this moment (system time): only events recorded on or before it count, "
                "and only retractions recorded by then withdraw anything, so an answer once given can be asked "
                "for again. A date means the end of that day. Default: now, the record as it stands.",
    examples=["2025-12-01T12:00:00Z"], max_length=40, json_schema_extra=AS_PATTERN)]


# A source name as events give them: some character that is not white space, no NUL.
SOURCE_NAME = r"^[^\x00]*[^\s\x00][^\x00]*$"
SourceName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=SOURCE_NAME)]
SourceNames = Annotated[list[SourceName] | None, Query(
    alias="source", examples=[["Axios"]], max_length=20,
    description="Read the record according to these sources (repeatable; names compared as rules compare them): "
                "each disputed value resolves to the alternatives they back (`resolved` lists which); on history "
                "and /events, only the events citing one of them are listed.")]
PublishedBy = Annotated[str | None, Query(
    examples=["2025-11-29"], max_length=10, json_schema_extra={"pattern": DAY},
    description="Count only what a source had published by the end of this day (UTC): an event counts once the "
                "latest instant of its earliest `published` date has passed; one with no published date counts "
                "from when it was recorded. Combines with `as_of` and `known_at`.")]


def sources_of(names: list[str] | None) -> tuple[str, ...]:
    """The names of `source=`, each a name as events give them (SPEC §6)."""
    found = []
    for name in names or ():
        if not normalised(name) or len(name) > MAX_NAME or "\x00" in name:
            raise Problem(422, "validation", "source is not a source name",
                          f"{name!r}: a source name is 1-{MAX_NAME} characters, not only white space",
                          errors=[{"path": "query.source", "message": "not a source name", "type": "string"}])
        found.append(name)
    return tuple(found)


def published_by_of(text: str | None) -> datetime | None:
    """The end of the day `published_by` names."""
    if text is not None and not re.fullmatch(DAY, text):
        message = f"{text!r} is not a day (2025-11-29)"
        raise Problem(422, "validation", "published_by is not a day", message,
                      errors=[{"path": "query.published_by", "message": message, "type": "date"}])
    return moment(text, "published_by")


def times(as_of: str | None, known_at: str | None) -> tuple[datetime, datetime | None, datetime]:
    """(as_of, known_at or None for now, the moment reported as known_at)."""
    current = now()
    as_of_moment = moment(as_of, "as_of") or current
    known = moment(known_at, "known_at")
    if known is not None and known >= current:
        known = None
    return as_of_moment, known, known or current


def iso(moment_: datetime) -> str:
    return moment_.isoformat().replace("+00:00", "Z")


def beyond_the_log(system: System, position: int, path: str) -> int:
    """The log's last position; a position past it is a mistake (a cursor from another store), not a wait."""
    last = system.app.recorder.max_notification_id() or 0
    if position > last:
        raise Problem(422, "validation", "The position is beyond the end of the log",
                      f"{path}: {position} is after the log's last position, {last}",
                      errors=[{"path": path, "message": f"at most {last}, the log's last position", "type": "beyond_log"}])
    return last
