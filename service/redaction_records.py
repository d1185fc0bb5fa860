"""A redaction as a record a reader can hold (SPEC §15, docs/verifying.md §7).

A copy of the record written before a redaction (an export, a release) still holds the value.
Its holder may apply the redaction (put the marker where the value stood); a verifier then needs
a record of that redaction it can trust, or the marker is tampering. There are two:

- the redaction's own fact in a release's `chain.jsonl` (subject `redactions`, its `data` naming
  the event, the fields and the reason), trusted as the chain is: by its signed checkpoint;
- an entry of `GET /redactions`, which a service with a signing key signs on its own:
  `Ed25519(b"parley redaction v1\\n" || JCS(the entry without key_id and signature))`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parley.service.signing import verifies

REDACTION = b"parley redaction v1\n"
SUBJECT = "redactions"


class RecordRefused(ValueError):
    pass


@dataclass(frozen=True)
class Record:
    redaction_id: str  # the redaction's own event id
    event_id: str  # the event redacted
    subject: str
    position: int  # the redacted event's position
    fields: tuple[str, ...]
    reason: str
    recorded_at: str  # as stored, ISO 8601
    recorded_by: str
    redaction_position: int | None = None  # the redaction's own position in the log
    digest: str | None = None  # the redaction's own link in the chain

    def as_dict(self) -> dict[str, Any]:
        return {
            "redaction_id": self.redaction_id,
            "event_id": self.event_id,
            "subject": self.subject,
            "position": self.position,
            "fields": list(self.fields),
            "reason": self.reason,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
            "redaction_position": self.redaction_position,
            "digest": self.digest,
        }

    def said(self) -> str:
        return f"by redaction {self.redaction_id} at {self.recorded_at} by {self.recorded_by} ({self.reason})"


def from_chain_line(line: dict[str, Any]) -> Record | None:
    """The redaction a line of `chain.jsonl` records, or None when it is another fact."""
    header = line.get("header") or {}
    if header.get("subject") != SUBJECT:
        return None
    data = (line.get("body") or {}).get("data") or {}
    return Record(
        header["event_id"],
        data["event_id"],
        data.get("subject", ""),
        data["position"],
        tuple(data["fields"]),
        data["reason"],
        header["recorded_at"],
        header["recorded_by"],
        line.get("position"),
        line.get("digest"),
    )


def from_entry(entry: dict[str, Any], public_key: str | None) -> Record:
    """An entry of GET /redactions; its signature checked when a public key is given."""
    try:
        record = Record(
            str(entry["redaction_id"]),
            str(entry["event_id"]),
            str(entry.get("subject", "")),
            int(entry["position"]),
            tuple(str(f) for f in entry["fields"]),
            str(entry["reason"]),
            str(entry["recorded_at"]),
            str(entry["recorded_by"]),
            entry.get("redaction_position"),
            entry.get("digest"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RecordRefused(f"not a redaction record ({error!r})") from None
    if public_key is not None:
        signature = entry.get("signature")
        signed = {k: v for k, v in entry.items() if k not in ("key_id", "signature")}
        if not verifies(public_key, REDACTION, signed, signature):
            raise RecordRefused(f"redaction {record.redaction_id}: its signature does not verify with the given public key")
    return record


def entry(record: Record, signer: Any | None) -> dict[str, Any]:
    """The entry GET /redactions answers: the record, signed when the service has a key."""
    answer = record.as_dict()
    if signer is not None:
        answer.update(signer.sign(REDACTION, answer))
    return answer
