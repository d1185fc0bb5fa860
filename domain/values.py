"""Value types shared by every kind's event data: sources, disputed values, names, fuzzy dates.

Names and texts are normalised here, once, for every write path (SPEC §6): the stored text is
`names.normalised` of what was sent, and a name that is empty after that is refused. JSON
types are taken as sent (`Strict`): `true` is not `1`, `"12"` is not `12`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias, TypeVar, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, model_validator
from pydantic import Strict as StrictType
from pydantic_core import PydanticCustomError

from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.names import match_key, name_key, normalised, refused_in_name, refused_in_text

T = TypeVar("T")

# Ceilings for the size of what one event may carry; the service may set lower limits.
MAX_NAME = 200
MAX_TEXT = 10_000
MAX_ITEMS = 500

# NUL cannot be stored in a PostgreSQL text column, so no text may hold it; and a name or
# text holds at least one character that is not white space (what normalising leaves).
# The grammars the OpenAPI document shows (api/grammars.py) leave out, besides, what SPEC §14
# refuses that a pattern can name: control characters (in a name, tabs and line breaks too) and
# the format characters of the Basic Multilingual Plane. Script mixing no pattern can say.
_NEVER = (
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
)
SOME_TEXT = rf"^[^{_NEVER}]*[^\s{_NEVER}][^{_NEVER}]*$"
SOME_NAME = rf"^[^\t\n\r{_NEVER}]*[^\s{_NEVER}][^\t\n\r{_NEVER}]*$"


def stored_text(value: str) -> str:
    """A long text as stored (`names.normalised`); refused when it holds NUL, a character long
    text may not hold (SPEC §14), or nothing but white space."""
    if "\x00" in value:
        raise ValueError("text cannot hold the NUL character (\\u0000)")
    if (refused := refused_in_text(value)) is not None:
        raise PydanticCustomError("character_refused", refused)
    return _not_blank(normalised(value))


def stored_name(value: str) -> str:
    """A name or short text as stored; refused as a long text is, and for a line break, a tab
    or scripts mixed within one word (SPEC §14)."""
    if "\x00" in value:
        raise ValueError("text cannot hold the NUL character (\\u0000)")
    if (refused := refused_in_name(value)) is not None:
        raise PydanticCustomError("character_refused", refused)
    return _not_blank(normalised(value))


def _not_blank(value: str) -> str:
    if not value:
        raise PydanticCustomError("string_blank", "must hold a character other than white space")
    return value


def distinct_names(names: list[str]) -> list[str]:
    """A list of names that names each once, as the matching rule compares them (SPEC §14)."""
    _each_once(names, "")
    return names


def distinct_by_name(entries: list[Any]) -> list[Any]:
    """A list of entries (members, participants) that names each once by its `name`."""
    _each_once([entry.name for entry in entries], ".name")
    return entries


def _each_once(names: list[str], within: str) -> None:
    if len(names) < 2:
        return
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        first = seen.setdefault(match_key(name), index)
        if first != index:
            raise PydanticCustomError(
                "list_repeats_name",
                "entries {first} and {index} name the same ({a} and {b}); a list names each once",
                {"first": first, "index": index, "a": repr(names[first]), "b": repr(name), "at": f"{index}{within}"},
            )


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


# The length is checked on the text as sent, then the text is normalised. Checked by a
# validator, not a pattern constraint, which would answer with the pattern.
Name = Annotated[
    str, StrictType(), StringConstraints(min_length=1, max_length=MAX_NAME), AfterValidator(stored_name), Named("Name")
]
Text = Annotated[
    str, StrictType(), StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(stored_text), Named("Text")
]


def fuzzy_text(value: str) -> str:
    """A fuzzy date as given; refused, naming the accepted forms, unless it is one."""
    FuzzyDate.accepted(value)
    return value


FuzzyText = Annotated[str, StrictType(), StringConstraints(max_length=60), AfterValidator(fuzzy_text), Named("FuzzyDate")]
PublishedText = Annotated[str, StrictType(), StringConstraints(max_length=40), AfterValidator(fuzzy_text), Named("FuzzyDate")]


class Strict(BaseModel):
    """Unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Source(Strict):
    """Where a fact was reported."""

    name: Name
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s\x00]+$")] | None = None
    published: PublishedText | None = None
    quote: Text | None = None


class Alternative(Strict, Generic[T]):
    """One value that some of the event's sources report."""

    value: T
    sources: Annotated[list[Name], Field(min_length=1, max_length=MAX_ITEMS)]

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        return "Alternative" + value_name(params[0])


