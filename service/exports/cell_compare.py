"""A copy's tables cell by cell against the rows made again from a chain, with and without the
recorded redactions (`parley verify DIR`, service/exports/redacted_copy.py): every cell must be
one of the two; a cell that is neither is tampering, named by its event's position and field. A
Parquet table is read with pyarrow and checked the same way."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from parley.domain.facts import Fact
from parley.domain.redacted import is_redacted
from parley.service.exports.files import records as file_records
from parley.service.exports.redaction_marks import Marks, Verdict

Held = tuple[str, int, str, tuple[str, ...], tuple[bytes, Any], bytes]  # file, row index, kind, header, made, as written


def held_rows(path: Path, entry: dict[str, Any], version: str, redacted: list[Any], held: list[Held]) -> None:
    """A table that matches its manifest (so holds the values committed to): its rows that the
    recorded redactions would change."""
    from parley.service.exports.cells import writer

    name, kind = path.name, entry["format"]
    if kind == "parquet":
        found, _ = _parquet_rows(path, version)
        if found is None:
            return
        made_rows = _typed(redacted[1:], _schema(name, version))
        held += [
            (name, number, kind, redacted[0][1], redacted[number + 1], writer(version)(written).encode("utf-8"))
            for number, (written, made) in enumerate(zip(found, made_rows))
            if written != made
        ]
        return
    rows = file_records(path, kind)
    offset = 1 if "header_sha256" in entry else 0
    if offset:
        next(rows, b"")
    held += [
        (name, number, kind, redacted[0][1] if offset else (), redacted[number + offset], written)
        for number, written in enumerate(rows)
        if number + offset < len(redacted) and written != redacted[number + offset][0]
    ]


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


def warn_held(held: list[Held], positions: dict[str, int], verdict: Verdict) -> None:
    """A row that still holds a value the copy shows redacted elsewhere (its chain.jsonl, another
    table): the value is the one committed to, but the redaction was applied to part of the copy."""
    shown = {event: record for (event, _), (_, record) in verdict.redacted.items()}
    for name, number, kind, header, (made, row), original in held:
        event = row.event_id if isinstance(row, Fact) else _event_of(header, row)
        record = shown.get(event or "")
        if record is None:
            continue
        where = _where(name, number + 1, "jsonl" if kind == "jsonl" else "csv", header, row, made, original, original, positions)
        verdict.warnings.append(
            f"{where}: still holds the value that redaction {record.redaction_id} removed, "
            "though this copy shows it redacted elsewhere"
        )


def compare_rows(
    path: Path,
    entry: dict[str, Any],
    redacted: list[Any],
    kept: list[Any],
    positions: dict[str, int],
    marks: Marks,
    verdict: Verdict,
    held: list[Held],
) -> None:
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
        verdict.problems.append(
            f"{name}: holds {len(found)} rows, the manifest {entry['rows']}"
            + ("" if len(redacted) - offset == entry["rows"] else f", and the chain makes {len(redacted) - offset}")
        )
        return
    header: tuple[str, ...] = redacted[0][1] if offset else ()
    for index, expected in enumerate(entry["blocks"]):
        block = found[index * size : (index + 1) * size]
        if hashlib.sha256(b"".join(block)).hexdigest() == expected:  # as written: not redacted here
            held += [
                (name, number, kind, header, redacted[number + offset], written)
                for number, written in enumerate(block, start=index * size)
                if redacted[number + offset][0] != written
            ]
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


def compare_parquet(
    path: Path,
    entry: dict[str, Any],
    version: str,
    redacted: list[Any],
    kept: list[Any],
    positions: dict[str, int],
    marks: Marks,
    verdict: Verdict,
    held: list[Held],
) -> None:
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
        verdict.problems.append(
            f"{name}: holds {len(found)} rows, the manifest {entry.get('rows')}"
            + ("" if len(made_rows) == entry.get("rows") else f", and the chain makes {len(made_rows)}")
        )
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
        where = _where(
            name,
            number + 1,
            "csv",
            header,
            row,
            writer(version)(written).encode("utf-8"),
            redacted[number + 1][0],
            kept[number + 1][0],
            positions,
        )
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


def _where(
    name: str,
    number: int,
    kind: str,
    header: tuple[str, ...],
    row: Any,
    written: bytes,
    made: bytes,
    original: bytes,
    positions: dict[str, int],
) -> str:
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
