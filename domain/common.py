"""Event data every kind accepts: statements and retractions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from parley.domain.values import Disputable, Name, Strict, Text


class StatementRecordedData(Strict):
    speaker: Name
    role: Disputable[Name] | None = None
    quote: Text


class EventRetractedData(Strict):
    """Withdraws an earlier event of the same subject; the id identifies, so it is never disputed."""

    event_id: Annotated[str, Field(pattern=r"^[0-9a-fA-F-]{32,36}$")]
    reason: Text
