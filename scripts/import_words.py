"""What `parley import` says (SPEC §17): a refused line in words — the field, what was expected,
what came — and an exact account of what was stored and where the import stopped.

Kept apart from the reading and recording of lines (transfer.py), which only hands over the
facts: line numbers, counts, and the error that refused a line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from parley.domain.catalog import BUILT_IN
from parley.service.problems import field_path, within

SHOWN_ERRORS = 3
SHOWN_INPUT = 80

# An address as the first declared kind's creation example writes it.
EXAMPLE_SUBJECT = BUILT_IN.classes[0].creation.example["subject"]  # type: ignore[index]  # a creation has its example


@dataclass(frozen=True)
class Stored:
    """What an import stored: the lines it took (first to last, blank ones included) and how many
    events were new and how many were already recorded."""

    first_line: int
    last_line: int  # 0 when no line was taken
    recorded: int
    existing: int

    @property
    def lines(self) -> str:
        if self.last_line < self.first_line:
            return "no line"
        if self.last_line == self.first_line:
            return f"line {self.first_line:,}"
        return f"lines {self.first_line:,}–{self.last_line:,}"

    def account(self) -> str:
        """`lines 1–1,500 stored: 1,498 events recorded, 2 already recorded`."""
        if self.recorded + self.existing == 0:
            return "nothing was stored"
        return f"{self.lines} stored: {_count(self.recorded, 'event')} recorded, {self.existing:,} already recorded"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def stopped(stored: Stored, line: int, reason: str) -> str:
    """The whole account of an import refused at `line`."""
    return f"{stored.account()}; line {line:,} refused: {reason}; nothing after line {line:,} was read"


def lost(stored: Stored, line: int, cause: str) -> str:
    """The account of an import whose database stopped answering while line `line`'s batch was stored."""
    return (
        f"the database stopped answering ({cause}); {stored.account()}; the batch from line {line:,} on was not "
        f"stored and nothing after it was read. Run the same import again once the database answers: what "
        f"was stored is recognised by event_id and not stored twice"
    )


def done(stored: Stored) -> str:
    return f"recorded {stored.recorded:,} events; {stored.existing:,} were already recorded ({stored.lines})"


def words(error: BaseException, raw: Any = None) -> str:
    """A line's refusal in words: each faulty field, what was expected and what came."""
    if isinstance(error, ValidationError):
        return _validation(error, raw)
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON: {error.msg} at character {error.pos + 1}"
    return str(error)


def _validation(error: ValidationError, raw: Any) -> str:
    tag = raw.get("type") if isinstance(raw, dict) else None
    said = []
    for found in error.errors()[:SHOWN_ERRORS]:
        location = (*found.get("loc", ()), *within(found))  # a check across fields says where (`ctx.at`)
        if tag is not None and location[:1] == (tag,):
            location = location[1:]  # the event type the union chose, not a field
        path = field_path(location) or "type"
        said.append(f"field `{path}`: {_expected(found, path)}")
    more = len(error.errors()) - SHOWN_ERRORS
    return "; ".join(said) + (f"; and {more} more" if more > 0 else "")


def _expected(found: Mapping[str, Any], path: str) -> str:
    kind, message = found.get("type", ""), found.get("msg", "")
    given = found.get("input")
    ctx = found.get("ctx") or {}
    if kind == "missing":
        return "required, but the line does not give it"
    if kind == "union_tag_not_found":
        return "required: each line names its event type"
    if kind == "union_tag_invalid":
        return f"expected an event type ({ctx.get('expected_tags', '')}), got {_shown(ctx.get('tag'))}"
    if kind == "extra_forbidden":
        return f"not a field of this event type (its value: {_shown(given)})"
    if kind == "string_pattern_mismatch" and path == "subject":
        return (
            f"expected a subject `kind/slug`, the slug of lower-case letters, digits and - ({EXAMPLE_SUBJECT}), "
            f"got {_shown(given)}"
        )
    if kind == "string_pattern_mismatch":
        return f"expected text of the form {ctx.get('pattern')}, got {_shown(given)}"
    if message.startswith(("Value error, ", "Assertion failed, ")):
        return message.split(", ", 1)[1]
    return f"expected {_lowered(message)}, got {_shown(given)}"


def _lowered(message: str) -> str:
    """Pydantic's `Input should be a valid string` as `a valid string`."""
    for opening in (
        "Input should be ",
        "Value should be ",
        "Input should have ",
        "String should have ",
        "List should have ",
        "Value should have ",
    ):
        if message.startswith(opening):
            return message[len(opening) :]
    return message[:1].lower() + message[1:]


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= SHOWN_INPUT else text[: SHOWN_INPUT - 1] + "…"
