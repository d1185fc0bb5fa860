"""How a value is written in a CSV cell (SPEC §8 "Bytes").

UTF-8 without BOM, `\\n` line ends, RFC 4180 quoting only where a cell needs it; times
`YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC; empty cells for null; booleans `true` / `false`; JSON
cells with sorted keys and no spaces.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any


class JSON:
    """A value written as JSON text (a `data` or `value` cell), even when it is a plain string."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text(value: Any) -> str:
    """A cell's text before quoting."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if isinstance(value, datetime):
        return instant(value)  # type: ignore[return-value]  # an instant's text in the cell
    if isinstance(value, date):
        return value.isoformat()
    if kind is JSON:
        return "" if value.value is None else json_text(value.value)
    return json_text(value)  # a disputed or structured value in a text column


def cell(value: Any) -> str:
    written = text(value)
    if '"' in written or "," in written or "\n" in written or "\r" in written:
        return '"' + written.replace('"', '""') + '"'
    return written


def record(values: Iterable[Any]) -> str:
    """One CSV record of format version 1, with its line end."""
    return ",".join(map(cell, values)) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet will not run (SPEC §14): text beginning `=`, `+`, `-`, `@`, a tab or a
    carriage return is written with a leading `'` (OWASP's advice for CSV injection)."""
    written = text(value)
    if written.startswith(FORMULA_STARTS):
        written = "'" + written
    if '"' in written or "," in written or "\n" in written or "\r" in written:
        return '"' + written.replace('"', '""') + '"'
    return written


def safe_record(values: Iterable[Any]) -> str:
    """One CSV record of format version 2 on, with its line end."""
    return ",".join(map(safe_cell, values)) + "\n"


def writer(version: str) -> Callable[[Iterable[Any]], str]:
    """How format `version` writes a record."""
    return record if version == "1" else safe_record
