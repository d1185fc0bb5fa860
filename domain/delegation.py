"""Delegations: who negotiates for a party, and who heads them."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from parley.domain.common import COMMON_DATA
from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact
from parley.domain.subject import FactRecorded, State, Subject, SubjectCreated
from parley.domain.values import MAX_ITEMS, Name, Strict, Text, disputable


class Member(Strict):
    """A member is identified by name, so the name is never disputed."""

    name: Name
    role: disputable(Name) | None = None  # type: ignore[valid-type]


class DelegationFormedData(Strict):
    party: disputable(Name)  # type: ignore[valid-type]
    head: disputable(Name) | None = None  # type: ignore[valid-type]
    members: Annotated[list[Member], Field(max_length=MAX_ITEMS)]


class DelegationHeadReplacedData(Strict):
    new_head: disputable(Name)  # type: ignore[valid-type]
    reason: Text | None = None


class DelegationMemberJoinedData(Strict):
    name: Name
    role: disputable(Name) | None = None  # type: ignore[valid-type]


class DelegationMemberLeftData(Strict):
    name: Name
    reason: Text | None = None


def formed(state: State, fact: Fact) -> State:
    members = [{"name": m["name"], "role": m.get("role")} for m in fact.data["members"]]
    names = [m["name"] for m in members]
    if len(set(names)) != len(names):
        raise RuleBroken("member-once", "a delegation cannot list the same member twice")
    return {
        **state,
        "party": fact.data["party"],
        "head": fact.data.get("head"),
        "former_heads": [],
        "members": members,
    }


def head_replaced(state: State, fact: Fact) -> State:
    new_head = fact.data["new_head"]
    if new_head == state["head"]:
        raise RuleBroken("head-differs", f"{new_head} already heads {fact.subject}")
    former = [*state["former_heads"], state["head"]] if state["head"] is not None else state["former_heads"]
    return {**state, "head": new_head, "former_heads": former}


def member_joined(state: State, fact: Fact) -> State:
    name = fact.data["name"]
    if any(m["name"] == name for m in state["members"]):
        raise RuleBroken("member-once", f"{name} is already a member of {fact.subject}")
    return {**state, "members": [*state["members"], {"name": name, "role": fact.data.get("role")}]}


def member_left(state: State, fact: Fact) -> State:
    name = fact.data["name"]
    if not any(m["name"] == name for m in state["members"]):
        raise RuleBroken("member-must-belong", f"{name} is not a member of {fact.subject}")
    return {**state, "members": [m for m in state["members"] if m["name"] != name]}


class Delegation(Subject):
    kind = "delegation"

    class DelegationFormed(SubjectCreated):
        class_version = 1

    class DelegationHeadReplaced(FactRecorded):
        class_version = 1

    class DelegationMemberJoined(FactRecorded):
        class_version = 1

    class DelegationMemberLeft(FactRecorded):
        class_version = 1

    creation = DelegationFormed
    data_models = {
        "DelegationFormed": DelegationFormedData,
        "DelegationHeadReplaced": DelegationHeadReplacedData,
        "DelegationMemberJoined": DelegationMemberJoinedData,
        "DelegationMemberLeft": DelegationMemberLeftData,
        **COMMON_DATA,
    }
    evolvers = {
        "DelegationFormed": formed,
        "DelegationHeadReplaced": head_replaced,
        "DelegationMemberJoined": member_joined,
        "DelegationMemberLeft": member_left,
    }
