"""A redacted value (SPEC §15): what an event holds in place of a value removed for good.

A redaction replaces a value of an event's body (a source's name, a quote, a note) by
`{"redacted": true, "reason": …}`, in the stored event itself, so every answer built from it
shows the marker instead of the value. A marker is never a name: it matches no name, cites no
source, and is written as its JSON wherever a text is expected.
"""

from __future__ import annotations

import json
from typing import Any


def marker(reason: str) -> dict[str, Any]:
    return {"redacted": True, "reason": reason}


def is_redacted(value: Any) -> bool:
    return type(value) is dict and value.get("redacted") is True and len(value) == 2 and "reason" in value


def as_text(value: Any) -> Any:
    """A value shown where a text is expected: a marker as its JSON, anything else as it is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if is_redacted(value) else value


def names(values: Any) -> list[str]:
    """The names among `values` that are names, not markers."""
    return [value for value in values if type(value) is str]
