"""Value types shared by every kind's event data: sources, disputed values, names."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from domain.fuzzy_dates import FuzzyDate

T = TypeVar("T")

# Defaults for the size of what one event may carry; the service may lower them.
MAX_NAME = 200
MAX_TEXT = 10_000
MAX_ITEMS = 500

Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]


class Strict(BaseModel):
    """Unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a fact was reported."""

    name: Name
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://\S+$")] | None = None
    published: Annotated[str, StringConstraints(max_length=40)] | None = None
    quote: Text | None = None

    @field_validator("published")
    @classmethod
    def _published_is_a_fuzzy_date(cls, value: str | None) -> str | None:
        if value is not None:
            FuzzyDate.parse(value)
        return value


class Alternative(Strict, Generic[T]):
    value: T
    sources: Annotated[list[Name], Field(min_length=1, max_length=MAX_ITEMS)]


class Disputed(Strict, Generic[T]):
    """A field that sources report differently; shown as disputed until settled."""

    disputed: Annotated[list[Alternative[T]], Field(min_length=2, max_length=MAX_ITEMS)]


def disputable(kind: type) -> object:
    """A scalar field that may be given plainly or as a disputed set of alternatives."""
    return Union[kind, Disputed[kind]]  # noqa: UP007 - pydantic needs the Union object


def fuzzy_text(value: str) -> str:
    FuzzyDate.parse(value)
    return value


def is_disputed(value: object) -> bool:
    return isinstance(value, dict) and "disputed" in value
