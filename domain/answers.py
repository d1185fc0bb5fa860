"""What the service answers, as one set of models the API serves and the client and scripts read
(STYLE: shapes shared by the server, the client and the scripts live in one module all import).

A state as answered: a kind declares the fields its state shows (its `state_model`); the state as
answered adds `kind`, and `overdue` for a kind with expectations; `any_state` tells the kinds
apart by `kind`. Then the answers around states and events: receipts, events as read, pages,
histories and changes. These models describe answers; they never validate them (read routes
answer what the views hold), so a state stored before a value type grew stricter is still shown.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field, create_model

from parley.domain.catalog import Catalog, Kind, subject_class
from parley.domain.register import EXAMPLE as PEOPLE_EXAMPLE
from parley.domain.shown import OVERDUE, Shown
from parley.domain.subject import Subject
from parley.domain.subjects import SubjectId
from parley.domain.values import Source


@cache
def typed_state(cls: type[Subject]) -> type[BaseModel]:
    """The kind's state as answered: its declared fields, `kind`, and `overdue` if it has expectations."""
    fields: dict[str, Any] = {"kind": (Literal[cls.kind], Field(description="the subject's kind"))}
    if cls.has_expectations():
        fields["overdue"] = (bool, Field(description=OVERDUE))
    return create_model(
        cls.state_model.__name__,
        __base__=cls.state_model,
        __module__=cls.__module__,
        __doc__=cls.state_model.__doc__ or f"A {cls.kind}'s state ({cls.description})",
        **fields,
    )


@lru_cache(maxsize=16)
def any_state(catalog: Catalog) -> Any:
    """Any declared kind's state, told apart by `kind`."""
    models = tuple(typed_state(cls) for cls in catalog.classes)
    if len(models) == 1:
        return models[0]
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007 (a tuple of classes)


