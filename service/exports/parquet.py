"""Parquet tables (SPEC §8), typed: UTC timestamps, 64-bit integers, booleans; JSON cells as text.

pyarrow is the optional extra `analysis`; without it the export says how to get it.
Rows are written in row groups as they come, so memory stays flat.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parley.service.exports.cells import JSON, json_text
from parley.service.exports.files import whole_file_entry
from parley.service.exports.table_rows import every_row, in_version
from parley.service.exports.tables import Table, tables_in

ROW_GROUP = 10_000


class MissingExtra(RuntimeError):
    pass


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingExtra(
            "Parquet needs pyarrow: pip install pyarrow (in a clone of Parley: .venv/bin/pip install -e '.[analysis]')"
        ) from None
    return pyarrow


def arrow_schema(table: Table) -> Any:
    pa = _pyarrow()
    types = {
        "string": pa.string(),
        "json": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "datetime": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
    }
    return pa.schema([pa.field(c.name, types[c.type], nullable=not c.required) for c in table.columns])


class TableFile:
    """One Parquet file, fed rows and flushed a row group at a time."""

    def __init__(self, table: Table, path: Path):
        pa = _pyarrow()
        self.pa, self.table, self.path = pa, table, path
        self.schema = arrow_schema(table)
        self.writer = pa.parquet.ParquetWriter(str(path), self.schema, compression="zstd")
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def write(self, row: tuple[Any, ...]) -> None:
        self.rows.append(tuple(_plain(v) for v in row))
        if len(self.rows) == ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        columns: list[Any] = list(zip(*self.rows)) if self.rows else [[] for _ in self.schema]
        self.writer.write_table(
            self.pa.Table.from_arrays(
                [self.pa.array(list(values), type=field.type) for values, field in zip(columns, self.schema)], schema=self.schema
            )
        )
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> dict[str, Any]:
        if self.rows or not self.count:
            self._flush()
        self.writer.close()
        return whole_file_entry(self.path, "parquet", self.count)


def _plain(value: Any) -> Any:
    """A JSON cell, or a disputed value in a text column, as its JSON text."""
    if isinstance(value, JSON):
        value = value.value
        return None if value is None else json_text(value)
    return json_text(value) if isinstance(value, (dict, list)) else value


def write_parquet(log: Any, folder: Path, progress: Any, version: str) -> list[dict[str, Any]]:
    _pyarrow()
    tables = tables_in(version)
    outputs = {name: TableFile(t, folder / f"{name}.parquet") for name, t in tables.items()}
    for table, row in in_version(tables, every_row(log, progress.start)):
        outputs[table.name].write(row)
    return [output.close() for output in outputs.values()]
