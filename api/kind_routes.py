"""Routes of a kind's own (SPEC §10): what its declaration names in `routes`, mounted under
`/subjects/{kind}` when the app is made, so they are in the OpenAPI document like any other."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from fastapi import APIRouter

from parley.domain.catalog import BadDeclaration, Catalog


def kind_routers(catalog: Catalog) -> Iterator[tuple[str, APIRouter]]:
    """(prefix, router) for every route function each declared kind names."""
    for cls in catalog.classes:
        for name in cls.routes:
            module, _, function = name.partition(":")
            try:
                made = getattr(importlib.import_module(module), function)(cls)
            except (ImportError, AttributeError) as error:
                raise BadDeclaration(
                    f"{cls.__module__}.{cls.__qualname__}: its route {name} cannot be loaded ({error})"
                ) from error
            if not isinstance(made, APIRouter):
                raise BadDeclaration(f"{cls.__module__}.{cls.__qualname__}: its route {name} made no APIRouter")
            yield f"/subjects/{cls.kind}", made
