"""The redaction records a copy is checked against, and its chain checked value by value
(`parley verify DIR`, SPEC §15; docs/verifying.md §7).

Records come from the copy's own `chain.jsonl` (a release's), its `redactions.json`, or a
`--redactions` source (redacted_copy.py reads it).
`check_chain` reads a chain file line by line: each value against its salted hash, each marker
against a record naming that event and field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.domain.redacted import is_redacted
from parley.service import chain, redacted_chain
from parley.service.redaction_records import Record, RecordRefused, from_chain_line, from_entry

RELEASE_FILE, CHAIN_FILE, RECORDS_FILE = "release.json", "chain.jsonl", "redactions.json"
Marks = dict[str, dict[str, Record]]  # event id → path → the record redacting it


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    redacted: dict[tuple[str, str], tuple[int, Record]] = field(default_factory=dict)  # (event, path) → position, record
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def redacted_lines(self) -> list[str]:
        return [
            f"position {position} (event {event}), {path}: redacted {record.said()}"
            for (event, path), (position, record) in sorted(self.redacted.items(), key=lambda i: (i[1][0], i[0][1]))
        ]


def read_chain(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def marks_of(records: list[Record]) -> Marks:
    marks: Marks = {}
    for record in records:
        for path in record.fields:
            marks.setdefault(record.event_id, {})[path] = record
    return marks


def records_in(lines: list[dict[str, Any]]) -> list[Record]:
    return [record for line in lines if (record := from_chain_line(line)) is not None]


def entries_of(listed: Any, key: str | None, where: str) -> tuple[list[Record], None, list[str]]:
    entries = listed.get("redactions") if type(listed) is dict else listed
    if type(entries) is not list:
        return [], None, [f"{where}: not a list of redactions (GET /redactions)"]
    found, problems = [], []
    for item in entries:
        try:
            found.append(from_entry(item, key) if type(item) is dict else from_entry({}, None))
        except RecordRefused as refused:
            problems.append(f"{where}: {refused}")
    return found, None, problems


def check_chain(lines: list[dict[str, Any]], marks: Marks) -> tuple[list[bytes], list[str], Verdict]:
    """Every line of a chain file, value by value: the digests in leaf order, the first
    problems (a value not committed to, a marker no record names, a digest that does not hold),
    and the redacted values met."""
    verdict = Verdict()
    previous, digests = chain.GENESIS, []
    for number, entry in enumerate(lines):
        try:
            header, body, commitment, salts = entry["header"], entry["body"], entry["commitment"], entry.get("salts", {})
            position, event = entry["position"], header["event_id"]
            where = f"{CHAIN_FILE} position {position} (event {event})"
            values = redacted_chain.body_leaves(body, commitment)
            if {p for p, _ in values} != set(commitment) or len(values) != len(commitment):
                verdict.problems.append(f"{where}: the body's values are not the ones committed to")
                break
            for path, value in values:
                salt = salts.get(path)
                if is_redacted(value) and salt is None:
                    record = marks.get(event, {}).get(path)
                    if record is None:
                        verdict.problems.append(f"{where}, {path}: a redaction marker that no redaction record names")
                    elif value["reason"] != record.reason:
                        verdict.problems.append(
                            f"{where}, {path}: the marker's reason is not the one redaction {record.redaction_id} gives"
                        )
                    else:
                        verdict.redacted[(event, path)] = (position, record)
                elif salt is None:
                    verdict.problems.append(f"{where}, {path}: the value has no salt and is not marked redacted")
                elif hashlib.sha256(bytes.fromhex(salt) + chain._leaf(value)).hexdigest() != commitment[path]:
                    verdict.problems.append(f"{where}, {path}: the value is not the one committed to")
            previous = chain.link(previous, header, chain.committed_bytes(commitment))
            if previous.hex() != entry["digest"] or entry["leaf_index"] != number or header.get("position") != position:
                verdict.problems.append(f"{where}: its digest does not hold")
                break
            digests.append(previous)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            verdict.problems.append(f"{CHAIN_FILE} line {number + 1}: unreadable ({error!r})")
            break
    return digests, verdict.problems, verdict
