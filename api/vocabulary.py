"""What differs by kind in the HTTP API, derived from a catalog when an app is made (SPEC §10).

Routes are written once, naming in their signatures the types below (`KindName`, `EventIn`, …):
at module level those are the built-in catalog's. `Routes` keeps each route's declaration and
`Routes.built(vocabulary)` makes an `APIRouter` whose route functions read these names from the
app's own vocabulary, so the kinds accepted in paths, filters and bodies, and the request and state
schemas of the OpenAPI document, are those of the catalog the app was made with.
"""

from __future__ import annotations

import string
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from parley.domain.answers import SubjectPage, SubjectState, subject_page, subject_state
from parley.domain.catalog import BUILT_IN, Catalog
from parley.service.requests import batch_in, event_in, subject_text


def _choices(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "(none declared)"


def _one_of(names: tuple[str, ...]) -> str:
    return "^(" + "|".join(names) + ")$" if names else "^$"


class Vocabulary:
    """The names route signatures use, for one catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    @cached_property
    def example_subject(self) -> str:
        first = self.catalog.classes[0]
        return (first.creation.example or {}).get("subject") or f"{first.kind}/example"

    @cached_property
    def names(self) -> dict[str, Any]:
        catalog, kinds = self.catalog, self.catalog.kinds
        planned = catalog.with_expectations
        example_kind, example_type = kinds[0], catalog.types[0]
        return {
            "KINDS": kinds,
            "KindName": Literal[kinds],
            "EventType": Literal[catalog.types],
            "SubjectAddress": subject_text(kinds, self.example_subject),
            "KindQuery": Annotated[
                str | None,
                Query(
                    pattern=_one_of(kinds), examples=[example_kind], description=f"Only subjects of this kind: {_choices(kinds)}."
                ),
            ],
            "PlannedKind": Annotated[
                str | None,
                Query(
                    pattern=_one_of(planned),
                    examples=list(planned[:1]),
                    description=f"Only subjects of this kind: {_choices(planned)}.",
                ),
            ],
            "After": Annotated[
                str,
                Query(
                    max_length=100,
                    pattern=rf"^(({'|'.join(kinds)})/[a-z0-9-]{{1,80}})?$",
                    examples=[self.example_subject],
                    description="The `next` cursor of the previous page; empty for the first page.",
                ),
            ],
            "KindPath": Annotated[str, Path(description=f"The subject's kind: {_choices(kinds)}.", examples=[example_kind])],
            "EXAMPLE_KIND": example_kind,
            "EXAMPLE_TYPE": example_type,
            "EXAMPLE_SUBJECT": self.example_subject,
            "EventIn": event_in(catalog),
            "BatchIn": batch_in(catalog),
            "CATALOG": catalog,
        }

    @cached_property
    def models(self) -> dict[Any, Any]:
        """Response models by the built-in model they stand for in a route's declaration."""
        return {SubjectState: subject_state(self.catalog), SubjectPage: subject_page(self.catalog)}

    def worded(self, text: str | None) -> str | None:
        """A route's words with the catalog's in place of `$subject`, `$kind`, `$type`, `$kinds`, `$planned`."""
        if text is None:
            return None
        words = {
            "subject": self.example_subject,
            "kind": self.catalog.kinds[0],
            "type": self.catalog.types[0],
            "kinds": _choices(self.catalog.kinds),
            "planned": _choices(self.catalog.with_expectations),
        }
        return string.Template(text).safe_substitute(words)

    def typed(self, function: Callable[..., Any]) -> Callable[..., Any]:
        return _retyped(function, self)


@lru_cache(maxsize=16)
def vocabulary(catalog: Catalog) -> Vocabulary:
    return Vocabulary(catalog)


@lru_cache(maxsize=256)
def _retyped(function: Callable[..., Any], words: Vocabulary) -> Callable[..., Any]:
    """The function, reading its module's names with the vocabulary's in their place: FastAPI
    evaluates its annotations (strings, under `from __future__ import annotations`) there."""
    code = function.__code__
    scope = {**function.__globals__, **words.names}
    copy = types.FunctionType(code, scope, function.__name__, function.__defaults__, function.__closure__)
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__annotations__ = dict(function.__annotations__)
    copy.__doc__, copy.__qualname__, copy.__module__ = words.worded(function.__doc__), function.__qualname__, function.__module__
    copy.__dict__.update(function.__dict__)
    return copy


@lru_cache(maxsize=16)
def openapi_examples(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """An example of every event type the catalog declares, from its declaration."""
    found: dict[str, dict[str, Any]] = {}
    for cls in catalog.classes:
        for type_name in cls.event_types:
            example = catalog.example(cls, type_name)
            if example is not None and type_name not in found:
                found[type_name] = {"summary": type_name, "value": example}
    return found


@dataclass
class Routes:
    """An `APIRouter`'s routes, declared once with its decorators and built for each vocabulary."""

    tags: list[str] = field(default_factory=list)
    declared: list[tuple[str, dict[str, Any], Callable[..., Any]]] = field(default_factory=list)

    def api_route(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def declare(function: Callable[..., Any]) -> Callable[..., Any]:
            self.declared.append((path, options, function))
            return function

        return declare

    def get(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.api_route(path, methods=["GET"], **options)

    def post(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.api_route(path, methods=["POST"], **options)

    def built(self, words: Vocabulary) -> APIRouter:
        router = APIRouter(tags=list(self.tags))
        for path, options, function in self.declared:
            model = options.get("response_model")
            if model is not None and model in words.models:
                options = {**options, "response_model": words.models[model]}
            router.add_api_route(path, words.typed(function), **options)
        return router


# The built-in catalog's names, which route modules import so that they read whole; each app's
# routes read its own vocabulary's instead (`Routes.built`).
_BUILT_IN = vocabulary(BUILT_IN).names
CATALOG = BUILT_IN
KINDS: tuple[str, ...] = _BUILT_IN["KINDS"]
KindName = _BUILT_IN["KindName"]
EventType = _BUILT_IN["EventType"]
SubjectAddress = _BUILT_IN["SubjectAddress"]
KindQuery = _BUILT_IN["KindQuery"]
PlannedKind = _BUILT_IN["PlannedKind"]
After = _BUILT_IN["After"]
KindPath = _BUILT_IN["KindPath"]
EXAMPLE_KIND: str = _BUILT_IN["EXAMPLE_KIND"]
EXAMPLE_TYPE: str = _BUILT_IN["EXAMPLE_TYPE"]
EXAMPLE_SUBJECT: str = _BUILT_IN["EXAMPLE_SUBJECT"]
EventIn = _BUILT_IN["EventIn"]
BatchIn = _BUILT_IN["BatchIn"]
