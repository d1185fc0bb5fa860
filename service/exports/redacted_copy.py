"""`parley verify DIR` on a copy whose holder redacted values after it was written (SPEC §15).

An export or release written before a redaction holds the value. Its holder may apply the
redaction to their copy, as the service would (the marker `{"redacted": true, "reason": …}` in
the value's place, in the tables and in `chain.jsonl`, its salt removed); the files then differ
from their manifest. This tells such a copy from a tampered one, cell by cell, against the
chain's per-value commitments (docs/verifying.md §7):

- the chain (the folder's own `chain.jsonl`, or a newer release's) is checked line by line: each
  value against its salted hash, each marker against a redaction record naming that event and
  field (the redaction's fact in a chain, or a signed entry of GET /redactions);
- each block of rows that no longer matches the manifest is made again from that chain, as the
  export wrote it, with and without the recorded redactions: every cell must be one of the two.
  A cell that is neither is tampering, named by its event's position and field. A Parquet table
  that differs is read with pyarrow and checked the same way, row by row and cell by cell;
- a cell that still holds a value the copy shows redacted elsewhere (in its `chain.jsonl`, or
  another table) is a warning: the value is the one committed to, but the redaction was applied
  to only part of the copy.
"""

from __future__ import annotations

import copy
import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from parley.domain.catalog import Catalog
from parley.domain.facts import RETRACTION, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.redacted import marker
from parley.domain.subjects import SubjectId
from parley.service import redacted_chain
from parley.service.exports.cell_compare import Held, compare_parquet, compare_rows, held_rows, warn_held
from parley.service.exports.lines import jsonl_line
from parley.service.exports.log import Retraction
from parley.service.exports.pin import Pin
from parley.service.exports.redaction_marks import (
    CHAIN_FILE,
    RECORDS_FILE,
    RELEASE_FILE,
    Marks,
    Verdict,
    entries_of,
    marks_of,
    read_chain,
    records_in,
)
from parley.service.exports.verify import MANIFEST, verify
from parley.service.redaction_records import SUBJECT, Record
from parley.service.releases import check_release, verify_release

# --- the tables made again from a chain ----------------------------------------------------------


def _instant(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text.replace("Z", "+00:00"))


def pin_of_manifest(stated: dict[str, Any]) -> Pin:
    return Pin(
        stated["position"],
        _instant(stated.get("recorded_at")),
        _instant(stated.get("known_at")),
        tuple(stated.get("sources") or ()),
        _instant(stated.get("published_by")),
    )


def fact_of_line(line: dict[str, Any], marks: dict[str, Record] | None) -> Fact:
    header, body = line["header"], line["body"]
    if marks:
        body = copy.deepcopy(body)
        for path, record in marks.items():
            try:
                redacted_chain.replace_at(body, path, marker(record.reason))
            except (KeyError, IndexError, ValueError, TypeError):
                pass  # a path this copy's event does not hold: its cells are checked as written
    imported = body.get("imported_recorded_at")
    return Fact(
        event_id=header["event_id"],
        subject=header["subject"],
        version=header["version"],
        type=header["type"],
        occurred=FuzzyDate.parse(header["occurred"]),
        data=body.get("data"),
        sources=body.get("sources") or [],
        note=body.get("note"),
        recorded_at=datetime.fromisoformat(header["recorded_at"]),
        recorded_by=header["recorded_by"],
        imported_recorded_at=imported and datetime.fromisoformat(imported),
        digest=line["digest"],
    )


