"""A plan's points, draft by draft (SPEC §12): the data of the point events, how each changes the
plan's `points`, and their rules.

A point is named by a `key` (a slug) that stays the same across drafts while its number and wording
move. Every field a source reports may be disputed; the key, the keys merged and the party taking a
position name things, and are not. A point event is stamped with the plan's revision current at its
place on the valid-time line: only a revision of the plan moves it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator
from pydantic import Strict as StrictType
from pydantic_core import PydanticCustomError

from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact, State
from parley.domain.items import Item, ItemList, Touching
from parley.domain.names import same_name
from parley.domain.shown import DisputableName, DisputableText, Shown
from parley.domain.values import Disputable, Disputed, Name, Named, Strict, Text, is_disputed, same_match

KEY = re.compile(r"^[a-z0-9-]{1,80}$")


def a_key(value: str) -> str:
    """A point's key: a slug. Checked by this validator, saying in words what a key is; the pattern
    is shown in the schema for clients and fuzzers."""
    if not KEY.match(value):
        raise PydanticCustomError(
            "not_a_key", "{value} is not a point's key: 1-80 lower-case letters, digits and '-'", {"value": repr(value)}
        )
    return value


Key = Annotated[
    str,
    StrictType(),
    StringConstraints(max_length=80),
    AfterValidator(a_key),
    Named("PointKey"),
    Field(
        json_schema_extra={"pattern": KEY.pattern},
        description="a slug naming the point across drafts: lower-case letters, digits and '-'",
    ),
]
Number = Annotated[int, Field(ge=1, le=100_000), Named("PointNumber")]
Position = Annotated[Literal["supports", "opposes", "reserves", "unclear"], Named("Position")]
PointStatus = Annotated[Literal["proposed", "agreed", "rejected", "dropped", "implemented"], Named("PointStatus")]
Implementation = Annotated[int, Field(ge=0, le=3), Named("Implementation")]
IMPLEMENTATION = "Peace Accords Matrix score: 0 not begun, 1 minimal, 2 intermediate, 3 complete"


def distinct_keys(keys: list[str]) -> list[str]:
    if len(set(keys)) != len(keys):
        raise PydanticCustomError("list_repeats_key", "a merge names each point once")
    return keys


class PointAddedData(Strict):
    key: Key
    number: Disputable[Number] | None = None
    text: Disputable[Text] | None = None
    topic: Disputable[Name] | None = None


class PointChangedData(Strict):
    # What `_changes_something` checks, said in the schema too (for clients and fuzzers).
    model_config = {
        **Strict.model_config,
        "json_schema_extra": {"anyOf": [{"required": ["number"]}, {"required": ["text"]}, {"required": ["topic"]}]},
    }

    key: Key
    number: Disputable[Number] | None = None
    text: Disputable[Text] | None = None
    topic: Disputable[Name] | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> PointChangedData:
        if self.number is None and self.text is None and self.topic is None:
            raise PydanticCustomError("change_names_nothing", "a change gives at least one of number, text and topic")
        return self


class PointRemovedData(Strict):
    key: Key
    reason: Disputable[Text] | None = None


class PointsMergedData(Strict):
    keys: Annotated[
        list[Key], Field(min_length=2, max_length=500, json_schema_extra={"uniqueItems": True}), AfterValidator(distinct_keys)
    ]
    into: Key = Field(description="one of the points merged, or a new key")
    text: Disputable[Text] | None = None


class PositionTakenData(Strict):
    key: Key
    party: Name
    position: Disputable[Position]
    quote: Disputable[Text] | None = None


class PointStatusChangedData(Strict):
    key: Key
    status: Disputable[PointStatus]
    implementation: Disputable[Implementation] | None = Field(None, description=IMPLEMENTATION)


class Point(Shown):
    key: str
    number: Number | Disputed[Number] | None
    text: DisputableText | None
    topic: DisputableName | None
    status: PointStatus | Disputed[PointStatus]
    implementation: Implementation | Disputed[Implementation] | None = Field(description=IMPLEMENTATION)
    positions: dict[str, Position | Disputed[Position]] = Field(description="each party's position")
    revision: int = Field(description="the plan revision that last touched the point")


# The order of a plan's points (SPEC §12).


def in_number_order(points: Iterable[Item]) -> list[Item]:
    """By number (a disputed one by its smallest alternative); points without a number last, by key."""
    return sorted(points, key=_place)


def _place(point: Item) -> tuple[bool, int, str]:
    number: Any = point.get("number")
    if is_disputed(number):
        number = min(alternative["value"] for alternative in number["disputed"])
    return number is None, number or 0, point["key"]


# The folds.


def _points(state: State) -> list[Item]:
    return state.get("points") or []


def _find(state: State, key: str) -> Item | None:
    return next((p for p in _points(state) if p["key"] == key), None)


def _held(state: State, fact: Fact, key: str) -> Item:
    point = _find(state, key)
    if point is None:
        raise RuleBroken(
            "point-in-plan",
            f"{fact.subject} holds no point {key} at {fact.occurred}: a point is "
            "changed, removed, merged, positioned or given a status only while it is in the plan",
            field="data.keys" if "keys" in fact.data else None,
        )
    return point


def _with(state: State, points: list[Item]) -> State:
    ordered = in_number_order(points)
    return {**state, "points": ordered, "points_recorded": len(ordered)}


def _replaced(state: State, old: Item, new: Item) -> State:
    return _with(state, [new if p is old else p for p in _points(state)])


def point_added(state: State, fact: Fact) -> State:
    data = fact.data
    if _find(state, data["key"]) is not None:
        raise RuleBroken("point-added-once", f"{fact.subject} already holds the point {data['key']} at {fact.occurred}")
    point = {
        "key": data["key"],
        "number": data.get("number"),
        "text": data.get("text"),
        "topic": data.get("topic"),
        "status": "proposed",
        "implementation": None,
        "positions": {},
        "revision": state["revision"],
    }
    return _with(state, [*_points(state), point])


def point_changed(state: State, fact: Fact) -> State:
    old = _held(state, fact, fact.data["key"])
    changed: dict[str, Any] = {k: fact.data[k] for k in ("number", "text", "topic") if k in fact.data}
    return _replaced(state, old, {**old, **changed, "revision": state["revision"]})


def point_removed(state: State, fact: Fact) -> State:
    old = _held(state, fact, fact.data["key"])
    return _with(state, [p for p in _points(state) if p is not old])


def points_merged(state: State, fact: Fact) -> State:
    keys, into = fact.data["keys"], fact.data["into"]
    merged = [_held(state, fact, key) for key in keys]
    if into not in keys and _find(state, into) is not None:
        raise RuleBroken(
            "merge-into",
            f"{into} is a point of {fact.subject} other than those merged: points merge into one of themselves or into a new key",
        )
    kept = [p for p in _points(state) if p["key"] not in keys]
    target = next((p for p in merged if p["key"] == into), None)
    if target is None:
        target = {
            "key": into,
            "number": None,
            "text": None,
            "topic": None,
            "status": "proposed",
            "implementation": None,
            "positions": {},
        }
    text = {"text": fact.data["text"]} if "text" in fact.data else {}
    return _with(state, [*kept, {**target, **text, "revision": state["revision"]}])


def position_taken(state: State, fact: Fact) -> State:
    old = _held(state, fact, fact.data["key"])
    party = fact.data["party"]
    # A party spelled as one already positioned (SPEC §6) is that party.
    party = next((p for p in old["positions"] if same_name(p, party)), party)
    positions = {**old["positions"], party: fact.data["position"]}
    return _replaced(state, old, {**old, "positions": positions, "revision": state["revision"]})


def point_status_changed(state: State, fact: Fact) -> State:
    old = _held(state, fact, fact.data["key"])
    changed: dict[str, Any] = {k: fact.data[k] for k in ("status", "implementation") if k in fact.data}
    return _replaced(state, old, {**old, **changed, "revision": state["revision"]})


# The rules of new writes: a change changes something.


def point_changes(state: State | None, fact: Fact) -> None:
    _changes(state, fact, ("number", "text", "topic"), "point-changes")


def point_status_changes(state: State | None, fact: Fact) -> None:
    _changes(state, fact, ("status", "implementation"), "point-status-changes")


def _changes(state: State | None, fact: Fact, fields: tuple[str, ...], rule: str) -> None:
    point = _find(state, fact.data["key"]) if state is not None else None
    if point is None:
        return  # creation-first or point-in-plan refuses it
    given = [k for k in fields if k in fact.data]
    if all(same_match(point[k], fact.data[k]) for k in given):
        raise RuleBroken(
            rule, f"this changes nothing of the point {point['key']} of {fact.subject}: its {' and '.join(given)} already read so"
        )


# What compare and the views need to know of the points.


def _touched(fact: Touching) -> tuple[str, ...]:
    if fact.type not in POINT_TYPES:
        return ()
    data = fact.data
    return (*data["keys"], data["into"]) if "keys" in data else (data["key"],)


def _merged(fact: Touching) -> tuple[tuple[str, ...], str] | None:
    return (tuple(fact.data["keys"]), fact.data["into"]) if fact.type == MERGED else None


MERGED = "PlanPointsMerged"
TYPES = ("PlanPointAdded", "PlanPointChanged", "PlanPointRemoved", MERGED, "PlanPointPositionTaken", "PlanPointStatusChanged")
POINT_TYPES = frozenset(TYPES)
POINTS = ItemList(
    key="key",
    ordered=in_number_order,
    touched=_touched,
    merged=_merged,
    compared=("number", "text", "topic", "status", "implementation", "positions"),
    count="points_recorded",
    types=TYPES,
)
