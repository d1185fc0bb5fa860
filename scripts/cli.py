"""The `parley` command (SPEC §5)."""

from __future__ import annotations

import gc
import os
import shlex
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from eventsourcing.persistence import InterfaceError, OperationalError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from parley.domain.catalog import BadDeclaration
from parley.projections.generations import GenerationGone
from parley.scripts.draft_cli import draft_command
from parley.scripts.exports import export_command, verify_command
from parley.scripts.project_cli import project_command
from parley.scripts.redact_cli import redact_command
from parley.scripts.release_cli import release_cli
from parley.scripts.replay_cli import replay_command
from parley.scripts.terminal import escape
from parley.service.bootstrap import BadDatabaseURL, DatabaseUnavailable, System, build
from parley.service.redaction_scrub import after_redactions
from parley.service.settings import Settings
from parley.service.signing import KeyRefused, create_key
from parley.service.tokens import SCOPES, WRITE, ScopeRefused, TokenExists, TokenNameRefused

cli = typer.Typer(help="Parley: sourced, bitemporal records of how a negotiation changes.", no_args_is_help=True)
token_cli = typer.Typer(help="Mint and revoke write tokens.", no_args_is_help=True)
cli.add_typer(token_cli, name="token")
key_cli = typer.Typer(help="Signing keys for checkpoints and releases.", no_args_is_help=True)
cli.add_typer(key_cli, name="key")
cli.add_typer(release_cli, name="release")
err = Console(stderr=True)

Database = Annotated[str | None, typer.Option("--database", help="sqlite:///file.db or postgresql://…; default $PARLEY_DATABASE_URL or sqlite:///./parley.db")]


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
        fail(escape(f"cannot open the database at {_where(settings.database_url)}: {_cause(error)}"))
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
            bar = _progress("upgrading the store")
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


def _cause(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return " ".join(str(error).split()) or type(error).__name__


def _progress(what: str) -> Progress:
    return Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]} events/s"), TimeRemainingColumn(), console=err)


def _steps() -> Progress:
    """One bar per step, each named."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}/s"), TimeRemainingColumn(), console=err)


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


class LogFormats(str, Enum):
    off = "off"
    text = "text"
    json = "json"


LogFormat = Annotated[LogFormats | None, typer.Option(
    "--log-format", help="one line per request on standard output, as text or JSON; default $PARLEY_LOG_FORMAT or off")]
Workers = Annotated[int, typer.Option("--workers", min=1, help="worker processes sharing the port; /metrics sums them")]


@cli.command()
def serve(host: str = "127.0.0.1", port: int = 8000, database: Database = None, log_format: LogFormat = None,
          workers: Workers = 1) -> None:
    """Serve the HTTP API."""
    import uvicorn

    if log_format is not None:
        os.environ["PARLEY_LOG_FORMAT"] = log_format.value  # worker processes read their settings from the environment
    if workers > 1:
        serve_workers(host, port, database, workers)
        return
    from parley.api import tracing
    from parley.api.main import create_app

    tracing.start(settings_for(database))  # before the database's first connection, so its calls are spans
    with opened(database, serving=True) as system:
        app = create_app(system.settings, system)
        collect_rarely()
        # Open live feeds would otherwise hold a stopping server forever.
        # Requests are logged by Parley's own lines (--log-format), never by uvicorn's access log.
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False,
                    timeout_graceful_shutdown=3, **guarded(system.settings))


def serve_workers(host: str, port: int, database: str | None, workers: int) -> None:
    """Several processes on one port, each building the system from the environment. Their metrics
    go to files in PROMETHEUS_MULTIPROC_DIR, which any of them sums when scraped: a new, empty
    folder for this run unless the environment names one (which must then be empty)."""
    import tempfile

    import uvicorn

    if database:
        os.environ["PARLEY_DATABASE_URL"] = database
    with opened(database):
        pass  # the database opens, and a store of an older version is upgraded, once, before any worker starts
    with tempfile.TemporaryDirectory(prefix="parley-metrics-") as folder:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", folder)
        settings = settings_for(database)
        uvicorn.run("parley.api.main:create_app", factory=True, workers=workers, host=host, port=port,
                    log_level="info", access_log=False, timeout_graceful_shutdown=3,
                    timeout_worker_healthcheck=settings.worker_healthcheck_seconds, **guarded(settings))


def guarded(settings: Settings) -> dict[str, Any]:
    """uvicorn's settings for slow, idle and surplus connections (api/connections.py)."""
    from parley.api.connections import GuardedHTTP

    return {"http": GuardedHTTP, "timeout_keep_alive": settings.keep_alive_seconds,
            "limit_concurrency": settings.max_connections + 1}