class ChainLog:
    """A pinned log (service/exports/log.py) read from a chain file's facts instead of a store."""

    def __init__(self, lines: list[dict[str, Any]], pin: Pin, catalog: Catalog, marks: Marks | None):
        self.pin = pin
        self.app = SimpleNamespace(catalog=catalog)
        chained = [
            (line["position"], fact_of_line(line, (marks or {}).get(line["header"]["event_id"])))
            for line in lines
            if line["position"] <= pin.position and line["header"]["subject"] != SUBJECT
        ]
        self.versions: dict[str, int] = {}
        for _, fact in chained:
            self.versions[fact.subject] = fact.version
        self._facts = [(p, f) for p, f in chained if pin.admits(f)]
        self._streams: dict[UUID, list[Fact]] = {}
        for _, fact in self._facts:
            self._streams.setdefault(SubjectId.parse(fact.subject).stream_id, []).append(fact)

    def of_type(self, type_name: str) -> tuple[str, ...]:
        return (type_name,)

    def facts(self, topics: Any = None) -> Iterator[tuple[int, Fact]]:
        return iter([(p, f) for p, f in self._facts if topics is None or f.type in topics])

    def retractions(self) -> dict[str, Retraction]:
        return {
            f.data["event_id"]: Retraction(f.event_id, f.recorded_at) for _, f in self.facts((RETRACTION,)) if self.pin.counts(f)
        }

    def streams(self) -> list[tuple[str, UUID, int]]:
        return sorted((s, SubjectId.parse(s).stream_id, v) for s, v in self.versions.items())

    def subject_facts(self, stream: UUID, version: int, leaving_out: frozenset[str] = frozenset()) -> list[Fact]:
        return [f for f in self._streams.get(stream, []) if f.version <= version and f.type not in leaving_out]


Made = dict[str, list[tuple[bytes, tuple[Any, ...] | Fact]]]  # file → its records (header first) with their rows


def made_again(log: ChainLog, manifest: dict[str, Any], names: set[str]) -> Made:
    """The records of the files `names` as the export wrote them, from the log."""
    from parley.service.exports.cells import writer
    from parley.service.exports.table_rows import every_row, in_version
    from parley.service.exports.tables import tables_in
    from parley.service.exports.writer import NO_PROGRESS

    made: Made = {}
    if manifest.get("format") == "jsonl":
        made["events.jsonl"] = [(jsonl_line(f).encode("utf-8"), f) for _, f in log.facts()]
        return made
    version = manifest.get("format_version", "1")
    record = writer(version)
    tables = tables_in(version)
    for name, table in tables.items():
        for file in (f"{name}.csv", f"{name}.parquet"):
            if file in names:
                made[file] = [(record(table.header).encode("utf-8"), table.header)]
    for table, row in in_version(tables, every_row(log, NO_PROGRESS.start)):  # type: ignore[arg-type]  # a log read from a chain
        for file in (f"{table.name}.csv", f"{table.name}.parquet"):
            kept = made.get(file)
            if kept is not None:
                kept.append((record(row).encode("utf-8"), row))
    return made


# --- a folder ------------------------------------------------------------------------------------


