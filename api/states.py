"""What a subject's state looks like to a reader, per kind (SPEC §2).

Every field of the kind is present (`null` while unknown, a list empty), so a client tells the kinds apart by
their fields (generated clients parse a union by trying each member). A field that sources
report differently shows as a dispute (`DisputedName`, `DisputedCount`, …) until settled.

These models describe answers; they never validate them (the read routes answer with what the
views hold), so a state stored before a value type grew stricter is still shown.
"""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from parley.domain.plan import PointCount, Status
from parley.domain.values import Disputed, FuzzyText, Name, Text

DisputableName = Name | Disputed[Name]  # type: ignore[valid-type]
DisputableText = Text | Disputed[Text]  # type: ignore[valid-type]
DisputableDate = FuzzyText | Disputed[FuzzyText]  # type: ignore[valid-type]


class Shown(BaseModel):
    model_config = ConfigDict(extra="allow")


class Statement(Shown):
    speaker: Name
    role: DisputableName | None
    quote: Text
    occurred: str = Field(description="when it was said, as a fuzzy date")


class StateMember(Shown):
    name: Name
    role: DisputableName | None


class StateParticipant(Shown):
    name: Name
    delegation: DisputableName | None = Field(description="the participant's delegation, as `delegation/slug` or a name")


class KindState(Shown):
    statements: list[Statement] = Field(description="what was said about the subject, in valid-time order")


class DelegationState(KindState):
    party: DisputableName | None
    head: DisputableName | None
    former_heads: list[DisputableName] = Field(description="oldest first")
    members: list[StateMember]


class PlanState(KindState):
    title: DisputableName | None
    proposed_by: DisputableName | None
    point_count: PointCount | Disputed[PointCount] | None  # type: ignore[valid-type]
    topics: list[Name]
    published: bool | Disputed[bool] | None
    status: Status | None
    revision: int | None = Field(description="0 when proposed, one more per PlanRevised")
    summary: DisputableText | None


OVERDUE = ("still scheduled at `as_of`, though planned for before it (every alternative, when disputed; "
           "never when open-ended), with nothing held, completed or cancelled applied or pending by then")


class MeetingState(KindState):
    title: DisputableName | None
    location: DisputableName | None
    planned_for: DisputableDate | None
    participants: list[StateParticipant]
    status: Literal["scheduled", "held", "cancelled"] | None
    outcome: DisputableText | None
    overdue: bool = Field(description=OVERDUE)


class TripState(KindState):
    traveller: DisputableName | None
    destination: DisputableName | None
    purpose: DisputableText | None
    planned_for: DisputableDate | None
    status: Literal["scheduled", "completed", "cancelled"] | None
    overdue: bool = Field(description=OVERDUE)


STATES: dict[str, type[KindState]] = {
    "delegation": DelegationState, "plan": PlanState, "meeting": MeetingState, "trip": TripState}
AnyState = DelegationState | PlanState | MeetingState | TripState


def shown(subject: str, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The state with every field of its kind: one never set is null, or an empty list (SPEC §2);
    so are the fields of its members and participants, whose data may have left them out."""
    if state is None:
        return None
    kind = subject.split("/", 1)[0]
    filled = {**UNSET[kind], **state}
    for name, unset in ITEMS_UNSET[kind].items():
        filled[name] = [{**unset, **item} if isinstance(item, dict) else item for item in filled[name] or []]
    return filled


def _unset(model: type[BaseModel]) -> dict[str, Any]:
    return {name: [] if get_origin(field.annotation) is list else None for name, field in model.model_fields.items()}


def _item_model(field: Any) -> type[BaseModel] | None:
    item = get_args(field.annotation)[0] if get_origin(field.annotation) is list else None
    return item if isinstance(item, type) and issubclass(item, Shown) else None


UNSET = {kind: _unset(model) for kind, model in STATES.items()}
ITEMS_UNSET = {kind: {name: _unset(item) for name, field in model.model_fields.items() if (item := _item_model(field))}
               for kind, model in STATES.items()}
