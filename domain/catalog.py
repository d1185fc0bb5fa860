"""The catalog (SPEC §10): the kinds a service declares, each read from its one declaration.

A kind is declared by a module that defines a `Subject` subclass (the built-in kinds' modules sit
beside this one; more are named in the setting `PARLEY_KINDS_EXTRA`). Everything that differs
by kind — paths, filters, schemas, the page, exports — is derived from a `Catalog` when the
service starts, never restated.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from typing import Any

from pydantic import BaseModel

from parley.domain.errors import DomainError
from parley.domain.register import SPEAKERS
from parley.domain.subject import DEFINED, FactRecorded, Subject

BUILT_IN_MODULES = (
    "parley.domain.delegation",
    "parley.domain.plan",
    "parley.domain.meeting",
    "parley.domain.trip",
    "parley.domain.person",
)
KIND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ROUTE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class UndeclaredKind(DomainError):
    """A subject's kind that this service does not declare."""

    def __init__(self, kind: str, declared: Iterable[str]):
        self.kind = kind
        super().__init__(f"the kind {kind!r} is not declared here; declared kinds: {', '.join(declared)}")


class BadDeclaration(ValueError):
    """A module that declares kinds wrongly: refused when the service starts, never half-loaded."""


class Catalog:
    """The kinds declared, in the order declared; immutable, and equal when the modules are."""

    def __init__(self, modules: Sequence[str]):
        self.modules = tuple(modules)
        classes = [cls for module in self.modules for cls in declared_in(module)]
        self.classes: tuple[type[Subject], ...] = tuple(classes)
        self.by_kind: dict[str, type[Subject]] = {cls.kind: cls for cls in classes}
        _check(self.classes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Catalog) and other.modules == self.modules

    def __hash__(self) -> int:
        return hash(self.modules)

    def __repr__(self) -> str:
        return f"Catalog({', '.join(self.kinds)})"

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.by_kind)

    def declares(self, kind: str) -> bool:
        return kind in self.by_kind

    def subject_class(self, kind: str | type[Subject]) -> type[Subject]:
        if isinstance(kind, type):
            return kind
        try:
            return self.by_kind[kind]
        except KeyError:
            raise UndeclaredKind(kind, self.kinds) from None

    @cached_property
    def types(self) -> tuple[str, ...]:
        """Every event type's name: each kind's own, then those every kind accepts."""
        return tuple(dict.fromkeys(t for cls in self.classes for t in _own_first(cls)))

    def kind_of_type(self, type_name: str) -> str | None:
        """The kind a kind-specific type belongs to; None for types every kind accepts."""
        owners = [cls.kind for cls in self.classes if type_name in cls.data_models]
        return owners[0] if len(owners) == 1 else None

    @cached_property
    def creations(self) -> frozenset[str]:
        return frozenset(cls.creation.__name__ for cls in self.classes)

    @cached_property
    def with_expectations(self) -> tuple[str, ...]:
        """The kinds planned for a date and then concluded (SPEC §9)."""
        return tuple(cls.kind for cls in self.classes if cls.has_expectations())

    @cached_property
    def register_kinds(self) -> tuple[str, ...]:
        """The kinds whose subjects are people (SPEC §11): they make the register."""
        return tuple(cls.kind for cls in self.classes if cls.register_entry is not None)

    def person_paths(self, kind: str) -> tuple[str, ...]:
        """Where a kind's states name people: its own fields, and its statements' speakers."""
        cls = self.by_kind.get(kind)
        return (*cls.person_fields, *SPEAKERS) if cls is not None else ()

    def example(self, cls: type[Subject], type_name: str) -> dict[str, Any] | None:
        """An event of that type as a client sends it; a type every kind accepts takes the subject
        of its kind's creation example."""
        event_type = cls.event_types[type_name]
        example = event_type.example
        if example is None:
            return None
        subject = (cls.creation.example or {}).get("subject")
        return {"type": type_name, **({"subject": subject} if subject else {}), **example}


