"""Limits on what one event carries: names, texts and lists over their configured limits are
refused field by field. Checked by the write path (service/writes.py), which every write passes:
a request's event, a batch's, a line of `parley import`. Bodies over the size limit are the
API door's (api/door.py, 413).

Which limit a value falls under is read from the schema of what it is: a string capped at
MAX_NAME is a name, one capped at MAX_TEXT a text, a list capped at MAX_ITEMS a list of items.
The domain keeps its ceilings and never reads settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from parley.domain.catalog import subject_class
from parley.domain.values import MAX_ITEMS, MAX_NAME, MAX_TEXT, Source
from parley.service.commands import OverLimit, Submission

SETTINGS = {MAX_NAME: "max_name_chars", MAX_TEXT: "max_text_chars"}


class FieldLimits:
    """The settings' limits on what one event carries, each at or below the schema's ceiling."""

    def __init__(self, max_name_chars: int = MAX_NAME, max_text_chars: int = MAX_TEXT, max_list_items: int = MAX_ITEMS):
        self.strings = {MAX_NAME: max_name_chars, MAX_TEXT: max_text_chars}
        self.items = max_list_items
        # At the ceilings the schema that validated the event already held everything to them.
        self.ceilings = max_list_items >= MAX_ITEMS and max_name_chars >= MAX_NAME and max_text_chars >= MAX_TEXT

    @classmethod
    def of(cls, settings: Any) -> FieldLimits:
        return cls(settings.max_name_chars, settings.max_text_chars, settings.max_list_items)

    def check(self, submission: Submission) -> None:
        """Raises OverLimit naming each value over its limit."""
        if self.ceilings:
            return
        breaches = self.breaches(submission)
        if breaches:
            raise OverLimit(submission.type, breaches)

    def breaches(self, submission: Submission) -> list[dict[str, str]]:
        """Each value over its limit, as a validation error with its path in the event (`data.party`)."""
        data = _schema_of(subject_class(submission.subject.kind).event_class(submission.type).data_model)
        source = _schema_of(Source)
        found = list(
            self._walk(
                submission.sources, {"type": "array", "maxItems": MAX_ITEMS, "items": source}, source.get("$defs", {}), "sources"
            )
        )
        found += self._walk(submission.data, data, data.get("$defs", {}), "data")
        if submission.note is not None:
            found += self._walk(submission.note, {"type": "string", "maxLength": MAX_TEXT}, {}, "note")
        return found

    def _walk(self, value: Any, node: dict, defs: dict, path: str) -> Iterator[dict[str, str]]:
        node = _branch(value, _resolved(node, defs), defs)
        if isinstance(value, str):
            limit = self.strings.get(node.get("maxLength", 0))
            if limit is not None and len(value) > limit:
                name = SETTINGS[node["maxLength"]]
                yield _breach(path, f"at most {limit} characters (setting {name})", "string_too_long")
        elif isinstance(value, list):
            if node.get("maxItems") == MAX_ITEMS and len(value) > self.items:
                yield _breach(path, f"at most {self.items} items (setting max_list_items)", "too_long")
            for index, item in enumerate(value):
                yield from self._walk(item, node.get("items", {}), defs, f"{path}.{index}")
        elif isinstance(value, dict):
            properties = node.get("properties", {})
            for key, item in value.items():
                yield from self._walk(item, properties.get(key, {}), defs, f"{path}.{key}")


@cache
def _schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def _resolved(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _branch(value: Any, node: dict, defs: dict) -> dict:
    """The alternative of an anyOf (a disputable or optional field) that the value took."""
    options = node.get("anyOf") or node.get("oneOf")
    if not options:
        return node
    wanted = JSON_TYPES.get(type(value))
    for option in (_resolved(o, defs) for o in options):
        if "anyOf" in option or "oneOf" in option:
            option = _branch(value, option, defs)
        if option.get("type", "object" if "properties" in option else None) == wanted:
            return option
    return {}


def _breach(path: str, message: str, kind: str) -> dict[str, str]:
    return {"path": path, "message": message, "type": kind}
