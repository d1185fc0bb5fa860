"""Files of an export, hashed as they are written: the whole file, and each block of rows.

The manifest keeps a SHA-256 of every file and of every block of BLOCK_ROWS records (a CSV
header is hashed on its own), so `parley verify` can say which rows changed, not only that
a file did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

BLOCK_ROWS = 1000


class HashedFile:
    """Records (text with their line ends) written as UTF-8, hashed as they go."""

    def __init__(self, path: Path, kind: str, header: str | None = None):
        self.path = path
        self.kind = kind  # csv, jsonl or cloudevents: how verify splits it into records
        self.file: BinaryIO = open(path, "wb", buffering=1 << 20)
        self.whole = hashlib.sha256()
        self.block = hashlib.sha256()
        self.blocks: list[str] = []
        self.rows = self.in_block = self.size = 0
        self.header = None
        if header is not None:
            data = header.encode("utf-8")
            self._put(data)
            self.header = hashlib.sha256(data).hexdigest()

    def write(self, record: str) -> None:
        data = record.encode("utf-8")
        self._put(data)
        self.block.update(data)
        self.rows += 1
        self.in_block += 1
        if self.in_block == BLOCK_ROWS:
            self.blocks.append(self.block.hexdigest())
            self.block, self.in_block = hashlib.sha256(), 0

    def _put(self, data: bytes) -> None:
        self.file.write(data)
        self.whole.update(data)
        self.size += len(data)

    def close(self) -> dict[str, Any]:
        """The file's entry in the manifest."""
        self.file.close()
        if self.in_block:
            self.blocks.append(self.block.hexdigest())
        entry: dict[str, Any] = {
            "path": self.path.name,
            "format": self.kind,
            "rows": self.rows,
            "bytes": self.size,
            "sha256": self.whole.hexdigest(),
        }
        if self.header is not None:
            entry["header_sha256"] = self.header
        return {**entry, "block_rows": BLOCK_ROWS, "blocks": self.blocks}


def whole_file_entry(path: Path, kind: str, rows: int | None = None) -> dict[str, Any]:
    """The entry of a file that is not read in records (Parquet, datapackage.json)."""
    entry: dict[str, Any] = {"path": path.name, "format": kind, "bytes": path.stat().st_size, "sha256": sha256_of(path)}
    return entry if rows is None else {**entry, "rows": rows}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def records(path: Path, kind: str) -> Iterator[bytes]:
    """A written file's records again: CSV records end at a line end outside quotes."""
    with open(path, "rb") as file:
        pending = b""
        for line in file:
            pending += line
            if kind == "csv" and pending.count(b'"') % 2:
                continue  # a quoted cell holds this line end
            yield pending
            pending = b""
        if pending:
            yield pending
