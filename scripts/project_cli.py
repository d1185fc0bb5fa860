"""The `parley project` command: run your own projection script over the log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from eventsourcing.sqlite import SQLiteFactory

from parley.projections.sql import Database
from parley.scripts.opening import DatabaseOption, Rate, err, fail, opened
from parley.scripts.project import Script, ScriptProjection, ScriptRefused, ScriptRunner
from parley.scripts.replay_cli import bar_on
from parley.scripts.script_view import ScriptView
from parley.scripts.terminal import escape
from parley.service.bootstrap import System


def project_command(
    script: Annotated[Path, typer.Argument(help="a Python file defining on_event(event, view), and TABLES, DROP, NAME")],
    database: DatabaseOption = None,
    into: Annotated[Path | None, typer.Option("--into", help="write into this SQLite file instead of Parley's database")] = None,
    again: Annotated[
        bool, typer.Option("--again", help="drop what the script made (its DROP) and start from the first event")
    ] = False,
) -> None:
    """Run a projection script over the log; a rerun continues where the last one stopped."""

    try:
        loaded = Script.load(script)
    except ScriptRefused as refused:
        fail(escape(str(refused)))
    with opened(database) as system, _view(system, into) as view:
        runner = ScriptRunner(system.app, ScriptProjection(view, loaded), system.settings.projection_batch)
        runner.start(again)
        with bar_on(err, f"projecting {escape(loaded.name)}") as bar:
            last = system.app.recorder.max_notification_id() or 0
            task, rate = bar.add_task("project", total=last, completed=runner.position(), rate="-"), Rate()
            applied = runner.run(lambda count, position: bar.update(task, completed=position, rate=rate.add(count), refresh=True))
            reached = runner.position()
            bar.update(task, completed=max(last, reached))
    err.print(f"{loaded.name}: applied {applied} events, now at position {reached}", highlight=False)


@contextmanager
def _view(system: System, into: Path | None) -> Iterator[ScriptView]:
    """The script's view: in Parley's own database, or in a SQLite file of its own."""
    if into is None:
        yield ScriptView(
            system.projection.database,
            system.app.factory.tracking_recorder(),
            system.state_reads,
            system.log_reads,
            system.projection,
        )
        return
    factory = SQLiteFactory({"SQLITE_DBNAME": str(into), "SQLITE_LOCK_TIMEOUT": str(system.settings.lock_timeout)})
    try:
        yield ScriptView(
            Database(factory.datastore), factory.tracking_recorder(), system.state_reads, system.log_reads, system.projection
        )
    finally:
        factory.close()
