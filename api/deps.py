"""Request dependencies as named aliases: the wired system, who is writing, and what is read
(query times are in query_times.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import StringConstraints

from parley.api.observing import answer_headers
from parley.api.request_log import note
from parley.domain.names import normalised
from parley.domain.values import MAX_NAME
from parley.service.bootstrap import System
from parley.service.problems import Problem
from parley.service.tokens import ADMIN


async def get_system(request: Request) -> System:
    return request.app.state.system  # async: a plain function would cost a thread-pool hop


SystemDep = Annotated[System, Depends(get_system)]


# The OpenAPI security scheme of writes; the check itself is ours, so a missing or
# malformed header gets the same 401 problem as a wrong token.
bearer = HTTPBearer(scheme_name="bearer", description="a token minted by `parley token create NAME`", auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
# Reads take a token only when `reads_need_token` closes them, so a read route documents
# the token as optional itself (`openapi_extra`); the `Reader` dependency declares nothing.
READ_SECURITY: dict[str, Any] = {"security": [{}, {"bearer": []}]}


def unauthorised(detail: str) -> Problem:
    return Problem(
        401, "unauthorised", "A valid bearer token is needed", detail, headers={"WWW-Authenticate": 'Bearer realm="parley"'}
    )


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
    name = _holder(credentials.credentials if credentials else None, system)
    note(token_name=name)
    return name


def reader(request: Request, system: SystemDep) -> None:
    if system.settings.reads_need_token:
        token_holder(request, system)


def token_holder(request: Request, system: System) -> str:
    """The name of the live token the request sent (401 without one), noted for its log line."""
    name = _holder(_sent_token(request), system)
    note(token_name=name)
    return name


def bearer_token(request: Request) -> str:
    """The bearer token sent, not yet checked: POST /events checks it when its group commits."""
    token = _sent_token(request)
    if not token:
        raise unauthorised(NO_TOKEN)
    return token


def _sent_token(request: Request) -> str | None:
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" else None


def admin(credentials: Credentials, system: SystemDep) -> str:
    """The name of an `admin` token (SPEC §15: redaction); a `write` token is refused with 403."""
    token = credentials.credentials if credentials else None
    if not token:
        raise unauthorised(NO_TOKEN)
    held = system.tokens.scoped_holder(token)
    if held is None:
        raise unauthorised(REFUSED_TOKEN)
    name, scope = held
    note(token_name=name)
    if scope != ADMIN:
        raise Problem(
            403,
            "forbidden",
            "This token may not do that",
            f"the token {name!r} has the scope {scope!r}; this needs a token of the {ADMIN!r} scope "
            f"(`parley token create NAME --scope {ADMIN}`)",
        )
    return name


Writer = Annotated[str, Depends(writer)]
Admin = Annotated[str, Depends(admin)]
Reader = Annotated[None, Depends(reader)]


VIEWS_BEHIND = b"parley-views-behind"  # on a read the views could not bring up to date in time


def fresh_views(request: Request, system: SystemDep, _: Reader) -> System:
    """A read answers once the views hold what the log held when it came, so a write acknowledged
    by any process is read next (read-your-writes). It never applies an event itself: it waits
    for the process's keeper (projections/keeper.py), at most `views_wait_seconds`, and then
    answers what the views hold, saying in `Parley-Views-Behind` how many log positions they
    have yet to apply (docs/decisions.md, "Reads")."""
    last = system.app.recorder.max_notification_id() or 0
    if not system.views.wait_for(last, system.settings.views_wait_seconds):
        answer_headers(request).append((VIEWS_BEHIND, str(max(last - system.views.reached, 1)).encode()))
    return system


Views = Annotated[System, Depends(fresh_views)]


# A source name as events give them: some character that is not white space, no NUL. White space
# as Python's str.split() counts it (what `normalised` trims): a pattern's `\s` leaves out the
# separators \x1c-\x1f and NEL \x85 (ECMA's, as schema tools read it) that Python trims.
SOURCE_NAME = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"
SourceName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=SOURCE_NAME)]
SourceNames = Annotated[
    list[SourceName] | None,
    Query(
        alias="source",
        examples=[["Axios"]],
        max_length=20,
        description="Read the record according to these sources (repeatable; names compared as rules compare them): "
        "each disputed value resolves to the alternatives they back (`resolved` lists which); on history "
        "and /events, only the events citing one of them are listed.",
    ),
]


def sources_of(names: list[str] | None) -> tuple[str, ...]:
    """The names of `source=`, each a name as events give them (SPEC §6)."""
    found = []
    for name in names or ():
        if not normalised(name) or len(name) > MAX_NAME or "\x00" in name:
            raise Problem(
                422,
                "validation",
                "source is not a source name",
                f"{name!r}: a source name is 1-{MAX_NAME} characters, not only white space",
                errors=[{"path": "query.source", "message": "not a source name", "type": "string"}],
            )
        found.append(name)
    return tuple(found)


def iso(moment_: datetime) -> str:
    return moment_.isoformat().replace("+00:00", "Z")


def beyond_the_log(system: System, position: int, path: str) -> int:
    """The log's last position; a position past it is a mistake (a cursor from another store), not a wait."""
    last = system.app.recorder.max_notification_id() or 0
    if position > last:
        raise Problem(
            422,
            "validation",
            "The position is beyond the end of the log",
            f"{path}: {position} is after the log's last position, {last}",
            errors=[{"path": path, "message": f"at most {last}, the log's last position", "type": "beyond_log"}],
        )
    return last
