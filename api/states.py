"""What a subject's state looks like to a reader: each declared kind's state model, typed by `kind`.

A kind declares the fields its state shows (its `state_model`); the state as answered adds `kind`,
on which the OpenAPI document discriminates the kinds' states, and `overdue` for a kind with
expectations (SPEC §9). Every field of the kind is present (`null` while unknown, a list empty).

These models describe answers; they never validate them (the read routes answer with what the
views hold), so a state stored before a value type grew stricter is still shown.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field, create_model

from parley.domain.catalog import Catalog, Kind, subject_class
from parley.domain.shown import OVERDUE, Shown, Statement
from parley.domain.subject import Subject

__all__ = ["Statement", "any_state", "shown", "typed_state"]


@lru_cache(maxsize=None)
def typed_state(cls: type[Subject]) -> type[BaseModel]:
    """The kind's state as answered: its declared fields, `kind`, and `overdue` if it has expectations."""
    fields: dict[str, Any] = {"kind": (Literal[cls.kind], Field(description="the subject's kind"))}  # type: ignore[valid-type]
    if cls.has_expectations():
        fields["overdue"] = (bool, Field(description=OVERDUE))
    return create_model(cls.state_model.__name__, __base__=cls.state_model, __module__=cls.__module__,
                        __doc__=cls.state_model.__doc__ or f"A {cls.kind}'s state ({cls.description})", **fields)


@lru_cache(maxsize=16)
def any_state(catalog: Catalog) -> Any:
    """Any declared kind's state, told apart by `kind`."""
    models = tuple(typed_state(cls) for cls in catalog.classes)
    if len(models) == 1:
        return models[0]
    return Annotated[Union[models], Field(discriminator="kind")]  # type: ignore[valid-type]


def shown(subject: str, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The state with its kind and every field of its kind: one never set is null, or an empty list
    (SPEC §2); so are the fields of its members and participants, whose data may have left them out."""
    if state is None:
        return None
    kind = subject.split("/", 1)[0]
    unset, items_unset = _unset_of(subject_class(kind))
    filled = {**unset, **state, "kind": kind}
    for name, unset_item in items_unset.items():
        filled[name] = [{**unset_item, **item} if isinstance(item, dict) else item for item in filled[name] or []]
    return filled


@lru_cache(maxsize=None)
def _unset_of(kind: Kind) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    cls = subject_class(kind)
    model = cls.state_model
    unset = {**_unset(model), **({"overdue": None} if cls.has_expectations() else {})}
    return unset, {name: _unset(item) for name, field in model.model_fields.items()
                           if (item := _item_model(field))}


def _unset(model: type[BaseModel]) -> dict[str, Any]:
    return {name: [] if get_origin(field.annotation) is list else None for name, field in model.model_fields.items()}


def _item_model(field: Any) -> type[BaseModel] | None:
    item = get_args(field.annotation)[0] if get_origin(field.annotation) is list else None
    return item if isinstance(item, type) and issubclass(item, Shown) else None
