"""`parley redact EVENT_ID --fields … --reason …` (SPEC §15): POST /events/{id}/redactions from the
command line, by whoever can open the database (an operator, so the `admin` scope is theirs)."""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer

from parley.scripts.opening import err, fail, opened
from parley.scripts.terminal import escape
from parley.service.redact import redact
from parley.service.redaction import RedactionRefused


def redact_command(
    event_id: Annotated[str, typer.Argument(help="the event's id")],
    fields: Annotated[str, typer.Option("--fields", help="comma-separated paths: sources.0.name,data.quote,note")],
    reason: Annotated[str, typer.Option("--reason", help="why the values are removed; kept, and shown in their place")],
    by: Annotated[str | None, typer.Option("--by", help="who redacts, as the audit records it (default: operator:$USER)")] = None,
    database: Annotated[str | None, typer.Option("--database", help="sqlite:///file.db or postgresql://…")] = None,
) -> None:
    """Remove values of an event for good, keeping the chain verifiable and an audit of who, when and why."""

    paths = [path.strip() for path in fields.split(",") if path.strip()]
    with opened(database) as system:
        try:
            answer, created = redact(system, event_id, paths, reason, by or f"operator:{_user()}")
        except RedactionRefused as refused:
            fail(escape(refused.detail) + "; nothing was redacted")
    print(json.dumps(answer, ensure_ascii=False))
    if created:
        err.print(escape(f"redacted {', '.join(answer['redacted'])} of {event_id}"), highlight=False, soft_wrap=True)
    else:
        err.print(escape(f"already redacted: {', '.join(answer['already_redacted'])}; nothing stored"), highlight=False)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