def declared_in(module_name: str) -> list[type[Subject]]:
    """The kinds a module declares: the `Subject` subclasses defined in it."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise BadDeclaration(f"{module_name}: cannot be imported to declare kinds ({error})") from error
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Subject)
        and value is not Subject
        and value.__module__ == module.__name__
        and "kind" in vars(value)
    ]
    if not found:
        raise BadDeclaration(f"{module_name} declares no kind: it defines no subclass of Subject with a `kind`")
    return found


WORDS = ("label", "plural", "colour", "description", "state_model")


def _check(classes: Sequence[type[Subject]]) -> None:
    """Kinds and event types are unique, names well formed, every word given."""
    kinds: dict[str, str] = {}
    types: dict[str, str] = {}
    common = set(Subject.event_types) | {"StatementRecorded", "EventRetracted"}
    for cls in classes:
        where = f"{cls.__module__}.{cls.__qualname__}"
        if not KIND_NAME.match(cls.kind):
            raise BadDeclaration(f"{where}: the kind {cls.kind!r} must be lower-case letters, digits and '_'")
        if cls.kind in kinds:
            raise BadDeclaration(f"{where}: the kind {cls.kind!r} is declared twice (also by {kinds[cls.kind]})")
        kinds[cls.kind] = where
        missing = [word for word in WORDS if not hasattr(cls, word)]
        if missing:
            raise BadDeclaration(f"{where}: the kind {cls.kind!r} must declare {', '.join(missing)}")
        for type_name in cls.event_types:
            if type_name in common:
                continue
            if type_name in types:
                raise BadDeclaration(
                    f"{where}: the event type {type_name} is also declared by {types[type_name]}; "
                    "event type names are unique across kinds"
                )
            types[type_name] = where
        badly_named = [route for route in cls.routes if not ROUTE.match(route)]
        if badly_named:
            raise BadDeclaration(f"{where}: routes names {', '.join(badly_named)}; each must be 'module:function'")
        not_its_own = [name for name in cls.drafting_cues if name not in cls.event_types]
        if not_its_own:
            raise BadDeclaration(f"{where}: drafting_cues names {', '.join(not_its_own)}, not event types of its own")
        unknown = [name for name in cls.summary_fields if name not in cls.state_fields]
        if unknown:
            raise BadDeclaration(f"{where}: summary_fields names {', '.join(unknown)}, not fields of its state")


def _own_first(cls: type[Subject]) -> list[str]:
    return [
        *(t for t in cls.event_types if t not in Subject.event_types and not _common(t)),
        *(t for t in cls.event_types if _common(t)),
    ]


def _common(type_name: str) -> bool:
    return type_name in ("StatementRecorded", "EventRetracted")


@lru_cache(maxsize=16)
def load(extra: tuple[str, ...] = ()) -> Catalog:
    """The built-in kinds, then those the modules `extra` declare."""
    return Catalog((*BUILT_IN_MODULES, *dict.fromkeys(m for m in extra if m not in BUILT_IN_MODULES)))


BUILT_IN = load()
"""The kinds Parley declares on its own: what a service with no extra kinds accepts."""

# The built-in catalog's answers, for code that folds facts outside a service (tests, scripts).
SUBJECT_CLASSES: tuple[type[Subject], ...] = BUILT_IN.classes
ALL_TYPES: tuple[str, ...] = BUILT_IN.types
Kind = type[Subject] | str
"""A kind: its subject class, or its name where it comes from outside (a subject's address, a stored row)."""


def subject_class(kind: Kind) -> type[Subject]:
    """The class that folds a kind's facts: any kind defined in this process, declared or not."""
    if isinstance(kind, type):
        return kind
    try:
        return DEFINED[kind]
    except KeyError:
        raise UndeclaredKind(kind, DEFINED) from None


def data_model(kind: Kind, type_name: str) -> type[BaseModel]:
    return subject_class(kind).event_class(type_name).data_model


def kind_of_type(type_name: str) -> str | None:
    return BUILT_IN.kind_of_type(type_name)


__all__ = [
    "ALL_TYPES",
    "BUILT_IN",
    "BadDeclaration",
    "Catalog",
    "FactRecorded",
    "Kind",
    "SUBJECT_CLASSES",
    "UndeclaredKind",
    "data_model",
    "declared_in",
    "kind_of_type",
    "load",
    "subject_class",
]
