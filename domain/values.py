"""Value types shared by every kind's event data: sources, disputed values, names, fuzzy dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag,
                      WithJsonSchema)

from parley.domain.fuzzy_dates import FuzzyDate, refusal

T = TypeVar("T")

# Ceilings for the size of what one event may carry; the service may set lower limits.
MAX_NAME = 200
MAX_TEXT = 10_000
MAX_ITEMS = 500

# NUL cannot be stored in a PostgreSQL text column, so no text may hold it.
NO_NUL = r"^[^\x00]*$"


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text cannot hold the NUL character (\\u0000)")
    return value


@dataclass(frozen=True)
class Named:
    """What a value type is called where it parametrises a model (`Alternative[Name]` is
    `AlternativeName`): pydantic ignores this marker, `model_parametrized_name` reads it."""

    name: str


def value_name(kind: Any) -> str:
    for marker in getattr(kind, "__metadata__", ()):
        if isinstance(marker, Named):
            return marker.name
    base = getattr(kind, "__origin__", kind)
    return {bool: "Boolean", int: "Integer", float: "Number", str: "String"}.get(base, getattr(base, "__name__", "Value"))


def _text(max_length: int, name: str) -> Any:
    # Checked by a validator, shown by the schema: a pattern constraint would answer with the pattern.
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length), AfterValidator(_without_nul),
                     WithJsonSchema({"type": "string", "minLength": 1, "maxLength": max_length, "pattern": NO_NUL}),
                     Named(name)]


Name = _text(MAX_NAME, "Name")
Text = _text(MAX_TEXT, "Text")

# The fuzzy-date forms of SPEC §1 as one pattern: the schema shows it and `fuzzy_text`
# checks it; `FuzzyDate.parse` stays the authority (no pattern can say that a range must not
# end before it starts). Only real calendar days match. Years run 1000-2999: at the
# calendar's own edges a date widened by `?` or an instant moved to UTC leaves the range
# Python can represent, and no negotiation needs them.
_YEAR = r"[12][0-9]{3}"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = (
    rf"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[12][0-9](?:0[48]|[2468][048]|[13579][26])|(?:12|16|20|24|28)00)-02-29)"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_INSTANT = rf"{_DAY}T{_TIME}{_OFFSET}?"
_DATE = rf"(?:{_DAY}|{_YEAR}-{_MONTH}|{_YEAR})[?~]?"
FUZZY_DATE = rf"^(?:{_INSTANT}|{_DATE}|{_DATE}/{_DATE}|\.\./{_DATE}|{_DATE}/\.\.)$"
# A query's point in time (`as_of`, `known_at`, `from`, `to`): a day or an instant.
MOMENT = rf"^(?:{_DAY}|{_INSTANT})$"
_FUZZY_DATE = re.compile(FUZZY_DATE)


def fuzzy_text(value: str) -> str:
    """A fuzzy date as given; refused, naming the accepted forms, unless it is one."""
    FuzzyDate.parse(value)
    if not _FUZZY_DATE.fullmatch(value):
        raise refusal(value, "not written in one of the accepted forms, or a year outside 1000-2999")
    return value


def _fuzzy(max_length: int) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(fuzzy_text),
                     WithJsonSchema({"type": "string", "maxLength": max_length, "pattern": FUZZY_DATE}),
                     Named("FuzzyDate")]


FuzzyText = _fuzzy(60)


class Strict(BaseModel):
    """Unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a fact was reported."""

    name: Name
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s\x00]+$")] | None = None
    published: _fuzzy(40) | None = None  # type: ignore[valid-type]
    quote: Text | None = None


class Alternative(Strict, Generic[T]):
    """One value that some of the event's sources report."""

    value: T
    sources: Annotated[list[Name], Field(min_length=1, max_length=MAX_ITEMS)]

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        return "Alternative" + value_name(params[0])


class Disputed(Strict, Generic[T]):
    """A field that sources report differently; shown as disputed until settled."""

    disputed: Annotated[list[Alternative[T]], Field(min_length=2, max_length=MAX_ITEMS)]

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        return "Disputed" + value_name(params[0])


def disputable(kind: Any) -> object:
    """A scalar field that may be given plainly or as a disputed set of alternatives.

    The form is told by the value (an object is a dispute), so a refusal speaks only of the
    form that was sent.
    """
    kind = _with_grammar(kind)
    return Annotated[
        Union[Annotated[kind, Tag(PLAIN)], Annotated[Disputed[kind], Tag(DISPUTED)]],  # noqa: UP007
        Discriminator(_form),
    ]


# Tags name the forms in error locations; the API leaves them out of field paths.
PLAIN, DISPUTED = "(plain value)", "(disputed value)"


def _form(value: Any) -> str:
    return DISPUTED if isinstance(value, (dict, Disputed)) else PLAIN


def _with_grammar(kind: Any) -> Any:
    # A fuzzy-date field declared as a bare string checked by `fuzzy_text` gets the
    # pattern too, so its schema shows (and the fuzzer generates) the accepted forms.
    validators = getattr(kind, "__metadata__", ())
    return FuzzyText if any(getattr(v, "func", None) is fuzzy_text for v in validators) else kind


def is_disputed(value: object) -> bool:
    return isinstance(value, dict) and "disputed" in value
