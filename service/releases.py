"""Releases (SPEC §15): numbered, signed, pinned exports with their chain, and what changed between two.

A release is a folder: the data package of §8 pinned at the log's position now (its own
`manifest.json`), `chain.jsonl` (each fact up to the pin: position, leaf index, header, body,
salts, commitment, digest) and `release.json`, which names the release's number, pin, note,
checkpoint (signed) and the SHA-256 of `manifest.json` and `chain.jsonl`, and is itself signed:

    signature = Ed25519(b"parley release v1\n" || JCS(release.json without `key_id`, `signature`))

The store keeps each release's `release.json` in `releases`, numbered 1, 2, … in the order made.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parley.domain.facts import RETRACTION
from parley.projections.sql import Database
from parley.service import merkle
from parley.service.chain_store import chain_lines
from parley.service.checkpoints import checkpoint
from parley.service.exports import FORMAT_VERSION
from parley.service.exports.files import sha256_of
from parley.service.exports.pin import pin_of
from parley.service.exports.redaction_marks import Verdict, check_chain, marks_of, read_chain, records_in
from parley.service.exports.writer import NO_PROGRESS, Options, Progress, write_export
from parley.service.redaction import last_position
from parley.service.signing import CHECKPOINT, RELEASE, Signer, verifies

TABLE = "CREATE TABLE IF NOT EXISTS releases (number BIGINT PRIMARY KEY, position BIGINT NOT NULL, release TEXT NOT NULL)"
RELEASE_FILE, CHAIN_FILE = "release.json", "chain.jsonl"


class ReleaseRefused(ValueError):
    pass


def create_table(database: Database) -> None:
    database.create([TABLE])


def make_release(
    app: Any, signer: Signer | None, root: Path, note: str | None = None, progress: Progress = NO_PROGRESS
) -> tuple[dict[str, Any], Path]:
    """Write the next release of the log now into `root`/N and record it: the release and its folder."""
    with app.database.transaction(commit=False) as cursor:
        number = (cursor.scalar("SELECT MAX(number) FROM releases") or 0) + 1
    folder = root / str(number)
    if folder.exists():
        raise ReleaseRefused(f"{folder} exists: a release is never written over")
    redacted_at = last_position(app)  # first: what was recorded before it is in the pin below
    pin = pin_of(app)
    if redacted_at > pin.position:  # the chain then ends with the redaction's record
        pin = replace(pin, position=redacted_at)
    manifest = write_export(app, pin, "datapackage", folder, Options(format_version=FORMAT_VERSION), progress)
    with (folder / CHAIN_FILE).open("w", encoding="utf-8") as out:
        for line in chain_lines(app.database, app.recorder.events_table_name, pin.position):
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    release: dict[str, Any] = {
        "release": number,
        "pin": manifest["pin"],
        "note": note,
        "format_version": manifest["format_version"],
        "made_at": datetime.now(UTC).isoformat(),
        "checkpoint": checkpoint(app.database, pin.position, signer),
        "manifest_sha256": sha256_of(folder / "manifest.json"),
        "chain_sha256": sha256_of(folder / CHAIN_FILE),
    }
    if signer is not None:
        release.update(signer.sign(RELEASE, release))
    with app.database.transaction(commit=True) as cursor:
        inserted = cursor.execute(
            "INSERT INTO releases (number, position, release) VALUES (?, ?, ?) ON CONFLICT (number) DO NOTHING RETURNING number",
            (number, pin.position, json.dumps(release)),
        ).fetchone()
    if inserted is None:
        raise ReleaseRefused(
            f"another release was numbered {number} meanwhile; {folder} is not recorded: remove it and run again"
        )
    (folder / RELEASE_FILE).write_text(json.dumps(release, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return release, folder


def releases(database: Database) -> list[dict[str, Any]]:
    with database.transaction(commit=False) as cursor:
        return [json.loads(r["release"]) for r in cursor.execute("SELECT release FROM releases ORDER BY number").fetchall()]


def release(database: Database, number: int) -> dict[str, Any] | None:
    with database.transaction(commit=False) as cursor:
        row = cursor.execute("SELECT release FROM releases WHERE number = ?", (number,)).fetchone()
    return None if row is None else json.loads(row["release"])


def changes(app: Any, number: int, since: int) -> dict[str, Any]:
    """What changed from release `since` to release `number`: the events added, the events
    withdrawn (retracted) and the subjects whose state changed (those with an event added)."""
    later, earlier = release(app.database, number), release(app.database, since)
    for n, found in ((number, later), (since, earlier)):
        if found is None:
            raise ReleaseRefused(f"there is no release {n}")
    if since > number:
        raise ReleaseRefused(f"release {since} is after release {number}")
    assert later is not None and earlier is not None  # refused above
    start, stop = earlier["pin"]["position"], later["pin"]["position"]
    added, withdrawn, subjects = [], [], set()
    after = start
    while after < stop:
        page = app.facts(after, 1000)
        page = [(p, f) for p, f in page if p <= stop]
        if not page:
            break
        for position, fact in page:
            added.append({"event_id": fact.event_id, "position": position, "subject": fact.subject, "type": fact.type})
            subjects.add(fact.subject)
            if fact.type == RETRACTION:
                withdrawn.append({"event_id": fact.data["event_id"], "retracted_by": fact.event_id, "subject": fact.subject})
        after = page[-1][0]
    return {
        "release": number,
        "since": since,
        "from_position": start,
        "to_position": stop,
        "added": added,
        "withdrawn": withdrawn,
        "subjects_changed": sorted(subjects),
    }


def verify_release(folder: Path, public_key: str | None) -> list[str]:
    """What in a release folder does not hold (its chain, checkpoint, files and, given a public
    key, its signatures); [] when everything does. Each redacted value of its chain must be named
    by a redaction its own chain records. The export's own files are `verify`'s."""
    try:
        marks = marks_of(records_in(read_chain(folder / CHAIN_FILE)))
    except (OSError, ValueError, KeyError, TypeError):
        marks = {}
    return check_release(folder, public_key, marks)[0]


def check_release(folder: Path, public_key: str | None, marks: Any) -> tuple[list[str], Any]:
    """`verify_release`, each redacted value of the chain named by a record of `marks`; the
    problems, and the chain's verdict (the redacted values met). A `chain.jsonl` that is not the
    file `release.json` names still holds when every line checks against the signed checkpoint:
    the only change a line can then hold is a value replaced by a marker a record names (a
    redaction its holder applied to the copy since)."""
    verdict = Verdict()
    try:
        made = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{RELEASE_FILE}: unreadable ({error})"], verdict
    problems = []
    if not (folder / "manifest.json").is_file() or sha256_of(folder / "manifest.json") != made.get("manifest_sha256"):
        problems.append(f"manifest.json: not the file {RELEASE_FILE} names (its SHA-256 differs)")
    edited = not (folder / CHAIN_FILE).is_file() or sha256_of(folder / CHAIN_FILE) != made.get("chain_sha256")
    digests: list[bytes] = []
    try:
        digests, found, verdict = check_chain(read_chain(folder / CHAIN_FILE), marks)
        problems += found
    except (OSError, ValueError) as error:
        problems.append(f"{CHAIN_FILE}: unreadable ({error!r})")
    mark = made.get("checkpoint", {})
    if not problems and (
        mark.get("size") != len(digests) or merkle.root_of([merkle.leaf_hash(d) for d in digests]).hex() != mark.get("root")
    ):
        problems.append(f"{RELEASE_FILE}: its checkpoint is not the Merkle root of {CHAIN_FILE}")
    if edited and not problems:
        verdict.notes.append(
            f"{CHAIN_FILE}: not the file {RELEASE_FILE} names, but every line checks against the "
            "checkpoint: it differs by recorded redactions only"
        )
    if public_key is not None:
        signed = {k: v for k, v in made.items() if k not in ("key_id", "signature")}
        if not verifies(public_key, RELEASE, signed, made.get("signature")):
            problems.append(f"{RELEASE_FILE}: its signature does not verify with the given public key")
        checkpoint_signed = {k: mark.get(k) for k in ("position", "root", "size")}
        if not verifies(public_key, CHECKPOINT, checkpoint_signed, mark.get("signature")):
            problems.append(f"{RELEASE_FILE}: its checkpoint's signature does not verify with the given public key")
    return problems, verdict
