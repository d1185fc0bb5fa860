"""The `parley` command (SPEC §5)."""

from __future__ import annotations

import shlex
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from eventsourcing.persistence import InterfaceError, OperationalError
from rich.progress import TaskID

from parley.projections.generations import GenerationGone
from parley.scripts.draft_cli import draft_command
from parley.scripts.exports import export_command, verify_command
from parley.scripts.opening import DatabaseOption, Rate, cause_of, err, fail, opened, progress_bar, step_bars
from parley.scripts.project_cli import project_command
from parley.scripts.redact_cli import redact_command
from parley.scripts.release_cli import release_cli
from parley.scripts.replay_cli import replay_command
from parley.scripts.serving import REBUILD_YOUNG_COLLECTION, collect_rarely, serve
from parley.scripts.terminal import escape
from parley.service.redaction_scrub import after_redactions
from parley.service.signing import KeyRefused, create_key
from parley.service.tokens import SCOPES, WRITE, ScopeRefused, TokenExists, TokenNameRefused

cli = typer.Typer(help="Parley: sourced, bitemporal records of how a negotiation changes.", no_args_is_help=True)
token_cli = typer.Typer(help="Mint and revoke write tokens.", no_args_is_help=True)
cli.add_typer(token_cli, name="token")
key_cli = typer.Typer(help="Signing keys for checkpoints and releases.", no_args_is_help=True)
cli.add_typer(key_cli, name="key")
cli.add_typer(release_cli, name="release")
cli.command()(serve)


@cli.command()
def rebuild(database: DatabaseOption = None) -> None:
    """Rebuild every projection from the event log beside the live views, then switch readers to it."""
    with opened(database) as system, step_bars() as bar:
        collect_rarely(REBUILD_YOUNG_COLLECTION)  # a rebuild holds 10,000 events' objects at once
        tasks: dict[str, tuple[TaskID, Rate]] = {}

        def shown(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total, rate="-"), Rate()
            task, rate = tasks[step]
            bar.update(task, completed=done, total=total, rate=rate.at(done), refresh=True)

        try:
            applied = system.projection.rebuild(shown)
            system.search.rebuild(lambda step, done, total: shown(f"search: {step}", done, total))
        except GenerationGone as gone:
            fail(f"{gone}; the views readers use are unchanged")
    err.print(f"rebuilt the projections from {applied} events")


Restamp = Annotated[
    bool,
    typer.Option(
        "--restamp",
        help="record a line whose recorded_at is before the store's last recorded time, or after now, "
        "at the import's own time, keeping the file's as imported_recorded_at (else it is refused)",
    ),
]


@cli.command("import")
def import_command(file: Path, database: DatabaseOption = None, restamp: Restamp = False) -> None:
    """Record a JSON Lines file of events, idempotent by event_id."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(escape(f"cannot read {file}: there is no such file; nothing was stored"))
    except IsADirectoryError:
        fail(escape(f"cannot read {file}: it is a folder, not a file; nothing was stored"))
    except UnicodeDecodeError as error:
        fail(escape(f"cannot read {file}: it is not UTF-8 text (byte {error.start + 1:,}); nothing was stored"))
    except OSError as error:
        fail(escape(f"cannot read {file}: {error.strerror or error}; nothing was stored"))
    _import(database, text.splitlines(), "parley-import", restamp=restamp)


@cli.command()
def example(database: DatabaseOption = None) -> None:
    """Load the November 2025 Geneva and Florida talks."""
    text = resources.files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8")
    _import(database, text.splitlines(), "parley-example")
    err.print(
        "to name it on the page, serve with:\n"
        + "\n".join(f"  export {name}={shlex.quote(value)}" for name, value in EXAMPLE_SETTINGS.items())
    )


# The example's name and description on the page (settings `PARLEY_TITLE`, `PARLEY_DESCRIPTION`).
EXAMPLE_SETTINGS = {
    "PARLEY_TITLE": "Ending the war in Ukraine: the Geneva and Florida talks, November 2025",
    "PARLEY_DESCRIPTION": "The US 28-point plan and its revision, the Geneva and Florida rounds, and who "
    "led each delegation, day by day, each fact with its sources.",
}


def _import(database: str | None, lines: list[str], actor: str, *, restamp: bool = False) -> None:
    """Import, then say in words what was stored and, when it stopped early, where and why."""
    from parley.scripts import import_words
    from parley.scripts.transfer import Importer, ImportLost, ImportRefused, last_recorded

    with opened(database) as system:
        floor = last_recorded(system)  # the store's last recorded time as the import begins
        with progress_bar("importing") as bar:
            task, rate = bar.add_task("import", total=len(lines), rate="-"), Rate()
            importer = Importer(
                system.app,
                actor,
                lambda count: bar.update(task, advance=count, rate=rate.add(count), refresh=True),
                floor=floor,
                restamp=restamp,
            )
            try:
                stored = importer.run(lines)
            except ImportRefused as refused:
                stored = None
                message = import_words.stopped(refused.stored, refused.line, refused.reason)
            except ImportLost as lost:
                stored = None
                message = import_words.lost(lost.stored, lost.line, lost.cause)
        try:
            system.projection.catch_up()
            after_redactions(system, importer.applied)  # an export holding redactions: every copy of those values
        except (OperationalError, InterfaceError) as error:
            if stored is not None:
                message = (
                    f"{import_words.done(stored)}; the views could not be brought up to date "
                    f"({cause_of(error)}): the next read or `parley rebuild` does it"
                )
                stored = None
        if stored is None:
            fail(escape(message))
    err.print(escape(import_words.done(stored)), highlight=False, soft_wrap=True)


@token_cli.command("create")
def token_create(
    name: str,
    database: DatabaseOption = None,
    scope: Annotated[
        str,
        typer.Option(
            help=f"{' or '.join(SCOPES)}: an admin token may also redact (parley redact, POST /events/{{id}}/redactions)"
        ),
    ] = WRITE,
) -> None:
    """Mint a write token; it is printed once, alone on one line."""
    with opened(database) as system:
        try:
            token = system.tokens.create(name, scope)
        except (TokenExists, TokenNameRefused, ScopeRefused) as refused:
            fail(escape(str(refused)))
    print(token)


@token_cli.command("revoke")
def token_revoke(name: str, database: DatabaseOption = None) -> None:
    """End a write token."""
    with opened(database) as system:
        if not system.tokens.revoke(name):
            fail(escape(f"no live token named {name!r}"))
    err.print(f"revoked {name}")


cli.command("replay")(replay_command)
cli.command("project")(project_command)
cli.command("export")(export_command)
cli.command("verify")(verify_command)
cli.command("draft")(draft_command)
cli.command("redact")(redact_command)


@key_cli.command("create")
def key_create(
    file: Annotated[Path, typer.Argument(help="where to write the private key (PEM), readable by its owner only")] = Path(
        "parley-signing.key"
    ),
) -> None:
    """Make an Ed25519 signing key; run the service with PARLEY_SIGNING_KEY=FILE to sign with it."""
    try:
        signer = create_key(file)
    except KeyRefused as refused:
        fail(escape(str(refused)))
    described = signer.described()
    print(described["public_key"])
    err.print(
        f"wrote {escape(str(file))}: key {described['key_id']}, Ed25519; its public key (above) is served at "
        f"GET /keys when PARLEY_SIGNING_KEY={escape(str(file))}",
        highlight=False,
        soft_wrap=True,
    )


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
