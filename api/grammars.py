"""The grammars the OpenAPI document shows for the domain's texts.

The domain checks a name, a text or a fuzzy date with a validator that refuses in words
(`stored_name`, `stored_text`, `fuzzy_text`); a pattern constraint would refuse with the pattern. So pydantic
describes those types by their length only, and the document adds, here, the grammar each
validator checks: a client, a generator or a fuzzer reading it sends only texts the service
accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi.openapi.utils import get_fields_from_routes
from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema
from starlette.routing import BaseRoute

from parley.domain.fuzzy_dates import GRAMMAR
from parley.domain.values import SOME_NAME, SOME_TEXT, fuzzy_text, stored_name, stored_text

GRAMMARS: dict[Callable[..., Any], str] = {stored_name: SOME_NAME, stored_text: SOME_TEXT, fuzzy_text: GRAMMAR}


class Described(GenerateJsonSchema):
    """pydantic's JSON schema, with the grammar of each value type checked by one of `GRAMMARS`."""

    def function_after_schema(self, schema: CoreSchema) -> JsonSchemaValue:
        json_schema = super().function_after_schema(schema)  # type: ignore[arg-type]  # an after-validator's schema
        grammar = GRAMMARS.get(schema["function"]["function"])
        return {**json_schema, "pattern": grammar} if grammar else json_schema


def show_grammars(document: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Each component of `document` gets the patterns `Described` gives the model of that name."""
    components = document.get("components", {}).get("schemas", {})
    fields = get_fields_from_routes(routes)
    for mode in ("validation", "serialization"):
        # One schema of every type the routes take (or answer with), so each model is described once.
        types = tuple({field.field_info.annotation for field in fields if field.mode == mode})
        if not types:
            continue
        described = TypeAdapter(tuple[types]).json_schema(schema_generator=Described, mode=mode)  # type: ignore[valid-type]  # a tuple of the value types found at run time
        for model in described.get("$defs", {}).values():
            if model.get("title") in components:
                _copy_patterns(model, components[model["title"]])


def _copy_patterns(described: Any, shown: Any) -> None:
    if isinstance(described, dict) and isinstance(shown, dict):
        if described.get("pattern") in GRAMMARS.values():
            shown.setdefault("pattern", described["pattern"])
        for key, value in described.items():
            if key != "$defs" and key in shown:
                _copy_patterns(value, shown[key])
    elif isinstance(described, list) and isinstance(shown, list) and len(described) == len(shown):
        for described_item, shown_item in zip(described, shown):
            _copy_patterns(described_item, shown_item)
