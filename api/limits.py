"""Limits on what one event carries: names, texts and lists over their configured limits are
refused field by field (422). Bodies over the size limit are the door's (door.py, 413)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from parley.domain.values import MAX_ITEMS, MAX_NAME, MAX_TEXT
from parley.service.settings import Settings


class FieldLimits:
    """The settings' limits on what one event carries, each at or below the schema's ceiling.

    Which limit a value falls under is read from the request schema: a string capped at
    MAX_NAME is a name, one capped at MAX_TEXT a text, a list capped at MAX_ITEMS a list of
    items. The domain keeps its ceilings and never reads settings.
    """

    def __init__(self, settings: Settings):
        self.strings = {MAX_NAME: settings.max_name_chars, MAX_TEXT: settings.max_text_chars}
        self.items = settings.max_list_items
        self.settings_names = {MAX_NAME: "max_name_chars", MAX_TEXT: "max_text_chars"}

    def breaches(self, event: BaseModel, at: str) -> list[dict[str, str]]:
        """Each value over its limit, as a validation error with its field path from `at`."""
        if self.items >= MAX_ITEMS and all(limit >= cap for cap, limit in self.strings.items()):
            return []  # the schema already holds everything to its ceilings
        schema = _schema_of(type(event))
        value = event.model_dump(mode="json", exclude_none=True)
        return list(self._walk(value, schema, schema.get("$defs", {}), at))

    def _walk(self, value: Any, node: dict, defs: dict, path: str) -> Iterator[dict[str, str]]:
        node = _branch(value, _resolved(node, defs), defs)
        if isinstance(value, str):
            limit = self.strings.get(node.get("maxLength", 0))
            if limit is not None and len(value) > limit:
                name = self.settings_names[node["maxLength"]]
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


@lru_cache(maxsize=None)
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