YOUNG_COLLECTION = 10_000  # container allocations between young collections (Python's default: 700)
# A rebuild's batch of 10,000 events makes some 100,000 containers: about one young collection a batch.
REBUILD_YOUNG_COLLECTION = 100_000


def collect_rarely(young: int = YOUNG_COLLECTION) -> None:
    """Tune the cyclic garbage collector for serving, once everything long-lived is loaded.

    Parley makes almost no cyclic garbage, yet with the default threshold the collector ran
    on every few requests: a group commit keeps sixteen requests' objects alive together,
    past 700 allocations, so young collections ran and promoted them, and full collections
    (about 100 ms over the process's 130,000 objects) followed: 180 µs of CPU a request, a
    third of the single append's (docs/benchmarks.md). Frozen, the objects of start-up
    (modules, schemas, the app) are never scanned again. `parley rebuild` too: it holds a batch
    of 10,000 events' objects at once, and the default collector cost a fifth of its CPU
    (49.8 s against 60.2 s at 1M events), young collections every 10,000 another tenth.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, 10, 10)


@cli.command()
def rebuild(database: Database = None) -> None:
    """Rebuild every projection from the event log beside the live views, then switch readers to it."""
    with opened(database) as system, _steps() as bar:
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


Restamp = Annotated[bool, typer.Option(
    "--restamp", help="record a line whose recorded_at is before the store's last recorded time, or after now, "
                      "at the import's own time, keeping the file's as imported_recorded_at (else it is refused)")]


@cli.command("import")
def import_command(file: Path, database: Database = None, restamp: Restamp = False) -> None:
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
def example(database: Database = None) -> None:
    """Load the November 2025 Geneva and Florida talks."""
    text = resources.files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8")
    _import(database, text.splitlines(), "parley-example")
    err.print("to name it on the page, serve with:\n"
              + "\n".join(f"  export {name}={shlex.quote(value)}" for name, value in EXAMPLE_SETTINGS.items()))


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
        with _progress("importing") as bar:
            task, rate = bar.add_task("import", total=len(lines), rate="-"), Rate()
            importer = Importer(system.app, actor,
                                lambda count: bar.update(task, advance=count, rate=rate.add(count), refresh=True),
                                floor=floor, restamp=restamp)
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
                message = (f"{import_words.done(stored)}; the views could not be brought up to date "
                           f"({_cause(error)}): the next read or `parley rebuild` does it")
                stored = None
        if stored is None:
            fail(escape(message))
    err.print(escape(import_words.done(stored)), highlight=False, soft_wrap=True)


@token_cli.command("create")
def token_create(name: str, database: Database = None,
                 scope: Annotated[str, typer.Option(help=f"{' or '.join(SCOPES)}: an admin token may also redact "
                                                         "(parley redact, POST /events/{id}/redactions)")] = WRITE) -> None:
    """Mint a write token; it is printed once, alone on one line."""
    with opened(database) as system:
        try:
            token = system.tokens.create(name, scope)
        except (TokenExists, TokenNameRefused, ScopeRefused) as refused:
            fail(escape(str(refused)))
    print(token)


@token_cli.command("revoke")
def token_revoke(name: str, database: Database = None) -> None:
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
def key_create(file: Annotated[Path, typer.Argument(help="where to write the private key (PEM), readable by its owner only")]
               = Path("parley-signing.key")) -> None:
    """Make an Ed25519 signing key; run the service with PARLEY_SIGNING_KEY=FILE to sign with it."""
    try:
        signer = create_key(file)
    except KeyRefused as refused:
        fail(escape(str(refused)))
    described = signer.described()
    print(described["public_key"])
    err.print(f"wrote {escape(str(file))}: key {described['key_id']}, Ed25519; its public key (above) is served at "
              f"GET /keys when PARLEY_SIGNING_KEY={escape(str(file))}", highlight=False, soft_wrap=True)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
