"""`parley verify DIR`: an export checked against its manifest, naming the first difference."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from parley.service.exports.files import records, sha256_of

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Difference:
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def verify(folder: Path) -> list[Difference]:
    """Every file that differs from the manifest, each with where it first differs; [] when none."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [Difference(MANIFEST, "missing: this folder holds no export")]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        return [Difference(MANIFEST, f"unreadable ({error})")]
    found = []
    for entry in entries:
        difference = _check(folder, entry)
        if difference is not None:
            found.append(difference)
    return found


def _check(folder: Path, entry: dict) -> Difference | None:
    name = entry["path"]
    path = folder / name
    if not path.is_file():
        return Difference(name, "missing")
    if sha256_of(path) == entry["sha256"]:
        return None
    if "blocks" not in entry:
        return Difference(name, "its SHA-256 differs from the manifest's")
    return Difference(name, _where(path, entry))


def _where(path: Path, entry: dict) -> str:
    """The first block of rows whose hash differs, as a row range (rows count from 1 after a header)."""
    size, blocks = entry["block_rows"], entry["blocks"]
    rows = records(path, entry["format"])
    if "header_sha256" in entry:
        header = next(rows, b"")
        if hashlib.sha256(header).hexdigest() != entry["header_sha256"]:
            return "the header row differs"
    count = 0
    for index, expected in enumerate(blocks):
        block = list(islice(rows, size))
        first, count = index * size + 1, index * size + len(block)
        if not block:
            return f"rows {first} to {entry['rows']} are missing"
        if hashlib.sha256(b"".join(block)).hexdigest() != expected:
            return f"rows {first} to {first + size - 1 if index < len(blocks) - 1 else entry['rows']} differ"
    extra = sum(1 for _ in rows)
    if extra:
        return f"{extra} rows after row {count} are not in the manifest"
    return "its SHA-256 differs from the manifest's, though every block of rows matches"