def records_from(source: str, key: str | None, timeout: float) -> tuple[list[Record], list[dict[str, Any]] | None, list[str]]:
    """The redaction records a `--redactions` source gives (a newer release's folder, a saved
    GET /redactions answer, or its URL), the chain it holds (a release's), and what does not hold."""
    folder = Path(source)
    if "://" not in source and folder.is_dir():
        if not (folder / RELEASE_FILE).is_file():
            return [], None, [f"--redactions {source}: not a release (no {RELEASE_FILE}) nor a list of redactions"]
        problems = verify_release(folder, key)
        if problems:
            return [], None, [f"--redactions {source}: {problem}" for problem in problems]
        lines = read_chain(folder / CHAIN_FILE)
        return records_in(lines), lines, []
    try:
        if "://" in source:
            if not source.startswith(("http://", "https://")):
                return [], None, [f"--redactions {source}: give a folder, a file or an http(s) URL"]
            with urllib.request.urlopen(source, timeout=timeout) as answer:  # noqa: S310  (http(s) only, checked above)
                listed = json.loads(answer.read())
        else:
            listed = json.loads(folder.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [], None, [f"--redactions {source}: unreadable ({error})"]
    return entries_of(listed, key, f"--redactions {source}")


def verify_folder(folder: Path, key: str | None, source: str | None, catalog: Catalog, fetch_timeout: float = 30.0) -> Verdict:
    """Everything `parley verify DIR [--key] [--redactions SOURCE]` checks, redacted cells told from
    changes; a SOURCE URL is given `fetch_timeout` seconds to answer."""
    verdict = Verdict()
    release = (folder / RELEASE_FILE).is_file()
    own: list[dict[str, Any]] | None = None
    records: list[Record] = []
    if release:
        try:
            own = read_chain(folder / CHAIN_FILE)
            records += records_in(own)
        except (OSError, ValueError) as error:
            verdict.problems.append(f"{CHAIN_FILE}: unreadable ({error})")
    if (folder / RECORDS_FILE).is_file():
        try:
            found, _, problems = entries_of(json.loads((folder / RECORDS_FILE).read_text(encoding="utf-8")), key, RECORDS_FILE)
        except (OSError, ValueError) as error:
            found, problems = [], [f"{RECORDS_FILE}: unreadable ({error})"]
        records += found
        verdict.problems += problems
    given: list[dict[str, Any]] | None = None
    if source is not None:
        found, given, problems = records_from(source, key, fetch_timeout)
        records += found
        verdict.problems += problems
    marks = marks_of(records)
    differences = [d for d in verify(folder) if d.path != RECORDS_FILE]
    if release or (key is not None and source is None):  # --key checks a release's, or the records'
        problems, chained = check_release(folder, key, marks)
        verdict.problems += problems
        verdict.redacted.update(chained.redacted)
        verdict.notes += chained.notes
    lines = own if own is not None else given
    applied = bool(verdict.redacted) and _chain_edited(folder)  # the holder redacted chain.jsonl: are the tables too?
    if not differences and not applied:
        return verdict
    if lines is None:
        if differences:
            verdict.problems += [str(d) for d in differences]
            verdict.notes.append(
                "to tell redacted cells from changes, verify with a chain: a release's folder, or --redactions NEWER_RELEASE_DIR"
            )
        return verdict
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entries = {entry["path"]: entry for entry in manifest["files"]}
        pin = pin_of_manifest(manifest["pin"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        verdict.problems.append(f"{MANIFEST}: unreadable ({error!r})")
        return verdict
    tables = {
        name
        for name, entry in entries.items()
        if entry.get("format") == "parquet" or ("blocks" in entry and entry.get("format") in ("csv", "jsonl"))
    }
    differing = {d.path for d in differences}
    checkable = differing & tables
    verdict.problems += [str(d) for d in differences if d.path not in checkable]
    if not checkable and not applied:
        return verdict
    positions = {line["header"]["event_id"]: line["position"] for line in lines}
    redacted = made_again(ChainLog(lines, pin, catalog, marks), manifest, tables)
    kept = made_again(ChainLog(lines, pin, catalog, None), manifest, checkable)
    version = str(manifest.get("format_version", "1"))
    held: list[Held] = []
    for name in sorted(tables):
        if name not in redacted:
            if name in checkable:
                verdict.problems.append(f"{name}: differs from the manifest, and is not a table this check can make again")
            continue
        entry = entries[name]
        if name not in checkable:
            held_rows(folder / name, entry, version, redacted[name], held)
        elif entry["format"] == "parquet":
            compare_parquet(folder / name, entry, version, redacted[name], kept[name], positions, marks, verdict, held)
        else:
            compare_rows(folder / name, entry, redacted[name], kept[name], positions, marks, verdict, held)
    warn_held(held, positions, verdict)
    return verdict


def _chain_edited(folder: Path) -> bool:
    """Whether a release's chain.jsonl is no longer the file its release.json names."""
    from parley.service.exports.files import sha256_of

    try:
        named = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8")).get("chain_sha256")
        return (folder / CHAIN_FILE).is_file() and sha256_of(folder / CHAIN_FILE) != named
    except (OSError, ValueError, AttributeError):
        return False
