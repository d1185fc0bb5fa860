from __future__ import annotations

import json
import uuid
from typing import Any

from parley.service.bootstrap import System

FORMED = {
    "type": "DelegationFormed", "subject": "delegation/ukraine", "occurred": "2025-11-20",
    "sources": [{"name": "Forbes", "url": "https://www.forbes.com/", "published": "2025-11-30"}],
    "data": {"party": "Ukraine", "head": "Andriy Yermak", "members": [{"name": "Andriy Yermak"}]},
}


def event(**changes: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(FORMED))
    body.update(changes)
    return body


def replaced(new_head: str = "Rustem Umerov", occurred: str = "../2025-11-30", **changes: Any) -> dict[str, Any]:
    return event(type="DelegationHeadReplaced", occurred=occurred, data={"new_head": new_head}, **changes)


def new_id() -> str:
    return str(uuid.uuid4())


def stored_rows(system: System) -> int:
    """How many rows the event store holds: one per fact in a store written since claims went."""
    return system.app.recorder.max_notification_id() or 0


def assert_problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body
