"""`parley release` and `parley release changes` (SPEC §15): numbered, signed releases of the record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from parley.scripts.exports import bars
from parley.scripts.opening import DatabaseOption, err, fail, opened
from parley.service.releases import ReleaseRefused, changes, make_release

release_cli = typer.Typer(help="Numbered, signed releases of the record, and what changed between two.")


@release_cli.callback(invoke_without_command=True)
def release_command(
    ctx: typer.Context,
    note: Annotated[str | None, typer.Option("--note", help="what this release is, in a line")] = None,
    out: Annotated[Path, typer.Option("--out", help="the folder releases are written in, each in N/")] = Path("releases"),
    database: DatabaseOption = None,
) -> None:
    """Pin the record now as release N (1, 2, …): a data package, chain.jsonl and a signed release.json,
    written to releases/N and recorded in the store (signed when PARLEY_SIGNING_KEY names a key)."""
    if ctx.invoked_subcommand is not None:
        return

    with opened(database) as system:
        try:
            with bars() as progress:
                made, folder = make_release(system.app, system.signer, out, note, progress)
        except ReleaseRefused as refused:
            fail(escape(str(refused)))
    signed = f"signed by key {made['key_id']}" if "key_id" in made else "unsigned: no PARLEY_SIGNING_KEY"
    err.print(
        f"release {made['release']}: {made['checkpoint']['size']} events to position {made['pin']['position']},"
        f" root {made['checkpoint']['root']}, {signed}, in {escape(str(folder))}",
        highlight=False,
        soft_wrap=True,
    )


@release_cli.command("changes")
def changes_command(
    number: Annotated[int, typer.Argument(help="the later release")],
    since: Annotated[int, typer.Option("--since", help="the earlier release")],
    database: DatabaseOption = None,
) -> None:
    """The events added, the events withdrawn and the subjects changed from release SINCE to NUMBER, as JSON."""

    with opened(database) as system:
        try:
            found = changes(system.app, number, since)
        except ReleaseRefused as refused:
            fail(escape(str(refused)))
    print(json.dumps(found, indent=2, ensure_ascii=False))
