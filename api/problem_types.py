"""What each problem `type` means: `/problems/{name}` answers it, for a client and for a browser.

Every problem+json answer's `type` is `/problems/{name}`; following it gives the title, what it
means, how to fix the request, and for `rule-broken` every rule a 409 can name.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from parley.api.responses import JSONResponse
from parley.domain.rules import RULES
from parley.service.problems import Problem


class ProblemType(NamedTuple):
    status: int
    title: str
    description: str
    fix: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    "unparseable-body": ProblemType(
        400,
        "The body is not JSON",
        "The request body could not be read as JSON: not UTF-8, not JSON, or nested more than 64 levels; the detail says where.",
        "Send a JSON body encoded as UTF-8.",
    ),
    "unauthorised": ProblemType(
        401,
        "A valid bearer token is needed",
        "Writes (and reads, when the service closes them) need `Authorization: Bearer "
        "<token>`; the token was missing, unknown or revoked. Nothing was stored.",
        "Mint a token with `parley token create NAME` and send it as a bearer token.",
    ),
    "forbidden": ProblemType(
        403,
        "This token may not do that",
        "The token is live but its scope does not allow the request: redacting needs a token "
        "of the `admin` scope; `write`, the default, records events and drafts. Nothing was "
        "stored.",
        "Ask for an admin token (`parley token create NAME --scope admin`).",
    ),
    "body-too-large": ProblemType(
        413,
        "The body is too large",
        "The body is over this service's size limit (PARLEY_MAX_BODY_BYTES). Nothing was "
        "read past a bound, and the connection is closed.",
        "Send fewer events per batch, or shorter texts.",
    ),
    "unsupported-media-type": ProblemType(
        415,
        "The body must be JSON",
        "A write's body must be sent as `application/json` (or `…+json`). Nothing was stored.",
        "Send Content-Type: application/json.",
    ),
    "not-found": ProblemType(
        404,
        "No such subject at that point",
        "The subject did not exist at that `as_of` as known at that `known_at`, or no such "
        "address exists. A subject with no events at all is named as such, with the existing "
        "subjects spelled most like it under `did_you_mean`.",
        "Check the address (`kind/slug`; `did_you_mean` may hold the one meant) and the dates asked.",
    ),
    "http": ProblemType(
        404,
        "Not found or not allowed",
        "The path or method does not exist (404, 405 with `Allow`).",
        "See /openapi.json for the paths and methods.",
    ),
    "rule-broken": ProblemType(
        409,
        "The event breaks a rule of its subject",
        "Recording the event at its place on the valid-time line would break a rule of "
        "its subject; `rule` names it. Nothing was stored.",
        "Read the subject's history, correct the event or record what must come first.",
    ),
    "version-conflict": ProblemType(
        409,
        "The subject has moved on",
        "`expected_version` is not the subject's current version, which `current_version` gives. Nothing was stored.",
        "Read the subject again, decide again, and send the current version.",
    ),
    "event-id-reused": ProblemType(
        409,
        "This event_id was recorded with other content",
        "An event with this `event_id` was already recorded with different content. Nothing was stored.",
        "Send a new `event_id`, or the original content.",
    ),
    "chain-broken": ProblemType(
        409,
        "The event no longer matches its digest",
        "A redaction was asked of an event whose stored bytes no longer match its link in the "
        "chain: someone changed them. Nothing was redacted.",
        "Run `parley verify --store` to find what changed, and restore the store from a backup.",
    ),
    "precondition-failed": ProblemType(
        412,
        "If-Match does not hold the current version",
        "`If-Match` does not hold the subject's current version (`current_version`). Nothing was stored.",
        "Read the subject again and send its ETag as If-Match.",
    ),
    "validation": ProblemType(
        422,
        "The request does not match the schema",
        "A field, parameter or header is missing or of the wrong form; `errors` lists each by path. Nothing was stored.",
        "Correct each field named under `errors`.",
    ),
    "invalid-input": ProblemType(
        422,
        "The request is not valid",
        "A value has the right form but cannot be taken (a fuzzy date that ends "
        "before it starts, an unknown event type). Nothing was stored.",
        "Correct the value the detail names.",
    ),
    "over-limit": ProblemType(
        422,
        "A value is over its configured limit",
        "A name, text or list is longer than this service allows. Nothing was stored.",
        "Shorten the fields named under `errors`.",
    ),
    "batch-too-large": ProblemType(
        422,
        "Too many events in one batch",
        "The batch holds more events than this service takes at once. Nothing was stored.",
        "Split the batch.",
    ),
    "store-busy": ProblemType(
        503,
        "The event store is busy",
        "Concurrent writes to the same subject kept winning. Nothing was stored.",
        "Retry after `Retry-After` seconds with the same `event_id`.",
    ),
    "store-unavailable": ProblemType(
        503,
        "The event store is unavailable",
        "The database could not be reached.",
        "Retry after `Retry-After` seconds; a write with the same `event_id` is stored once.",
    ),
    "not-ready": ProblemType(
        503,
        "The service is not ready",
        "`/readyz`: the database did not answer in time, or a view is too far behind the log "
        "to answer reads; `checks` says which.",
        "Wait, or look at the database and the logs.",
    ),
    "internal": ProblemType(
        500, "Internal error", "The service failed; the error was logged.", "Report it with the time of the request."
    ),
}

router = APIRouter(include_in_schema=False)


def described(name: str) -> dict:
    kind = PROBLEM_TYPES[name]
    return {
        "type": f"/problems/{name}",
        "title": kind.title,
        "status": kind.status,
        "description": kind.description,
        "fix": kind.fix,
        "rules": RULES if name == "rule-broken" else {},
    }


@router.get("/problems/{name}")
def problem_type(name: str, request: Request) -> Response:
    if name not in PROBLEM_TYPES:
        raise Problem(404, "http", "No such problem type", f"{name!r} is none of: {', '.join(PROBLEM_TYPES)}")
    body = described(name)
    if _prefers_html(request.headers.get("accept", "")):
        return HTMLResponse(_page(body))
    return JSONResponse(body)


def _prefers_html(accept: str) -> bool:
    return "text/html" in accept and "application/json" not in accept.split("text/html")[0]


def _page(body: dict) -> str:
    rules = "".join(f"<dt><code>{escape(rule)}</code></dt><dd>{escape(text)}</dd>" for rule, text in body["rules"].items())
    return (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{escape(body['title'])}</title>"
        f"<h1>{escape(body['title'])}</h1><p>HTTP {body['status']} · <code>{escape(body['type'])}</code>"
        f"<p>{escape(body['description'])}<h2>How to fix it</h2><p>{escape(body['fix'])}"
        + (f"<h2>Rules</h2><dl>{rules}</dl>" if rules else "")
        + "</html>"
    )


def catalogue_text() -> str:
    """The problem types and rules, as Markdown for the OpenAPI document."""
    types = "\n".join(f"- [`{name}`](/problems/{name}) ({kind.status}): {kind.title}" for name, kind in PROBLEM_TYPES.items())
    rules = "\n".join(f"- `{rule}`: {text}" for rule, text in RULES.items())
    return f"Problem types (`type` is `/problems/{{name}}`):\n\n{types}\n\nRules a 409 `rule-broken` can name:\n\n{rules}"
