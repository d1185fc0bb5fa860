"""An example of every event type for the OpenAPI document, taken from the bundled scenario."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from parley.domain.catalog import ALL_TYPES

EXTRA = [
    {"type": "DelegationMemberJoined", "subject": "delegation/ukraine", "occurred": "2025-12",
     "sources": [{"name": "Reuters"}], "data": {"name": "Kyrylo Budanov", "role": "Head of military intelligence"}},
    {"type": "MeetingRescheduled", "subject": "meeting/witkoff-putin", "occurred": "2025-12-01",
     "sources": [{"name": "TASS"}], "data": {"planned_for": "2025-12-02"}},
    {"type": "MeetingCancelled", "subject": "meeting/witkoff-putin", "occurred": "2025-12-01",
     "sources": [{"name": "TASS"}], "data": {"reason": "Postponed without a new date"}},
    {"type": "TripRescheduled", "subject": "trip/witkoff-moscow", "occurred": "2025-12-01",
     "sources": [{"name": "Axios"}], "data": {"planned_for": "2025-12-02?"}},
    {"type": "TripCompleted", "subject": "trip/witkoff-moscow", "occurred": "2025-12-02/2025-12-03",
     "sources": [{"name": "Kremlin spokesman Dmitry Peskov"}], "data": {}},
    {"type": "TripCancelled", "subject": "trip/witkoff-moscow", "occurred": "2025-12-01",
     "sources": [{"name": "Axios"}], "data": {"reason": "Talks postponed"}},
    {"type": "EventRetracted", "subject": "plan/us-peace-plan", "occurred": "2025-12-01",
     "sources": [{"name": "Axios", "url": "https://www.axios.com/"}],
     "data": {"event_id": "d8c0c5a4-3e5b-5f0e-9a43-0b6c1f0f2f11", "reason": "The outlet corrected its report"}},
]


def scenario() -> list[dict[str, Any]]:
    text = resources.files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@lru_cache
def openapi_examples() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for event in [*scenario(), *EXTRA]:
        found.setdefault(event["type"], {k: v for k, v in event.items() if k != "event_id"})
    return {name: {"summary": name, "value": found[name]} for name in ALL_TYPES if name in found}
