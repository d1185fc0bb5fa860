"""Whether every text a validated model dumps is already as stored (`names.normalised`).

Idempotency compares an event's content with every text normalised (service/commands.py), so
an event stored before normalisation compares equal to its retry. Walking every value of every
write to normalise texts that the request schemas have just normalised cost a twentieth of
`record_batch`; for a model whose every string is a `Name` or `Text` (normalised by
`stored_text`), a fuzzy date (`fuzzy_text`: ASCII without white space) or a literal that is
as stored, the walk would change nothing and is skipped. Read from the model's core schema;
anything else found there (a plain or patterned string, another validator, a serializer)
answers False, and the data are walked as before.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from parley.domain.names import normalised

# Validators known to leave a string as stored, and those known to keep a model's values as validated.
_TEXT_VALIDATORS = frozenset({"stored_text", "stored_name", "fuzzy_text", "a_person", "a_key"})
_MODEL_VALIDATORS = frozenset(
    {
        "Disputed._alternatives_differ",
        "distinct_names",
        "distinct_by_name",
        "PersonRegisteredData._aliases_are_not_the_name",
        "distinct_keys",
        "PointChangedData._changes_something",
    }
)
_CONTAINERS = frozenset(
    {"definitions", "definition-ref", "model", "model-fields", "model-field", "tagged-union", "nullable", "default", "list"}
)
_NOT_TEXT = frozenset({"int", "bool"})


@cache
def dumps_texts_as_stored(model: type[BaseModel]) -> bool:
    return _as_stored(model.__pydantic_core_schema__)


def _as_stored(node: Any) -> bool:
    if isinstance(node, list):
        return all(_as_stored(item) for item in node)
    if not isinstance(node, dict):
        return True
    kind = node.get("type")
    if "serialization" in node:
        return False
    if kind == "function-after":
        name = getattr(node["function"]["function"], "__qualname__", None)
        inner = node["schema"]
        if name in _TEXT_VALIDATORS:
            return inner.get("type") == "str" and "serialization" not in inner
        return name in _MODEL_VALIDATORS and _as_stored(inner)
    if kind == "literal":
        return all(not isinstance(value, str) or normalised(value) == value for value in node["expected"])
    if kind in _NOT_TEXT:
        return True
    if kind is None:  # a model's fields by name, or its config
        return all(_as_stored(value) for value in node.values())
    if kind not in _CONTAINERS:
        return False  # a string no validator normalised, or a schema not looked into
    if kind == "default" and not _value_as_stored(
        node["default_factory"]() if "default_factory" in node else node.get("default")
    ):
        return False  # a default is not validated
    return all(
        _as_stored(value) for key, value in node.items() if key not in ("type", "metadata", "ref", "default", "default_factory")
    )


def _value_as_stored(value: Any) -> bool:
    if isinstance(value, str):
        return normalised(value) == value
    if isinstance(value, dict):
        return all(_value_as_stored(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return all(_value_as_stored(item) for item in value)
    return value is None or type(value) in (int, bool)
