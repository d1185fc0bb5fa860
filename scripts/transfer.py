"""Export the log as JSON Lines and import it back through the API's own validation.

An exported line carries `recorded_at` and `recorded_by`; importing keeps them, so a
restore answers every (`as_of`, `known_at`) question as the original store did. Lines
without them are stamped now, with the importer's actor name.

Recorded time stays honest (SPEC §14): a line keeps its `recorded_at` only when it is not before
the store's last recorded time when the import began (`floor`) and not after now, so no answer
already given for an (`as_of`, `known_at`) changes and the log stays in recorded order across
imports; the lines of one file may come in any order among themselves. An exact repeat of a
stored event is recognised before its time is judged (re-importing an export stores nothing).
Any other line out of that window is refused by its number, unless the import restamps: then
it is recorded now and the file's time kept as the event's `imported_recorded_at`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TextIO

from eventsourcing.persistence import InterfaceError, OperationalError
from pydantic import TypeAdapter, ValidationError

from parley.domain.redacted import is_redacted
from parley.scripts.import_words import Stored, words
from parley.service.application import Parley
from parley.service.bootstrap import System
from parley.service.commands import BatchItemRefused, Submission, content
from parley.service.event_ids import digest
from parley.service.exports.lines import importable
from parley.service.json_text import parsed_text
from parley.service.redaction import Redactions
from parley.service.requests import EventIn

EVENT = TypeAdapter(EventIn)
IMPORT_BATCH = 500
# What stands in for a redacted value while its line is validated and recorded; it is redacted
# again at once, with the line's reason (SPEC §15: an export holding redactions imports).
PLACEHOLDER, PLACEHOLDER_URL = "redacted", "https://redacted.invalid/"
Marks = dict[str, str]  # path → reason, of a line's redacted values


class ImportRefused(Exception):
    """A line was refused; `stored` says what the import stored before it (every line before it)."""

    def __init__(self, line: int, reason: str, stored: Stored | None = None):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason
        self.stored = stored or Stored(1, 0, 0, 0)


class ImportLost(Exception):
    """The database stopped answering while the batch from `line` on was stored; `stored` is what
    the batches before it stored."""

    def __init__(self, line: int, cause: str, stored: Stored):
        super().__init__(f"the database stopped answering at the batch from line {line}: {cause}")
        self.line, self.cause, self.stored = line, cause, stored


def export(app: Parley, out: TextIO, progress: Callable[[int], None] | None = None) -> int:
    count, after = 0, 0
    while page := app.facts(after, 1000):
        for position, fact in page:
            out.write(json.dumps(importable(fact), ensure_ascii=False, separators=(",", ":")) + "\n")
            after = position
        count += len(page)
        if progress:
            progress(len(page))
    return count


def import_lines(
    app: Parley,
    lines: Iterable[str],
    actor: str,
    progress: Callable[[int], None] | None = None,
    *,
    floor: datetime | None = None,
    restamp: bool = False,
) -> tuple[int, int]:
    """(recorded, already there). Stops at the first refused line, having stored every line
    before it (ImportRefused says which); a lost database stops it too (ImportLost). `floor`
    is the store's last recorded time (`last_recorded`): `parley import` passes it."""
    stored = Importer(app, actor, progress, floor=floor, restamp=restamp).run(lines)
    return stored.recorded, stored.existing


def last_recorded(system: System) -> datetime | None:
    """The store's last recorded time: the views brought up to date, then one index lookup."""
    system.projection.catch_up()
    return system.log_reads.last_recorded()


