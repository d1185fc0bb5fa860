"""Writing an export: to standard output (JSON Lines, CloudEvents) or to a folder with a manifest.

Every format streams: the log is read a page at a time and each row is written as it is
made, so memory stays flat however long the log is (what is held is one subject's facts
while its states fold, and the map of retractions at the pin).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from parley.domain.facts import Fact
from parley.service.application import Parley
from parley.service.exports import DISTRIBUTION, FORMAT_VERSION
from parley.service.exports.cells import writer
from parley.service.exports.files import HashedFile, whole_file_entry
from parley.service.exports.lines import cloud_event_line, jsonl_line
from parley.service.exports.log import PinnedLog
from parley.service.exports.pin import Pin
from parley.service.exports.table_rows import every_row, in_version
from parley.service.exports.tables import tables_in
from parley.service.exports.verify import MANIFEST

FORMATS = ("jsonl", "csv", "parquet", "datapackage", "cloudevents")
# Each line format: its file, and its line from (position, fact, CloudEvents source).
LINE_FORMATS: dict[str, tuple[str, Callable[[int, Fact, str, str], str]]] = {
    "jsonl": ("events.jsonl", lambda position, fact, source, version: jsonl_line(fact)),
    "cloudevents": ("events.cloudevents.jsonl", cloud_event_line),
}
Advance = Callable[[int], None]


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class Options:
    source: str = "/parley"  # the CloudEvents `source` naming the store
    license: str | None = None  # e.g. CC-BY-4.0 (an SPDX identifier) for the data package
    citation: str | None = None
    format_version: str = FORMAT_VERSION  # an earlier one writes that version's tables, byte for byte


@dataclass
class Progress:
    """How far the export is: `start(what, total)` gives the function to advance that part."""

    start: Callable[[str, int], Advance] = field(default=lambda what, total: lambda count: None)


NO_PROGRESS = Progress()


def parley_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


def write_lines(
    app: Parley, pin: Pin, fmt: str, out: Writable, options: Options = Options(), progress: Progress = NO_PROGRESS
) -> int:
    """JSON Lines or CloudEvents to a text stream; the number of events written."""
    _, line = LINE_FORMATS[fmt]
    advance, count, reached = progress.start("events", pin.position), 0, 0
    for position, fact in PinnedLog(app, pin).facts():
        out.write(line(position, fact, options.source, options.format_version))
        count += 1
        advance(position - reached)
        reached = position
    return count


def write_export(
    app: Parley, pin: Pin, fmt: str, folder: Path, options: Options = Options(), progress: Progress = NO_PROGRESS
) -> dict[str, Any]:
    """The export in `folder` (made if missing), with manifest.json; the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    log = PinnedLog(app, pin)
    if fmt in LINE_FORMATS:
        name, _ = LINE_FORMATS[fmt]
        target = HashedFile(folder / name, fmt)
        write_lines(app, pin, fmt, target, options, progress)
        files = [target.close()]
    elif fmt in ("csv", "datapackage"):
        files = _csv_tables(log, folder, progress, options.format_version)
    elif fmt == "parquet":
        from parley.service.exports.parquet import write_parquet

        files = write_parquet(log, folder, progress, options.format_version)
    else:
        raise ValueError(f"{fmt!r} is not one of {', '.join(FORMATS)}")
    manifest: dict[str, Any] = {
        "format_version": options.format_version,
        "parley_version": parley_version(),
        "format": fmt,
        "pin": pin.as_dict(),
        "files": files,
    }
    if fmt == "datapackage":
        from parley.service.exports.package import write_codebook, write_package

        if options.format_version != "1":
            manifest["files"].append(whole_file_entry(write_codebook(folder), "markdown"))
        manifest["files"].append(whole_file_entry(write_package(folder, manifest, options.license, options.citation), "json"))
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _csv_tables(log: PinnedLog, folder: Path, progress: Progress, version: str) -> list[dict[str, Any]]:
    record = writer(version)
    tables = tables_in(version)
    outputs = {name: HashedFile(folder / f"{name}.csv", "csv", record(t.header)) for name, t in tables.items()}
    for table, row in in_version(tables, every_row(log, progress.start)):
        outputs[table.name].write(record(row))
    return [output.close() for output in outputs.values()]