class Disputed(Strict, Generic[T]):
    """A field that sources report differently; shown as disputed until settled.

    Its alternatives differ: two that rules would take for the same value (names compared
    as `name_key` compares them) are no dispute.
    """

    disputed: Annotated[list[Alternative[T]], Field(min_length=2, max_length=MAX_ITEMS)]

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        return "Disputed" + value_name(params[0])

    @model_validator(mode="after")
    def _alternatives_differ(self) -> Disputed[T]:
        seen: dict[Any, int] = {}
        for index, alternative in enumerate(self.disputed):
            key = match_value_key(alternative.value)
            if key in seen:
                raise PydanticCustomError(
                    "dispute_repeats_value",
                    "alternatives {first} and {index} report the same value; a dispute needs different values",
                    {"first": seen[key], "index": index, "at": f"disputed.{index}.value"},
                )
            seen[key] = index
        return self


def value_key(value: Any) -> Any:
    """What two values of a field must share to be the same value: names compare loosely."""
    return (type(value), name_key(value) if isinstance(value, str) else value)


def match_value_key(value: Any) -> Any:
    """`value_key` as a new write's rules compare: names by the matching rule (SPEC §14)."""
    return (type(value), match_key(value) if isinstance(value, str) else value)


def same_value(a: Any, b: Any) -> bool:
    """Whether two values of a field (plain or disputed) are the same as folds see them (SPEC §6)."""
    return _comparable(a, value_key) == _comparable(b, value_key)


def same_match(a: Any, b: Any) -> bool:
    """Whether two values of a field (plain or disputed) are the same to a new write's rules (SPEC §14)."""
    return _comparable(a, match_value_key) == _comparable(b, match_value_key)


def _comparable(value: Any, key: Any) -> Any:
    if isinstance(value, dict):
        return {name: _comparable(item, key) for name, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item, key) for item in value]
    return key(value)


def uncited_sources(data: dict[str, Any], sources: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each source a disputed value names that is not among its event's sources: (path, name).
    The write path asks `cites_every_source` first, and this only when one is not cited."""
    cited = {name_key(source["name"]) for source in sources}
    return [(path, name) for path, name in _dispute_sources(data, "data") if name_key(name) not in cited]


def cites_every_source(data: BaseModel, sources: list[Source]) -> bool:
    """Whether every source the disputed values of validated data name is among the event's
    sources: `uncited_sources` without dumping the data or building a path (the write path's check)."""
    names: list[str] = []
    _dispute_names(data, names)
    if not names:
        return True
    cited = {name_key(source.name) for source in sources}
    return all(name_key(name) in cited for name in names)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _dispute_names(value: Any, found: list[str]) -> None:
    """The source names the disputed values within a value name, in order, of a dumped value
    (dicts and lists) or a validated one (models, `Disputed`)."""
    if isinstance(value, BaseModel):
        items: Any = value.__dict__.values()
    elif isinstance(value, dict):
        if is_disputed(value):
            for alternative in value["disputed"]:
                found += alternative["sources"]
            return
        items = value.values()
    else:
        items = value
    for item in items:
        if type(item) in _SCALARS:
            continue
        if isinstance(item, Disputed):
            for alternative in item.disputed:
                found += alternative.sources
        elif isinstance(item, (BaseModel, dict, list)):
            _dispute_names(item, found)


def disputes(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, disputed value) of every disputed value within stored `value`, the path dotted
    from `path` (`data.members.0.role`)."""
    if isinstance(value, dict):
        if is_disputed(value):
            yield path, value
            return
        for key, item in value.items():
            yield from disputes(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from disputes(item, f"{path}.{i}")


def _dispute_sources(value: Any, path: str) -> list[tuple[str, str]]:
    return [
        (f"{at}.disputed.{i}.sources.{j}", name)
        for at, dispute in disputes(value, path)
        for i, alternative in enumerate(dispute["disputed"])
        for j, name in enumerate(alternative["sources"])
    ]


def disputable(kind: Any) -> object:
    """A scalar field that may be given plainly or as a disputed set of alternatives.

    The form is told by the value (an object is a dispute), so a refusal speaks only of the
    form that was sent.
    """
    return Annotated[
        Union[Annotated[kind, Tag(PLAIN)], Annotated[Disputed[kind], Tag(DISPUTED)]],  # noqa: UP007
        Discriminator(_form),
    ]


if TYPE_CHECKING:  # to the checker, a value or its dispute
    Disputable: TypeAlias = T | Disputed[T]
else:

    class Disputable:
        """`Disputable[kind]`: `disputable(kind)` written as a type."""

        def __class_getitem__(cls, kind: Any) -> object:
            return disputable(kind)


# Tags name the forms in error locations; the API leaves them out of field paths.
PLAIN, DISPUTED = "(plain value)", "(disputed value)"


def _form(value: Any) -> str:
    return DISPUTED if isinstance(value, (dict, Disputed)) else PLAIN


def is_disputed(value: object) -> bool:
    return isinstance(value, dict) and "disputed" in value


def is_from_the_future(occurred: FuzzyDate, recorded_at: datetime) -> bool:
    """An event cannot have happened after it was recorded: its earliest instant is later."""
    return occurred.earliest is not None and occurred.earliest > recorded_at
