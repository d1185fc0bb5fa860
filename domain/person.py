"""People: who is who under every spelling, and the offices they hold over time (SPEC §11).

Events elsewhere keep names as the source gave them ("Andrey Yermak"); a person's record says
which spellings and scripts are one person ("Andriy Yermak", "Андрій Єрмак"), and which offices
the person took and left, each dated as the source dates it. Every field is bitemporal as any
subject's is: a state is folded as of a valid time and as known at a recorded time.

The rules of new writes compare names by SPEC §14's matching rule (`match_key`); the folds of
stored events find an alias or an office written exactly so first, as every fold does.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from parley.domain.errors import InvalidSubject, RuleBroken
from parley.domain.facts import Fact, State
from parley.domain.names import match_key, same_match, same_name
from parley.domain.register import Who
from parley.domain.samples import Drawn, Sample
from parley.domain.shown import KindState, Shown
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.subjects import SubjectId
from parley.domain.values import MAX_ITEMS, Name, Strict, Text, distinct_names

KIND = "person"


def a_person(value: str) -> str:
    """The address of a person's record (`person/<slug>`), as an `into` names one."""
    try:
        subject = SubjectId.parse(value)
    except InvalidSubject as error:
        raise PydanticCustomError("not_a_person", "{reason}", {"reason": str(error)}) from None
    if subject.kind != KIND:
        raise PydanticCustomError(
            "not_a_person", "{value} is not a person: it must be {kind}/<slug>", {"value": repr(value), "kind": KIND}
        )
    return str(subject)


class PersonRegisteredData(Strict):
    name: Name = Field(description="the name used in answers")
    aliases: Annotated[
        list[Name], Field(max_length=MAX_ITEMS, description="other spellings and scripts"), AfterValidator(distinct_names)
    ]
    description: Text | None = None

    @model_validator(mode="after")
    def _aliases_are_not_the_name(self) -> PersonRegisteredData:
        twin = next((alias for alias in self.aliases if match_key(alias) == match_key(self.name)), None)
        if twin is not None:
            raise PydanticCustomError(
                "alias_is_the_name",
                "the alias {alias} is the name {name}; aliases are the other spellings",
                {"alias": repr(twin), "name": repr(self.name)},
            )
        return self


class AliasData(Strict):
    alias: Name


class OfficeTakenData(Strict):
    office: Name
    organisation: Name | None = None


class OfficeLeftData(Strict):
    office: Name
    reason: Text | None = None


class PersonMergedData(Strict):
    # The pattern is shown in the schema (so a generated client or a fuzzer knows it); `a_person`
    # checks it, saying in words what an address must be.
    into: Annotated[
        str,
        Field(
            max_length=200,
            json_schema_extra={"pattern": rf"^{KIND}/[a-z0-9-]{{1,80}}$"},
            description="the person this record is one with: person/<slug>",
        ),
        AfterValidator(a_person),
    ]


# The folds: what each event does to a person's state.


def registered(state: State, fact: Fact) -> State:
    return {
        **state,
        "name": fact.data["name"],
        "aliases": list(fact.data["aliases"]),
        "description": fact.data.get("description"),
        "offices": [],
        "former_offices": [],
        "merged_into": None,
    }


def alias_added(state: State, fact: Fact) -> State:
    alias = fact.data["alias"]
    if _spelling(_spellings(state), alias) is not None:
        return state  # a spelling the record already holds changes nothing
    return {**state, "aliases": [*state["aliases"], alias]}


def alias_removed(state: State, fact: Fact) -> State:
    alias = _spelling(state["aliases"], fact.data["alias"])
    if alias is None:
        raise RuleBroken(
            "alias-must-belong",
            f"{fact.data['alias']} is not an alias of {fact.subject}"
            + (f" (it is the name, {state['name']})" if same_match(state["name"], fact.data["alias"]) else ""),
        )
    return {**state, "aliases": [a for a in state["aliases"] if a is not alias]}


def office_taken(state: State, fact: Fact) -> State:
    office = {"office": fact.data["office"], "organisation": fact.data.get("organisation"), "since": fact.occurred.text}
    return {**state, "offices": [*state["offices"], office]}


def office_left(state: State, fact: Fact) -> State:
    held = _office(state["offices"], fact.data["office"])
    if held is None:
        raise RuleBroken(
            "office-must-be-held",
            f"{fact.subject} does not hold the office {fact.data['office']} "
            f"at {fact.occurred}: an office is left only after it is taken",
        )
    former = {**held, "until": fact.occurred.text}
    return {
        **state,
        "offices": [o for o in state["offices"] if o is not held],
        "former_offices": [*state["former_offices"], former],
    }


def merged(state: State, fact: Fact) -> State:
    return {**state, "merged_into": fact.data["into"]}


def _spellings(state: State) -> list[str]:
    return [state["name"], *state["aliases"]]


