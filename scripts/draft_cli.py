"""`parley draft` (SPEC §13): draft events from a report file, as `POST /drafts` does, and confirm some."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from parley.scripts.opening import DatabaseOption, err, fail, opened
from parley.scripts.terminal import escape

ACTOR = "parley-draft"  # who made a draft on the command line, as a token's name says it over HTTP


def draft_command(
    file: Annotated[Path, typer.Argument(help="the report, as UTF-8 text")],
    source: Annotated[str, typer.Option("--source", help="the outlet that published it: Forbes, Reuters, …")],
    published: Annotated[str, typer.Option("--published", help="when it was published (2025-11-30): its dates are read from it")],
    url: Annotated[str | None, typer.Option("--url", help="where it was published")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="the draft as POST /drafts answers it")] = False,
    confirm: Annotated[
        list[str] | None,
        typer.Option(
            "--confirm", help="record this proposal (repeatable): all chosen as one batch, as POST /drafts/{id}/confirm does"
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Draft the events a news report gives (stored as a draft, nothing recorded), and with
    --confirm record the proposals chosen."""
    from parley.service.draft_cases import confirm as confirmed
    from parley.service.draft_cases import make_draft
    from parley.service.problems import Problem, as_problem
    from parley.service.requests import Choice, ConfirmIn, DraftIn

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(escape(f"cannot read {file}: {getattr(error, 'strerror', None) or error}; no draft was made"))
    try:
        body = DraftIn(
            text=text,
            source={
                "name": source,
                "published": published,  # type: ignore[arg-type]  # validated by the model
                **({"url": url} if url else {}),
            },
        )
    except ValidationError as error:
        fail(escape("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())))
    with opened(database) as system:
        try:
            made = make_draft(system, body, ACTOR)
            receipts = None
            if confirm:
                receipts, _ = confirmed(
                    system, made["draft_id"], ConfirmIn(proposals=[Choice(proposal_id=p) for p in confirm]), ACTOR
                )
        except Exception as error:  # noqa: BLE001 - a refusal is said in a line, as the API says it
            try:
                problem = as_problem(error)
            except Exception:  # noqa: BLE001
                raise error from None
            assert isinstance(problem, Problem)
            fail(escape(f"{problem.title}: {problem.detail}"))
        system.projection.catch_up()
    if as_json:
        print(
            json.dumps(
                {
                    "draft_id": made["draft_id"],
                    "proposals": made["proposals"],
                    **({"events": receipts} if receipts is not None else {}),
                },
                ensure_ascii=False,
            )
        )
        return
    err.print(f"draft {made['draft_id']}: {len(made['proposals'])} proposals", highlight=False)
    for proposal in made["proposals"]:
        new = " (new)" if proposal["new_subject"] else ""
        missing = f"  missing: {', '.join(proposal['missing'])}" if proposal["missing"] else ""
        print(
            escape(
                f"{proposal['proposal_id']}  {proposal['type']}  {proposal['subject']}{new}  {proposal['occurred']}  "
                f"{json.dumps(proposal['data'], ensure_ascii=False)}  confidence {proposal['confidence']}{missing}"
            )
        )
        print(escape(f"    why: {proposal['why']}"))
    for receipt in receipts or []:
        err.print(
            escape(
                f"recorded {receipt['proposal_id']} as {receipt['event_id']} ({receipt['subject']}, version {receipt['version']})"
            ),
            highlight=False,
        )
