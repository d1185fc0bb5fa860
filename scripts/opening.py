"""What every `parley` command shares: the `--database` option, the store opened (or one clear
line saying why not), the error console and progress bars. Kept apart from the command's
modules (cli.py and the *_cli.py beside it), which all import it and none of one another."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from parley.domain.catalog import BadDeclaration
from parley.scripts.terminal import escape
from parley.service.bootstrap import BadDatabaseURL, DatabaseUnavailable, System, build
from parley.service.settings import Settings
from parley.service.signing import KeyRefused

err = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="sqlite:///file.db or postgresql://…; default $PARLEY_DATABASE_URL or sqlite:///./parley.db"),
]


def settings_for(database: str | None) -> Settings:
    return Settings(database_url=database) if database else Settings()


def fail(message: str) -> NoReturn:
    err.print(f"[red]parley:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def opened(database: str | None, *, serving: bool = False) -> Iterator[System]:
    """The wired system, or one clear line saying why the database cannot be opened. Only a
    serving system bounds each database call by `call_timeout` (service/deadlines.py), once it is
    built: a command's long calls (a rebuild's batches, an export's pages) are not cut."""
    settings = settings_for(database)
    if not serving:
        settings = settings.model_copy(update={"call_timeout": None})
    try:
        with _migrating() as shown:
            system = build(settings, shown)
    except (BadDatabaseURL, BadDeclaration, KeyRefused) as error:
        fail(escape(str(error)))
    except DatabaseUnavailable as error:
        fail(escape(f"cannot open the database at {error.where}: {error.cause}"))
    except Exception as error:  # noqa: BLE001 - any failure to open is reported as one line
        fail(escape(f"cannot open the database at {_where(settings.database_url)}: {cause_of(error)}"))
    try:
        yield system
    finally:
        system.close()


@contextmanager
def _migrating() -> Iterator[Callable[[int, int], None]]:
    """Shows the one-time upgrade of a store written by an older version, if there is one."""
    bar: Progress | None = None
    rate = Rate()

    def shown(position: int, last: int) -> None:
        nonlocal bar
        if bar is None:
            bar = progress_bar("upgrading the store")
            bar.start()
            bar.add_task("upgrade", total=last, rate="-")
        bar.update(bar.task_ids[0], completed=position, total=last, rate=rate.add(position - rate.count), refresh=True)

    try:
        yield shown
    finally:
        if bar is not None:
            bar.stop()


def _where(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.hostname:
        return url
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{parts.port or 5432}"


def cause_of(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return " ".join(str(error).split()) or type(error).__name__


def progress_bar(what: str) -> Progress:
    return Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} events/s"),
        TimeRemainingColumn(),
        console=err,
    )


def step_bars() -> Progress:
    """One bar per step, each named."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}/s"),
        TimeRemainingColumn(),
        console=err,
    )


class Rate:
    """Events per second since start, for the progress bar (positions include non-event rows)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.count = 0

    def add(self, count: int) -> str:
        return self.at(self.count + count)

    def at(self, count: int) -> str:
        self.count = count
        return f"{self.count / max(time.perf_counter() - self.started, 1e-9):,.0f}"
