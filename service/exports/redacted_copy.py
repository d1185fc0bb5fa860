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
import csv
import hashlib
import io
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from parley.domain.catalog import Catalog
from parley.domain.facts import RETRACTION, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.redacted import is_redacted, marker
from parley.domain.subjects import SubjectId
from parley.service import chain, redacted_chain
from parley.service.exports.files import records as file_records
from parley.service.exports.lines import jsonl_line
from parley.service.exports.log import Retraction
from parley.service.exports.pin import Pin
from parley.service.exports.verify import MANIFEST, verify
from parley.service.redaction_records import SUBJECT, Record, RecordRefused, from_chain_line, from_entry

RELEASE_FILE, CHAIN_FILE, RECORDS_FILE = "release.json", "chain.jsonl", "redactions.json"
Marks = dict[str, dict[str, Record]]  # event id → path → the record redacting it


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    redacted: dict[tuple[str, str], tuple[int, Record]] = field(default_factory=dict)  # (event, path) → position, record
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def redacted_lines(self) -> list[str]:
        return [f"position {position} (event {event}), {path}: redacted {record.said()}"
                for (event, path), (position, record) in sorted(self.redacted.items(), key=lambda i: (i[1][0], i[0][1]))]


def read_chain(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def marks_of(records: list[Record]) -> Marks:
    marks: Marks = {}
    for record in records:
        for path in record.fields:
            marks.setdefault(record.event_id, {})[path] = record
    return marks


def records_in(lines: list[dict[str, Any]]) -> list[Record]:
    return [record for line in lines if (record := from_chain_line(line)) is not None]


def records_from(source: str, key: str | None, timeout: float) -> tuple[list[Record], list[dict[str, Any]] | None, list[str]]:
    """The redaction records a `--redactions` source gives (a newer release's folder, a saved
    GET /redactions answer, or its URL), the chain it holds (a release's), and what does not hold."""
    from parley.service.releases import verify_release

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


def entries_of(listed: Any, key: str | None, where: str) -> tuple[list[Record], None, list[str]]:
    entries = listed.get("redactions") if type(listed) is dict else listed
    if type(entries) is not list:
        return [], None, [f"{where}: not a list of redactions (GET /redactions)"]
    found, problems = [], []
    for item in entries:
        try:
            found.append(from_entry(item, key) if type(item) is dict else from_entry({}, None))
        except RecordRefused as refused:
            problems.append(f"{where}: {refused}")
    return found, None, problems


def check_chain(lines: list[dict[str, Any]], marks: Marks) -> tuple[list[bytes], list[str], Verdict]:
    """Every line of a chain file, value by value: the digests in leaf order, the first
    problems (a value not committed to, a marker no record names, a digest that does not hold),
    and the redacted values met."""
    verdict = Verdict()
    previous, digests = chain.GENESIS, []
    for number, entry in enumerate(lines):
        try:
            header, body, commitment, salts = entry["header"], entry["body"], entry["commitment"], entry.get("salts", {})
            position, event = entry["position"], header["event_id"]
            where = f"{CHAIN_FILE} position {position} (event {event})"
            values = redacted_chain.body_leaves(body, commitment)
            if {p for p, _ in values} != set(commitment) or len(values) != len(commitment):
                verdict.problems.append(f"{where}: the body's values are not the ones committed to")
                break
            for path, value in values:
                salt = salts.get(path)
                if is_redacted(value) and salt is None:
                    record = marks.get(event, {}).get(path)
                    if record is None:
                        verdict.problems.append(f"{where}, {path}: a redaction marker that no redaction record names")
                    elif value["reason"] != record.reason:
                        verdict.problems.append(f"{where}, {path}: the marker's reason is not the one redaction "
                                                f"{record.redaction_id} gives")
                    else:
                        verdict.redacted[(event, path)] = (position, record)
                elif salt is None:
                    verdict.problems.append(f"{where}, {path}: the value has no salt and is not marked redacted")
                elif hashlib.sha256(bytes.fromhex(salt) + chain._leaf(value)).hexdigest() != commitment[path]:
                    verdict.problems.append(f"{where}, {path}: the value is not the one committed to")
            previous = chain.link(previous, header, chain.committed_bytes(commitment))
            if previous.hex() != entry["digest"] or entry["leaf_index"] != number or header.get("position") != position:
                verdict.problems.append(f"{where}: its digest does not hold")
                break
            digests.append(previous)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            verdict.problems.append(f"{CHAIN_FILE} line {number + 1}: unreadable ({error!r})")
            break
    return digests, verdict.problems, verdict


# --- the tables made again from a chain ----------------------------------------------------------

def _instant(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text.replace("Z", "+00:00"))


def pin_of_manifest(stated: dict[str, Any]) -> Pin:
    return Pin(stated["position"], _instant(stated.get("recorded_at")), _instant(stated.get("known_at")),
               tuple(stated.get("sources") or ()), _instant(stated.get("published_by")))


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
    return Fact(event_id=header["event_id"], subject=header["subject"], version=header["version"], type=header["type"],
                occurred=FuzzyDate.parse(header["occurred"]), data=body.get("data"), sources=body.get("sources") or [],
                note=body.get("note"), recorded_at=datetime.fromisoformat(header["recorded_at"]),
                recorded_by=header["recorded_by"], imported_recorded_at=imported and datetime.fromisoformat(imported),
                digest=line["digest"])


class ChainLog:
    """A pinned log (service/exports/log.py) read from a chain file's facts instead of a store."""

    def __init__(self, lines: list[dict[str, Any]], pin: Pin, catalog: Catalog, marks: Marks | None):
        self.pin = pin
        self.app = SimpleNamespace(catalog=catalog)
        chained = [(line["position"], fact_of_line(line, (marks or {}).get(line["header"]["event_id"])))
                   for line in lines if line["position"] <= pin.position and line["header"]["subject"] != SUBJECT]
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
        return {f.data["event_id"]: Retraction(f.event_id, f.recorded_at)
                for _, f in self.facts((RETRACTION,)) if self.pin.counts(f)}

    def streams(self) -> list[tuple[str, UUID, int]]:
        return sorted((s, SubjectId.parse(s).stream_id, v) for s, v in self.versions.items())

    def subject_facts(self, stream: UUID, version: int, leaving_out: frozenset[str] = frozenset()) -> list[Fact]:
        return [f for f in self._streams.get(stream, []) if f.version <= version and f.type not in leaving_out]


Made = dict[str, list[tuple[bytes, tuple[Any, ...] | Fact]]]  # file → its records (header first) with their rows


def made_again(log: ChainLog, manifest: dict[str, Any], names: set[str]) -> Made:
    """The records of the files `names` as the export wrote them, from the log."""
    from parley.service.exports.cells import writer
    from parley.service.exports.tables import every_row, tables_in
    from parley.service.exports.writer import NO_PROGRESS, in_version

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

def verify_folder(folder: Path, key: str | None, source: str | None, catalog: Catalog, fetch_timeout: float = 30.0) -> Verdict:
    """Everything `parley verify DIR [--key] [--redactions SOURCE]` checks, redacted cells told from
    changes; a SOURCE URL is given `fetch_timeout` seconds to answer."""
    from parley.service.releases import check_release

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
            verdict.notes.append("to tell redacted cells from changes, verify with a chain: a release's folder, or "
                                 "--redactions NEWER_RELEASE_DIR")
        return verdict
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entries = {entry["path"]: entry for entry in manifest["files"]}
        pin = pin_of_manifest(manifest["pin"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        verdict.problems.append(f"{MANIFEST}: unreadable ({error!r})")
        return verdict
    tables = {name for name, entry in entries.items() if entry.get("format") == "parquet"
              or ("blocks" in entry and entry.get("format") in ("csv", "jsonl"))}
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
            _as_written(folder / name, entry, version, redacted[name], held)
        elif entry["format"] == "parquet":
            _compare_parquet(folder / name, entry, version, redacted[name], kept[name], positions, marks, verdict, held)
        else:
            _compare(folder / name, entry, redacted[name], kept[name], positions, marks, verdict, held)
    _warn_held(held, positions, verdict)
    return verdict


def _chain_edited(folder: Path) -> bool:
    """Whether a release's chain.jsonl is no longer the file its release.json names."""
    from parley.service.exports.files import sha256_of

    try:
        named = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8")).get("chain_sha256")
        return (folder / CHAIN_FILE).is_file() and sha256_of(folder / CHAIN_FILE) != named
    except (OSError, ValueError, AttributeError):
        return False


Held = tuple[str, int, str, tuple[str, ...], tuple[bytes, Any], bytes]  # file, row index, kind, header, made, as written


def _as_written(path: Path, entry: dict[str, Any], version: str, redacted: list[Any], held: list[Held]) -> None:
    """A table that matches its manifest (so holds the values committed to): its rows that the
    recorded redactions would change."""
    from parley.service.exports.cells import writer

    name, kind = path.name, entry["format"]
    if kind == "parquet":
        found, _ = _parquet_rows(path, version)
        if found is None:
            return
        made_rows = _typed(redacted[1:], _schema(name, version))
        held += [(name, number, kind, redacted[0][1], redacted[number + 1], writer(version)(written).encode("utf-8"))
                 for number, (written, made) in enumerate(zip(found, made_rows)) if written != made]
        return
    rows = file_records(path, kind)
    offset = 1 if "header_sha256" in entry else 0
    if offset:
        next(rows, b"")
    held += [(name, number, kind, redacted[0][1] if offset else (), redacted[number + offset], written)
             for number, written in enumerate(rows)
             if number + offset < len(redacted) and written != redacted[number + offset][0]]


def _schema(name: str, version: str) -> Any:
    from parley.service.exports.parquet import arrow_schema
    from parley.service.exports.tables import tables_in

    return arrow_schema(tables_in(version)[name.removesuffix(".parquet")])


def _parquet_rows(path: Path, version: str) -> tuple[list[tuple[Any, ...]] | None, str | None]:
    """A Parquet table's rows as pyarrow reads them, or why they cannot be read."""
    try:
        import pyarrow.parquet as pq

        read = pq.read_table(str(path))
    except Exception as error:  # noqa: BLE001  (pyarrow raises its own errors for a damaged file)
        return None, f"{path.name}: unreadable as Parquet ({error})"
    if not read.schema.equals(_schema(path.name, version), check_metadata=False):
        return None, f"{path.name}: its columns are not the ones the export writes"
    return [tuple(r.values()) for r in read.to_pylist()], None


def _warn_held(held: list[Held], positions: dict[str, int], verdict: Verdict) -> None:
    """A row that still holds a value the copy shows redacted elsewhere (its chain.jsonl, another
    table): the value is the one committed to, but the redaction was applied to part of the copy."""
    shown = {event: record for (event, _), (_, record) in verdict.redacted.items()}
    for name, number, kind, header, (made, row), original in held:
        event = row.event_id if isinstance(row, Fact) else _event_of(header, row)
        record = shown.get(event or "")
        if record is None:
            continue
        where = _where(name, number + 1, "jsonl" if kind == "jsonl" else "csv", header, row, made, original, original,
                       positions)
        verdict.warnings.append(f"{where}: still holds the value that redaction {record.redaction_id} removed, "
                                "though this copy shows it redacted elsewhere")


def _compare(path: Path, entry: dict[str, Any], redacted: list[Any], kept: list[Any], positions: dict[str, int],
             marks: Marks, verdict: Verdict, held: list[Held]) -> None:
    """Each block of the file that differs from the manifest, cell by cell against the records made again."""
    name, size, kind = path.name, entry["block_rows"], entry["format"]
    rows = file_records(path, kind)
    offset = 0
    if "header_sha256" in entry:
        top = next(rows, b"")
        offset = 1
        if hashlib.sha256(top).hexdigest() != entry["header_sha256"]:
            verdict.problems.append(f"{name}: the header row differs")
            return
    found = list(rows)
    if len(found) != entry["rows"] or len(redacted) - offset != entry["rows"]:
        verdict.problems.append(f"{name}: holds {len(found)} rows, the manifest {entry['rows']}"
                                + ("" if len(redacted) - offset == entry["rows"] else
                                   f", and the chain makes {len(redacted) - offset}"))
        return
    header: tuple[str, ...] = redacted[0][1] if offset else ()
    for index, expected in enumerate(entry["blocks"]):
        block = found[index * size:(index + 1) * size]
        if hashlib.sha256(b"".join(block)).hexdigest() == expected:  # as written: not redacted here
            held += [(name, number, kind, header, redacted[number + offset], written)
                     for number, written in enumerate(block, start=index * size)
                     if redacted[number + offset][0] != written]
            continue
        for number, written in enumerate(block, start=index * size):
            made, row = redacted[number + offset]
            original = kept[number + offset][0]
            if written == made:
                _note_redacted(row, header, positions, marks, verdict)
                continue
            if written == original:
                continue
            where = _where(name, number + 1, kind, header, row, written, made, original, positions)
            verdict.problems.append(f"{where}: changed; it is not the value committed to, nor a recorded redaction of it")
            if len(verdict.problems) > 20:
                return


def _compare_parquet(path: Path, entry: dict[str, Any], version: str, redacted: list[Any], kept: list[Any],
                     positions: dict[str, int], marks: Marks, verdict: Verdict, held: list[Held]) -> None:
    """A Parquet table that differs from the manifest, read with pyarrow, row by row and cell by
    cell against the rows made again (typed as the export wrote them), with and without the
    recorded redactions."""
    from parley.service.exports.cells import writer

    name = path.name
    schema = _schema(name, version)
    found, unreadable = _parquet_rows(path, version)
    if found is None:
        verdict.problems.append(unreadable or name)
        return
    made_rows, original_rows = _typed(redacted[1:], schema), _typed(kept[1:], schema)
    if len(found) != entry.get("rows") or len(made_rows) != entry.get("rows"):
        verdict.problems.append(f"{name}: holds {len(found)} rows, the manifest {entry.get('rows')}"
                                + ("" if len(made_rows) == entry.get("rows") else f", and the chain makes {len(made_rows)}"))
        return
    header: tuple[str, ...] = redacted[0][1]
    for number, (written, made, original) in enumerate(zip(found, made_rows, original_rows)):
        row = redacted[number + 1][1]
        if written == made:
            _note_redacted(row, header, positions, marks, verdict)
            continue
        if written == original:  # with an unredacted chain: the value as committed
            held.append((name, number, "parquet", header, redacted[number + 1], writer(version)(written).encode("utf-8")))
            continue
        where = _where(name, number + 1, "csv", header, row, writer(version)(written).encode("utf-8"),
                       redacted[number + 1][0], kept[number + 1][0], positions)
        verdict.problems.append(f"{where}: changed; it is not the value committed to, nor a recorded redaction of it")
        if len(verdict.problems) > 20:
            return


def _typed(made: list[tuple[bytes, Any]], schema: Any) -> list[tuple[Any, ...]]:
    """Rows made again as a Parquet export holds them, read back as pyarrow reads its file."""
    import pyarrow as pa

    from parley.service.exports.parquet import _plain

    rows = [tuple(_plain(v) for v in row) for _, row in made]
    columns: list[Any] = list(zip(*rows)) if rows else [[] for _ in schema]
    arrays = [pa.array(list(values), type=f.type) for values, f in zip(columns, schema)]
    return [tuple(r.values()) for r in pa.Table.from_arrays(arrays, schema=schema).to_pylist()]


def _note_redacted(row: Any, header: tuple[str, ...], positions: dict[str, int], marks: Marks, verdict: Verdict) -> None:
    event = row.event_id if isinstance(row, Fact) else _event_of(header, row)
    for path, record in marks.get(event or "", {}).items():
        verdict.redacted.setdefault((record.event_id, path), (positions.get(record.event_id, record.position), record))


def _event_of(header: tuple[str, ...], row: tuple[Any, ...]) -> str | None:
    for column in ("event_id", "caused_by"):
        if column in header:
            value = row[header.index(column)]
            return None if value is None else str(value)
    return None


def _cells(record: bytes, kind: str) -> list[Any]:
    text = record.decode("utf-8", "replace")
    if kind == "jsonl":
        try:
            return [json.loads(text)]
        except ValueError:
            return [text]
    return next(csv.reader(io.StringIO(text, newline="")), [])


def _where(name: str, number: int, kind: str, header: tuple[str, ...], row: Any, written: bytes, made: bytes,
           original: bytes, positions: dict[str, int]) -> str:
    """The row, its event's position and the field of the first cell that is neither the one made
    with the recorded redactions nor the one made without."""
    if kind == "jsonl":
        fact = row
        got, want = _cells(written, kind)[0], _cells(original, kind)[0]
        path = _first_difference(got, want, "") or "the line"
        return f"{name} row {number} (event {fact.event_id} at position {positions.get(fact.event_id)}), {path.lstrip('.')}"
    got, want, also = _cells(written, kind), _cells(made, kind), _cells(original, kind)
    event = _event_of(header, row)
    at = f"{name} row {number}" + (f" (event {event} at position {positions.get(event)})" if event else "")
    if len(got) != len(want):
        return f"{at}: {len(got)} cells, not {len(want)}"
    column = next((i for i, (g, w, a) in enumerate(zip(got, want, also)) if g not in (w, a)), 0)
    title = header[column] if column < len(header) else str(column)
    table = name.removesuffix(".csv").removesuffix(".parquet")
    if table == "events" and title == "data":
        try:
            inside = _first_difference(json.loads(got[column]), json.loads(also[column]), "data")
        except ValueError:
            inside = None
        return f"{at}, {inside or 'data'}"
    if table == "events" and title == "note":
        return f"{at}, note"
    if table == "sources" and title in ("name", "url", "published", "quote"):
        return f"{at}, sources.{int(got[1]) - 1 if got[1].isdigit() else '?'}.{title}"
    if table == "statements" and title in ("speaker", "role", "quote"):
        return f"{at}, data.{title}"
    return f"{at}, column {title}"


def _first_difference(got: Any, want: Any, path: str) -> str | None:
    if type(got) is dict and type(want) is dict and not is_redacted(got):
        for key in sorted(set(got) | set(want)):
            if key not in got or key not in want:
                return f"{path}.{key}"
            found = _first_difference(got[key], want[key], f"{path}.{key}")
            if found:
                return found
        return None
    if type(got) is list and type(want) is list and len(got) == len(want):
        for index, (g, w) in enumerate(zip(got, want)):
            found = _first_difference(g, w, f"{path}.{index}")
            if found:
                return found
        return None
    return None if got == want else path