def shown(subject: SubjectId, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The state with its kind and every field of its kind: one never set is null, or an empty list
    (SPEC §2); so are the fields of its members and participants, whose data may have left them out."""
    if state is None:
        return None
    kind = subject.kind
    unset, items_unset = _unset_of(subject_class(kind))
    filled = {**unset, **state, "kind": kind}
    for name, unset_item in items_unset.items():
        filled[name] = [{**unset_item, **item} if isinstance(item, dict) else item for item in filled[name] or []]
    return filled


@cache
def _unset_of(kind: Kind) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    cls = subject_class(kind)
    model = cls.state_model
    unset = {**_unset(model), **({"overdue": None} if cls.has_expectations() else {})}
    return unset, {name: _unset(item) for name, field in model.model_fields.items() if (item := _item_model(field))}


def _unset(model: type[BaseModel]) -> dict[str, Any]:
    return {name: [] if get_origin(field.annotation) is list else None for name, field in model.model_fields.items()}


def item_fields(cls: type[Subject], field: str) -> list[str]:
    """The fields of an item of a kind's item list (`points`), in the order its model declares them."""
    model = _item_model(cls.state_model.model_fields[field])
    return list(model.model_fields) if model is not None else []


def _item_model(field: Any) -> type[BaseModel] | None:
    item = get_args(field.annotation)[0] if get_origin(field.annotation) is list else None
    return item if isinstance(item, type) and issubclass(item, Shown) else None


class Receipt(BaseModel):
    event_id: str
    subject: str
    version: int
    position: int
    recorded_at: str


class Receipts(BaseModel):
    events: list[Receipt]


class EventOut(BaseModel):
    event_id: str
    position: int
    subject: str
    version: int
    type: str
    occurred: str
    occurred_earliest: str | None
    occurred_latest: str | None
    recorded_at: str
    recorded_by: str
    sources: list[Source]
    data: dict[str, Any]
    note: str | None
    retracted_by: str | None
    retracted_at: str | None
    digest: str | None = Field(
        description="the event's link in the chain (SPEC §15, docs/verifying.md): SHA-256 "
        "in hex of the previous digest, its header and its body's commitment"
    )
    imported_recorded_at: str | None = Field(
        None,
        description="only on an event `parley import --restamp` "
        "recorded: the recorded time its line gave, which the import did not keep",
    )


class SubjectWarning(BaseModel):
    subject: str = Field(description="a subject asked for with `subject=` that has no events")
    detail: str
    did_you_mean: list[str] = Field(description="the existing subjects spelled most like it, nearest first")


class EventPage(BaseModel):
    events: list[EventOut]
    next: int | None = Field(description="pass as `after` for the next page; null at the end")
    warnings: list[SubjectWarning] | None = Field(
        None,
        description="present when a `subject` asked for has no events (a typo, most likely): why the page "
        "may be empty, and the subjects that may have been meant",
    )


RESOLVED: Any = Field(default_factory=list, description="paths of the disputed values resolved to the `source`s asked for")


class Ambiguous(BaseModel):
    ambiguous: list[str] = Field(description="the people a name matches: it resolves to none of them")


class SubjectState(BaseModel):
    """A subject's state as answered; `subject_state(catalog)` types `state` by the catalog's kinds."""

    subject: str
    version: int
    as_of: str
    known_at: str
    state: Any | None = Field(description="the subject's fields at `as_of`, as known at `known_at`")
    pending: list[EventOut]
    resolved: list[str] = RESOLVED
    people: dict[str, str | Ambiguous] = Field(
        default_factory=dict,
        description="the names of people in `state` that match a person registered as known at "
        "`known_at` (SPEC §11), each as given, to `person/<slug>`, or to the people it matches when it matches more "
        "than one (then it resolves to none of them)",
        examples=[PEOPLE_EXAMPLE],
    )


class SubjectPage(BaseModel):
    subjects: list[SubjectState]
    next: str | None
    warnings: list[SubjectWarning] | None = Field(
        None,
        description="present when a `subject` asked for has no events (a typo, most likely), with the subjects "
        "that may have been meant",
    )


@lru_cache(maxsize=16)
def subject_state(catalog: Catalog) -> type[SubjectState]:
    return create_model(
        "SubjectState",
        __base__=SubjectState,
        __module__=__name__,
        state=(
            any_state(catalog) | None,
            Field(description="the subject's fields at `as_of`, as known at `known_at`, told apart by `kind`"),
        ),
    )


@lru_cache(maxsize=16)
def subject_page(catalog: Catalog) -> type[SubjectPage]:
    return create_model("SubjectPage", __base__=SubjectPage, __module__=__name__, subjects=(list[subject_state(catalog)], ...))  # type: ignore[misc, arg-type]  # a model made at run time


class History(BaseModel):
    subject: str
    known_at: str
    events: list[EventOut]


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any
    caused_by: list[str] = Field(
        description="the ids of the events that changed it, oldest first; each is under the page's `events`"
    )


class SubjectChanges(BaseModel):
    subject: str
    changes: list[FieldChange]
    resolved: list[str] = RESOLVED
    people: dict[str, str | Ambiguous] = Field(
        default_factory=dict,
        description="the names of people in the changes' befores and afters that match a "
        "person registered as known at `known_at` (SPEC §11), as beside a state",
    )


class Expectation(BaseModel):
    subject: str
    planned_for: Any = Field(description="a fuzzy date, or a disputed one")
    planned_for_earliest: str | None = Field(description="its earliest instant (of every alternative); null when open")
    planned_for_latest: str | None = Field(description="its latest instant (of every alternative); null when open")
    overdue: bool


class ExpectationPage(BaseModel):
    as_of: str
    known_at: str
    expectations: list[Expectation]
    next: str | None


class ChangesPage(BaseModel):
    from_: str = Field(alias="from")
    to: str
    known_at: str
    subjects: list[SubjectChanges]
    events: dict[str, EventOut] = Field(description="every event a change on this page names, once, by its id")
    next: str | None


# A register kind's own answers (SPEC §11): the events naming a person, who held an office then.


class Mention(BaseModel):
    field: str = Field(description="the path in the event's data that names the person (`members[].name`)")
    name: str = Field(description="the name as the event gives it")


class MentioningEvent(EventOut):
    mentions: list[Mention]


class Mentions(BaseModel):
    subject: str
    as_of: str
    known_at: str
    events: list[MentioningEvent]


class Holder(BaseModel):
    subject: str = Field(description="the record holding it (its address)")
    name: str = Field(description="the name the record answers with")
    office: str
    organisation: str | None
    since: str = Field(description="when it was taken: the taking event's occurred, as a fuzzy date")
    merged_into: str | None = Field(description="the person this record is one with, if merged")


class Holders(BaseModel):
    office: str | None = Field(description="the office asked for; null: every office held")
    organisation: str | None
    as_of: str
    known_at: str
    holders: list[Holder]


# A kind with item lists compares two drafts (SPEC §12: a plan's points).


class ItemFieldChange(BaseModel):
    field: str = Field(description="the item's field (`text`), or an entry of a mapping (`positions.Ukraine`)")
    before: Any
    after: Any


class Compared(BaseModel):
    key: str
    caused_by: list[str] = Field(
        description="the ids of the events between the two drafts that touched it, in fold order; `GET /events?id=…` reads them"
    )
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    item: dict[str, Any] | None = Field(None, description="an unchanged item, as both drafts hold it")
    into: str | None = Field(None, description="a merged item: the key it was merged into")
    changes: list[ItemFieldChange] | None = None


class Draft(BaseModel):
    as_of: str = Field(description="the instant of the cut: the date asked, or the moment of the revision after it")
    revision: int | None = Field(description="the revision asked for, if one was")


class Comparison(BaseModel):
    subject: str
    field: str
    known_at: str
    from_: Draft = Field(alias="from")
    to: Draft
    added: list[Compared]
    removed: list[Compared]
    merged: list[Compared]
    changed: list[Compared]
    unchanged: list[Compared]
    causes: int = Field(
        description="how many events caused what is found, each counted once: the ids under the items' "
        "`caused_by`, whose bodies `GET /events?id=…` reads (100 a call)"
    )


class SearchHit(BaseModel):
    type: Literal["person", "subject", "statement"] = Field(
        description="what was found: a person's record, a subject whose events match, or a statement"
    )
    subject: str = Field(description="the record or subject found (its address); a statement's subject")
    field: str = Field(
        description="the field that matched best: `name` or `aliases` of a person, `subject` (the "
        "slug), `data.<path>` of an event, `note`, `sources[].name` or `sources[].quote`"
    )
    text: str = Field(description="that field's text as stored")
    score: int = Field(description="Parley's own score (higher first; the same on every backend)")
    events: list[str] = Field(description="the ids of the matching events, newest first (at most 50)")
    name: str | None = Field(None, description="a person's name as answers give it")
    merged_into: str | None = Field(None, description="the person this record is one with, if merged")
    person: str | None = Field(None, description="the person whose spelling matched, where the hit names them")
    event_id: str | None = Field(None, description="a statement's event")
    occurred: str | None = Field(None, description="when a statement was made")
    speaker: str | None = None
    quote: str | None = None


class SearchResults(BaseModel):
    q: str
    as_of: str
    known_at: str
    hits: list[SearchHit]


# Redactions (SPEC §15): who removed which values of which event, when and why; never the values.


class Redaction(BaseModel):
    redaction_id: str = Field(description="the redaction's own event id, on the `redactions` stream")
    event_id: str = Field(description="the event some of whose values were removed")
    subject: str = Field(description="that event's subject")
    position: int = Field(description="that event's position in the log")
    fields: list[str] = Field(description="the paths of the values removed (`sources.0.name`, `data.quote`, `note`)")
    reason: str = Field(description="why, as the marker in each value's place says")
    recorded_at: str = Field(description="when, as stored (ISO 8601)")
    recorded_by: str = Field(description="who: the admin token's name, or `operator:…` for `parley redact`")
    redaction_position: int | None = Field(description="the redaction's own position in the log")
    digest: str | None = Field(description="the redaction's own link in the chain (hex)")
    key_id: str | None = Field(None, description="the signing key's id (GET /keys), when the service signs")
    signature: str | None = Field(
        None,
        description='Ed25519, in hex, of b"parley redaction v1\\n" and the RFC 8785 '
        "bytes of this entry without `key_id` and `signature`",
    )


class Redactions(BaseModel):
    redactions: list[Redaction] = Field(description="oldest first")