class Importer:
    """Lines read, checked and recorded a batch at a time, counting what was stored."""

    def __init__(
        self,
        app: Parley,
        actor: str,
        progress: Callable[[int], None] | None = None,
        *,
        floor: datetime | None = None,
        restamp: bool = False,
    ):
        self.app, self.actor, self.progress = app, actor, progress
        self.floor, self.restamp = floor, restamp
        self.stored = Stored(1, 0, 0, 0)
        self.batch: list[Submission] = []
        self.numbers: list[int] = []
        self.marks: list[Marks] = []
        self.redactions = Redactions(app)
        self.applied: list[tuple[Any, list[Any]]] = []  # the redactions applied, for `after_redactions`

    def run(self, lines: Iterable[str]) -> Stored:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                submission, marks = line_of(line, number)
                if marks and self._redacted_repeat(submission, marks):
                    self._record()
                    self.stored = Stored(1, number, self.stored.recorded, self.stored.existing + 1)
                    continue
                submission = self._honest(submission, number)
            except ImportRefused as refused:
                self._record()
                raise ImportRefused(number, refused.reason, self.stored) from None
            self.batch.append(submission)
            self.numbers.append(number)
            self.marks.append(marks)
            if len(self.batch) == IMPORT_BATCH:
                self._record()
        self._record()
        return self.stored

    def _honest(self, submission: Submission, number: int) -> Submission:
        """The line as it may be recorded: its recorded time kept when honest; an exact repeat
        as it is (the decision recognises it and stores nothing); else restamped, or refused."""
        recorded = submission.recorded_at
        if recorded is None:
            return submission
        now = datetime.now(UTC)
        before = self.floor is not None and recorded < self.floor
        if not before and recorded <= now:
            return submission
        if self._known(submission):
            return submission
        if self.restamp:
            return replace(submission, recorded_at=None, imported_recorded_at=recorded)
        when = (
            f"before the store's last recorded time when the import began ({self.floor.isoformat()})"
            if before and self.floor is not None
            else f"after now ({now.isoformat(timespec='seconds')})"
        )
        raise ImportRefused(
            number,
            f"field `recorded_at`: {recorded.isoformat()} is {when}, so keeping it could "
            "change answers already given; import with --restamp to record it now and "
            "keep this time as `imported_recorded_at`",
        )

    def _known(self, submission: Submission) -> bool:
        """Whether its event_id was recorded before, or comes earlier in this import: then the
        decision judges it a repeat (same content: nothing stored) or a reuse (refused)."""
        event_id = submission.event_id and submission.event_id.lower()
        if event_id is None:
            return False
        return (
            any(s.event_id and s.event_id.lower() == event_id for s in self.batch) or self.app.event_ids.get(event_id) is not None
        )

    def _record(self) -> None:
        """Record the batch; when one of its lines is refused, the lines before it, then say so."""
        try:
            self._store(len(self.batch))
        except BatchItemRefused as refused:
            self._store(refused.index)
            raise ImportRefused(self.numbers[refused.index], words(refused.cause), self.stored) from None
        self.batch, self.numbers, self.marks = [], [], []

    def _redacted_repeat(self, submission: Submission, marks: Marks) -> bool:
        """Whether the line is an event this store holds, its values redacted as the line's are."""
        entry = submission.event_id and self.app.event_ids.get(submission.event_id.lower())
        if not entry:
            return False
        held = content(
            str(submission.subject),
            submission.type,
            submission.occurred.text,
            submission.sources,
            submission.data,
            submission.note,
        )
        for path, reason in marks.items():
            _put(held, path, {"redacted": True, "reason": reason})
        return digest(held) == entry.digest

    def _redact(self, receipts: list[Any], upto: int) -> None:
        """Redact again, with each line's reasons, the values its line held redacted."""
        for receipt, marks in zip(receipts, self.marks[:upto]):
            by_reason: dict[str, list[str]] = {}
            for path, reason in marks.items():
                if ".disputed." not in path or ".sources." not in path:  # those go with their source's name
                    by_reason.setdefault(reason, []).append(path)
            for reason, paths in by_reason.items():
                stored, new, _, reason = self.redactions.plan(receipt.event_id, paths, reason)
                redaction = self.redactions.record(stored, receipt.event_id, new, reason, self.actor) if new else None
                if redaction is not None:  # None: a redaction recorded meanwhile named them all
                    self.applied.append((redaction, self.redactions.apply(redaction)))

    def _store(self, upto: int) -> None:
        if not upto:
            return
        try:
            receipts = self.app.record_batch(self.batch[:upto], self.actor)
        except (OperationalError, InterfaceError) as error:
            raise ImportLost(self.numbers[0], _cause(error), self.stored) from None
        if any(self.marks[:upto]):
            self._redact(receipts, upto)
        created = sum(r.created for r in receipts)
        self.stored = Stored(1, self.numbers[upto - 1], self.stored.recorded + created, self.stored.existing + upto - created)
        if self.progress:
            self.progress(upto)


def _cause(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return " ".join(str(error).split()) or type(error).__name__


def submission_of(line: str, number: int) -> Submission:
    return line_of(line, number)[0]


def _marks(value: Any, path: str, found: Marks) -> None:
    if is_redacted(value):
        found[path] = value["reason"] if isinstance(value["reason"], str) else ""
    elif type(value) is dict:
        for key, item in value.items():
            _marks(item, f"{path}.{key}", found)
    elif type(value) is list:
        for index, item in enumerate(value):
            _marks(item, f"{path}.{index}", found)


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    holder: Any = body
    for part in parts[:-1]:
        holder = holder[int(part)] if type(holder) is list else holder[part]
    holder[int(parts[-1]) if type(holder) is list else parts[-1]] = value


def line_of(line: str, number: int) -> tuple[Submission, Marks]:
    """The line's event, each redacted value held by a placeholder, and the redacted values' paths and reasons."""
    raw: Any = None
    try:
        raw = parsed_text(line)  # a key given twice is refused, as in a request body (SPEC §14)
        if not isinstance(raw, dict):
            raise ImportRefused(number, "each line must be one JSON object")
        recorded_at = raw.pop("recorded_at", None)
        recorded_by = raw.pop("recorded_by", None)
        raw.pop("imported_recorded_at", None)  # another store's record of a restamp: this import judges its own
        raw.pop("digest", None)  # another store's chain: this store links the event in its own
        if raw.get("note") is None:
            raw.pop("note", None)
        marks: Marks = {}
        for name in ("data", "sources", "note"):
            _marks(raw.get(name), name, marks)
        for path in marks:
            _put(raw, path, PLACEHOLDER_URL if path.endswith(".url") else PLACEHOLDER)
        try:
            recorded = datetime.fromisoformat(recorded_at) if recorded_at else None
            if recorded is not None and recorded.tzinfo is None:
                recorded = recorded.replace(tzinfo=UTC)  # a time without an offset is UTC, as exported
        except (TypeError, ValueError):
            raise ImportRefused(
                number, f"field `recorded_at`: expected a time such as 2025-11-30T12:00:00+00:00, got {recorded_at!r}"
            ) from None
        # An exported event is checked against the time it was recorded, not today's.
        submission = EVENT.validate_python(raw, context={"recorded_at": recorded}).submission()
        return replace(submission, recorded_at=recorded, recorded_by=str(recorded_by) if recorded_by else None), marks
    except json.JSONDecodeError as error:
        raise ImportRefused(number, words(error)) from None
    except (ValidationError, ValueError) as error:
        raise ImportRefused(number, words(error, raw)) from None
