"""`parley export` and `parley verify` (SPEC §8): pinned exports for analysts, and their check."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from parley.domain.errors import InvalidFuzzyDate
from parley.domain.fuzzy_dates import end_of
from parley.scripts.opening import DatabaseOption, Rate, err, fail, opened, progress_bar
from parley.scripts.terminal import escape
from parley.service import redacted_chain
from parley.service.chain_store import verify as verify_store
from parley.service.exports import FORMAT_VERSION, FORMAT_VERSIONS
from parley.service.exports.parquet import MissingExtra
from parley.service.exports.pin import Pin, PinRefused, pin_of
from parley.service.exports.redacted_copy import verify_folder
from parley.service.exports.writer import LINE_FORMATS, Options, Progress, write_export, write_lines
from parley.service.releases import RELEASE_FILE


class Format(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    datapackage = "datapackage"
    cloudevents = "cloudevents"


# The command's helpers (`opened`, `fail`, …) are imported from cli.py inside each command:
# cli.py imports this module to add the commands, and may itself run as __main__.


def export_command(
    database: DatabaseOption = None,
    format_: Annotated[
        Format, typer.Option("--format", help="jsonl (importable), csv, parquet, datapackage or cloudevents")
    ] = Format.jsonl,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="a folder for the files and manifest.json; without it jsonl and cloudevents go to standard output"
        ),
    ] = None,
    position: Annotated[
        int | None, typer.Option("--position", min=0, help="pin: events at log positions up to N (default the last)")
    ] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", help="pin: only what was recorded by this date or time")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="CloudEvents `source` (default $PARLEY_CLOUDEVENTS_SOURCE or /parley)")
    ] = None,
    license_: Annotated[str | None, typer.Option("--license", help="the data package's licence, e.g. CC-BY-4.0")] = None,
    citation: Annotated[str | None, typer.Option("--citation", help="how to cite the data package")] = None,
    format_version: Annotated[
        str,
        typer.Option(
            "--format-version",
            help="the tables' export format version "
            "(docs/codebook.md lists what each changed): " + ", ".join(FORMAT_VERSIONS) + "; default the newest",
        ),
    ] = FORMAT_VERSION,
) -> None:
    """Export the log pinned to a position: importable JSON Lines, tables, a data package, CloudEvents."""

    fmt = format_.value
    if format_version not in FORMAT_VERSIONS:
        fail(f"--format-version {escape(format_version)} is not one of {', '.join(FORMAT_VERSIONS)}")
    if out is None and fmt not in LINE_FORMATS:
        fail(f"--format {fmt} writes several files: give --out DIR")
    with opened(database) as system:
        known = _moment(known_at) if known_at else None
        try:
            pin = pin_of(system.app, position, known)
        except PinRefused as refused:
            fail(str(refused))
        options = Options(
            source=source or system.settings.cloudevents_source,
            license=license_,
            citation=citation,
            format_version=format_version,
        )
        with bars() as progress:
            try:
                if out is None:
                    count = write_lines(system.app, pin, fmt, sys.stdout, options, progress)
                else:
                    manifest = write_export(system.app, pin, fmt, out, options, progress)
                    count = manifest["files"][0]["rows"]  # every format's first file has a row per event
            except MissingExtra as missing:
                fail(str(missing))
    err.print(
        f"exported {count} events, {_pinned(pin)}" + (f", into {escape(str(out))}" if out else ""),
        highlight=False,
        soft_wrap=True,
    )


def verify_command(
    folder: Annotated[Path | None, typer.Argument(help="an export's folder")] = None,
    store: Annotated[bool, typer.Option("--store", help="check the store's chain against its stored bytes")] = False,
    database: Annotated[str | None, typer.Option("--database", help="with --store: sqlite:///file.db or postgresql://…")] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key", help="a release's publisher's Ed25519 public key (hex, GET /keys): its signatures must verify with it"
        ),
    ] = None,
    redactions: Annotated[
        str | None,
        typer.Option(
            "--redactions",
            help="the redactions made since the folder was "
            "written: a newer release's folder, or GET /redactions saved "
            "to a file or as its URL (docs/verifying.md §7)",
        ),
    ] = None,
) -> None:
    """Check an export against its manifest, naming the first file and rows that differ; a value
    its holder has since redacted is accepted, and named, when a redaction record names it; with
    --store, recompute the store's chain and name the first position whose bytes no longer match."""
    from parley.service.bootstrap import catalog_of
    from parley.service.settings import Settings

    if store:
        _verify_store(database)
    if folder is None:
        if not store:
            fail("name an export's folder, or give --store")
        return
    settings = Settings()
    verdict = verify_folder(folder, key, redactions, catalog_of(settings), settings.redactions_fetch_timeout)
    for line in verdict.redacted_lines():
        err.print(escape(line), highlight=False, soft_wrap=True)
    for note in verdict.notes:
        err.print(f"note: {escape(note)}", highlight=False, soft_wrap=True)
    for warning in verdict.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False, soft_wrap=True)
    if verdict.problems:
        err.print(f"[red]differs:[/red] {escape(verdict.problems[0])}", highlight=False, soft_wrap=True)
        for more in verdict.problems[1:]:
            err.print(f"also differs: {escape(more)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    release = (folder / RELEASE_FILE).exists()
    held = ", and the release's chain, checkpoint" + (
        " and signatures hold" if key else " hold (give --key to check its signatures)"
    )
    matched = (
        "every file matches its manifest"
        if not verdict.redacted
        else f"every file matches its manifest, or differs from it only by the {len(verdict.redacted)} values above that a recorded redaction removed"
    )
    err.print(f"{escape(str(folder))}: {matched}" + (held if release else ""), highlight=False, soft_wrap=True)


def _verify_store(database: str | None) -> None:

    with opened(database) as system:
        checked, broken = verify_store(system.app.database, system.app.recorder.events_table_name)  # type: ignore[attr-defined]  # both backends' recorders
        redacted = sum(map(len, redacted_chain.kept(system.app.database).values()))
    if broken is not None:
        err.print(
            f"[red]the chain breaks at position {broken.position}:[/red] {escape(broken.reason)}"
            f" ({checked} links before it hold)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    err.print(
        f"the chain holds: {checked} events, each matching its digest"
        + (f"; {redacted} values redacted, each by its kept hash (not a change)" if redacted else ""),
        highlight=False,
        soft_wrap=True,
    )


def _moment(text: str):

    try:
        return end_of(text)
    except InvalidFuzzyDate as error:
        fail(f"--known-at: {error}")


def _pinned(pin: Pin) -> str:
    stated = pin.as_dict()
    words = f"pinned at position {pin.position} (recorded {stated['recorded_at'] or 'never: the log is empty'})"
    return words + (f", known at {stated['known_at']}" if pin.known_at else "")


@contextmanager
def bars() -> Iterator[Progress]:
    """A progress bar per part of the export, on standard error when it is a terminal."""

    if not err.is_terminal:
        yield Progress()
        return
    with progress_bar("exporting {task.description}") as bar:

        def start(what: str, total: int):
            task, rate = bar.add_task(what, total=total, rate="-"), Rate()
            return lambda count: bar.update(task, advance=count, rate=rate.add(count), refresh=True)

        yield Progress(start)
