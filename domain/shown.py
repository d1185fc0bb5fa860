"""What a subject's state looks like to a reader: the building blocks each kind's state model uses.

Every field of a kind is present (`null` while unknown, a list empty). A field that sources report
differently shows as a dispute (`DisputedName`, `DisputedCount`, …) until settled. These models
describe answers; they never validate them (the read routes answer with what the views hold), so a
state stored before a value type grew stricter is still shown.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from parley.domain.values import Disputed, FuzzyText, Name, Text

DisputableName = Name | Disputed[Name]
DisputableText = Text | Disputed[Text]
DisputableDate = FuzzyText | Disputed[FuzzyText]

OVERDUE = (
    "still scheduled at `as_of`, though planned for before it (every alternative, when disputed; "
    "never when open-ended), with nothing held, completed or cancelled applied or pending by then"
)


class Shown(BaseModel):
    model_config = ConfigDict(extra="allow")


class Statement(Shown):
    speaker: Name
    role: DisputableName | None
    quote: Text
    occurred: str = Field(description="when it was said, as a fuzzy date")


class KindState(Shown):
    """A kind's state model subclasses this, declaring the fields its state shows (SPEC §2)."""

    statements: list[Statement] = Field(description="what was said about the subject, in valid-time order")
