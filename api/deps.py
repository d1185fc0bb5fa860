"""Request dependencies as named aliases: the wired system, who is writing, and query times."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, Query, Request

from api.problems import Problem
from domain.errors import InvalidFuzzyDate
from domain.fuzzy_dates import end_of
from service.bootstrap import System


def get_system(request: Request) -> System:
    return request.app.state.system


SystemDep = Annotated[System, Depends(get_system)]


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _unauthorised(detail: str) -> Problem:
    return Problem(401, "unauthorised", "A valid bearer token is needed", detail,
                   headers={"WWW-Authenticate": 'Bearer realm="parley"'})


def writer(request: Request, system: SystemDep) -> str:
    """The name of the token that is writing; every write needs one."""
    token = _bearer(request)
    if token is None:
        raise _unauthorised("send Authorization: Bearer <token>; mint one with `parley token create NAME`")
    name = system.tokens.holder(token)
    if name is None:
        raise _unauthorised("the token is unknown or revoked")
    return name


def reader(request: Request, system: SystemDep) -> None:
    if system.settings.reads_need_token:
        writer(request, system)


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
        return end_of(text)
    except InvalidFuzzyDate as error:
        raise Problem(422, "validation", f"{name} is not a date or date and time", str(error),
                      errors=[{"path": f"query.{name}", "message": str(error), "type": "datetime"}]) from None


def now() -> datetime:
    return datetime.now(timezone.utc)


AsOf = Annotated[str | None, Query(description="a date (end of that day) or date and time; default now",
                                   examples=["2025-11-30"], max_length=40)]
KnownAt = Annotated[str | None, Query(description="what the record said at this moment; default now",
                                      max_length=40)]


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
