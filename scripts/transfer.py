"""Export the log as JSON Lines and import it back through the API's own validation.

An exported line carries `recorded_at` and `recorded_by`; importing keeps them, so a
restore answers every (`as_of`, `known_at`) question as the original store did. Lines
without them are stamped now, with the importer's actor name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any, TextIO

from pydantic import TypeAdapter, ValidationError

from parley.api.schemas import EventIn
from parley.service.application import Parley
from parley.service.commands import BatchItemRefused, Submission
from parley.service.exports.lines import importable

EVENT = TypeAdapter(EventIn)
IMPORT_BATCH = 500


class ImportRefused(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line


def export(app: Parley, out: TextIO, progress: Callable[[int], None] | None = None) -> int:
    count, after = 0, 0
    while page := app.log(after, 1000):
        for position, event in page:
            out.write(json.dumps(exported(event), ensure_ascii=False, separators=(",", ":")) + "\n")
            after = position
        count += len(page)
        if progress:
            progress(len(page))
    return count


def exported(event: Any) -> dict[str, Any]:
    return importable(event.as_fact())


def import_lines(app: Parley, lines: Iterable[str], actor: str, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """(recorded, already there). Stops at the first refused line; earlier batches stay stored."""
    recorded = existing = 0
    for start, batch in _batches(lines):
        try:
            receipts = app.record_batch(batch, actor)
        except BatchItemRefused as refused:
            raise ImportRefused(start + refused.index, str(refused.cause)) from None
        recorded += sum(r.created for r in receipts)
        existing += sum(not r.created for r in receipts)
        if progress:
            progress(len(batch))
    return recorded, existing


def _batches(lines: Iterable[str]) -> Iterator[tuple[int, list[Submission]]]:
    batch: list[Submission] = []
    first = 1
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not batch:
            first = number
        batch.append(submission_of(line, number))
        if len(batch) == IMPORT_BATCH:
            yield first, batch
            batch = []
    if batch:
        yield first, batch


def submission_of(line: str, number: int) -> Submission:
    try:
        raw = json.loads(line)
        if not isinstance(raw, dict):
            raise ImportRefused(number, "each line must be one JSON object")
        recorded_at = raw.pop("recorded_at", None)
        recorded_by = raw.pop("recorded_by", None)
        if raw.get("note") is None:
            raw.pop("note", None)
        recorded = datetime.fromisoformat(recorded_at) if recorded_at else None
        # An exported event is checked against the time it was recorded, not today's.
        submission = EVENT.validate_python(raw, context={"recorded_at": recorded}).submission()
        return replace(submission, recorded_at=recorded, recorded_by=str(recorded_by) if recorded_by else None)
    except json.JSONDecodeError as error:
        raise ImportRefused(number, f"not JSON: {error}") from None
    except (ValidationError, ValueError) as error:
        raise ImportRefused(number, str(error)) from None