def _spelling(spellings: list[str], name: str) -> str | None:
    """The spelling of that name: written exactly so, or else as §6 compares names, or else as
    the matching rule does (a person's record is new, so no answer given before can change)."""
    for same in (str.__eq__, same_name, same_match):
        found = next((s for s in spellings if same(s, name)), None)
        if found is not None:
            return found
    return None


def _office(offices: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    for same in (str.__eq__, same_name, same_match):
        found = next((o for o in offices if same(o["office"], name)), None)
        if found is not None:
            return found
    return None


# The rules of new writes.


def alias_once(state: State | None, fact: Fact) -> None:
    if state is None:
        return
    twin = next((s for s in _spellings(state) if same_match(s, fact.data["alias"])), None)
    if twin is not None:
        what = "the name" if twin is state["name"] else "an alias"
        raise RuleBroken("alias-once", f"{fact.data['alias']} is already {what} of {fact.subject} (as {twin})")


def office_once(state: State | None, fact: Fact) -> None:
    if state is None:
        return
    organisation = fact.data.get("organisation")
    for held in state["offices"]:
        if same_match(held["office"], fact.data["office"]) and (
            held["organisation"] is None or organisation is None or same_match(held["organisation"], organisation)
        ):
            raise RuleBroken(
                "office-once",
                f"{fact.subject} already holds the office {held['office']}"
                f"{' of ' + held['organisation'] if held['organisation'] else ''} since {held['since']}",
            )


def merged_once(state: State | None, fact: Fact) -> None:
    if fact.data["into"] == fact.subject:
        raise RuleBroken("merge-not-self", f"{fact.subject} cannot be merged into itself")
    if state is not None and state["merged_into"] is not None:
        raise RuleBroken("merged-once", f"{fact.subject} is already merged into {state['merged_into']}")


# The rules that compare people, with the register as the write is decided (SPEC §11); checked on
# the event being recorded only, so a register change never blocks a later write.


def aliases_of_nobody_else(state: State | None, fact: Fact, register: Who) -> None:
    _spellings_free(fact.subject, fact.data["aliases"], register, "data.aliases")


def alias_of_nobody_else(state: State | None, fact: Fact, register: Who) -> None:
    _spellings_free(fact.subject, [fact.data["alias"]], register, "data.alias")


def _spellings_free(subject: str, aliases: list[str], register: Who, field: str) -> None:
    """An alias is one person's: a spelling of another person (not merged with this one) is refused.
    The name used in answers may be another's (two people may share a name: it is then ambiguous)."""
    me = register.final(subject)
    for alias in aliases:
        others = sorted(person for person in register.people(alias) if person != me)
        if others:
            spelt = register.spelling_of(others[0], alias)
            raise RuleBroken(
                "alias-taken",
                f"{alias} is already a spelling of {others[0]} (as {spelt}); if they are one person, record a PersonMerged",
                field=field,
            )


def merges_into_a_person(state: State | None, fact: Fact, register: Who) -> None:
    into = fact.data["into"]
    entry = register.entry(into)
    if entry is None:
        raise RuleBroken("merge-into-person", f"{into} is not a registered person: register it before merging into it")
    chain, record = [into], entry[1]
    while record is not None and record not in chain:
        if record == fact.subject:
            raise RuleBroken(
                "merge-no-cycle", f"merging {fact.subject} into {into} would close a circle: {' into '.join([*chain, record])}"
            )
        chain.append(record)
        record = (register.entry(record) or (None, None))[1]


# The state a person shows.

FUZZY: dict[str, Any] = {"json_schema_extra": {"format": "fuzzy-date"}}  # a fuzzy date as written: shown in words


class Office(Shown):
    office: Name
    organisation: Name | None
    since: str = Field(description="when it was taken: the OfficeTaken's occurred, as a fuzzy date", **FUZZY)


class FormerOffice(Office):
    until: str = Field(description="when it was left: the OfficeLeft's occurred, as a fuzzy date", **FUZZY)


class Role(Shown):
    subject: str = Field(description="the subject that gives the place (delegation/ukraine)")
    role: str = Field(description="head, member, participant or traveller: as each kind declares its places")
    since: str = Field(description="when they took it: the occurred of the event that put them there", **FUZZY)


class PersonState(KindState):
    name: Name | None = Field(description="the name used in answers")
    aliases: list[Name] = Field(description="other spellings and scripts of the name")
    description: Text | None
    offices: list[Office] = Field(description="the offices held at as_of, in the order taken")
    former_offices: list[FormerOffice] = Field(description="the offices left by as_of, in the order left")
    merged_into: str | None = Field(description="the person this record is one with (person/<slug>); null if none")
    roles: list[Role] = Field(
        description="the places other subjects give this person at as_of, matched through the "
        "register as known at known_at: computed when read"
    )


OFFICES = ("Foreign Minister", "Defence Minister", "Special Envoy", "National Security Adviser", "Chief of Staff")


class PersonSample(Sample):
    """A person registered under a few spellings, then aliases added and removed, offices taken and
    left, and now and then merged into another record."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.name = self.rng.choice(self.pool.people)
        first, _, last = self.name.partition(" ")
        # Each spelling this record's own (its slug in it): an alias is one person's (SPEC §11).
        self.spare = [f"{first[0]}. {last}-{self.slug}", f"{last}-{self.slug} {first}", f"{first} {last}-{self.slug}"]
        self.aliases: list[str] = []
        self.offices: list[str] = []

    def created(self, day: int) -> Drawn:
        self.aliases = [self.spare.pop(0)]
        return "PersonRegistered", {"name": self.name, "aliases": list(self.aliases)}

    def changed(self, day: int, last: bool) -> Drawn:
        rng = self.rng
        roll = rng.random()
        if last and roll < 0.05:
            self.concluded = True  # merged: the record changes no more in the sample
            # into a namesake's record, registered just before (a merge is into a registered person)
            self.before = [(f"{self.slug}-2", "PersonRegistered", {"name": self.name, "aliases": []})]
            return "PersonMerged", {"into": f"{KIND}/{self.slug}-2"}
        if roll < 0.25 and self.spare:
            self.aliases.append(alias := self.spare.pop(0))
            return "AliasAdded", {"alias": alias}
        if roll < 0.35 and self.aliases:
            self.aliases.remove(alias := rng.choice(self.aliases))
            self.spare.append(alias)
            return "AliasRemoved", {"alias": alias}
        if (roll < 0.65 and self.offices) or len(self.offices) == len(OFFICES):
            self.offices.remove(office := rng.choice(self.offices))
            return "OfficeLeft", {"office": office}
        free = [office for office in OFFICES if office not in self.offices]
        self.offices.append(office := rng.choice(free))
        return "OfficeTaken", {"office": office, "organisation": "Government"}


class Person(Subject):
    kind = KIND
    label = "Person"
    plural = "people"
    colour = "#7c3aed"
    description = "Who is who under every spelling and script, and the offices held over time."
    state_model = PersonState
    summary_fields = ("name", "offices")
    title = "{name}"
    sample = PersonSample
    # GET /subjects/person/{slug}/mentions, and GET /subjects/person?office= (who held an office then)
    routes = ("parley.api.mentions:routes", "parley.api.offices:routes")
    read_fields = ("roles",)
    # A staticmethod where Subject declares a callable or None: mypy reads the two as different.
    register_entry = staticmethod(lambda state: ([state["name"], *state["aliases"]], state["merged_into"]))  # type: ignore[assignment]  # a staticmethod where Subject declares a callable

    class PersonRegistered(SubjectCreated):
        class_version = 1
        data_model = PersonRegisteredData
        evolved = staticmethod(registered)
        register_checks = (aliases_of_nobody_else,)
        label = "Registered"
        sentence = "Registered as {name}"
        example = {
            "subject": "person/andriy-yermak",
            "occurred": "../2025-11-23",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {
                "name": "Andriy Yermak",
                "aliases": ["Andrey Yermak", "Андрій Єрмак"],
                "description": "Head of the Presidential Office of Ukraine",
            },
        }

    class AliasAdded(FactRecorded):
        class_version = 1
        data_model = AliasData
        evolved = staticmethod(alias_added)
        checks = (alias_once,)
        register_checks = (alias_of_nobody_else,)
        sentence = "Also written {alias}"
        example = {"occurred": "../2025-11-23", "sources": [{"name": "Reuters"}], "data": {"alias": "Andrij Jermak"}}

    class AliasRemoved(FactRecorded):
        class_version = 1
        data_model = AliasData
        evolved = staticmethod(alias_removed)
        sentence = "No longer written {alias}"
        example = {"occurred": "2025-12-01", "sources": [{"name": "Reuters"}], "data": {"alias": "Andrey Yermak"}}

    class OfficeTaken(FactRecorded):
        class_version = 1
        data_model = OfficeTakenData
        evolved = staticmethod(office_taken)
        checks = (office_once,)
        sentence = "Took office: {office}[ of {organisation}]"
        example = {
            "occurred": "../2025-11-23",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"office": "Head of the Presidential Office", "organisation": "Office of the President of Ukraine"},
        }

    class OfficeLeft(FactRecorded):
        class_version = 1
        data_model = OfficeLeftData
        evolved = staticmethod(office_left)
        sentence = "Left office: {office}"
        example = {
            "occurred": "../2025-11-30",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"office": "Head of the Presidential Office", "reason": "Resigned following a corruption investigation"},
        }

    class PersonMerged(FactRecorded):
        class_version = 1
        data_model = PersonMergedData
        evolved = staticmethod(merged)
        checks = (merged_once,)
        register_checks = (merges_into_a_person,)
        label = "Merged"
        sentence = "One person with {into}"
        example = {"occurred": "2025-12-01", "sources": [{"name": "Reuters"}], "data": {"into": "person/andrii-yermak"}}
