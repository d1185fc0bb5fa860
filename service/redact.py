"""The redaction use case (SPEC §15): decide, record the audit event, rewrite, then scrub every copy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parley.service.redaction_scrub import after_redactions


def redact(system: Any, event_id: str, fields: Sequence[str], reason: str, actor: str) -> tuple[dict[str, Any], bool]:
    """The answer, and whether anything was redacted now (False: every value named was already)."""
    redactions = system.redactions
    stored, new, already, reason = redactions.plan(event_id, list(fields), reason)
    answer: dict[str, Any] = {
        "event_id": event_id,
        "subject": stored.subject,
        "redacted": new,
        "already_redacted": already,
        "reason": reason,
    }
    with system.views.paused():  # a serving process's keeper reads neither the events nor the views half-rewritten
        recorded = redactions.record(stored, event_id, new, reason, actor) if new else None
        if recorded is None:  # every value named was redacted already, or by a racing repeat just now
            answer.update(redacted=[], already_redacted=already + new, redaction_id=None)
            return answer, False
        fields = recorded.data["fields"]
        answer.update(redacted=fields, already_redacted=already + [p for p in new if p not in fields])
        removed = redactions.apply(recorded)
        compacted = after_redactions(system, [(recorded, removed)])
    answer.update(
        redaction_id=recorded.event_id,
        recorded_by=actor,
        compacted=compacted,
        recorded_at=recorded.timestamp.isoformat().replace("+00:00", "Z"),
    )
    return answer, True
