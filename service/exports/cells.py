"""How a value is written in a CSV cell (SPEC §8 "Bytes").

UTF-8 without BOM, `\\n` line ends, RFC 4180 quoting only where a cell needs it; times
`YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC; empty cells for null; booleans `true` / `false`; JSON
cells with sorted keys and no spaces.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

NEEDS_QUOTES = frozenset(',"\n\r')


class JSON:
    """A value written as JSON text (a `data` or `value` cell), even when it is a plain string."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text(value: Any) -> str:
    """A cell's text before quoting."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return instant(value)  # type: ignore[return-value]
    if isinstance(value, JSON):
        return "" if value.value is None else json_text(value.value)
    if isinstance(value, int):
        return str(value)
    return json_text(value)  # a disputed or structured value in a text column


def cell(value: Any) -> str:
    written = text(value)
    if NEEDS_QUOTES.isdisjoint(written):
        return written
    return '"' + written.replace('"', '""') + '"'


def record(values: Iterable[Any]) -> str:
    """One CSV record, with its line end."""
    return ",".join(cell(v) for v in values) + "\n"
