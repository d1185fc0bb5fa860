"""Which values of an event may be redacted (SPEC §15), and the paths a request names them by.

A redaction removes what a source said or who the source was, never what the record is built
on: a source's `name`, `url` and `quote`, the event's `note`, and the long texts of its data
(quotes, reasons, summaries, outcomes: the fields of type `Text`, plain or disputed). Names in
data (heads, members, parties, offices), keys, dates and ids shape states and rules, and the
header (`event_id`, `subject`, `occurred`, …) is chained in the clear: they are not redactable.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from parley.domain.redacted import is_redacted
from parley.domain.values import Named, is_disputed

HEADER = frozenset(
    {"event_id", "position", "subject", "version", "type", "occurred", "recorded_at", "recorded_by", "imported_recorded_at"}
)
SOURCE_FIELDS = ("name", "url", "quote")


class NotRedactable(ValueError):
    """A path that names no value the event holds, or one that cannot be redacted; says why."""

    def __init__(self, path: str, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


def _is_text(kind: Any, depth: int = 0) -> bool:
    if depth > 8:
        return False
    if any(isinstance(mark, Named) and mark.name == "Text" for mark in getattr(kind, "__metadata__", ())):
        return True
    generic = getattr(kind, "__pydantic_generic_metadata__", None) or {}
    return any(_is_text(arg, depth + 1) for arg in (*typing.get_args(kind), *generic.get("args", ())))


@lru_cache(maxsize=256)
def text_fields(event_class: type) -> frozenset[str]:
    """The data fields of an event type that hold long text."""
    fields = getattr(event_class, "data_model", None)
    found = set()
    for name, info in getattr(fields, "model_fields", {}).items():
        if _is_text(info.annotation) or any(isinstance(m, Named) and m.name == "Text" for m in info.metadata):
            found.add(name)
    return frozenset(found)


def leaf_paths(content: dict[str, Any], path: str, event_class: type | None) -> Iterator[str]:
    """The redactable values `path` names in a stored event's content (a path to a whole source
    or a disputed text names each of its redactable values); NotRedactable if it names none."""
    parts = path.split(".")
    head = parts[0]
    if head in HEADER:
        raise NotRedactable(
            path, "the header is chained in the clear and cannot be redacted; redact a value of `data`, `sources` or `note`"
        )
    if head not in ("data", "sources", "note"):
        raise NotRedactable(path, "names nothing an event holds: a path starts with `data`, `sources` or `note`")
    try:
        value = _value(content, parts)
    except (KeyError, IndexError, ValueError, TypeError):
        raise NotRedactable(path, "the event holds no value at this path") from None
    if head == "note":
        if len(parts) != 1 or (value is None):
            raise NotRedactable(path, "the event has no note")
        yield path
    elif head == "sources":
        if len(parts) == 2 and type(value) is dict:
            yield from (f"{path}.{name}" for name in SOURCE_FIELDS if value.get(name) is not None)
        elif len(parts) == 3 and parts[2] in SOURCE_FIELDS:
            if value is None:
                raise NotRedactable(path, "the source gives no value here")
            yield path
        else:
            raise NotRedactable(
                path,
                "of a source, its `name`, `url` and `quote` may be redacted "
                "(`sources.0.name`), or the whole source (`sources.0`)",
            )
    else:
        if "sources" in parts[2:]:
            raise NotRedactable(
                path,
                "a disputed value's sources name the event's sources: redact the source's name "
                "(`sources.0.name`), and they go with it",
            )
        if len(parts) < 2 or event_class is None or parts[1] not in text_fields(event_class):
            texts = ", ".join(f"data.{name}" for name in sorted(text_fields(event_class) if event_class else ()))
            raise NotRedactable(
                path,
                "only the long texts of data may be redacted (for this event: "
                f"{texts or 'none'}); names, keys and dates shape the record's states",
            )
        found = list(_texts_within(value, path))
        if not found:
            raise NotRedactable(path, "names no text of this field")
        yield from found


def _texts_within(value: Any, path: str) -> Iterator[str]:
    """A text, or a disputed text's alternative texts (not the source names backing them)."""
    if type(value) is str or is_redacted(value):
        yield path
    elif is_disputed(value):
        for index, alternative in enumerate(value["disputed"]):
            yield from _texts_within(alternative["value"], f"{path}.disputed.{index}.value")


def _value(content: dict[str, Any], parts: list[str]) -> Any:
    value: Any = content
    for part in parts:
        if type(value) is list:
            if not part.isdigit():
                raise ValueError(part)
            value = value[int(part)]
        elif type(value) is dict and not is_redacted(value):
            value = value[part]
        else:
            raise KeyError(part)
    return value
