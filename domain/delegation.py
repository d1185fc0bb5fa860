"""Delegations: who negotiates for a party, and who heads them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact, State
from parley.domain.names import match_key, same_name
from parley.domain.register import Who
from parley.domain.samples import Drawn, Sample
from parley.domain.shown import DisputableName, KindState, Shown
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import MAX_ITEMS, Disputable, Name, Strict, Text, distinct_by_name, same_match


class Member(Strict):
    """A member is identified by name, so the name is never disputed."""

    name: Name
    role: Disputable[Name] | None = None


class DelegationFormedData(Strict):
    party: Disputable[Name]
    head: Disputable[Name] | None = None
    members: Annotated[list[Member], Field(max_length=MAX_ITEMS), AfterValidator(distinct_by_name)]


class DelegationHeadReplacedData(Strict):
    new_head: Disputable[Name]
    reason: Text | None = None


class DelegationMemberJoinedData(Strict):
    name: Name
    role: Disputable[Name] | None = None


class DelegationMemberLeftData(Strict):
    name: Name
    reason: Text | None = None


def formed(state: State, fact: Fact) -> State:
    members = [{"name": m["name"], "role": m.get("role")} for m in fact.data["members"]]
    return {
        **state,
        "party": fact.data["party"],
        "head": fact.data.get("head"),
        "former_heads": [],
        "members": members,
    }


def head_replaced(state: State, fact: Fact) -> State:
    former = [*state["former_heads"], state["head"]] if state["head"] is not None else state["former_heads"]
    return {**state, "head": fact.data["new_head"], "former_heads": former}


def member_joined(state: State, fact: Fact) -> State:
    return {**state, "members": [*state["members"], {"name": fact.data["name"], "role": fact.data.get("role")}]}


def member_left(state: State, fact: Fact) -> State:
    leaving = _member(state["members"], fact.data["name"])
    if leaving is None:
        raise RuleBroken("member-must-belong", f"{fact.data['name']} is not a member of {fact.subject}")
    return {**state, "members": [m for m in state["members"] if m is not leaving]}


def _member(members: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The member of that name: written exactly so, or else as rules compare names."""
    exact = next((m for m in members if m["name"] == name), None)
    return exact or next((m for m in members if same_name(m["name"], name)), None)


# The checks of new writes compare names by the matching rule (SPEC §14: look-alikes, marks and
# compatibility forms are the same name); the folds above keep SPEC §6's `same_name`.


def members_once(_: State | None, fact: Fact) -> None:
    seen: set[str] = set()
    for member in fact.data["members"]:
        if match_key(member["name"]) in seen:
            raise RuleBroken("member-once", f"a delegation cannot list {member['name']} twice")
        seen.add(match_key(member["name"]))


def head_differs(state: State | None, fact: Fact) -> None:
    new_head = fact.data["new_head"]
    if state is not None and same_match(new_head, state["head"]):
        raise RuleBroken("head-differs", f"{state['head']} already heads {fact.subject}")


def joins_once(state: State | None, fact: Fact) -> None:
    name = fact.data["name"]
    member = next((m for m in state["members"] if same_match(m["name"], name)), None) if state is not None else None
    if member is not None:
        raise RuleBroken("member-once", f"{member['name']} is already a member of {fact.subject}")


# The same rules, comparing people through the register as the write is decided (SPEC §11):
# "Andrey Yermak" cannot replace the head "Andriy Yermak" once both are one person's spellings.
# Names that match nobody, or several people, are compared as spellings only (above).


def members_once_as_people(_: State | None, fact: Fact, register: Who) -> None:
    seen: dict[str, str] = {}
    for member in fact.data["members"]:
        person = _person(register, member["name"])
        if person is not None and person in seen:
            raise RuleBroken(
                "member-once",
                f"a delegation cannot list one person twice: {seen[person]} and {member['name']} are both {person}",
                field="data.members",
            )
        if person is not None:
            seen[person] = member["name"]


def head_differs_as_people(state: State | None, fact: Fact, register: Who) -> None:
    if state is None:
        return
    person = _person(register, fact.data["new_head"])
    if person is not None and _person(register, state["head"]) == person:
        raise RuleBroken(
            "head-differs", f"{fact.data['new_head']} is {person}, who already heads {fact.subject} (as {state['head']})"
        )


def joins_once_as_people(state: State | None, fact: Fact, register: Who) -> None:
    person = _person(register, fact.data["name"])
    if state is None or person is None:
        return
    member = next((m for m in state["members"] if _person(register, m["name"]) == person), None)
    if member is not None:
        raise RuleBroken(
            "member-once", f"{fact.data['name']} is {person}, already a member of {fact.subject} (as {member['name']})"
        )


def _person(register: Who, name: Any) -> str | None:
    """The one person a plain name matches; None for a disputed name, or one matching nobody or several."""
    matched = register.match(name) if isinstance(name, str) else None
    return matched if isinstance(matched, str) else None


class StateMember(Shown):
    name: Name
    role: DisputableName | None


class DelegationState(KindState):
    party: DisputableName | None
    head: DisputableName | None
    former_heads: list[DisputableName] = Field(description="oldest first")
    members: list[StateMember]


class DelegationSample(Sample):
    """A delegation formed with a few members, then heads replaced and members joining and leaving."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.members = [self.rng.choice(self.pool.people)]
        self.head = self.members[0]

    def created(self, day: int) -> Drawn:
        self.members += [p for p in self.rng.sample(self.pool.people, 3) if p not in self.members]
        return "DelegationFormed", {"party": self.slug.title(), "head": self.head, "members": [{"name": m} for m in self.members]}

    def changed(self, day: int, last: bool) -> Drawn:
        rng, people = self.rng, self.pool.people
        roll = rng.random()
        if roll < 0.3:
            self.head = rng.choice([p for p in self.members if p != self.head] or [p for p in people if p != self.head])
            return "DelegationHeadReplaced", {"new_head": self.head, "reason": "Reshuffle"}
        leaving = [m for m in self.members if m != self.head]
        if roll < 0.55 and leaving:
            self.members.remove(name := rng.choice(leaving))
            return "DelegationMemberLeft", {"name": name}
        self.members.append(name := rng.choice([p for p in people if p not in self.members]))
        return "DelegationMemberJoined", {"name": name, "role": "adviser"}


class Delegation(Subject):
    kind = "delegation"
    label = "Delegation"
    plural = "delegations"
    colour = "#1d4ed8"
    description = "Who negotiates for a party, and who heads them."
    state_model = DelegationState
    summary_fields = ("party", "head")
    title = "{party}"
    person_fields = ("head", "former_heads[]", "members[].name")
    role_fields = {"head": "head", "members[].name": "member"}
    sample = DelegationSample
    drafting_nouns = ("delegation", "delegations", "negotiating team", "negotiators", "team")
    drafting_subject = "{party}"
    drafting_cues = {
        "DelegationFormed": (
            "delegation|team|negotiators|side ~ led|headed by {head} => party=@party; members=[]",
            "formed|named|sent|dispatched|assembled ~ delegation|team => party=@party; members=[]",
            "{head} ~ led|leads|lead|leading|headed|heads|heading ~ delegation|team|side|negotiators|negotiations "
            "=> party=@party; members=[]",
            "was|were|is|are represented by {head} => party=@party; members=[]",
            "{head} ~ head|chief|leader of ~ delegation|team|negotiators => party=@party; members=[]",
            "{head} ~ chief|lead|top negotiator => party=@party; members=[]",
            # "… was headed by X, and the American side by Y": the verb said once for both
            "and ~ delegation|team|side|negotiators by {head} => party=@party; members=[]",
        ),
        "DelegationHeadReplaced": (
            "{new_head} ~ replaced|replaces|replacing|succeeded|succeeds|succeeding => party=@party",
            "replaced|succeeded by {new_head} => party=@party",
            "{new_head} ~ appointed|named ~ instead of => party=@party",
            "{new_head} ~ appointed|named|installed ~ head|chief|lead|leader ~ delegation|team|negotiat* => party=@party",
            "{new_head} ~ took|takes|take over ~ delegation|team|negotiat* => party=@party",
            "{new_head} ~ new head|chief|leader of ~ delegation|team => party=@party",
        ),
        "DelegationMemberJoined": ("{name} ~ joined|joins|join|added ~ delegation|team|negotiators => party=@party",),
        "DelegationMemberLeft": (
            "{name} ~ resigned|resigns|quit|quits|dismissed|sacked|ousted => party=@party",
            "{name} ~ stepped down => party=@party",
            "{name} ~ left ~ delegation|team|post|position => party=@party",
        ),
    }

    class DelegationFormed(SubjectCreated):
        class_version = 1
        data_model = DelegationFormedData
        person_fields = ("head", "members[].name")
        evolved = staticmethod(formed)
        checks = (members_once,)
        register_checks = (members_once_as_people,)
        label = "Formed"
        sentence = "Formed[, headed by {head}]"
        example = {
            "subject": "delegation/ukraine",
            "occurred": "../2025-11-22",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {
                "party": "Ukraine",
                "head": "Andriy Yermak",
                "members": [{"name": "Andriy Yermak", "role": "Head of the Presidential Office"}, {"name": "Rustem Umerov"}],
            },
        }

    class DelegationHeadReplaced(FactRecorded):
        class_version = 1
        data_model = DelegationHeadReplacedData
        person_fields = ("new_head",)
        evolved = staticmethod(head_replaced)
        checks = (head_differs,)
        register_checks = (head_differs_as_people,)
        sentence = "Head replaced by {new_head}"
        example = {
            "subject": "delegation/ukraine",
            "occurred": "../2025-11-30",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"new_head": "Rustem Umerov", "reason": "Andriy Yermak resigned following a corruption investigation"},
        }

    class DelegationMemberJoined(FactRecorded):
        class_version = 1
        data_model = DelegationMemberJoinedData
        person_fields = ("name",)
        evolved = staticmethod(member_joined)
        checks = (joins_once,)
        register_checks = (joins_once_as_people,)
        sentence = "{name} joined"
        example = {
            "subject": "delegation/ukraine",
            "occurred": "2025-12",
            "sources": [{"name": "Reuters"}],
            "data": {"name": "Kyrylo Budanov", "role": "Head of military intelligence"},
        }

    class DelegationMemberLeft(FactRecorded):
        class_version = 1
        data_model = DelegationMemberLeftData
        person_fields = ("name",)
        evolved = staticmethod(member_left)
        sentence = "{name} left"
        example = {
            "subject": "delegation/ukraine",
            "occurred": "../2025-11-30",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"name": "Andriy Yermak", "reason": "Resigned following a corruption investigation"},
        }
